"""From raw values to set memberships: Ragin's direct method and crisp thresholds.

Direct method (Ragin 2008, *Redesigning Social Inquiry*, ch. 5): the distance of a value
from the crossover anchor is scaled to log odds of membership so that the inclusion anchor
sits at +``log_odds`` and the exclusion anchor at -``log_odds`` (3 by default: memberships
0.953 and 0.047); each side of the crossover has its own scale; membership is the logistic
of the log odds. Anchors may decrease (exclusion > crossover > inclusion) for a set that a
*lower* value belongs to more. R's ``QCA::calibrate`` computes the same with its
``idm = 0.95`` default, i.e. ``log_odds = log(0.95 / 0.05) = log(19)``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import InputError
from .table import check_values

__all__ = ["RAGIN_LOG_ODDS", "R_QCA_LOG_ODDS", "calibrate_direct", "crisp"]

#: Ragin's log odds at the anchors (membership 0.953 / 0.047).
RAGIN_LOG_ODDS = 3.0
#: R QCA's default (``idm = 0.95``): membership exactly 0.95 / 0.05 at the anchors.
R_QCA_LOG_ODDS = math.log(19.0)


def _number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: found {value!r}; expected a number") from None
    if not math.isfinite(number):
        raise InputError(f"{name}: found {value!r}; expected a finite number")
    return number


def calibrate_direct(values: Any, exclusion: float, crossover: float, inclusion: float, *,
                     log_odds: float = RAGIN_LOG_ODDS) -> np.ndarray:
    """Memberships of ``values`` by the direct method with three anchors.

    The anchors must be strictly increasing (exclusion < crossover < inclusion) or strictly
    decreasing. ``log_odds`` is the log odds of membership at the inclusion anchor (3:
    Ragin; :data:`R_QCA_LOG_ODDS` reproduces R's ``calibrate`` default).

    >>> calibrate_direct([2500, 5000, 20000], 2500, 5000, 20000).round(3).tolist()
    [0.047, 0.5, 0.953]
    """
    x = check_values(values, "values", memberships=False)
    e = _number(exclusion, "exclusion")
    c = _number(crossover, "crossover")
    i = _number(inclusion, "inclusion")
    scale = _number(log_odds, "log_odds")
    if scale <= 0:
        raise InputError(f"log_odds: found {log_odds!r}; expected a positive number")
    if not (e < c < i or e > c > i):
        raise InputError(f"anchors: found exclusion {e:g}, crossover {c:g}, inclusion {i:g}; "
                         "expected exclusion < crossover < inclusion (or all three "
                         "decreasing, for a set that lower values belong to)")
    with np.errstate(over="ignore"):  # a huge distance is +-inf log odds: membership 1 or 0
        distance = x - c
        towards_inclusion = np.sign(distance) * np.sign(i - c) >= 0
        odds = np.where(towards_inclusion, scale * distance / (i - c),
                        scale * distance / (c - e))
    # Beyond +-700 exp overflows; the membership is 0 or 1 to double precision anyway.
    membership: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(odds, -700.0, 700.0)))
    return membership


def crisp(x: Any, threshold: float = 0.5) -> np.ndarray:
    """1.0 where ``x`` is above ``threshold``, 0.0 below; a value exactly at the threshold is
    an error (it is neither in nor out).

    >>> crisp([0.2, 0.7, 0.51]).tolist()
    [0.0, 1.0, 1.0]
    """
    values = check_values(x, "x", memberships=False)
    cut = _number(threshold, "threshold")
    at = np.flatnonzero(values == cut)
    if at.size:
        raise InputError(f"x: found {values[at[0]]:g} at position {int(at[0]) + 1}, exactly "
                         f"the threshold; expected values above or below {cut:g}")
    return (values > cut).astype(float)
