"""What a report says, computed from an :class:`~multilat.Analysis` (templates only loop).

Everything a template shows is prepared here as plain, ordered, already-rounded data, so that
the numbers are tested in Python and the templates hold no logic beyond loops.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import views
from ..analysis import Analysis
from ..case.model import Evidence
from ..decision import ClaimVerdict, Scope, decide
from ..infer.diagnostics import ItemDiagnostic
from ..infer.units import in_unit
from ..infer.weighing import PARTY
from ..theory.model import Citation
from ..views import ResultTable
from .citations import anchor_for

__all__ = ["CitationLink", "ContributionRow", "ContributionTable", "MatrixCell", "MatrixRow",
           "ResultTable", "contribution_tables", "evidence_matrix", "human", "period_sentences",
           "claim_sentences", "result_tables", "cited_keys", "evidence_anchor", "author_date",
           "unused_evidence"]


def human(name: str) -> str:
    """``balance_of_outside_options`` -> ``balance of outside options``."""
    return name.replace("_", " ")


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]*")


def evidence_anchor(evidence_id: str) -> str:
    """The HTML id of an evidence item's row in the matrix."""
    if _PLAIN_ID.fullmatch(evidence_id):  # the usual id, kept as it is
        return "ev-" + evidence_id
    return "ev-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in evidence_id)


def _certainty(probability: float) -> str:
    if probability >= 0.95:
        return "almost certainly"
    if probability >= 0.8:
        return "very probably"
    if probability >= 0.6:
        return "probably"
    return "uncertain, leaning to"


def _best(levels: Sequence[str], row: np.ndarray[Any, Any]) -> tuple[str, float]:
    """The decided level (``"tie: a, b"`` when tied) and its probability."""
    decision = decide(tuple(levels), row)
    return decision.label, decision.probability


def _was(name: str, levels: Sequence[str], row: np.ndarray[Any, Any]) -> str:
    """``name was probably x (P = 0.7)``, or ``name was tied between x and y (P = 0.50 each)``."""
    decision = decide(tuple(levels), row)
    if decision.tied:
        return (f"{human(name)} was tied between {' and '.join(map(human, decision.top))} "
                f"(P = {decision.probability:.2f} each)")
    return (f"{human(name)} was {_certainty(decision.probability)} "
            f"{human(decision.label)} (P = {decision.probability:.2f})")


def result_tables(analysis: Analysis) -> tuple[ResultTable, ResultTable]:
    """The per-period and the per-year results (:func:`multilat.views.result_tables`), with
    levels in plain words."""
    return views.result_tables(analysis, human)


def period_sentences(analysis: Analysis) -> list[tuple[str, str]]:
    """For each period, (heading, the conclusion in plain words)."""
    theory, out = analysis.theory, []
    outcome_counts = analysis.outcome.period_counts
    for index, period in enumerate(analysis.case.periods):
        parts = []
        for variable in theory.variables:
            parts.append(_was(variable.name, variable.levels,
                              analysis.beliefs[variable.name].periods[index]))
        parts[0] = parts[0][:1].upper() + parts[0][1:]
        predicted, p_predicted = _best(theory.outcome.levels, analysis.predicted_periods[index])
        observed, p_observed = _best(theory.outcome.levels, analysis.observed_periods[index])
        text = (f"{' and '.join(parts)}. The theory therefore predicts "
                f"{human(predicted)} (P = {p_predicted:.2f}). ")
        if outcome_counts[index] == 0:
            text += (f"No evidence on the observed {human(theory.outcome.name)} is coded for "
                     "this period, so the prediction cannot be checked.")
            if theory.outcome.name in analysis.case.priors:
                text += (f" (The case's prior on the {human(theory.outcome.name)} alone gives "
                         f"{human(observed)}, P = {p_observed:.2f}.)")
        else:
            verdict = ("cannot be compared (a tie)" if "tie:" in predicted + observed else
                       "agree" if predicted == observed else
                       "disagree: the theory misses this period")
            text += (f"The coded evidence on behaviour shows {_certainty(p_observed)} "
                     f"{human(observed)} (P = {p_observed:.2f}); prediction and observation "
                     f"{verdict} (congruence {analysis.congruence_periods[index]:.2f}).")
        label = period.label or f"{period.start}-{period.end}"
        out.append((f"{period.id} ({label})", text))
    return out


def _years_text(years: Sequence[int]) -> str:
    spans: list[list[int]] = []
    for year in years:
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def claim_sentences(analysis: Analysis) -> list[tuple[str, str]]:
    """For each published claim: (its worst verdict's CSS class, a plain-words verdict).

    The four verdicts are those of :class:`multilat.decision.ClaimVerdict`; the sentence names
    the years of each verdict other than *supported*.
    """
    grouped: dict[int, list[Any]] = {}
    for check in analysis.claim_checks():
        grouped.setdefault(id(check.claim), []).append(check)
    weak_below = float(analysis.settings["claims.weak_below"])
    out = []
    for checks in grouped.values():
        claim = checks[0].claim
        head = (f"The published claim that {human(claim.variable)} was {human(claim.level)} in "
                f"{claim.start}-{claim.end} ({claim.citation})")
        by_verdict = {v: [c for c in checks if c.verdict is v] for v in ClaimVerdict}
        if len(by_verdict[ClaimVerdict.SUPPORTED]) == len(checks):
            low = min(c.probability for c in checks)
            out.append((ClaimVerdict.SUPPORTED.name.lower(),
                        f"{head}: supported by the coded evidence in every year "
                        f"(P({human(claim.level)}) at least {low:.2f})."))
            continue
        parts = []
        for verdict in ClaimVerdict:
            these = by_verdict[verdict]
            if not these:
                continue
            years = _years_text([c.year for c in these])
            if verdict is ClaimVerdict.NOT_SUPPORTED:
                detail = "; ".join(f"{c.year}: most probably {human(c.most_probable)}, "
                                   f"P({human(claim.level)}) = {c.probability:.2f}"
                                   for c in these)
                parts.append(f"not supported in {years} ({detail})")
            elif verdict is ClaimVerdict.WEAK:
                detail = "; ".join(f"{c.year}: P = {c.probability:.2f}" for c in these)
                parts.append(f"weak in {years} (the claimed level leads, with P below "
                             f"{weak_below:g}: {detail})")
            elif verdict is ClaimVerdict.NO_EVIDENCE:
                parts.append(f"no evidence in {years} (no item on {human(claim.variable)} "
                             "covers these years)")
            else:
                parts.append(f"supported in {years}")
        # The headline is the worst verdict among the years with evidence; "no evidence" only
        # when no year has any.
        worst = next((v for v in (ClaimVerdict.NOT_SUPPORTED, ClaimVerdict.WEAK,
                                  ClaimVerdict.SUPPORTED) if by_verdict[v]),
                     ClaimVerdict.NO_EVIDENCE)
        out.append((worst.name.lower(), f"{head}: {'; '.join(parts)}."))
    return out


@dataclass(frozen=True, slots=True)
class CitationLink:
    """An in-text citation: a label such as ``Smith and Doe 2020, p. 3`` and its anchor."""

    key: str
    label: str
    anchor: str


def _strip_tags(text: str) -> str:
    """CSL-JSON rich-text markup (``<i>``, ``<span class="nocase">``...) dropped."""
    return re.sub(r"</?(?:i|b|sup|sub|sc|span)(?:\s[^<>]*)?>", "", text, flags=re.IGNORECASE)


def author_date(key: str, item: Mapping[str, Any] | None) -> str:
    """A short author-date label from a CSL-JSON item (the key when there is no item)."""
    if not item:
        return key
    people = item.get("author") or item.get("editor") or []
    names = [_strip_tags(" ".join(filter(None, (p.get("non-dropping-particle"), p.get("family"))))
                         or p.get("literal") or "") for p in people if isinstance(p, Mapping)]
    names = [n for n in names if n]
    who = (names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2
           else f"{names[0]} et al." if names else _strip_tags(str(item.get("title", key)))[:40])
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or [[]]
    year = str(parts[0][0]) if parts and parts[0] else str(issued.get("literal", "n.d."))
    return f"{who} {year}"


def citation_link(citation: Citation, items: Mapping[str, Mapping[str, Any]]) -> CitationLink:
    return _link(citation, author_date(citation.key, items.get(citation.key)),
                 anchor_for(citation.key))


def _link(citation: Citation, label: str, anchor: str) -> CitationLink:
    """The citation's link, given its source's :func:`author_date` label and anchor."""
    where = f", p. {citation.pages}" if citation.pages else (
        f", {citation.locator}" if citation.locator else "")
    return CitationLink(citation.key, label + where, anchor)


def unused_evidence(analysis: Analysis, items: Mapping[str, Mapping[str, Any]]
                    ) -> list[tuple[str, str, str, CitationLink]]:
    """Items the theory does not weigh (about other variables): (id, variable, summary, source)."""
    by_id = {e.id: e for e in analysis.case.evidence}
    return [(i, human(by_id[i].variable), by_id[i].summary,
             citation_link(by_id[i].citation, items)) for i in sorted(analysis.table.unused)]


def cited_keys(analysis: Analysis) -> list[str]:
    """Every citation key the case (evidence, claims) and the theory cite, sorted."""
    theory = analysis.theory
    citations = [e.citation for e in analysis.case.evidence]
    citations += [c.citation for c in analysis.case.claims]
    citations += [r.citation for r in theory.rules]
    citations += [v.citation for v in theory.variables if v.citation]
    if theory.citation:
        citations.append(theory.citation)
    return sorted({c.key for c in citations})


@dataclass(frozen=True, slots=True)
class MatrixCell:
    text: str
    css: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One evidence item in the evidence x hypothesis matrix."""

    id: str
    anchor: str
    years: str
    side: str
    test: str
    weight: str
    citation: CitationLink
    summary: str
    rationale: str
    cells: tuple[MatrixCell, ...]


def _test(evidence: Evidence, diagnostic: ItemDiagnostic | None = None) -> str:
    """The item's test as coded, with the test its numbers make where that differs (or where
    only numbers were given)."""
    if evidence.likelihoods is not None:
        label = "P(E | level) " + ", ".join(f"{human(k)} {v:g}"
                                           for k, v in evidence.likelihoods.items())
        if evidence.test:
            label += f" (labelled {human(evidence.test)})"
    elif evidence.strength:
        label = human(evidence.strength)
    else:
        label = f"LR {evidence.likelihood_ratio:g}"
    if diagnostic is not None and diagnostic.test is not None and (
            diagnostic.asserted is None or diagnostic.warning):
        label += f"; by its numbers {human(diagnostic.test)}"
        if diagnostic.warning:
            label += " (differs from its label)"
    return label + ("" if evidence.found else ", not found") + (
        "" if evidence.reliability == 1 else f", reliability {evidence.reliability:g}")


def _css(weight: float) -> str:
    size = abs(weight)
    step = 0 if size < 0.005 else 1 if size < 0.7 else 2 if size < 1.6 else 3
    return "w0" if step == 0 else f"w{'p' if weight > 0 else 'n'}{step}"


def _pushes(weights: np.ndarray[Any, Any], ruled_out: np.ndarray[Any, Any]
            ) -> np.ndarray[Any, Any]:
    """:func:`multilat.infer.likelihood.level_pushes` of every row at once (the same
    numbers): per row and level, its weight minus the largest weight of the row's other
    possible levels; ``-inf`` for a ruled-out level, ``inf`` when every rival is ruled out."""
    rows, levels = weights.shape
    masked = np.where(ruled_out, -np.inf, weights)
    if levels < 2:
        rival = np.full((rows, levels), -np.inf)
    else:
        order = np.argsort(-masked, axis=1, kind="stable")
        index = np.arange(rows)
        first, second = masked[index, order[:, 0]], masked[index, order[:, 1]]
        rival = np.where(np.arange(levels)[None, :] == order[:, :1], second[:, None],
                         first[:, None])
    with np.errstate(invalid="ignore"):
        pushes = weights - rival
    return np.where(ruled_out, -np.inf, pushes)


def evidence_matrix(analysis: Analysis, items: Mapping[str, Mapping[str, Any]]
                    ) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...], list[MatrixRow]]:
    """The evidence x hypothesis matrix, most diagnostic item (largest |weight|) first.

    Returns ``(groups, columns, rows)``: ``groups`` are (target, number of its levels) for a
    two-row header, ``columns`` the levels. A cell is the row's log-likelihood ratio of that
    level against its strongest rival (in the unit of ``report.weight_unit``): for an item
    with one ratio, ``+w`` on the level it points to and ``-w`` on the other levels of the
    same target; ``ruled out`` where the row gives the level probability 0; empty elsewhere.
    A group of dependent items is one row.
    """
    targets = analysis.theory.targets
    groups = tuple((name, len(levels)) for name, levels, _ in targets)
    columns = tuple(level for _, levels, _ in targets for level in levels)
    table = analysis.table
    unit = str(analysis.settings["report.weight_unit"])
    by_id = {e.id: e for e in analysis.case.evidence}
    kept = {g.id: g for g in analysis.case.groups}
    diagnostics = analysis.diagnostics()
    # Plain lists, read once: indexing NumPy arrays item by item costs more than the rest.
    weights = table.weight.tolist()
    ids = list(table.ids)
    order = sorted(range(len(table)), key=lambda r: (-abs(weights[r]), ids[r]))
    width = max(len(levels) for _, levels, _ in targets)
    matrix, impossible = table.width(width)
    # Each row's cells, one target at a time; equal values share one cell.
    shared: dict[float, MatrixCell] = {}

    def cell(signed: float) -> MatrixCell:
        found = shared.get(signed)
        if found is None:
            found = shared[signed] = (MatrixCell("ruled out", "wn3") if signed == -np.inf
                                      else MatrixCell(_in(signed, unit), _css(signed)))
        return found

    row_cells: list[tuple[MatrixCell, ...]] = [()] * len(table)
    blanks = [(MatrixCell("", "w-"),) * len(levels) for _, levels, _ in targets]
    target_array = np.asarray(table.target)
    for t, (_, levels, _) in enumerate(targets):
        chosen = np.flatnonzero(target_array == t)
        if not len(chosen):
            continue
        pushes = _pushes(matrix[chosen, :len(levels)], impossible[chosen, :len(levels)])
        before = [cell for blank in blanks[:t] for cell in blank]
        after = [cell for blank in blanks[t + 1:] for cell in blank]
        for r, row in zip(chosen.tolist(), pushes.tolist(), strict=True):
            row_cells[r] = (*before, *(cell(v) for v in row), *after)
    sources: dict[str, tuple[str, str]] = {}  # label and anchor per source
    rows = []
    for r in order:
        members = [by_id[m] for m in table.members[r]]
        evidence, weight = members[0], float(weights[r])
        years = (str(evidence.start) if evidence.start == evidence.end
                 else f"{evidence.start}-{evidence.end}")
        group = kept.get(ids[r])
        test = ("; ".join(f"{m.id}: {_test(m, diagnostics.get(m.id))}" for m in members)
                if group is not None else _test(evidence, diagnostics.get(evidence.id)))
        if group is not None:
            test = ("group, joint likelihood" if group.likelihoods is not None
                    else "group, correlated") + f" ({test})"
        citation = evidence.citation
        source = sources.get(citation.key)
        if source is None:
            source = sources[citation.key] = (author_date(citation.key, items.get(citation.key)),
                                              anchor_for(citation.key))
        rows.append(MatrixRow(ids[r], evidence_anchor(ids[r]), years,
                              (evidence.side or "") + (f" ({evidence.whose})" if evidence.whose
                                                       else ""),
                              test, _in(weight, unit), _link(citation, *source),
                              " / ".join(m.summary for m in members),
                              group.rationale if group is not None else evidence.rationale,
                              row_cells[r]))
    return groups, columns, rows


def _in(weight: float, unit: str) -> str:
    """A weight for a table cell, in ``unit``, two decimals; infinite: "rules out the rest"."""
    if weight == float("inf"):
        return "rules out the rest"
    return f"{in_unit(weight, unit):+.2f}"


@dataclass(frozen=True, slots=True)
class ContributionRow:
    year: int
    prior: str
    sides: tuple[str, ...]
    posterior_log_odds: str
    probability: str
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ContributionTable:
    """Per year: prior + each side's push = posterior log-odds of ``level`` vs ``reference``."""

    variable: str
    level: str
    reference: str
    sides: tuple[str, ...]
    rows: tuple[ContributionRow, ...]
    figure: str | None = None


def role_rows(analysis: Analysis) -> list[tuple[str, str]]:
    """``(the role's label, its actors' names)`` for each role of the theory the case fills."""
    out = []
    for role in analysis.theory.roles:
        actors = analysis.case.actors_in(role.name)
        if actors:
            label = role.title[:1].upper() + role.title[1:]
            out.append((label + ("s" if len(actors) > 1 else ""),
                        ", ".join(a.name for a in actors)))
    return out


def party_label(analysis: Analysis, party: str) -> str:
    """``"established:USA"`` -> ``"established (United States)"``; a side held by one actor
    -> ``"rising (Kazakhstan)"``."""
    side, _, actor_id = party.partition(PARTY)
    names = {a.id: a.name for a in analysis.case.actors}
    if actor_id:
        return f"{side} ({names.get(actor_id, actor_id)})"
    holders = analysis.case.actors_in(side)
    return f"{side} ({holders[0].name})" if len(holders) == 1 else side


def contribution_tables(analysis: Analysis) -> list[ContributionTable]:
    """Contribution breakdowns for every theory variable, split by side (and by actor where
    several actors hold a side's role)."""
    table, names = analysis.table, [name for name, _, _ in analysis.theory.targets]
    unit = str(analysis.settings["report.weight_unit"])
    # Every list of items in the same order (largest |weight| first, then id): a rank each.
    ids, weights = table.ids, table.weight.tolist()
    rank = np.empty(len(table), np.int64)
    rank[sorted(range(len(table)), key=lambda r: (-abs(weights[r]), ids[r]))] = (
        np.arange(len(table)))
    anchors = [evidence_anchor(i) for i in ids]
    out = []
    for variable in analysis.theory.variables:
        beliefs = analysis.beliefs[variable.name]
        target, ref = names.index(variable.name), len(beliefs.levels) - 1
        matrix, impossible = table.width(len(beliefs.levels))
        side_labels = tuple(party_label(analysis, s) for s in beliefs.sides)
        for level_index, level in enumerate(beliefs.levels[:-1]):
            moves = ((matrix[:, level_index] != matrix[:, ref]) | impossible[:, level_index]
                     | impossible[:, ref] | np.isin(table.level, (level_index, ref)))
            moves &= table.target == target
            rows = []
            for y, year in enumerate(analysis.years):
                push = (beliefs.yearly_contributions[y, :, level_index]
                        - beliefs.yearly_contributions[y, :, ref])
                prior_row = beliefs.priors(Scope.YEAR)[y]
                prior = float(prior_row[level_index] - prior_row[ref])
                # Sided variables require a side on every item, so the "none" slot is empty.
                # One column per party: a side, or an actor of a side several actors hold.
                shown = push[:len(beliefs.sides)] if beliefs.sides else push[-1:]
                posterior = prior + float(push.sum())
                probability = float(beliefs.yearly[y, level_index])
                found = np.flatnonzero(moves & (table.start <= year) & (table.end >= year))
                moved = found[np.argsort(rank[found])].tolist()
                ruled = beliefs.ruled_out(Scope.YEAR)[y]
                shown_posterior = ("-inf (ruled out)" if ruled[level_index] else
                                   "+inf (reference ruled out)" if ruled[ref] else
                                   _in(posterior, unit))
                rows.append(ContributionRow(
                    year, _in(prior, unit), tuple(_in(float(v), unit) for v in shown),
                    shown_posterior, f"{probability:.2f}",
                    tuple((ids[r], anchors[r]) for r in moved)))
            out.append(ContributionTable(variable.name, level, beliefs.levels[ref],
                                         side_labels or ("evidence",), tuple(rows),
                                         None if level_index else
                                         f"contributions-{variable.name}"))
    return out
