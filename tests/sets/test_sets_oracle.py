"""multilat.sets against R's QCA package: every expected number below is copied from QCA's
own test snapshots (github.com/dusadrian/QCA, tests/testthat/_snaps/, read at commit
ee9fd13d8e49483f887cbe929d941e7706bd7a71), rounded as R prints them (3 decimals).

The data (tests/data/qca/, provenance in its README) are the package's LF, LC and CVF.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from multilat.sets import SetTable, crisp, fit, necessity, truth_table

DATA = Path(__file__).parent.parent / "data" / "qca"
CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]


@pytest.fixture(scope="module")
def lf() -> SetTable:
    return SetTable.from_csv(DATA / "LF.csv")


@pytest.fixture(scope="module")
def lc() -> SetTable:
    return SetTable.from_csv(DATA / "LC.csv")


@pytest.fixture(scope="module")
def cvf() -> SetTable:
    return SetTable.from_csv(DATA / "CVF.csv")


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def test_lf_conservative_solution(lf: SetTable) -> None:
    # _snaps/minimize.md, "minimize(ttLF, details = TRUE, show.cases = TRUE)" where
    # ttLF <- truthTable(LF, SURV, incl.cut = 0.7, ...) (tests/testthat/test-minimize.R):
    #                      inclS   PRI   covS   covU
    # 1  DEV*~URB*LIT*STB  0.809  0.761  0.433  0.196
    # 2   DEV*LIT*IND*STB  0.843  0.821  0.622  0.385
    #                  M1  0.871  0.851  0.818
    result = fit(lf, "SURV", "DEV*~URB*LIT*STB + DEV*LIT*IND*STB")
    got = [(t.term, _rounded(t.consistency), _rounded(t.pri), _rounded(t.coverage),
            _rounded(t.unique_coverage)) for t in result.terms]
    assert got == [("DEV*~URB*LIT*STB", 0.809, 0.761, 0.433, 0.196),
                   ("DEV*LIT*IND*STB", 0.843, 0.821, 0.622, 0.385)]
    solution = result.solution
    assert (round(solution.consistency, 3), round(solution.pri, 3),
            round(solution.coverage, 3)) == (0.871, 0.851, 0.818)


def test_lf_parsimonious_solution(lf: SetTable) -> None:
    # _snaps/minimize.md, "minimize(ttLF, include = "?", details = TRUE, show.cases = TRUE)":
    #             inclS   PRI   covS   covU   cases
    # 1  DEV*STB  0.869  0.848  0.824    -    FI,IE; FR,SE; BE,CZ,NL,UK
    #         M1  0.869  0.848  0.824
    result = fit(lf, "SURV", "DEV*STB")
    (term,) = result.terms
    assert (term.term, round(term.consistency, 3), round(term.pri, 3),
            round(term.coverage, 3), term.unique_coverage) == ("DEV*STB", 0.869, 0.848, 0.824,
                                                              None)
    assert (round(result.solution.consistency, 3), round(result.solution.pri, 3),
            round(result.solution.coverage, 3)) == (0.869, 0.848, 0.824)


def test_lf_intermediate_solution(lf: SetTable) -> None:
    # _snaps/minimize.md, the same with dir.exp = "1,1,1,1,1": DEV*LIT*STB 0.869 0.848 0.824
    result = fit(lf, "SURV", "DEV*LIT*STB")
    assert [round(v, 3) for v in (result.solution.consistency, result.solution.pri,
                                  result.solution.coverage)] == [0.869, 0.848, 0.824]


def test_lf_truth_table_at_0_7(lf: SetTable) -> None:
    # ttLF <- truthTable(LF, SURV, incl.cut = 0.7): its conservative minimisation (above) is
    # DEV*~URB*LIT*STB + DEV*LIT*IND*STB, whose minterms are exactly rows 22 (10101),
    # 24 (10111) and 32 (11111): those are the rows with OUT = 1, and the "cases" column
    # (FI,IE; FR,SE and FR,SE; BE,CZ,NL,UK) gives their cases.
    table = truth_table(lf, "SURV", CONDITIONS, incl_cut=0.7)
    assert len(table.rows) == 32
    positive = {r.number: r.cases for r in table.rows if r.out == "1"}
    assert positive == {22: ("FI", "IE"), 24: ("FR", "SE"), 32: ("BE", "CZ", "NL", "UK")}
    # Issue 11 quotes R's truth-table PRI on LF for these three rows (32, 22, 24) as
    # 0.886 / 0.719 / 0.634 (and pyqca's wrong 0.872 / 0.610 / 0.424).
    assert [round(table.row(c).pri, 3) for c in ("11111", "10101", "10111")] == [
        0.886, 0.719, 0.634]
    # The parsimonious solution DEV*STB with include = "?" needs every observed row with
    # DEV and STB present to be positive and no observed negative row inside DEV*STB.
    for row in table.observed:
        assert (row.out == "1") == (row.config[0] == 1 and row.config[4] == 1)


def test_lf_rows_and_cases_are_those_of_lc(lf: SetTable, lc: SetTable) -> None:
    # _snaps/truthTable.md, "print(ttLC, show.cases = TRUE)" (LC is LF made crisp):
    expected = {1: ("GR", "PT", "ES"), 2: ("IT", "RO"), 5: ("HU", "PL"), 6: ("EE",),
                22: ("FI", "IE"), 23: ("AU",), 24: ("FR", "SE"), 31: ("DE",),
                32: ("BE", "CZ", "NL", "UK")}
    for data in (lf, lc):
        table = truth_table(data, "SURV", CONDITIONS)
        got = {r.number: r.cases for r in table.observed}
        # R lists a row's cases in the data's order; compare as sets, and n.
        assert {k: set(v) for k, v in got.items()} == {k: set(v) for k, v in expected.items()}
        assert {r.number: r.n for r in table.observed} == {k: len(v)
                                                           for k, v in expected.items()}
        assert all(r.n == 0 and r.consistency is None and r.out == "?"
                   for r in table.rows if r.number not in expected)
    # And LC is LF made crisp at 0.5, column by column.
    for name in lf.names:
        assert np.array_equal(crisp(lf.column(name)), lc.column(name))


def test_lc_truth_table(lc: SetTable) -> None:
    # _snaps/truthTable.md, "ttLC" (truthTable(LC, SURV)): OUT, n, incl, PRI of each row.
    expected = {1: ("0", 3, 0.0, 0.0), 2: ("0", 2, 0.0, 0.0), 5: ("0", 2, 0.0, 0.0),
                6: ("0", 1, 0.0, 0.0), 22: ("1", 2, 1.0, 1.0), 23: ("0", 1, 0.0, 0.0),
                24: ("1", 2, 1.0, 1.0), 31: ("0", 1, 0.0, 0.0), 32: ("1", 4, 1.0, 1.0)}
    table = truth_table(lc, "SURV")
    assert table.conditions == tuple(CONDITIONS)
    got = {r.number: (r.out, r.n, r.consistency, r.pri) for r in table.observed}
    assert got == expected


# _snaps/truthTable.md, "truthTable(CVF, PROTEST, incl.cut = 0.8, sort.by = "incl")":
#  row: (OUT, n, incl, PRI)
CVF_PROTEST = {
    31: ("1", 1, 0.959, 0.891), 29: ("1", 1, 0.957, 0.858), 27: ("1", 1, 0.938, 0.783),
    15: ("1", 2, 0.929, 0.839), 30: ("1", 2, 0.922, 0.667), 24: ("1", 2, 0.904, 0.754),
    32: ("1", 1, 0.892, 0.717), 5: ("1", 2, 0.874, 0.584), 16: ("1", 1, 0.821, 0.591),
    28: ("0", 1, 0.768, 0.225), 8: ("0", 1, 0.749, 0.248), 10: ("0", 1, 0.741, 0.086),
    6: ("0", 1, 0.732, 0.148), 22: ("0", 4, 0.725, 0.281), 20: ("0", 1, 0.711, 0.162),
    14: ("0", 3, 0.653, 0.098), 2: ("0", 4, 0.648, 0.182),
}
# ... and "truthTable(CVF, ~PROTEST, incl.cut = 0.8, sort.by = "incl")":
CVF_NOT_PROTEST = {
    10: ("1", 1, 0.976, 0.914), 6: ("1", 1, 0.953, 0.852), 28: ("1", 1, 0.933, 0.775),
    14: ("1", 3, 0.929, 0.816), 2: ("1", 4, 0.922, 0.818), 20: ("1", 1, 0.902, 0.714),
    8: ("1", 1, 0.902, 0.705), 22: ("1", 4, 0.846, 0.597), 30: ("1", 2, 0.843, 0.333),
    5: ("1", 2, 0.823, 0.416), 27: ("0", 1, 0.776, 0.217), 16: ("0", 1, 0.742, 0.409),
    29: ("0", 1, 0.738, 0.142), 32: ("0", 1, 0.726, 0.283), 24: ("0", 2, 0.699, 0.229),
    31: ("0", 1, 0.662, 0.109), 15: ("0", 2, 0.629, 0.161),
}


@pytest.mark.parametrize(("outcome", "expected"), [("PROTEST", CVF_PROTEST),
                                                    ("~PROTEST", CVF_NOT_PROTEST)])
def test_cvf_truth_table(cvf: SetTable, outcome: str, expected: dict[int, tuple]) -> None:
    table = truth_table(cvf, outcome, incl_cut=0.8)
    assert table.conditions == ("DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE")
    got = {r.number: (r.out, r.n, _rounded(r.consistency), _rounded(r.pri))
           for r in table.observed}
    assert got == expected
    assert sum(r.n for r in table.rows) == len(cvf.cases)


def test_cvf_sufficiency_of_an_expression(cvf: SetTable) -> None:
    # _snaps/pof.md, "pof("~NATPRIDE + GEOCON -> PROTEST", data = CVF)" and "-> ~PROTEST":
    for outcome, terms, whole in (
        ("PROTEST", [("~NATPRIDE", 0.899, 0.807, 0.597, 0.042),
                     ("GEOCON", 0.624, 0.449, 0.904, 0.349)], (0.633, 0.462, 0.946)),
        ("~PROTEST", [("~NATPRIDE", 0.561, 0.156, 0.381, 0.018),
                      ("GEOCON", 0.529, 0.309, 0.784, 0.421)], (0.524, 0.303, 0.803)),
    ):
        result = fit(cvf, outcome, "~NATPRIDE + GEOCON")
        assert [(t.term, _rounded(t.consistency), _rounded(t.pri), _rounded(t.coverage),
                 _rounded(t.unique_coverage)) for t in result.terms] == terms
        assert (round(result.solution.consistency, 3), round(result.solution.pri, 3),
                round(result.solution.coverage, 3)) == whole


def test_cvf_necessity(cvf: SetTable) -> None:
    # _snaps/pof.md, "pof(conds, PROTEST)" (necessity: inclN, RoN, covN) and
    # "pof(conds, 1 - PROTEST)".
    expected = {
        "PROTEST": {"DEMOC": (0.741, 0.758, 0.713), "ETHFRACT": (0.680, 0.830, 0.755),
                    "GEOCON": (0.904, 0.492, 0.624), "POLDIS": (0.518, 0.878, 0.744),
                    "NATPRIDE": (0.708, 0.523, 0.539)},
        "~PROTEST": {"DEMOC": (0.618, 0.682, 0.580), "ETHFRACT": (0.574, 0.760, 0.623),
                     "GEOCON": (0.784, 0.436, 0.529), "POLDIS": (0.335, 0.776, 0.470),
                     "NATPRIDE": (0.932, 0.622, 0.693)},
    }
    protest = cvf.column("PROTEST")
    for outcome, rows in expected.items():
        y = protest if outcome == "PROTEST" else 1 - protest
        for name, (incl, ron, cov) in rows.items():
            result = necessity(cvf.column(name), y)
            assert (round(result.consistency, 3), round(result.relevance, 3),
                    round(result.coverage, 3)) == (incl, ron, cov), (outcome, name)
    # "pof("~NATPRIDE + GEOCON <- PROTEST", data = CVF)": the expression 0.946 0.468 0.633
    union = np.maximum(1 - cvf.column("NATPRIDE"), cvf.column("GEOCON"))
    result = necessity(union, protest)
    assert (round(result.consistency, 3), round(result.relevance, 3),
            round(result.coverage, 3)) == (0.946, 0.468, 0.633)
