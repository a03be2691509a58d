"""Bayesian weighing of cited evidence, vectorised with NumPy.

Each evidence item says "this is more likely if ``variable`` = ``level`` than otherwise". Its
weight is a log-likelihood ratio: the ratio its strength label stands for (see
:mod:`multilat.settings`), or the explicit ratio it gives, multiplied by its reliability (a
tempered likelihood: reliability 1 counts fully, reliability near 0 barely counts). For a
variable with levels ``l_1..l_k`` the item adds its weight to the log-score of its own level;
beliefs are the softmax of prior log-probabilities plus these sums. With two levels this is the
familiar update of log-odds by log-likelihood ratios (Fairfield and Charman 2022, ch. 3).

Items count once in each year of their span; in a period, an item whose span touches it counts
once (never once per year). Weights are accumulated with ``numpy.bincount`` over difference
arrays, so the cost is linear in the number of items.

References
----------
Van Evera, S. (1997) *Guide to Methods for Students of Political Science*. Cornell UP.
Fairfield, T. and Charman, A. E. (2022) *Social Inquiry and Bayesian Inference*. Cambridge UP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ..case.model import Case, Evidence, Period
from ..decision import Scope
from ..errors import InferenceError
from ..settings import Settings
from ..theory.model import Theory
from .likelihood import (
    joint_probabilities,
    observation_probabilities,
    summary_weight,
    weigh_probabilities,
)

__all__ = [
    "PARTY",
    "EvidenceTable",
    "VariableBeliefs",
    "evidence_weight",
    "infer_variables",
    "tabulate_evidence",
    "target_parties",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
NO_SIDE = "none"


def evidence_weight(evidence: Evidence, settings: Settings) -> float:
    """The item's log-likelihood ratio (natural log), tempered by its reliability."""
    if evidence.likelihood_ratio is not None:
        ratio = evidence.likelihood_ratio
    else:
        if_level, if_other = settings.strength_probabilities(str(evidence.strength))
        ratio = if_level / if_other if evidence.found else (1 - if_level) / (1 - if_other)
    return float(evidence.reliability * np.log(ratio))


@dataclass(frozen=True, slots=True)
class EvidenceTable:
    """The evidence as columns: one row per item (or per group of dependent items), in case
    order.

    ``target`` indexes ``theory.targets`` (the variables, then the outcome), ``level`` the
    target's levels (the level the row points to: its stated level, or its most likely one),
    ``side`` the target's *parties* (``-1`` for none). ``weights[row, level]`` is what the row
    adds to each level's log-score (columns past the target's levels are 0) and
    ``ruled_out[row, level]`` marks the levels it gives probability 0; a strength or ratio item
    under tempering adds its ``weight`` to its level only. ``weight`` is one number per row for
    display and ordering: that, or (for a likelihood vector) the log-likelihood ratio of its
    level against the strongest possible rival (``inf`` if it rules out every rival).
    ``members`` are the item ids of a row (one for an item, several for a group) and ``size``
    their number. Rows are explicit so that a check removes one by subtracting its weights.

    A target's parties are its sides, except that a side whose role several actors hold in
    the case becomes one party per actor (``"established:USA"``, ``"established:EU"``), so
    each actor's contribution stays apart. ``parties`` holds them per target (empty: the
    theory's sides, for tables built without a case).
    """

    ids: tuple[str, ...]
    target: IntArray
    level: IntArray
    side: IntArray
    start: IntArray
    end: IntArray
    weight: FloatArray
    unused: tuple[str, ...] = ()
    parties: tuple[tuple[str, ...], ...] = ()
    weights: FloatArray | None = None
    ruled_out: BoolArray | None = None
    members: tuple[tuple[str, ...], ...] = ()
    size: IntArray | None = None
    #: Rows whose weights are not just ``weight`` on their level (likelihood vectors, groups,
    #: ruled-out levels); the others are summed by the one-slot fast path.
    vector: BoolArray | None = None

    def __post_init__(self) -> None:
        n = len(self.ids)
        if self.weights is None:
            width = int(self.level.max()) + 1 if n else 1
            weights = np.zeros((n, width))
            weights[np.arange(n), self.level] = self.weight
            object.__setattr__(self, "weights", weights)
            if self.vector is None:
                object.__setattr__(self, "vector", np.zeros(n, bool))
        if self.vector is None:
            object.__setattr__(self, "vector", np.ones(n, bool))
        if self.ruled_out is None:
            object.__setattr__(self, "ruled_out", np.zeros(self.weights.shape, bool))
        if not self.members:
            object.__setattr__(self, "members", tuple((i,) for i in self.ids))
        if self.size is None:
            object.__setattr__(self, "size", np.ones(n, np.int64))

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def matrix(self) -> FloatArray:
        """``weights`` (never ``None`` after construction)."""
        assert self.weights is not None
        return self.weights

    @property
    def impossible(self) -> BoolArray:
        """``ruled_out`` (never ``None`` after construction)."""
        assert self.ruled_out is not None
        return self.ruled_out

    def width(self, levels: int) -> tuple[FloatArray, BoolArray]:
        """``weights`` and ``ruled_out`` with at least ``levels`` columns."""
        weights, ruled = self.matrix, self.impossible
        if weights.shape[1] < levels:
            pad = levels - weights.shape[1]
            weights = np.pad(weights, ((0, 0), (0, pad)))
            ruled = np.pad(ruled, ((0, 0), (0, pad)))
        return weights, ruled

    def subset(self, mask: npt.NDArray[np.bool_]) -> EvidenceTable:
        """The rows where ``mask`` is true."""
        ids = tuple(i for i, keep in zip(self.ids, mask, strict=True) if keep)
        members = tuple(m for m, keep in zip(self.members, mask, strict=True) if keep)
        return EvidenceTable(ids, self.target[mask], self.level[mask], self.side[mask],
                             self.start[mask], self.end[mask], self.weight[mask], self.unused,
                             self.parties, self.matrix[mask], self.impossible[mask], members,
                             self.size[mask] if self.size is not None else None,
                             self.vectors[mask])

    @property
    def vectors(self) -> BoolArray:
        """``vector`` (never ``None`` after construction)."""
        assert self.vector is not None
        return self.vector

    def scaled(self, factor: FloatArray) -> EvidenceTable:
        """Every row's weights times its ``factor`` (levels ruled out stay ruled out)."""
        factor = np.asarray(factor, dtype=np.float64)
        return replace(self, weight=self.weight * factor,
                       weights=self.matrix * factor[:, None])

    def with_weight(self, mask: npt.NDArray[np.bool_], weight: FloatArray) -> EvidenceTable:
        """The rows in ``mask`` replaced by a single weight on their level (nothing ruled
        out); the others as they are."""
        weight = np.asarray(weight, dtype=np.float64)
        rows = np.flatnonzero(mask)
        weights, ruled = self.matrix.copy(), self.impossible.copy()
        weights[rows] = 0.0
        weights[rows, self.level[rows]] = weight[rows]
        ruled[rows] = False
        return replace(self, weight=np.where(mask, weight, self.weight), weights=weights,
                       ruled_out=ruled, vector=self.vectors & ~np.asarray(mask, bool))

    def row_of(self) -> dict[str, int]:
        """Each item id (members of groups too) to its row."""
        return {item: row for row, members in enumerate(self.members) for item in members}


def tabulate_evidence(case: Case, theory: Theory, settings: Settings) -> EvidenceTable:
    """Columns of the case's evidence under ``theory`` and ``settings``.

    Items about variables the theory does not declare (e.g. a rival theory's variables) are
    left out and listed in ``unused``. The items of a group (``case.groups``) make one row,
    at the place of its first item.

    Raises
    ------
    InferenceError
        If an item names a level or side the theory does not declare for its variable, or
        its likelihoods do not cover the variable's levels.
    """
    targets = theory.targets  # a property that builds the tuple: read it once
    names = [name for name, _, _ in targets]
    parties = tuple(target_parties(case, sides) for _, _, sides in targets)
    width = max(len(levels) for _, levels, _ in targets)
    model = str(settings["infer.reliability_model"])
    by_id = {e.id: e for e in case.evidence}
    grouped = {item: group for group in case.groups_present() for item in group.items}
    rows: list[tuple[int, int, int, int, int, float]] = []
    vectors: list[tuple[FloatArray, BoolArray]] = []
    ids: list[str] = []
    members: list[tuple[str, ...]] = []
    unused: list[str] = []
    flags: list[bool] = []
    done: set[str] = set()
    weighed: dict[tuple[Any, ...], tuple[FloatArray, BoolArray]] = {}
    summaries: dict[tuple[int, int], float] = {}
    ratios: dict[tuple[Any, ...], float] = {}
    tempering = model == "tempering"
    for item in case.evidence:
        if item.variable not in names:
            unused.append(item.id)
            continue
        group = grouped.get(item.id)
        if group is not None and group.id in done:
            continue
        target = names.index(item.variable)
        _, levels, sides = targets[target]
        if group is not None:
            done.add(group.id)
            parts = [by_id[i] for i in group.items]
            for part in parts:
                _check_level(part, levels, theory)
            joint = joint_probabilities(group, parts, levels, settings)
            weights, ruled = _weigh(joint, item.reliability, model, group.id, levels)
            level = int(np.argmax(np.where(ruled, -np.inf, joint)))
            ids.append(group.id)
            members.append(group.items)
        else:
            _check_level(item, levels, theory)
            level = levels.index(item.level)
            # A strength or ratio item under tempering: one log-likelihood ratio on its level.
            if item.likelihoods is None and tempering:
                coding = (item.strength, item.likelihood_ratio, item.found, item.reliability)
                if coding not in ratios:
                    ratios[coding] = evidence_weight(item, settings)
                weights = np.zeros(len(levels))
                weights[level] = ratios[coding]
                ruled = np.zeros(len(levels), bool)
            else:
                # Items coded alike (a strength label or a ratio, a reliability) weigh alike:
                # each distinct coding is weighed once per table.
                coding = (None if item.likelihoods is not None else
                          (target, level, item.strength, item.likelihood_ratio, item.found,
                           item.reliability))
                if coding is None or coding not in weighed:
                    observed = observation_probabilities(item, levels, settings)
                    key = (observed.tobytes(), item.reliability)
                    if key not in weighed:
                        weighed[key] = _weigh(observed, item.reliability, model, item.id,
                                              levels)
                    if coding is not None:
                        weighed[coding] = weighed[key]
                weights, ruled = weighed[coding if coding is not None else key]
            ids.append(item.id)
            members.append((item.id,))
        side = _side(item, target, sides, parties)
        scalar = group is None and item.likelihoods is None and tempering
        flags.append(not scalar)
        if scalar:
            summary = float(weights[level])
        else:  # the vectors in ``vectors`` stay alive, so their ids are unique here
            known = (id(weights), level)
            if known not in summaries:
                summaries[known] = summary_weight(weights, ruled, level)
            summary = summaries[known]
        rows.append((target, level, side, item.start, item.end, summary))
        vectors.append((weights, ruled))
    columns = np.array([r[:5] for r in rows], dtype=np.int64).reshape(-1, 5)
    weight = np.array([r[5] for r in rows], dtype=np.float64)
    # Rows narrower than the widest target are padded with 0 (no weight, nothing ruled out).
    matrix = np.zeros((len(vectors), width))
    ruled_out = np.zeros((len(vectors), width), bool)
    for row, (weights, ruled) in enumerate(vectors):
        matrix[row, :len(weights)] = weights
        ruled_out[row, :len(ruled)] = ruled
    return EvidenceTable(tuple(ids), columns[:, 0].copy(), columns[:, 1].copy(),
                         columns[:, 2].copy(), columns[:, 3].copy(), columns[:, 4].copy(),
                         weight, tuple(unused), parties, matrix, ruled_out, tuple(members),
                         np.array([len(m) for m in members], dtype=np.int64),
                         np.array(flags, dtype=bool))


def _weigh(probabilities: FloatArray, reliability: float, model: str, name: str,
           levels: tuple[str, ...]) -> tuple[FloatArray, BoolArray]:
    try:
        return weigh_probabilities(probabilities, reliability, model)
    except InferenceError:
        raise InferenceError(f"evidence {name!r}: its likelihoods rule out every level "
                             f"({', '.join(levels)})") from None


def _check_level(item: Evidence, levels: tuple[str, ...], theory: Theory) -> None:
    if item.level not in levels:
        raise InferenceError(f"evidence {item.id!r}: level {item.level!r} is not a level of "
                             f"{item.variable!r} in theory {theory.name!r} ({levels})")
    if item.likelihoods is not None and sorted(item.likelihoods) != sorted(levels):
        raise InferenceError(f"evidence {item.id!r}: likelihoods over "
                             f"{', '.join(item.likelihoods)}, but theory {theory.name!r} gives "
                             f"{item.variable!r} the levels {', '.join(levels)}")


def _side(item: Evidence, target: int, sides: tuple[str, ...],
          parties: tuple[tuple[str, ...], ...]) -> int:
    if sides and item.side not in sides:
        raise InferenceError(f"evidence {item.id!r}: side {item.side!r} is not one of "
                             f"{sides} for {item.variable!r}")
    if not (sides and item.side is not None):
        return -1
    party = (item.side if item.side in parties[target]
             else f"{item.side}{PARTY}{item.whose}")
    if party not in parties[target]:
        raise InferenceError(f"evidence {item.id!r}: side {item.side!r} is held by "
                             f"several actors; whose is {item.whose!r}, expected one "
                             f"of {parties[target]}")
    return parties[target].index(party)


#: Joins a side and an actor id in a party's name: ``"established:USA"``.
PARTY = ":"


def target_parties(case: Case, sides: tuple[str, ...]) -> tuple[str, ...]:
    """A target's parties in ``case``: each side, split by actor where several hold its role."""
    out: list[str] = []
    for side in sides:
        holders = case.actors_in(side)
        out += [f"{side}{PARTY}{a.id}" for a in holders] if len(holders) > 1 else [side]
    return tuple(out)


@dataclass(frozen=True, slots=True)
class VariableBeliefs:
    """Beliefs about one variable (or the outcome) per year and per period.

    ``yearly_contributions[y, s, l]`` is the summed log-likelihood (ratio) that party ``s``
    (``sides``: the sides, split by actor where several actors hold a side's role in the
    case, plus a last ``"none"`` slot) added to level ``l`` in year ``y``; likewise
    ``period_contributions``. ``prior`` holds prior log-probabilities; ``yearly_prior``, with
    dynamic priors, each year's (year t's posterior carried into year t + 1 through
    ``switch_probability``). ``yearly_ruled_out[y, l]`` counts the items that give level
    ``l`` probability 0 in year ``y`` (such a level's score is ``-inf``).
    """

    name: str
    levels: tuple[str, ...]
    sides: tuple[str, ...]
    prior: FloatArray
    yearly_contributions: FloatArray
    period_contributions: FloatArray
    yearly_counts: IntArray
    period_counts: IntArray
    yearly_ruled_out: IntArray | None = None
    period_ruled_out: IntArray | None = None
    yearly_prior: FloatArray | None = None
    switch_probability: float | None = None

    @staticmethod
    def _normalise(scores: FloatArray) -> FloatArray:
        shifted = scores - scores.max(axis=-1, keepdims=True)
        weights = np.exp(shifted)
        return weights / weights.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]

    @property
    def dynamic(self) -> bool:
        return self.yearly_prior is not None

    def priors(self, scope: Scope) -> FloatArray:
        """Prior log-probabilities per row (year or period) and level."""
        rows = len(self.yearly_contributions if scope is Scope.YEAR
                   else self.period_contributions)
        if scope is Scope.YEAR and self.yearly_prior is not None:
            return self.yearly_prior
        return np.broadcast_to(self.prior, (rows, len(self.levels)))

    def ruled_out(self, scope: Scope) -> IntArray:
        """How many items rule out each level, per row."""
        counts = self.yearly_ruled_out if scope is Scope.YEAR else self.period_ruled_out
        if counts is None:
            rows = len(self.contributions(scope))
            return np.zeros((rows, len(self.levels)), np.int64)
        return counts

    def finite_scores(self, scope: Scope) -> FloatArray:
        """Prior plus evidence per row and level, leaving out which levels are ruled out."""
        if scope is Scope.YEAR:
            base = self.yearly_prior if self.yearly_prior is not None else self.prior
            return base + self.yearly_contributions.sum(axis=1)  # type: ignore[no-any-return]
        return self.prior + self.period_contributions.sum(axis=1)  # type: ignore[no-any-return]

    def _masked(self, scope: Scope) -> FloatArray:
        scores = self.finite_scores(scope)
        counts = self.yearly_ruled_out if scope is Scope.YEAR else self.period_ruled_out
        if counts is None or not counts.any():
            return scores
        return np.where(counts > 0, -np.inf, scores)

    @property
    def yearly_scores(self) -> FloatArray:
        """Prior log-probability plus evidence, per year and level (unnormalised; ``-inf``
        for a ruled-out level)."""
        return self._masked(Scope.YEAR)

    @property
    def period_scores(self) -> FloatArray:
        return self._masked(Scope.PERIOD)

    @property
    def yearly(self) -> FloatArray:
        """Posterior probabilities, shape (years, levels)."""
        return self._normalise(self.yearly_scores)

    @property
    def periods(self) -> FloatArray:
        """Posterior probabilities, shape (periods, levels)."""
        return self._normalise(self.period_scores)

    @property
    def side_names(self) -> tuple[str, ...]:
        return (*self.sides, NO_SIDE)

    def probabilities(self, scope: Scope) -> FloatArray:
        """Posterior probabilities per year or per period (rows) and level."""
        return self.yearly if scope is Scope.YEAR else self.periods

    def scores(self, scope: Scope) -> FloatArray:
        """Unnormalised log-scores per year or per period and level."""
        return self.yearly_scores if scope is Scope.YEAR else self.period_scores

    def contributions(self, scope: Scope) -> FloatArray:
        """Summed log-likelihood ratios per row, party and level."""
        return self.yearly_contributions if scope is Scope.YEAR else self.period_contributions

    def counts(self, scope: Scope) -> IntArray:
        """Items on this target per year or per period."""
        return self.yearly_counts if scope is Scope.YEAR else self.period_counts


def _accumulate(start: IntArray, end: IntArray, values: FloatArray, slot: IntArray,
                n_slots: int, first_year: int, n_years: int,
                periods: Sequence[Period]) -> tuple[FloatArray, FloatArray]:
    """Yearly and period sums of ``values`` per slot; linear in the number of entries."""
    begin = start - first_year
    stop = end - first_year + 1
    size = (n_years + 1) * n_slots
    steps = (np.bincount(begin * n_slots + slot, values, size)
             - np.bincount(stop * n_slots + slot, values, size))
    yearly = np.cumsum(steps.reshape(n_years + 1, n_slots), axis=0)[:n_years]
    per_period = np.zeros((len(periods), n_slots))
    for index, period in enumerate(periods):
        touches = (start <= period.end) & (end >= period.start)
        per_period[index] = np.bincount(slot[touches], values[touches], n_slots)
    return yearly, per_period


def carried_priors(prior: FloatArray, finite: FloatArray, ruled: IntArray,
                   switch: float) -> FloatArray:
    """Dynamic priors: year 0 starts from ``prior``; each later year's prior is the previous
    posterior moved through the transition "stay with 1 - switch, move to each other level
    with switch / (k - 1)" (a forward filter of a hidden Markov chain). ``finite`` holds each
    year's summed evidence, ``ruled`` its ruled-out counts."""
    years, k = finite.shape
    out = np.empty((years, k))
    current = prior.copy()
    stay = 1.0 - switch
    move = switch / (k - 1) if k > 1 else 0.0
    for year in range(years):
        out[year] = current
        scores = np.where(ruled[year] > 0, -np.inf, current + finite[year])
        posterior = np.exp(scores - scores.max())
        posterior /= posterior.sum()
        current = np.log(stay * posterior + move * (1.0 - posterior))
    return out


def infer_variables(
    table: EvidenceTable,
    theory: Theory,
    years: Sequence[int],
    periods: Sequence[Period],
    priors: Mapping[str, Mapping[str, float]] | None = None,
    switch_probability: float | None = None,
) -> dict[str, VariableBeliefs]:
    """Beliefs about every variable and the outcome, per year and per period.

    Parameters
    ----------
    table
        The evidence, from :func:`tabulate_evidence`.
    theory
        Declares the variables, levels and sides.
    years
        Consecutive years to report.
    periods
        Named periods; each item counts once in each period its span touches.
    priors
        ``{variable: {level: probability}}``; uniform where absent.
    switch_probability
        ``None``: fixed priors (every year starts from ``priors``). A probability: dynamic
        priors, the first year's prior from ``priors`` and each next year's from the year
        before's posterior (:func:`carried_priors`); periods keep the fixed prior.

    Raises
    ------
    InferenceError
        For evidence outside ``years``, or items that together rule out every level of a
        variable in some year or period.
    """
    priors = priors or {}
    targets = [(name, levels, table.parties[index] if table.parties else sides)
               for index, (name, levels, sides) in enumerate(theory.targets)]
    widths = np.array([len(levels) for _, levels, _ in targets], dtype=np.int64)
    offsets = np.cumsum([0, *widths])
    n_sides = max(len(sides) for _, _, sides in targets) + 1
    n_slots = int(offsets[-1]) * n_sides
    side = np.where(table.side < 0, n_sides - 1, table.side)
    slot = (offsets[table.target] + table.level) * n_sides + side
    first = int(years[0]) if len(years) else 0
    if len(table) and ((table.start < first).any() or (table.end > first + len(years) - 1).any()):
        raise InferenceError("evidence outside the years analysed")
    # A one-ratio row adds its weight to one slot; a vector row to each of its target's
    # levels (entry (row, level) for level < k_target). Ruled-out levels are counted apart.
    matrix, ruled = table.width(int(widths.max()))
    vector = table.vectors
    if vector.any():
        chosen = np.flatnonzero(vector)
        span = widths[table.target[chosen]]
        rows = np.repeat(chosen, span)
        level = np.arange(len(rows)) - np.repeat(np.cumsum(span) - span, span)
        spread_slot = ((offsets[table.target[rows]] + level) * n_sides
                       + side[rows]).astype(np.int64)
        plain = ~vector
        entry_start = np.concatenate([table.start[plain], table.start[rows]])
        entry_end = np.concatenate([table.end[plain], table.end[rows]])
        entry_value = np.concatenate([table.weight[plain], matrix[rows, level]])
        entry_slot = np.concatenate([slot[plain], spread_slot])
    else:
        rows = level = spread_slot = np.zeros(0, np.int64)
        entry_start, entry_end, entry_value, entry_slot = (table.start, table.end,
                                                           table.weight, slot)
    yearly, per_period = _accumulate(entry_start, entry_end, entry_value, entry_slot, n_slots,
                                     first, len(years), periods)
    size = table.size.astype(np.float64) if table.size is not None else np.ones(len(table))
    yearly_counts, period_counts = _accumulate(table.start, table.end, size, slot, n_slots,
                                               first, len(years), periods)
    any_ruled = bool(ruled[rows, level].any()) if len(rows) else False
    if any_ruled:
        yearly_ruled, period_ruled = _accumulate(
            table.start[rows], table.end[rows], ruled[rows, level].astype(np.float64),
            spread_slot, n_slots, first, len(years), periods)
    yearly = yearly.reshape(len(years), -1, n_sides)
    per_period = per_period.reshape(len(periods), -1, n_sides)
    yearly_counts = yearly_counts.reshape(len(years), -1, n_sides)
    period_counts = period_counts.reshape(len(periods), -1, n_sides)
    result = {}
    for index, (name, levels, sides) in enumerate(targets):
        part = slice(int(offsets[index]), int(offsets[index + 1]))
        keep = [*range(len(sides)), n_sides - 1]
        given = priors.get(name)
        prior = (np.log([given[level] for level in levels]) if given
                 else np.full(len(levels), -np.log(len(levels))))
        ruled_years = ruled_periods = None
        if any_ruled:
            ruled_years = np.rint(yearly_ruled.reshape(len(years), -1, n_sides)[:, part]
                                  .sum(axis=2)).astype(np.int64)
            ruled_periods = np.rint(period_ruled.reshape(len(periods), -1, n_sides)[:, part]
                                    .sum(axis=2)).astype(np.int64)
            _check_possible(table, index, name, ruled_years, ruled_periods, years, periods)
        contributions = yearly[:, part][:, :, keep].transpose(0, 2, 1).copy()
        carried = None
        if switch_probability is not None and len(years):
            carried = carried_priors(
                prior, contributions.sum(axis=1),
                ruled_years if ruled_years is not None
                else np.zeros((len(years), len(levels)), np.int64), switch_probability)
        result[name] = VariableBeliefs(
            name=name, levels=levels, sides=sides, prior=prior,
            yearly_contributions=contributions,
            period_contributions=per_period[:, part][:, :, keep].transpose(0, 2, 1).copy(),
            yearly_counts=np.rint(yearly_counts[:, part][:, :, keep].sum(axis=(1, 2))).astype(
                np.int64),
            period_counts=np.rint(period_counts[:, part][:, :, keep].sum(axis=(1, 2))).astype(
                np.int64),
            yearly_ruled_out=ruled_years, period_ruled_out=ruled_periods,
            yearly_prior=carried, switch_probability=switch_probability,
        )
    return result


def _check_possible(table: EvidenceTable, target: int, name: str, yearly: IntArray,
                    per_period: IntArray, years: Sequence[int],
                    periods: Sequence[Period]) -> None:
    """Raise, naming the items, where the evidence rules out every level of a target."""
    places = [(f"year {years[row]}", years[row], years[row]) for row in
              np.flatnonzero((yearly > 0).all(axis=1))]
    places += [(f"period {periods[row].id}", periods[row].start, periods[row].end) for row in
               np.flatnonzero((per_period > 0).all(axis=1))]
    if not places:
        return
    where, low, high = places[0]
    chosen = np.flatnonzero((table.target == target) & (table.start <= high)
                            & (table.end >= low) & table.impossible.any(axis=1))
    raise InferenceError(f"the evidence rules out every level of {name!r} in {where}: items "
                         f"{', '.join(table.ids[int(i)] for i in chosen)} (each level has "
                         "probability 0 under one of them)")


def switch_probability(settings: Settings) -> float | None:
    """The dynamic priors' transition probability, or ``None`` for fixed priors."""
    if settings["infer.priors"] != "dynamic":
        return None
    return float(settings["infer.dynamic.switch_probability"])
