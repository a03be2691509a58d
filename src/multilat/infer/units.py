"""Units of evidence weights: natural logs (nats), base-10 logs, decibels.

multilat computes in nats. The literature writes weights in other units: Humphreys and Jacobs
(2023, ch. 5) give probative value as a base-10 log; Fairfield and Charman (2022, ch. 3-4)
write weights of evidence in decibels (10 log10, after Good 1950 and Jaynes 2003); Good also
used natural-log "natural bans". Setting ``report.weight_unit`` picks the unit printed; JSON
output stays in nats.
"""

from __future__ import annotations

import math

__all__ = ["UNIT_FACTORS", "UNIT_SYMBOLS", "format_weight", "in_unit"]

#: Multiply a weight in nats by this to get it in the unit.
UNIT_FACTORS = {"nats": 1.0, "log10": 1.0 / math.log(10.0), "decibels": 10.0 / math.log(10.0)}
#: A short name for table headers.
UNIT_SYMBOLS = {"nats": "nats", "log10": "log10", "decibels": "dB"}


def in_unit(weight: float, unit: str) -> float:
    """``weight`` (nats) in ``unit``."""
    return weight * UNIT_FACTORS[unit]


def format_weight(weight: float, unit: str, digits: int = 3) -> str:
    """A signed weight in ``unit``; ``+inf``/``-inf`` are written as rules out / ruled out."""
    if math.isinf(weight):
        return "+inf" if weight > 0 else "-inf"
    return f"{in_unit(weight, unit):+.{digits}f}"
