"""Seeded synthetic analyses for benchmarks and tests of the robustness checks.

``synthetic_analysis`` builds an evidence table directly (no case file, no citations), so it
scales to millions of items; ``synthetic_case`` builds a real :class:`~multilat.case.Case`
whose evidence is drawn from known levels (a change year for one variable), for recovery tests.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..analysis import Analysis
from ..case.model import Actor, Case, Evidence, Institution, Period
from ..infer.weighing import EvidenceTable, infer_variables
from ..predict import predict_from_beliefs
from ..settings import default_settings
from ..theory import Theory, load_theory
from ..theory.model import Citation

__all__ = ["synthetic_analysis", "synthetic_case"]


def _frame(theory: Theory, start: int, end: int, evidence: tuple[Evidence, ...] = ()) -> Case:
    """A case over ``start``-``end`` with two periods and one actor per role of ``theory``
    (ids ``A0``, ``A1``...)."""
    middle = (start + end) // 2
    actors = tuple(Actor(f"A{i}", role.title, role.name) for i, role in enumerate(theory.roles))
    return Case(
        id="synthetic", title="Synthetic case", theory=theory.source or theory.name,
        institution=Institution("inst", "Institution"),
        actors=actors or (Actor("A0", "Actor"),),
        start=start, end=end,
        periods=(Period("early", start, middle), Period("late", middle + 1, end)),
        bibliography="refs.bib", evidence=evidence)


def synthetic_analysis(n_items: int, *, n_years: int = 20, max_span: int = 3,
                       theory: str | Theory, seed: int = 0) -> Analysis:
    """An analysis of ``n_items`` random items (random targets, levels, spans and weights)."""
    rng = np.random.default_rng(seed)
    chosen = load_theory(theory) if isinstance(theory, str) else theory
    targets = chosen.targets
    target = rng.integers(0, len(targets), n_items)
    n_levels = np.array([len(levels) for _, levels, _ in targets])
    level = (rng.random(n_items) * n_levels[target]).astype(np.int64)
    has_sides = np.array([len(sides) for _, _, sides in targets])
    side = np.where(has_sides[target] > 0,
                    (rng.random(n_items) * np.maximum(has_sides[target], 1)).astype(np.int64), -1)
    span = rng.integers(1, max_span + 1, n_items)
    start = 2000 + rng.integers(0, n_years - span + 1)
    table = EvidenceTable(tuple(f"e{i}" for i in range(n_items)), target.astype(np.int64),
                          level, side.astype(np.int64), start.astype(np.int64),
                          (start + span - 1).astype(np.int64),
                          rng.exponential(0.5, n_items) * rng.choice([1.0, -0.2], n_items,
                                                                     p=[0.9, 0.1]))
    case = _frame(chosen, 2000, 2000 + n_years - 1)
    beliefs = infer_variables(table, chosen, case.years, case.periods)
    yearly, periods = predict_from_beliefs(beliefs, chosen)
    return Analysis(case, chosen, default_settings(), table, beliefs, yearly, periods)


def synthetic_case(truth: Mapping[str, tuple[str, str, int]], *, n_per_year: int = 3,
                   start: int = 2000, end: int = 2011, accuracy: float = 0.85,
                   theory: str | Theory, seed: int = 0) -> Case:
    """A case whose evidence is drawn from known levels.

    ``truth`` maps a target (a theory variable or the outcome) to ``(level before, level
    after, change year)``; each year gets ``n_per_year`` one-year items per target, each
    pointing at the true level with probability ``accuracy`` (else at another level), with
    strength ``hoop``.
    """
    rng = np.random.default_rng(seed)
    chosen = load_theory(theory) if isinstance(theory, str) else theory
    actor = _frame(chosen, start, end).actors[0].id
    items = []
    for name, levels, sides in chosen.targets:
        if name not in truth:
            continue
        before, after, change = truth[name]
        for year in range(start, end + 1):
            true = before if year < change else after
            for index in range(n_per_year):
                others = [lv for lv in levels if lv != true]
                level = true if rng.random() < accuracy else str(rng.choice(others))
                items.append(Evidence(
                    id=f"{name}-{year}-{index}", kind="assessment", start=year, end=year,
                    actor=actor, summary="synthetic", variable=name, level=level,
                    citation=Citation(f"source{index}"), rationale="synthetic",
                    side=sides[0] if sides else None, strength="hoop"))
    return _frame(chosen, start, end, tuple(items))
