"""A second, independent implementation as a cross-check: the Python package setqca (a
test-only dependency, the ``test`` extra; never imported by multilat itself)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from multilat.sets import (
    R_QCA_LOG_ODDS,
    SetTable,
    calibrate_direct,
    fit,
    necessity,
    parse_expression,
    sufficiency,
    truth_table,
)

setqca = pytest.importorskip("setqca")
pd = pytest.importorskip("pandas")

DATA = Path(__file__).parent.parent / "data" / "qca"
EXPRESSIONS = ["DEV", "~URB", "DEV*STB", "DEV*~URB*LIT*STB", "DEV*LIT*IND*STB",
               "DEV*~URB*LIT*STB + DEV*LIT*IND*STB", "~(DEV + STB)", "LIT*(IND + ~URB)"]


@pytest.fixture(scope="module", params=["LF", "CVF"])
def data(request: pytest.FixtureRequest) -> tuple[SetTable, object]:
    path = DATA / f"{request.param}.csv"
    return SetTable.from_csv(path), pd.read_csv(path, index_col=0)


def test_fit_of_every_condition_agrees(data: tuple[SetTable, object]) -> None:
    table, frame = data
    outcome = table.names[-1]
    y = table.column(outcome)
    for name in table.names[:-1]:
        for x in (table.column(name), 1 - table.column(name)):
            ours, theirs = sufficiency(x, y), setqca.sufficiency(x, y)
            assert ours.consistency == pytest.approx(theirs.consistency, abs=1e-12)
            assert ours.coverage == pytest.approx(theirs.coverage, abs=1e-12)
            assert ours.pri == pytest.approx(theirs.pri, abs=1e-12)
            mine, other = necessity(x, y), setqca.necessity(x, y)
            assert mine.consistency == pytest.approx(other.consistency, abs=1e-12)
            assert mine.coverage == pytest.approx(other.coverage, abs=1e-12)
            assert mine.relevance == pytest.approx(other.ron, abs=1e-12)


def test_expressions_agree_on_lf() -> None:
    table = SetTable.from_csv(DATA / "LF.csv")
    frame = pd.read_csv(DATA / "LF.csv", index_col=0)
    for text in EXPRESSIONS:
        ours = parse_expression(text, table).membership(table)
        theirs = setqca.evaluate_expression(text, frame)
        assert np.allclose(ours, theirs), text
        whole = fit(table, "SURV", text).solution
        other = setqca.sufficiency(theirs, frame["SURV"].to_numpy())
        assert (whole.consistency, whole.pri, whole.coverage) == pytest.approx(
            (other.consistency, other.pri, other.coverage), abs=1e-12)


def test_truth_tables_agree(data: tuple[SetTable, object]) -> None:
    table, frame = data
    outcome, conditions = table.names[-1], list(table.names[:-1])
    for cut in (0.7, 0.8, 0.9):
        ours = truth_table(table, outcome, conditions, incl_cut=cut)
        theirs = setqca.build_truth_table(frame, outcome=outcome, conditions=conditions,
                                          inclusion_cutoff=cut)
        assert len(ours.rows) == len(theirs.rows) == 2 ** len(conditions)
        for mine, other in zip(ours.rows, theirs.rows, strict=True):
            assert mine.config == tuple(other.configuration)
            assert mine.n == other.frequency
            assert set(mine.cases) == set(other.cases)
            if mine.n:
                assert mine.consistency == pytest.approx(other.consistency, abs=1e-12)
                assert mine.pri == pytest.approx(other.pri, abs=1e-12)
                assert mine.out == other.outcome
            else:  # setqca marks remainders "R"; R and multilat "?"
                assert mine.out == "?" and other.outcome == "R"


def test_direct_calibration_agrees_with_r_defaults() -> None:
    values = np.linspace(-10, 40, 101)
    for anchors in ((0.0, 10.0, 30.0), (30.0, 10.0, 0.0)):
        ours = calibrate_direct(values, *anchors, log_odds=R_QCA_LOG_ODDS)
        theirs = setqca.calibrate_direct(values, full_out=anchors[0], crossover=anchors[1],
                                         full_in=anchors[2])
        assert np.allclose(ours, theirs, atol=1e-12)
