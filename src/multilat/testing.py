"""Seeded synthetic evidence with a known truth, for tests and benchmarks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from .case.model import Actor, Case, Evidence, Institution, Period
from .infer.weighing import EvidenceTable
from .theory.model import Citation, Theory

__all__ = ["synthetic_case", "synthetic_table"]


def synthetic_table(theory: Theory, n_items: int, years: tuple[int, int] = (2000, 2019),
                    seed: int | np.random.Generator | None = 0) -> EvidenceTable:
    """``n_items`` random evidence rows over the theory's targets, as columns.

    Spans are 1-5 years; weights are log-likelihood ratios drawn from N(0.4, 0.3).
    """
    rng = np.random.default_rng(seed)
    targets = theory.targets
    target = rng.integers(0, len(targets), n_items)
    n_levels = np.array([len(levels) for _, levels, _ in targets])
    n_sides = np.array([len(sides) for _, _, sides in targets])
    level = (rng.random(n_items) * n_levels[target]).astype(np.int64)
    side = np.where(n_sides[target] > 0,
                    (rng.random(n_items) * np.maximum(n_sides[target], 1)).astype(np.int64), -1)
    start = rng.integers(years[0], years[1] + 1, n_items)
    end = np.minimum(start + rng.integers(0, 5, n_items), years[1])
    weight = rng.normal(0.4, 0.3, n_items)
    ids = tuple(f"s{i}" for i in range(n_items))
    return EvidenceTable(ids, target, level, side, start, end, weight)


def synthetic_case(theory: Theory, truth: Mapping[str, Mapping[int, str]], n_items: int,
                   *, accuracy: float = 0.75, years: tuple[int, int] = (2000, 2009),
                   seed: int | np.random.Generator | None = 0) -> Case:
    """A case whose one-year items point at ``truth[variable][year]`` with prob. ``accuracy``.

    Every item is a straw in the wind with reliability 1, cited to ``synthetic``.
    """
    rng = np.random.default_rng(seed)
    names = sorted(truth)
    items = []
    for index in range(n_items):
        variable = names[int(rng.integers(len(names)))]
        year = int(rng.integers(years[0], years[1] + 1))
        levels, sides = next((lv, sd) for n, lv, sd in theory.targets if n == variable)
        level = truth[variable][year]
        if rng.random() > accuracy:
            level = str(rng.choice([lv for lv in levels if lv != level]))
        items.append(Evidence(
            id=f"syn{index}", kind="statistic", start=year, end=year, actor="RIS",
            summary="synthetic item", variable=variable, level=level,
            citation=Citation("synthetic"), rationale="drawn from the known truth",
            side=sides[int(rng.integers(len(sides)))] if sides else None,
            strength="straw_in_the_wind"))
    half = (years[0] + years[1]) // 2
    case = Case(
        id="synthetic", title="Synthetic case", theory=theory.name,
        institution=Institution("inst", "Institution"),
        actors=(Actor("RIS", "Risingland", "rising"), Actor("EST", "Establishia", "established")),
        start=years[0], end=years[1],
        periods=(Period("first", years[0], half), Period("second", half + 1, years[1])),
        bibliography="none.bib", evidence=())
    return replace(case, evidence=tuple(items))
