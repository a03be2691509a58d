"""The report's fast paths give what the slow ones gave: worker process, vectorised matrix,
hand-written matrix markup, ranked influences and contributions, memoised CSL lookups."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import multilat
from multilat.checks import LeaveOneOut
from multilat.infer.likelihood import level_pushes
from multilat.report import _csl, _worker, build_report, content, render
from multilat.report._worker import ReportWorker
from multilat.report.citations import format_references
from multilat.report.figures import FigureData, draw_figures
from multilat.report.robustness import _influences

GENERATOR = Path(__file__).parents[2] / "benchmarks" / "scaling" / "generate_case.py"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> multilat.Analysis:
    """A generated case of 600 items (the scaling benchmark's generator)."""
    folder = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(GENERATOR), "600", str(folder)], check=True,
                   capture_output=True)
    return multilat.analyze(multilat.load_case(folder / "case.yaml"))


@pytest.fixture(params=["fork", "spawn"])
def how(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Workers forked (where that is allowed) or started as a fresh interpreter."""
    if request.param == "fork" and not _worker._can_fork():
        pytest.skip("no fork here")
    if request.param == "spawn":
        monkeypatch.setattr(_worker, "_can_fork", lambda: False)
    return str(request.param)


def test_the_worker_and_this_process_build_the_same_bytes(
        builtin_analysis: multilat.Analysis, how: str) -> None:
    kinds = {"formats": ("html", "md", "tex"), "png": True}
    here = build_report(builtin_analysis, worker=False, **kinds)
    with ReportWorker() as worker:
        assert worker.running
        there = build_report(builtin_analysis, worker=worker, **kinds)
    assert there == here


def test_the_command_line_report_equals_the_library_s(tmp_path: Path,
                                                      builtin_analysis: multilat.Analysis
                                                      ) -> None:
    subprocess.run([sys.executable, "-m", "multilat", "report", "--out", str(tmp_path / "r"),
                    "--no-png"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    files = build_report(builtin_analysis, png=False, worker=False)
    assert {name: (tmp_path / "r" / name).read_bytes() for name in files} == files


def test_a_worker_runs_jobs_elsewhere_and_falls_back_here(how: str) -> None:
    with ReportWorker() as worker:
        assert worker.submit(os.getpid).result() != os.getpid()
        # A job that fails there runs again here, and its error is raised here.
        with pytest.raises(ValueError):
            worker.submit(int, "not a number").result()
        # An argument that cannot be pickled: the job runs here.
        assert worker.submit(callable, lambda: 0).result() is True
        import matplotlib

        assert worker.library_versions()["matplotlib"] == matplotlib.__version__
        worker._process.kill()  # type: ignore[union-attr]  # a worker that died
        assert worker.submit(os.getpid).result() == os.getpid()
    assert not worker.running
    idle = ReportWorker(start=False)
    assert not idle.running and idle.submit(os.getpid).result() == os.getpid()
    assert idle.library_versions() == {}


def test_a_job_the_worker_has_not_started_can_be_taken_back(how: str) -> None:
    with ReportWorker() as worker:
        worker.library_versions()  # the worker is idle now
        slow = worker.submit(time.sleep, 1.0)
        waiting = worker.submit(os.getpid)
        assert waiting.result(take_back=True) == os.getpid()  # ran here; the worker skips it
        assert slow.result() is None
        done = worker.submit(os.getpid)
        assert worker.submit(abs, 0).result() == 0  # jobs run in order: `done` has run
        assert done.result(take_back=True) != os.getpid()  # finished there: its result


def test_figure_data_sent_to_another_process_draws_the_same_figures(
        builtin_analysis: multilat.Analysis) -> None:
    data = pickle.loads(pickle.dumps(FigureData.of(builtin_analysis)))
    assert draw_figures(data, png=False) == draw_figures(builtin_analysis, png=False)


def _random_rows(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    weights = np.round(rng.normal(size=(400, 4)), 1)  # rounded: many ties
    ruled = rng.random((400, 4)) < 0.2
    weights[ruled] = 0.0
    return weights, ruled


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_pushes_of_every_row_equal_level_pushes_row_by_row(width: int) -> None:
    for seed in range(5):
        weights, ruled = _random_rows(seed)
        weights, ruled = weights[:, :width], ruled[:, :width]
        fast = content._pushes(weights, ruled)
        slow = np.array([level_pushes(w, r) for w, r in zip(weights, ruled, strict=True)])
        assert np.array_equal(fast, slow)


def _matrix_cells(analysis: multilat.Analysis) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each row's cells as the report computed them before: level_pushes row by row."""
    targets, table = analysis.theory.targets, analysis.table
    unit = str(analysis.settings["report.weight_unit"])
    matrix, impossible = table.width(max(len(levels) for _, levels, _ in targets))
    out = {}
    for r, identifier in enumerate(table.ids):
        cells: list[tuple[str, str]] = []
        for t, (_, levels, _) in enumerate(targets):
            if t != table.target[r]:
                cells += [("", "w-")] * len(levels)
                continue
            for signed in level_pushes(matrix[r, :len(levels)], impossible[r, :len(levels)]):
                cells.append(("ruled out", "wn3") if signed == float("-inf") else
                             (content._in(signed, unit), content._css(signed)))
        out[identifier] = tuple(cells)
    return out


def test_matrix_cells_equal_those_computed_row_by_row(builtin_analysis: multilat.Analysis,
                                                      generated: multilat.Analysis) -> None:
    for analysis in (builtin_analysis, generated):
        _, _, rows = content.evidence_matrix(analysis, {})
        assert {row.id: tuple((c.text, c.css) for c in row.cells) for row in rows} == (
            _matrix_cells(analysis))


# The template's loop, as it was before the matrix was written by render.matrix_rows.
OLD_MATRIX = """{% for row in matrix %}
<tr id="{{ row.anchor }}" class="item"><th scope="row" class="id"><code>{{ row.id }}</code></th><td class="years">{{ row.years }}</td><td class="side">{{ row.side }}</td><td class="test">{{ row.test }}</td>{% for cell in row.cells %}<td class="{{ cell.css }}">{{ cell.text }}</td>{% endfor %}<td class="source"><a href="#{{ row.citation.anchor }}">{{ row.citation.label }}</a></td></tr>
<tr class="detail"><td></td><td colspan="{{ matrix_columns | length + 4 }}">{{ row.summary }} <span class="rationale">Why this weight: {{ row.rationale }}</span></td></tr>
{% endfor %}
"""  # noqa: E501
OLD_LINKS = ('{% for id, anchor in items %}<a href="#{{ anchor }}">{{ id }}</a>'
             '{% if not loop.last %}, {% endif %}{% endfor %}')


def _jinja(source: str, **context: object) -> str:
    jinja2 = pytest.importorskip("jinja2")
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                     keep_trailing_newline=True)
    return str(environment.from_string(source).render(**context))


def test_matrix_markup_equals_the_template_s(builtin_analysis: multilat.Analysis,
                                             hostile_case: Path) -> None:
    for analysis in (builtin_analysis, multilat.analyze(multilat.load_case(hostile_case))):
        _, columns, rows = content.evidence_matrix(analysis, {})
        assert str(render.matrix_rows(rows, len(columns))) == _jinja(
            OLD_MATRIX, matrix=rows, matrix_columns=columns)


def test_links_and_escaping_equal_the_template_s() -> None:
    markupsafe = pytest.importorskip("markupsafe")
    texts = ["plain", "<b>&amp;\"'</b>", "a & b < c > d ' e \" f", "", "\u00e9\U0001F600"]
    for text in texts:
        assert render.escape(text) == str(markupsafe.escape(text))
    pairs = [(t, content.evidence_anchor(t)) for t in texts]
    assert str(render.links(pairs)) == _jinja(OLD_LINKS, items=pairs)
    assert str(render.links([])) == ""


def _old_influences(result: LeaveOneOut, limit: int) -> list[tuple[int, int]]:
    """(item, pair) chosen as the report chose them before (a loop over every pair)."""
    change = result.after - result.before
    best: dict[int, int] = {}
    for pair in np.lexsort((np.arange(len(change)), -np.abs(change), ~result.flips)):
        best.setdefault(int(result.item[pair]), int(pair))
    ranked = sorted(best.items(), key=lambda kv: (not result.flips[kv[1]],
                                                  -abs(change[kv[1]]), result.ids[kv[0]]))
    return sorted(ranked[:limit], key=lambda kv: (-abs(change[kv[1]]), result.ids[kv[0]]))


@pytest.mark.parametrize("limit", [0, 1, 5, 12, 1000])
def test_influences_are_those_a_loop_over_every_pair_chose(
        builtin_analysis: multilat.Analysis, limit: int) -> None:
    rng = np.random.default_rng(limit)
    pairs, items = 3000, 300
    ids = tuple(f"e{(i * 7919) % items:04d}" for i in range(items))  # ids not in row order
    result = LeaveOneOut(
        ids, (("x", "year", 2000),), ("a",), rng.integers(0, items, pairs),
        np.zeros(pairs, np.int64), np.full(pairs, 0.5),
        0.5 + np.round(rng.normal(scale=0.2, size=pairs), 2),  # rounded: ties
        rng.random(pairs) < 0.05)
    chosen = _influences(builtin_analysis, result, limit)
    expected = _old_influences(result, limit)
    assert [i.id for i in chosen] == [ids[item] for item, _ in expected]
    assert [i.probability_without for i in chosen] == [float(result.after[p])
                                                       for _, p in expected]


def test_contribution_items_are_ordered_as_before(generated: multilat.Analysis) -> None:
    table = generated.table
    names = [name for name, _, _ in generated.theory.targets]
    for contribution in content.contribution_tables(generated):
        beliefs = generated.beliefs[contribution.variable]
        target = names.index(contribution.variable)
        level, ref = beliefs.levels.index(contribution.level), len(beliefs.levels) - 1
        matrix, impossible = table.width(len(beliefs.levels))
        for row in contribution.rows:
            moves = ((matrix[:, level] != matrix[:, ref]) | impossible[:, level]
                     | impossible[:, ref] | np.isin(table.level, (level, ref)))
            mask = ((table.target == target) & (table.start <= row.year)
                    & (table.end >= row.year) & moves)
            moved = sorted(np.flatnonzero(mask).tolist(),
                           key=lambda r: (-abs(float(table.weight[r])), table.ids[r]))
            assert [i for i, _ in row.items] == [table.ids[r] for r in moved]


@pytest.mark.parametrize("style", ["harvard-cite-them-right", "apa", "chicago-author-date",
                                   "ieee", "modern-language-association"])
def test_memoised_style_lookups_format_as_citeproc_alone(
        style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bibliography = multilat.load_bibliography(
        Path(multilat.__file__).parent / "examples" / "kazakhstan-eaeu" / "references.bib")
    items = dict(bibliography.entries)
    fast = format_references(items, style=style)
    monkeypatch.setattr(_csl, "MEMOISE", False)
    assert format_references(items, style=style) == fast
