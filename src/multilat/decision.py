"""One decision rule for every output: the most probable level, ties by one tolerance.

A belief (a row of probabilities over a target's levels) *decides* a level when that level is
more probable than every other by more than :data:`TIE_TOLERANCE`; otherwise the belief is
*tied* between the levels within the tolerance of the top. ``analyze``, ``check``, ``when``,
``compare-theories``, the report and JSON all read a belief through :func:`decide`, so a year
with no evidence reads as a tie everywhere.

A published claim about one level in one year gets one of four verdicts
(:class:`ClaimVerdict`): *no evidence* when no item on the claim's variable covers the year;
*not supported* when the evidence decides another level; *weak* when the claimed level is
decided (or tied at the top) but below the ``claims.weak_below`` probability; *supported*
otherwise.

>>> import numpy as np
>>> decide(("a", "b"), np.array([0.7, 0.3])).level
'a'
>>> decide(("a", "b", "c"), np.array([0.4, 0.4, 0.2])).label
'tie: a, b'
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["TIE_TOLERANCE", "CheckVerdict", "ClaimVerdict", "Decision", "Scope", "claim_verdict",
           "decide"]

#: Two probabilities closer than this are a tie.
TIE_TOLERANCE = 1e-9


class Scope(enum.StrEnum):
    """Where a belief holds: in one year, or in one named period."""

    YEAR = "year"
    PERIOD = "period"

    def __str__(self) -> str:
        return self.value


class ClaimVerdict(enum.StrEnum):
    """What the coded evidence says of a published claim in one year (the same in every
    output)."""

    SUPPORTED = "supported"
    WEAK = "weak"
    NOT_SUPPORTED = "not supported"
    NO_EVIDENCE = "no evidence"

    def __str__(self) -> str:
        return self.value


class CheckVerdict(enum.StrEnum):
    """What one robustness check found: no conclusion changes, some do, or it cannot apply."""

    ROBUST = "robust"
    SENSITIVE = "sensitive"
    NOT_APPLICABLE = "not_applicable"

    @classmethod
    def of(cls, changed: object) -> CheckVerdict:
        """SENSITIVE when anything changed (a non-empty collection or true), else ROBUST."""
        return cls.SENSITIVE if changed else cls.ROBUST


@dataclass(frozen=True, slots=True)
class Decision:
    """The level a belief decides (``None`` when tied) and the levels at the top."""

    level: str | None
    top: tuple[str, ...]
    probability: float

    @property
    def tied(self) -> bool:
        return self.level is None

    @property
    def label(self) -> str:
        """The level, or ``"tie: a, b"``."""
        return self.level if self.level is not None else f"tie: {', '.join(self.top)}"

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "tied": list(self.top) if self.tied else [],
                "probability": round(self.probability, 6)}


def decide(levels: tuple[str, ...] | list[str], row: npt.NDArray[np.float64],
           tolerance: float = TIE_TOLERANCE) -> Decision:
    """The decision of one belief ``row`` (probabilities over ``levels``)."""
    top = float(np.max(row))
    winners = tuple(level for level, p in zip(levels, row, strict=True)
                    if float(p) >= top - tolerance)
    return Decision(winners[0] if len(winners) == 1 else None, winners, top)


def claim_verdict(level: str, levels: tuple[str, ...], row: npt.NDArray[np.float64],
                  items: int, weak_below: float) -> ClaimVerdict:
    """The verdict on the claim "the target was ``level``" given one year's belief ``row``
    and the number of ``items`` on the target that year."""
    if items == 0:
        return ClaimVerdict.NO_EVIDENCE
    decision = decide(levels, row)
    if level not in decision.top:
        return ClaimVerdict.NOT_SUPPORTED
    probability = float(row[list(levels).index(level)])
    if decision.tied or probability < weak_below:
        return ClaimVerdict.WEAK
    return ClaimVerdict.SUPPORTED
