"""The theory tested across cases: one row per case-period (or case-year) and issue area.

Each case is analysed exactly as ``multilat analyze`` analyses it (its own theory unless the
study names one, its own settings file if any); the comparison only reads those analyses. A
row's *hit* is a case-period where the most probable predicted and observed outcome agree
(:func:`multilat.decision.decide`: rows where either is tied are not scored).

Theories are compared over all cases by adding each case's log marginal likelihood of the
observed-outcome evidence (:func:`multilat.compare.compare_theories`). Adding assumes the cases
are independent given each theory's predictions: evidence about one case says nothing about
another. Cases that share sources or actors (two members of one union, coded from the same
survey) break that assumption, and the summed Bayes factors then overstate the evidence.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis import Analysis, analyze
from ..case import Case, load_case
from ..compare import compare_theories
from ..decision import Scope, decide
from ..errors import InputError, MultilatError
from ..examples import example_path, list_examples
from ..settings import Settings, load_settings
from ..theory import Theory, resolve_theory
from .model import Membership, Study, StudyCase

__all__ = ["ASSUMPTIONS", "CaseComparison", "CaseSummary", "ComparisonRow", "StudyTheoryFit",
           "compare_cases", "resolve_case"]

ASSUMPTIONS = (
    "Each case is analysed as `multilat analyze` analyses it on its own; a row is one "
    "case-period (or case-year) of one issue area.",
    "A hit is a row whose most probable predicted and observed outcomes agree; rows where "
    "either is a tie (no evidence, or equal probabilities) are not scored.",
    "Theories are compared over all cases by adding the cases' log marginal likelihoods: this "
    "assumes the cases are independent given each theory's predictions. Cases that share "
    "sources or actors break that assumption, and the summed Bayes factors then overstate the "
    "evidence.",
    "Set memberships come from posterior probabilities by an explicit choice (fuzzy, crisp or "
    "calibrated); a probability is a degree of belief, not a degree of membership.",
)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One case-period (or case-year) of one issue area."""

    id: str
    case: str
    issue_area: str | None
    at: str | int
    label: str
    start: int
    end: int
    theory: str
    conditions: Mapping[str, Mapping[str, float]]
    predicted: Mapping[str, float]
    observed: Mapping[str, float]
    predicted_level: str | None
    observed_level: str | None
    congruence: float | None
    outcome_items: int

    @property
    def hit(self) -> bool | None:
        if self.predicted_level is None or self.observed_level is None:
            return None
        return self.predicted_level == self.observed_level

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "case": self.case, "issue_area": self.issue_area, "at": self.at,
            "label": self.label, "start": self.start, "end": self.end, "theory": self.theory,
            "conditions": {v: {lv: round(p, 6) for lv, p in d.items()}
                           for v, d in self.conditions.items()},
            "predicted": {k: round(v, 6) for k, v in self.predicted.items()},
            "observed": {k: round(v, 6) for k, v in self.observed.items()},
            "predicted_level": self.predicted_level, "observed_level": self.observed_level,
            "congruence": None if self.congruence is None else round(self.congruence, 6),
            "outcome_items": self.outcome_items, "hit": self.hit,
        }


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """Hits and misses of one case (one issue area of it)."""

    case: str
    issue_area: str | None
    title: str
    theory: str
    hits: int
    misses: int
    unscored: int
    source: str

    @property
    def key(self) -> str:
        return self.case if self.issue_area is None else f"{self.case}#{self.issue_area}"

    @property
    def hit_rate(self) -> float | None:
        scored = self.hits + self.misses
        return self.hits / scored if scored else None

    def to_dict(self) -> dict[str, Any]:
        rate = self.hit_rate
        return {"case": self.case, "issue_area": self.issue_area, "title": self.title,
                "theory": self.theory, "hits": self.hits, "misses": self.misses,
                "unscored": self.unscored,
                "hit_rate": None if rate is None else round(rate, 6), "source": self.source}


@dataclass(frozen=True, slots=True)
class StudyTheoryFit:
    """A theory's fit summed over the cases it could be applied to; hits and misses are
    counted per year (as ``compare-theories`` counts them)."""

    name: str
    fit: float
    log_bayes_factor: float
    year_hits: int
    year_misses: int
    per_case: Mapping[str, float]
    not_applied: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "fit": round(self.fit, 6),
                "log_bayes_factor": round(self.log_bayes_factor, 6),
                "year_hits": self.year_hits, "year_misses": self.year_misses,
                "per_case": {k: round(v, 6) for k, v in self.per_case.items()},
                "not_applied": list(self.not_applied)}


@dataclass(frozen=True, slots=True)
class CaseComparison:
    """The result of :func:`compare_cases`."""

    study: Study
    unit: Scope
    rows: tuple[ComparisonRow, ...]
    cases: tuple[CaseSummary, ...]
    theories: tuple[StudyTheoryFit, ...]
    variables: Mapping[str, tuple[str, ...]]
    outcome: tuple[str, tuple[str, ...]]
    sets: tuple[Any, ...] = ()
    notes: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ASSUMPTIONS
    analyses: Mapping[str, Analysis] = field(default_factory=dict, repr=False, compare=False)

    @property
    def hits(self) -> int:
        return sum(c.hits for c in self.cases)

    @property
    def misses(self) -> int:
        return sum(c.misses for c in self.cases)

    @property
    def hit_rate(self) -> float | None:
        scored = self.hits + self.misses
        return self.hits / scored if scored else None

    def headline(self) -> str:
        rate = self.hit_rate
        shown = "no scored rows" if rate is None else f"hit rate {rate:.0%}"
        return (f"{self.study.title}: {len(self.cases)} cases, {len(self.rows)} "
                f"{self.unit}s; {self.hits} hits, {self.misses} misses ({shown})")

    def __repr__(self) -> str:
        from .._display import short

        lines = [f"<CaseComparison {self.headline()}>"]
        lines += [f"  {c.key}: {c.hits} hits, {c.misses} misses, {c.unscored} unscored"
                  for c in self.cases[:20]]
        return short("\n".join(lines))

    def _repr_html_(self) -> str:
        from .._display import html_table

        rows = [(c.key, c.theory, c.hits, c.misses, c.unscored,
                 "" if c.hit_rate is None else f"{c.hit_rate:.0%}") for c in self.cases[:50]]
        notes = [a for a in self.assumptions[2:3]]
        return html_table(self.headline(), ["case", "theory", "hits", "misses", "unscored",
                                            "hit rate"], rows, notes)

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per case-period: conditions' probabilities
        (``<variable>=<level>``), predicted and observed probabilities and levels,
        congruence and hit. Needs the ``data`` extra (pandas)."""
        from .._deps import require

        pandas = require("pandas", "data", "A DataFrame of the comparison")
        return pandas.DataFrame([flat_row(r) for r in self.rows])

    def to_dict(self) -> dict[str, Any]:
        rate = self.hit_rate
        return {
            "study": {"id": self.study.id, "title": self.study.title,
                      "description": self.study.description, "source": self.study.source,
                      "theory": self.study.theory, "unit": str(self.unit),
                      "incl_cut": self.study.incl_cut},
            "variables": {k: list(v) for k, v in self.variables.items()},
            "outcome": {"name": self.outcome[0], "levels": list(self.outcome[1])},
            "cases": [c.to_dict() for c in self.cases],
            "hits": self.hits, "misses": self.misses,
            "hit_rate": None if rate is None else round(rate, 6),
            "rows": [r.to_dict() for r in self.rows],
            "theories": [t.to_dict() for t in self.theories],
            "sets": [s.to_dict() for s in self.sets],
            "notes": list(self.notes),
            "assumptions": list(self.assumptions),
        }


def condition_cell(levels: Mapping[str, float]) -> str:
    """A condition's most probable level and its probability (``tie 0.50`` when tied)."""
    import numpy as np

    names = tuple(levels)
    decided = decide(names, np.array([levels[n] for n in names])).level
    top = max(levels.values())
    return f"{decided} {top:.2f}" if decided else f"tie {top:.2f}"


def flat_row(row: ComparisonRow) -> dict[str, Any]:
    """One row as flat columns (CSV, DataFrame)."""
    out: dict[str, Any] = {"id": row.id, "case": row.case, "issue_area": row.issue_area or "",
                           "at": row.at, "label": row.label, "start": row.start,
                           "end": row.end, "theory": row.theory}
    for variable, levels in row.conditions.items():
        for level, p in levels.items():
            out[f"{variable}={level}"] = round(p, 6)
    for level, p in row.predicted.items():
        out[f"predicted={level}"] = round(p, 6)
    out["predicted_level"] = row.predicted_level or ""
    for level, p in row.observed.items():
        out[f"observed={level}"] = round(p, 6)
    out["observed_level"] = row.observed_level or ""
    out["congruence"] = "" if row.congruence is None else round(row.congruence, 6)
    out["outcome_items"] = row.outcome_items
    out["hit"] = "" if row.hit is None else ("hit" if row.hit else "miss")
    return out


def resolve_case(entry: StudyCase, folder: str | Path) -> Case:
    """Load a study's case: a file (relative to the study's folder) or a built-in name."""
    reference = entry.case
    candidates = [Path(folder) / reference, Path(reference)]
    for path in candidates:
        if path.is_dir() and (path / "case.yaml").is_file():
            return load_case(path / "case.yaml")
        if path.is_file():
            return load_case(path)
    if reference in list_examples():
        return load_case(example_path(reference))
    close = difflib.get_close_matches(reference, list_examples(), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise InputError(f"case {reference!r}: no such file in {folder} and no built-in case of "
                     f"that name{hint}; expected a case file or one of "
                     f"{', '.join(list_examples())}")


def _settings_for(case: Case, settings: Settings | None) -> Settings | None:
    if settings is not None or case.folder is None:
        return settings
    own = case.folder / "multilat.toml"
    return load_settings(own) if own.is_file() else None


def _rows(analysis: Analysis, unit: Scope, key: str) -> list[ComparisonRow]:
    theory = analysis.theory
    outcome_levels = theory.outcome.levels
    labels = analysis.labels(unit)
    counts = analysis.outcome.counts(unit)
    predicted = analysis.predicted(unit)
    observed = analysis.observed(unit)
    congruence = analysis.congruence(unit)
    periods = {p.id: p for p in analysis.case.periods}
    rows = []
    for index, at in enumerate(labels):
        if unit is Scope.PERIOD:
            period = periods[str(at)]
            label, start, end = period.label or period.id, period.start, period.end
        else:
            label, start, end = str(at), int(at), int(at)
        conditions = {
            v.name: {lv: float(p) for lv, p in zip(
                v.levels, analysis.beliefs[v.name].probabilities(unit)[index], strict=True)}
            for v in theory.variables}
        rows.append(ComparisonRow(
            id=f"{key}/{at}", case=analysis.case.id, issue_area=analysis.case.scope, at=at,
            label=label, start=start, end=end, theory=theory.name, conditions=conditions,
            predicted={lv: float(p) for lv, p in zip(outcome_levels, predicted[index],
                                                     strict=True)},
            observed={lv: float(p) for lv, p in zip(outcome_levels, observed[index],
                                                    strict=True)},
            predicted_level=decide(outcome_levels, predicted[index]).level,
            observed_level=decide(outcome_levels, observed[index]).level,
            congruence=float(congruence[index]) if counts[index] else None,
            outcome_items=int(counts[index])))
    return rows


def _theories(study: Study, analyses: Sequence[Analysis]) -> tuple[dict[str, Theory],
                                                                   list[str]]:
    """The theories compared over the study, by name: the study's ``theories`` (found beside
    the study file or built in), else every case's theory and its other readings (found as
    that case finds them)."""
    found: dict[str, Theory] = {}
    notes: list[str] = []
    if study.theories:
        base = Path(study.folder) if study.folder else None
        for reference in study.theories:
            try:
                theory = resolve_theory(reference, base)
            except MultilatError as error:
                notes.append(f"theory {reference!r} not compared: {str(error).splitlines()[0]}")
                continue
            found.setdefault(theory.name, theory)
        return found, notes
    for analysis in analyses:
        found.setdefault(analysis.theory.name, analysis.theory)
        for reading in analysis.theory.readings:
            try:
                theory = resolve_theory(reading, analysis.case.folder)
            except MultilatError:
                continue
            found.setdefault(theory.name, theory)
    return found, notes


def _compare_theories(study: Study, cases: Sequence[Case], analyses: Sequence[Analysis],
                      keys: Sequence[str], settings: Sequence[Settings | None]
                      ) -> tuple[list[StudyTheoryFit], list[str]]:
    theories, notes = _theories(study, analyses)
    per_theory: dict[str, dict[str, tuple[float, int, int]]] = {n: {} for n in theories}
    for case, analysis, key, own in zip(cases, analyses, keys, settings, strict=True):
        outcome = (analysis.theory.outcome.name, analysis.theory.outcome.levels)
        usable = [t for t in theories.values()
                  if (t.outcome.name, t.outcome.levels) == outcome]
        if not usable:
            continue
        for fit in compare_theories(case, usable, own).theories:
            per_theory[fit.name][key] = (fit.fit, fit.hits, fit.misses)
    fits = []
    for name, values in per_theory.items():
        if not values:
            notes.append(f"theory {name!r} could not be applied to any case (another outcome)")
            continue
        missing = tuple(k for k in keys if k not in values)
        if missing:
            notes.append(f"theory {name!r} was not applied to {', '.join(missing)} (another "
                         "outcome); its total is over fewer cases and is not comparable")
        fits.append(StudyTheoryFit(
            name, sum(v[0] for v in values.values()), 0.0,
            sum(v[1] for v in values.values()), sum(v[2] for v in values.values()),
            {k: v[0] for k, v in values.items()}, missing))
    if fits:
        reference_fit = fits[0].fit
        fits = [StudyTheoryFit(f.name, f.fit, f.fit - reference_fit, f.year_hits,
                               f.year_misses, f.per_case, f.not_applied) for f in fits]
        fits.sort(key=lambda f: -f.fit)
    return fits, notes


def compare_cases(study: Study | Sequence[str | Case] | str | Path | None = None, *,
                  theory: str | None = None, memberships: Sequence[Membership] | None = None,
                  settings: Settings | None = None, unit: str | None = None,
                  incl_cut: float | None = None, undecided: str | None = None,
                  sets: bool = True) -> CaseComparison:
    """Test a theory across cases: rows, hit rates, theories compared and set-theoretic fit.

    Parameters
    ----------
    study
        A :class:`Study`, a study file, a list of case files / built-in names (``NAME#AREA``
        for one issue area) or loaded cases; default: the built-in study.
    theory
        Analyse every case under this theory (default: the study's, else each case's own).
    memberships
        Membership choices (default: the study's); results for each, side by side.
    settings
        Settings for every case (default: each case's own ``multilat.toml`` if it has one).
    unit
        ``period`` or ``year`` (default: the study's).
    undecided
        ``exclude`` (default: the study's) leaves rows where no evidence decides a condition
        (P = 0.5) out of the set-theoretic fit, naming them; ``error`` keeps them (a crisp
        membership then refuses them: a crisp set needs a decision, not a coin flip).
    sets
        Compute the set-theoretic fit (truth tables, sufficiency, necessity...).

    Examples
    --------
    >>> import multilat
    >>> comparison = multilat.compare_cases(["kazakhstan-eaeu"])
    >>> comparison.rows[0].id
    'kazakhstan-eaeu/integration'
    """
    from .io import builtin_study, load_study, study_from_cases

    loaded: list[Case | None] = []
    if study is None:
        study = builtin_study()
    elif isinstance(study, (str, Path)):
        study = load_study(study)
    elif not isinstance(study, Study):
        given = list(study)
        loaded = [c if isinstance(c, Case) else None for c in given]
        study = study_from_cases([c.id if isinstance(c, Case) else str(c) for c in given])
    chosen_unit = Scope(unit or study.unit)
    chosen_undecided = undecided or study.undecided
    chosen_theory = theory or study.theory
    cut = study.incl_cut if incl_cut is None else incl_cut
    if not 0 < cut <= 1:
        raise InputError(f"incl_cut: found {cut}; expected a number in (0, 1]")
    # A theory named by the study (or the caller) is found beside the study file, as a path
    # or built in; without one, each case's own theory is found beside the case.
    common = (resolve_theory(chosen_theory, Path(study.folder or "."))
              if chosen_theory is not None else None)
    cases, analyses, keys, own_settings, rows, summaries = [], [], [], [], [], []
    for index, entry in enumerate(study.cases):
        whole = (loaded[index] if index < len(loaded) and loaded[index] is not None
                 else resolve_case(entry, study.folder or "."))
        assert whole is not None
        case = whole.in_issue_area(entry.issue_area)
        key = case.id if entry.issue_area is None else f"{case.id}#{entry.issue_area}"
        if key in keys:
            raise InputError(f"case {key!r} is in the study twice; expected each case (and "
                             "issue area) once")
        own = _settings_for(whole, settings)
        analysis = analyze(case, common, own)
        case_rows = _rows(analysis, chosen_unit, key)
        scored = [r.hit for r in case_rows]
        summaries.append(CaseSummary(
            case.id, case.scope, entry.label or case.title, analysis.theory.name,
            sum(1 for h in scored if h is True), sum(1 for h in scored if h is False),
            sum(1 for h in scored if h is None), case.source))
        cases.append(case)
        analyses.append(analysis)
        keys.append(key)
        own_settings.append(own)
        rows += case_rows
    first = analyses[0].theory
    variables = {v.name: v.levels for v in first.variables}
    shown_variables = dict(variables)     # every case's variables, in order of appearance
    for analysis in analyses[1:]:
        for v in analysis.theory.variables:
            shown_variables.setdefault(v.name, v.levels)
    outcome = (first.outcome.name, first.outcome.levels)
    notes: list[str] = []
    shared = all({v.name: v.levels for v in a.theory.variables} == variables
                 and (a.theory.outcome.name, a.theory.outcome.levels) == outcome
                 for a in analyses)
    theory_fits, theory_notes = _compare_theories(study, cases, analyses, keys, own_settings)
    notes += theory_notes
    set_results: tuple[Any, ...] = ()
    used = list(dict.fromkeys(a.theory.name for a in analyses))
    if sets and shared and len(used) > 1:
        notes.append(f"the cases use {len(used)} theories ({', '.join(used)}) with the same "
                     f"conditions and outcome; the sufficiency claims are the rules of "
                     f"{first.name!r} (the first case's), the truth tables are the same for all")
    if sets and shared:
        from .setfit import set_fit

        set_results = tuple(set_fit(rows, first, m, cut, chosen_undecided)
                            for m in (memberships or study.memberships))
    elif sets:
        notes.append("the cases' theories have different variables or outcomes: no "
                     "set-theoretic fit (a truth table needs the same conditions in every row)")
    return CaseComparison(study, chosen_unit, tuple(rows), tuple(summaries),
                          tuple(theory_fits), shown_variables, outcome, set_results,
                          tuple(notes),
                          analyses=dict(zip(keys, analyses, strict=True)))
