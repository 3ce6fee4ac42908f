"""The matcher, pure: frozen dataclasses in, pairings with reasons out. No Flask, no SQLAlchemy."""

from surgery.matching.problem import (
    MatchResult,
    Pairing,
    Problem,
    RequestIn,
    SessionIn,
    SignupIn,
    Unpaired,
    UnpairedReason,
    Weights,
)
from surgery.matching.solve import match

__all__ = [
    "MatchResult",
    "Pairing",
    "Problem",
    "RequestIn",
    "SessionIn",
    "SignupIn",
    "Unpaired",
    "UnpairedReason",
    "Weights",
    "match",
]
