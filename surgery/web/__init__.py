"""Blueprints, one package per role."""
