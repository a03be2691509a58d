"""More of R QCA's snapshots (github.com/dusadrian/QCA, tests/testthat/_snaps/ at commit
ee9fd13d8e49483f887cbe929d941e7706bd7a71): four-term fuzzy solutions on d.jobsecurity and
the crisp d.represent (truth table with cases; necessity and sufficiency of each condition).
Data: tests/data/qca/jobsecurity.csv and represent.csv (provenance in the README there).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from multilat.sets import SetTable, fit, necessity, sufficiency, truth_table

DATA = Path(__file__).parent.parent / "data" / "qca"


@pytest.fixture(scope="module")
def jobs() -> SetTable:
    return SetTable.from_csv(DATA / "jobsecurity.csv")


@pytest.fixture(scope="module")
def represent() -> SetTable:
    return SetTable.from_csv(DATA / "represent.csv")


def _terms(result: object) -> list[tuple]:
    return [(t.term, round(t.consistency, 3), round(t.pri, 3), round(t.coverage, 3),
             None if t.unique_coverage is None else round(t.unique_coverage, 3))
            for t in result.terms]  # type: ignore[attr-defined]


def _whole(result: object) -> tuple[float, float, float]:
    s = result.solution  # type: ignore[attr-defined]
    return round(s.consistency, 3), round(s.pri, 3), round(s.coverage, 3)


def test_four_term_intermediate_solution(jobs: SetTable) -> None:
    # _snaps/minimize.md, "Emm.si": M1: S*R*~V + S*C*R*P + S*L*R*P + C*L*P*~V -> JSR
    result = fit(jobs, "JSR", "S*R*~V + S*C*R*P + S*L*R*P + C*L*P*~V")
    assert _terms(result) == [("S*R*~V", 0.990, 0.983, 0.402, 0.152),
                              ("S*C*R*P", 0.965, 0.921, 0.277, 0.041),
                              ("S*L*R*P", 1.000, 1.000, 0.354, 0.027),
                              ("C*L*P*~V", 0.964, 0.872, 0.297, 0.138)]
    assert _whole(result) == (0.965, 0.941, 0.685)


def test_the_same_terms_for_the_negated_outcome(jobs: SetTable) -> None:
    # _snaps/pof.md, "pof("SR~V + CLP~V + SCRP + SLRP -> ~JSR", data = d.jobsecurity)"
    result = fit(jobs, "~JSR", "S*R*~V + C*L*P*~V + S*C*R*P + S*L*R*P")
    assert _terms(result) == [("S*R*~V", 0.438, 0.017, 0.198, 0.031),
                              ("C*L*P*~V", 0.756, 0.128, 0.259, 0.108),
                              ("S*C*R*P", 0.557, 0.000, 0.178, 0.000),
                              ("S*L*R*P", 0.492, 0.000, 0.193, 0.000)]
    assert _whole(result) == (0.421, 0.035, 0.332)


@pytest.mark.parametrize(("outcome", "expression", "whole"), [
    # _snaps/minimize.md, minimize(d.jobsecurity, outcome = "JSR", incl.cut = 0.9,
    # include = "?", details = TRUE): M1 and M2
    ("JSR", "S*R + L*P", (0.883, 0.821, 0.762)),
    ("JSR", "S*R + P*~V", (0.874, 0.813, 0.752)),
    ("JSR", "S*R", (0.871, 0.821, 0.610)),
    ("JSR", "L*P", (0.979, 0.955, 0.506)),
    ("JSR", "P*~V", (0.950, 0.883, 0.417)),
    # ... outcome = "~JSR", incl.cut1 = 0.9, incl.cut0 = 0.4, explain = "C": M1 to M3
    ("~JSR", "P + ~S*C", (0.400, 0.133, 0.439)),
    ("~JSR", "P + ~S*L*~V", (0.427, 0.161, 0.476)),
    ("~JSR", "P + ~S*~R*~V", (0.451, 0.167, 0.468)),
    ("~JSR", "P", (0.438, 0.119, 0.409)),
    ("~JSR", "~S*C", (0.542, 0.262, 0.281)),
    ("~JSR", "~S*L*~V", (0.596, 0.265, 0.259)),
    ("~JSR", "~S*~R*~V", (0.656, 0.342, 0.203)),
])
def test_model_fits(jobs: SetTable, outcome: str, expression: str,
                    whole: tuple[float, float, float]) -> None:
    assert _whole(fit(jobs, outcome, expression)) == whole


def test_crisp_truth_table_with_cases(represent: SetTable) -> None:
    # _snaps/truthTable.md, "truthTable(d.represent, outcome = WNP, complete = TRUE,
    # show.cases = TRUE, ...)" (R's default incl.cut is 1; 14 observed rows):
    positive = {4: "NZ", 12: "DE", 21: "FI", 24: "DK", 26: "AT", 27: "ES", 29: "SE",
                28: "NL,BE", 32: "NO,IS"}
    negative = {9: "IT", 18: "LU", 3: "CA,US", 25: "CH,PT,GR", 11: "AU,GB,FR,IE"}
    table = truth_table(represent, "WNP", incl_cut=1)
    assert table.conditions == ("ES", "QU", "WS", "WM", "LP")
    for row in table.rows:
        if row.number in positive:
            assert (row.out, row.consistency, row.pri) == ("1", 1.0, 1.0)
            assert set(row.cases) == set(positive[row.number].split(","))
        elif row.number in negative:
            assert (row.out, row.consistency, row.pri) == ("0", 0.0, 0.0)
            assert set(row.cases) == set(negative[row.number].split(","))
        else:
            assert (row.out, row.n, row.consistency) == ("?", 0, None)


def test_crisp_necessity_and_sufficiency(represent: SetTable) -> None:
    # _snaps/pof.md, "pof(x, WNP)": inclN, RoN, covN; "pof(1 - x, 1 - WNP)";
    # "pof(x, WNP, relation = "suf")": inclS, PRI, covS.
    wnp = represent.column("WNP")
    necessary = {"ES": (0.818, 0.692, 0.692), "QU": (0.727, 0.429, 0.500),
                 "WS": (0.455, 1.000, 1.000), "WM": (0.727, 0.571, 0.571),
                 "LP": (0.727, 0.929, 0.889)}
    negated = {"ES": (0.636, 0.867, 0.778), "QU": (0.273, 0.842, 0.500),
               "WS": (1.000, 0.455, 0.647), "WM": (0.455, 0.824, 0.625),
               "LP": (0.909, 0.750, 0.769)}
    sufficient = {"ES": (0.692, 0.692, 0.818), "QU": (0.500, 0.500, 0.727),
                  "WS": (1.000, 1.000, 0.455), "WM": (0.571, 0.571, 0.727),
                  "LP": (0.889, 0.889, 0.727)}
    for name in necessary:
        x = represent.column(name)
        n = necessity(x, wnp)
        assert (round(n.consistency, 3), round(n.relevance, 3), round(n.coverage, 3)) == \
            necessary[name]
        m = necessity(1 - x, 1 - wnp)
        assert (round(m.consistency, 3), round(m.relevance, 3), round(m.coverage, 3)) == \
            negated[name]
        s = sufficiency(x, wnp)
        assert (round(s.consistency, 3), round(s.pri, 3), round(s.coverage, 3)) == \
            sufficient[name]


def test_parsimonious_models_on_represent(represent: SetTable) -> None:
    # _snaps/minimize.md, "Kro.sp": M1: WS + ES*WM + QU*LP + (~ES*LP), M2: ... + (WM*LP),
    # each 1.000 1.000 1.000; the terms' covS 0.455, 0.545, 0.545, 0.182 / 0.636.
    for extra, coverage in (("~ES*LP", 0.182), ("WM*LP", 0.636)):
        result = fit(represent, "WNP", f"WS + ES*WM + QU*LP + {extra}")
        assert _whole(result) == (1.0, 1.0, 1.0)
        assert [round(t.coverage, 3) for t in result.terms] == [0.455, 0.545, 0.545,
                                                                 coverage]
        assert all(t.consistency == 1.0 for t in result.terms)
