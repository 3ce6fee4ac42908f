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
from surgery.matching.solve import MatchFigures, match, match_with_figures

__all__ = [
    "MatchFigures",
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
    "match_with_figures",
]
