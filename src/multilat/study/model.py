"""What a study is: cases (each optionally one issue area), a theory, membership choices."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..decision import TIE_TOLERANCE
from ..errors import InputError

__all__ = ["MEMBERSHIP_KINDS", "Membership", "Study", "StudyCase"]

FloatArray = npt.NDArray[np.float64]

#: The ways a posterior probability becomes a set membership.
MEMBERSHIP_KINDS = ("fuzzy", "crisp", "calibrated")


@dataclass(frozen=True, slots=True)
class Membership:
    """How a posterior probability is read as membership in a set.

    - ``fuzzy``: the probability itself is the membership score. A probability is a degree of
      belief that the case-period is in the set, not a degree of membership; reading one as
      the other is a choice the results state.
    - ``crisp``: 1 above 0.5, 0 below; a probability of exactly 0.5 (within the tie tolerance:
      no evidence decides it) is an error, never a coin flip.
    - ``calibrated``: Ragin's direct method with three anchors on the probability scale (full
      non-membership, crossover, full membership).
    """

    kind: str
    anchors: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.kind not in MEMBERSHIP_KINDS:
            raise InputError(f"membership: found {self.kind!r}; expected one of "
                             f"{', '.join(MEMBERSHIP_KINDS)}")
        if self.kind == "calibrated":
            if self.anchors is None or len(self.anchors) != 3:
                raise InputError("calibrated membership needs three anchors (exclusion, "
                                 "crossover, inclusion), e.g. 0.2,0.5,0.8")
            low, mid, high = self.anchors
            if not all(math.isfinite(a) and 0.0 <= a <= 1.0 for a in self.anchors):
                raise InputError(f"calibration anchors: found {self.anchors}; expected three "
                                 "probabilities between 0 and 1")
            if not low < mid < high:
                raise InputError(f"calibration anchors: found {low}, {mid}, {high}; expected "
                                 "exclusion < crossover < inclusion")
        elif self.anchors is not None:
            raise InputError(f"membership {self.kind!r} takes no anchors; only calibrated does")

    @property
    def label(self) -> str:
        if self.kind == "fuzzy":
            return "fuzzy (probability as membership)"
        if self.kind == "crisp":
            return "crisp at 0.5"
        low, mid, high = self.anchors or (0, 0, 0)
        return f"calibrated ({low:g}, {mid:g}, {high:g})"

    @property
    def key(self) -> str:
        """A short name for columns and files: ``fuzzy``, ``crisp``, ``calibrated``."""
        return self.kind

    def apply(self, probability: FloatArray, rows: tuple[str, ...], name: str) -> FloatArray:
        """Membership scores of ``rows`` in the set ``name`` from their probabilities."""
        p = np.asarray(probability, dtype=float)
        if self.kind == "fuzzy":
            return np.clip(p, 0.0, 1.0)
        if self.kind == "crisp":
            tied = np.abs(p - 0.5) <= TIE_TOLERANCE
            if tied.any():
                at = [rows[i] for i in np.flatnonzero(tied)]
                raise InputError(
                    f"crisp membership: {', '.join(at)} {'has' if len(at) == 1 else 'have'} "
                    f"P = 0.5 in {name} (no evidence decides it); expected a probability above "
                    "or below 0.5 — a crisp set needs a decision, not a coin flip")
            return (p > 0.5).astype(float)
        from ..sets import calibrate_direct

        low, mid, high = self.anchors  # type: ignore[misc]
        return np.asarray(calibrate_direct(p, low, mid, high), dtype=float)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "label": self.label}
        if self.anchors is not None:
            out["anchors"] = {"exclusion": self.anchors[0], "crossover": self.anchors[1],
                              "inclusion": self.anchors[2]}
        return out


@dataclass(frozen=True, slots=True)
class StudyCase:
    """One case of a study: a case file or built-in name, optionally one issue area."""

    case: str
    issue_area: str | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class Study:
    """Cases compared under one theory (or each under its own), with membership choices."""

    id: str
    title: str
    cases: tuple[StudyCase, ...]
    #: A theory for every case; ``None``: each case under its own theory.
    theory: str | None = None
    #: Theories compared over all cases (default: the theories in use and their readings).
    theories: tuple[str, ...] = ()
    #: The membership choices, the first the primary one.
    memberships: tuple[Membership, ...] = (Membership("fuzzy"), Membership("crisp"))
    #: ``period`` (default) or ``year``: the unit of comparison.
    unit: str = "period"
    #: Consistency threshold for a truth-table row to be coded sufficient.
    incl_cut: float = 0.8
    #: Rows where no evidence decides a condition (P = 0.5): ``exclude`` from the set-theoretic
    #: fit (named in a note) or ``error`` (kept: a crisp membership refuses them).
    undecided: str = "exclude"
    description: str = ""
    source: str = ""
    #: Where the study's relative case paths and theory files are found.
    folder: str = ""
