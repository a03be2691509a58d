"""The Analysis: one immutable object that every report, table and check reads."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from . import __version__
from ._display import html_table, short
from .case.model import Case, Claim
from .decision import ClaimVerdict, Scope, claim_verdict, decide
from .errors import InferenceError, InputError
from .infer.diagnostics import ItemDiagnostic, item_diagnostics
from .infer.weighing import (
    EvidenceTable,
    VariableBeliefs,
    infer_variables,
    switch_probability,
    tabulate_evidence,
)
from .predict import congruence, predict_from_beliefs
from .settings import Settings, default_settings
from .theory import Theory, resolve_theory

__all__ = ["Analysis", "ClaimCheck", "analyze", "most_probable_level"]

FloatArray = npt.NDArray[np.float64]

ASSUMPTIONS = (
    "Evidence items are conditionally independent given the level they point to.",
    "An item's log-likelihood ratio is scaled by its reliability (tempered likelihood).",
    "Yearly beliefs use only the items whose span covers that year; no carry-over between years.",
    "Per-period beliefs count each item whose span touches the period once.",
    "The theory's variables are independent given the evidence; the predicted outcome is the "
    "rule table applied to the product of their beliefs.",
    "Congruence is P(predicted = observed) with prediction and observation independent.",
)


def most_probable_level(levels: tuple[str, ...], row: FloatArray) -> str:
    """The level with the highest probability, or ``"tie: a, b"`` when several share it
    (:func:`multilat.decision.decide`)."""
    return decide(levels, row).label


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """Does the evidence support a published claim in a given year? (four verdicts)"""

    claim: Claim
    year: int
    probability: float
    most_probable: str
    verdict: ClaimVerdict
    items: int = 0

    @property
    def supported(self) -> bool:
        return self.verdict is ClaimVerdict.SUPPORTED


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything one run produced, with what produced it."""

    case: Case
    theory: Theory
    settings: Settings
    table: EvidenceTable
    beliefs: Mapping[str, VariableBeliefs]
    predicted_yearly: FloatArray
    predicted_periods: FloatArray
    input_hashes: Mapping[str, str] = field(default_factory=dict)

    @property
    def years(self) -> tuple[int, ...]:
        return self.case.years

    @property
    def weighed_layers(self) -> list[str]:
        """The layers of the weighed items (members of groups too), in the case's order."""
        weighed = self.table.row_of()
        return list(dict.fromkeys(e.layer for e in self.case.evidence if e.id in weighed))

    @property
    def other_issue_areas(self) -> list[str]:
        """The case's issue areas other than the one analysed (analysed apart)."""
        return [a.id for a in self.case.issue_areas if a.id != self.case.scope]

    @property
    def outcome(self) -> VariableBeliefs:
        return self.beliefs[self.theory.outcome.name]

    @property
    def observed_yearly(self) -> FloatArray:
        return self.outcome.yearly

    @property
    def observed_periods(self) -> FloatArray:
        return self.outcome.periods

    @property
    def congruence_yearly(self) -> FloatArray:
        return congruence(self.predicted_yearly, self.observed_yearly)

    @property
    def congruence_periods(self) -> FloatArray:
        return congruence(self.predicted_periods, self.observed_periods)

    def predicted(self, scope: Scope) -> FloatArray:
        """P(outcome) predicted per year or per period."""
        return self.predicted_yearly if scope is Scope.YEAR else self.predicted_periods

    def observed(self, scope: Scope) -> FloatArray:
        """The outcome's weighed beliefs per year or per period."""
        return self.outcome.probabilities(scope)

    def congruence(self, scope: Scope) -> FloatArray:
        return self.congruence_yearly if scope is Scope.YEAR else self.congruence_periods

    def labels(self, scope: Scope) -> list[int | str]:
        """The rows of a scope: the years, or the period ids."""
        if scope is Scope.YEAR:
            return list(self.years)
        return [p.id for p in self.case.periods]

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the numbers assume, under this analysis's settings."""
        out = list(ASSUMPTIONS)
        if self.case.groups_present():
            out[0] = ("Evidence items are conditionally independent given the level they "
                      "point to, except the items of an evidence group, weighed by their "
                      "joint likelihood.")
        if self.settings["infer.reliability_model"] == "credibility":
            out[1] = ("Reliability r is the probability that a source reports what it saw; "
                      "otherwise its report is as likely under every level (credibility: "
                      "r P(E | level) + (1 - r) x the item's mean likelihood).")
        switch = switch_probability(self.settings)
        if switch is not None:
            out[2] = (f"Yearly priors are dynamic: year t's posterior becomes year t+1's "
                      f"prior, the variable moving to another level with probability "
                      f"{switch:g}; per-period beliefs keep the case's prior.")
        return tuple(out)

    def diagnostics(self) -> dict[str, ItemDiagnostic]:
        """Each weighed item's Van Evera test by its numbers and its expected learning."""
        priors = {name: dict(zip(b.levels, np.exp(b.prior).tolist(), strict=True))
                  for name, b in self.beliefs.items()}
        used = set(self.table.row_of())
        return item_diagnostics(tuple(e for e in self.case.evidence if e.id in used),
                                self.theory, self.settings, priors)

    def claim_checks(self) -> list[ClaimCheck]:
        """For each published claim recorded in the case, each year: does the evidence agree?

        Claims about variables (or levels) the theory does not declare are skipped.
        """
        checks = []
        for claim in self.case.claims:
            if (claim.variable not in self.beliefs
                    or claim.level not in self.beliefs[claim.variable].levels):
                continue
            beliefs = self.beliefs[claim.variable]
            level_index = beliefs.levels.index(claim.level)
            weak_below = float(self.settings["claims.weak_below"])
            for year in range(claim.start, claim.end + 1):
                row = beliefs.yearly[year - self.case.start]
                items = int(beliefs.yearly_counts[year - self.case.start])
                checks.append(ClaimCheck(
                    claim, year, float(row[level_index]),
                    most_probable_level(beliefs.levels, row),
                    claim_verdict(claim.level, beliefs.levels, row, items, weak_below), items))
        return checks

    def __repr__(self) -> str:
        periods = "; ".join(
            f"{p.id} {p.start}-{p.end}: predicted "
            f"{decide(self.theory.outcome.levels, self.predicted_periods[i]).label}, observed "
            + (decide(self.theory.outcome.levels, self.observed_periods[i]).label
               if self.outcome.period_counts[i] else "no evidence"
               + (" (prior " + decide(self.theory.outcome.levels,
                                      self.observed_periods[i]).label + ")"
                  if self.theory.outcome.name in self.case.priors else ""))
            for i, p in enumerate(self.case.periods))
        return short(f"<Analysis {self.case.id}"
                     f"{'/' + self.case.scope if self.case.scope else ''} under "
                     f"{self.theory.name} {self.theory.version}: {len(self.table)} items, "
                     f"{self.case.start}-{self.case.end}; {periods}>")

    def _repr_html_(self) -> str:
        from .views import result_tables

        periods, years = result_tables(self)
        verdicts: dict[str, int] = {}
        for check in self.claim_checks():
            verdicts[str(check.verdict)] = verdicts.get(str(check.verdict), 0) + 1
        notes = [f"{len(self.table)} items weighed; theory {self.theory.name} "
                 f"{self.theory.version}."]
        if verdicts:
            notes.append("Published claims (claim-years): " + ", ".join(
                f"{n} {v}" for v, n in verdicts.items()) + ".")
        return (html_table(f"{self.case.title}: by period", periods.columns, periods.rows)
                + html_table("By year", years.columns, years.rows, notes))

    def to_frame(self, scope: str = "year") -> Any:
        """A tidy pandas DataFrame: one row per year (or period), variable and level.

        Columns: ``year`` (or ``period``), ``variable`` (each theory variable, then
        ``observed_<outcome>`` and ``predicted_<outcome>``), ``level``, ``probability``;
        ``congruence`` rows carry P(predicted = observed) with no level (missing where no
        item bears on the outcome). Needs the ``data`` extra (pandas).
        """
        from ._deps import require

        pandas = require("pandas", "data", "A DataFrame of the analysis")
        try:
            chosen = Scope(scope)
        except ValueError:
            raise InputError(f"scope: found {scope!r}; expected year or period") from None
        labels = self.labels(chosen)
        rows: list[tuple[Any, str, str | None, float | None]] = []
        blocks = [(v.name, self.beliefs[v.name].levels,
                   self.beliefs[v.name].probabilities(chosen)) for v in self.theory.variables]
        blocks += [(self.theory.observed_name, self.theory.outcome.levels,
                    self.observed(chosen)),
                   (self.theory.predicted_name, self.theory.outcome.levels,
                    self.predicted(chosen))]
        counts = self.outcome.counts(chosen)
        for index, at in enumerate(labels):
            for name, levels, matrix in blocks:
                rows += [(at, name, level, float(matrix[index, j]))
                         for j, level in enumerate(levels)]
            rows.append((at, "congruence", None, float(self.congruence(chosen)[index])
                         if counts[index] else None))
        return pandas.DataFrame(rows, columns=[str(chosen), "variable", "level", "probability"])

    def __str__(self) -> str:
        balance = [f"{y}" for y in self.years]
        lines = [f"Analysis of {self.case.id} under {self.theory.name} {self.theory.version}",
                 f"{len(self.table)} evidence items; years {balance[0]}-{balance[-1]}"]
        lines += [f"assumes: {a}" for a in self.assumptions]
        return "\n".join(lines)

    def _distribution(self, levels: tuple[str, ...], row: FloatArray) -> dict[str, float]:
        return {level: round(float(p), 6) for level, p in zip(levels, row, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe document (the ``analyze --format json`` output)."""
        outcome_levels = self.theory.outcome.levels
        variables = [v.name for v in self.theory.variables]

        def block(index: int, scope: Scope) -> dict[str, Any]:
            beliefs = {name: self._distribution(self.beliefs[name].levels,
                                                self.beliefs[name].probabilities(scope)[index])
                       for name in variables}
            predicted = self.predicted(scope)[index]
            observed = self.observed(scope)[index]
            agree = self.congruence(scope)[index]
            counts = {name: int(self.beliefs[name].counts(scope)[index])
                      for name in [*variables, self.theory.outcome.name]}
            sided = {}
            for name in variables:
                b = self.beliefs[name]
                if b.sides:
                    pushes = b.contributions(scope)[index]
                    sided[name] = {party: self._distribution(b.levels, pushes[p])
                                   for p, party in enumerate(b.sides)}
            return {
                "variables": beliefs,
                "predicted": self._distribution(outcome_levels, predicted),
                "observed": self._distribution(outcome_levels, observed),
                # No evidence on the outcome: nothing to agree with.
                "congruence": (round(float(agree), 6)
                               if counts[self.theory.outcome.name] else None),
                "evidence_counts": counts,
                "contributions_by_side": sided,
            }

        years = [{"year": year, **block(i, Scope.YEAR)} for i, year in enumerate(self.years)]
        periods = [{"id": p.id, "label": p.label, "start": p.start, "end": p.end,
                    **block(i, Scope.PERIOD)} for i, p in enumerate(self.case.periods)]
        rows = self.table.row_of()
        weights = {e: _finite(self.table.weight[r]) for e, r in rows.items()}
        diagnostics = self.diagnostics()
        groups = {item: self.table.ids[r] for item, r in rows.items()
                  if len(self.table.members[r]) > 1}
        evidence = [{**e.to_mapping(), "layer": e.layer,
                     "weight": weights[e.id] if e.id not in groups else None,
                     **({"group": groups[e.id]} if e.id in groups else {}),
                     "cited_as": str(e.citation),
                     **({"diagnostics": diagnostics[e.id].to_dict()} if e.id in diagnostics
                        else {})}
                    for e in self.case.evidence if e.id in weights]
        group_rows = [{**g.to_mapping(), "weight": _finite(self.table.weight[r])}
                      for g in self.case.groups_present()
                      for r in [self.table.ids.index(g.id)] if g.id in self.table.ids]
        claims = [{
            "variable": c.claim.variable, "level": c.claim.level, "year": c.year,
            "citation": str(c.claim.citation), "probability": round(c.probability, 6),
            "most_probable": c.most_probable, "verdict": str(c.verdict),
            "supported": c.supported, "items": c.items,
        } for c in self.claim_checks()]
        return {
            "case": self.case.id,
            "issue_area": self.case.scope,
            "other_issue_areas": self.other_issue_areas,
            "title": self.case.title,
            "theory": self.theory.name,
            "theory_version": self.theory.version,
            "multilat_version": __version__,
            "variables": {v.name: list(v.levels) for v in self.theory.variables},
            "outcome": {"name": self.theory.outcome.name, "levels": list(outcome_levels)},
            "years": years,
            "periods": periods,
            "evidence": evidence,
            **({"evidence_groups": group_rows} if group_rows else {}),
            "unused_evidence": list(self.table.unused),
            "layers": self.weighed_layers,
            "claims": claims,
            "assumptions": list(self.assumptions),
            "settings": self.settings.to_dict(),
            "inputs": dict(sorted(self.input_hashes.items())),
        }


def _finite(value: float) -> float | None:
    """A weight for JSON: rounded, ``None`` when infinite (a row ruling out every rival)."""
    return round(float(value), 6) if np.isfinite(value) else None


def _sha256(path: Path) -> str:
    """The SHA-256 of a small input file (case, bibliography, theory), by the interpreter's own
    implementation where it has one: hashlib loads OpenSSL first, 2 ms of every command."""
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:  # pragma: no cover - other Pythons
        try:
            from _sha2 import sha256  # CPython 3.12+
        except ImportError:
            from hashlib import sha256
    return sha256(path.read_bytes()).hexdigest()


def analyze(case: Case, theory: Theory | str | None = None,
            settings: Settings | None = None, *,
            layers: Collection[str] | None = None,
            issue_area: str | None = None) -> Analysis:
    """Weigh a case's evidence and predict its strategy.

    Parameters
    ----------
    case
        A loaded case (:func:`multilat.load_case`).
    theory
        A theory object, a built-in name or a theory file; default: the case's own theory.
    settings
        Default: :func:`multilat.settings.default_settings`.
    layers
        Evidence layers to weigh (default: all the case has). Raises ``InputError`` for a
        layer the case does not have.
    issue_area
        The issue area to analyse (an ``issue_areas`` id of the case); default: the regime
        itself. Issue areas are never pooled (:meth:`multilat.Case.pooled` pools on request).

    Examples
    --------
    >>> import multilat
    >>> analysis = multilat.analyze(multilat.load_example("kazakhstan-eaeu"))
    >>> len(analysis.years)
    11
    """
    settings = settings or default_settings()
    case = case.in_issue_area(issue_area)
    if layers is not None:
        unknown = sorted(set(layers) - set(case.layers))
        if unknown:
            raise InputError(f"unknown evidence layer(s) {', '.join(unknown)}; the case has: "
                             f"{', '.join(case.layers)}")
        case = case.with_layers(set(layers))
    if not isinstance(theory, Theory):
        theory = resolve_theory(theory if theory is not None else case.theory, case.folder)
    table = tabulate_evidence(case, theory, settings)
    levels_of = {name: levels for name, levels, _ in theory.targets}
    priors = {}
    for name, prior in case.priors.items():
        if name not in levels_of:
            continue
        if sorted(prior) != sorted(levels_of[name]):
            raise InferenceError(
                f"the case's prior for {name!r} is over {', '.join(prior)}, but theory "
                f"{theory.name!r} gives {name!r} the levels {', '.join(levels_of[name])}")
        priors[name] = prior
    beliefs = infer_variables(table, theory, case.years, case.periods, priors,
                              switch_probability(settings))
    predicted_yearly, predicted_periods = predict_from_beliefs(beliefs, theory)
    hashes = {}
    for label, path in (("case", case.source), ("bibliography",
                        str(case.bibliography_path) if case.source else ""),
                        ("theory", theory.source)):
        if path and Path(path).is_file():
            hashes[f"{label}:{Path(path).name}"] = _sha256(Path(path))
    return Analysis(case, theory, settings, table, beliefs, predicted_yearly,
                    predicted_periods, hashes)
