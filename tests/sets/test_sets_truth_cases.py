"""Truth-table options and errors; case types; theory evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from multilat.errors import InputError
from multilat.sets import (
    SetTable,
    sufficiency,
    theory_evaluation,
    truth_table,
    typology,
)

LF = Path(__file__).parent.parent / "data" / "qca" / "LF.csv"


@pytest.fixture(scope="module")
def lf() -> SetTable:
    return SetTable.from_csv(LF)


def test_all_rows_in_r_order(lf: SetTable) -> None:
    table = truth_table(lf, "SURV", ["DEV", "STB"])
    assert [r.config for r in table.rows] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [r.number for r in table.rows] == [1, 2, 3, 4]
    assert sum(r.n for r in table.rows) == 18
    assert table.row("11") is table.rows[3] and table.row([0, 1]) is table.rows[1]
    assert str(table.expression(table.rows[2])) == "DEV*~STB"
    # A row's consistency is that of its configuration's expression.
    row = table.rows[3]
    expected = sufficiency(table.expression(row).membership(lf), lf.column("SURV"))
    assert (row.consistency, row.pri) == (expected.consistency, expected.pri)
    document = table.to_dict()
    json.dumps(document)
    assert document["rows"][3]["cases"] == list(row.cases)
    assert "4 rows" in repr(table)


def test_default_conditions_leave_out_the_outcome(lf: SetTable) -> None:
    assert truth_table(lf, "~SURV").conditions == ("DEV", "URB", "LIT", "IND", "STB")
    assert truth_table(lf, "SURV*STB").conditions == ("DEV", "URB", "LIT", "IND")


def test_n_cut_makes_rare_rows_remainders(lf: SetTable) -> None:
    table = truth_table(lf, "SURV", ["DEV", "URB", "LIT", "IND", "STB"], incl_cut=0.7,
                        n_cut=2)
    single = [r for r in table.observed if r.n == 1]
    assert single and all(r.out == "?" and r.consistency is not None for r in single)
    assert {r.number for r in table.rows if r.out == "1"} == {22, 24, 32}


def test_pri_cut(lf: SetTable) -> None:
    table = truth_table(lf, "SURV", incl_cut=0.7, pri_cut=0.7)
    assert {r.number for r in table.rows if r.out == "1"} == {22, 32}  # row 24: PRI 0.634


def test_a_condition_at_exactly_half_is_an_error(lf: SetTable) -> None:
    data = lf.with_column("DEV", [0.5 if c == "FI" else v
                                  for c, v in zip(lf.cases, lf.column("DEV"), strict=True)])
    with pytest.raises(InputError, match="exactly 0.5 for case 'FI' in 'DEV'"):
        truth_table(data, "SURV")
    # ... in the outcome it is not.
    data = lf.with_column("SURV", [0.5] * 18)
    assert truth_table(data, "SURV").rows


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"conditions": ["DEV", "DEVV"]}, "conditions: found 'DEVV'.*did you mean 'DEV'"),
    ({"conditions": ["DEV", "DEV"]}, "conditions: found 'DEV' twice"),
    ({"conditions": []}, "conditions: found none"),
    ({"incl_cut": 1.5}, "incl_cut: found 1.5"),
    ({"incl_cut": "x"}, "incl_cut: found 'x'"),
    ({"n_cut": 0}, "n_cut: found 0"),
    ({"n_cut": 1.5}, "n_cut: found 1.5"),
])
def test_option_errors(lf: SetTable, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        truth_table(lf, "SURV", **kwargs)


def test_too_many_conditions() -> None:
    names = {f"C{i}": [0.2, 0.8] for i in range(17)}
    table = SetTable(["a", "b"], {**names, "Y": [0.1, 0.9]})
    with pytest.raises(InputError, match="conditions: found 17; expected at most 16"):
        truth_table(table, "Y")


def test_typology(lf: SetTable) -> None:
    x = np.minimum(lf.column("DEV"), lf.column("STB"))
    types = typology(x, lf.column("SURV"), lf.cases)
    kinds = {t.case: t.kind for t in types}
    # DEV*STB > .5: FI, IE, FR, SE, BE, CZ, NL, UK all survived: typical.
    assert {c for c, k in kinds.items() if k == "typical"} == {
        "FI", "IE", "FR", "SE", "BE", "CZ", "NL", "UK"}
    assert {c for c, k in kinds.items() if k == "individually irrelevant"} == set(
        lf.cases) - {"FI", "IE", "FR", "SE", "BE", "CZ", "NL", "UK"}
    by_case = {t.case: t for t in types}
    assert (by_case["FI"].x, by_case["FI"].y) == (0.58, 0.77)
    assert by_case["FI"].to_dict() == {"case": "FI", "kind": "typical", "x": 0.58, "y": 0.77}
    deviant = typology([0.8, 0.3], [0.2, 0.9], ["a", "b"])
    assert [t.kind for t in deviant] == ["deviant consistency", "deviant coverage"]
    with pytest.raises(InputError, match="exactly 0.5 for case 'b'"):
        typology([0.8, 0.5], [0.2, 0.9], ["a", "b"])
    with pytest.raises(InputError, match="cases: found 1 names; expected 2"):
        typology([0.8, 0.4], [0.2, 0.9], ["a"])


def test_theory_evaluation(lf: SetTable) -> None:
    # Theory: development and literacy; solution: the parsimonious DEV*STB.
    result = theory_evaluation(lf, "DEV*LIT", "DEV*STB", "SURV")
    assert [i.label for i in result.intersections] == ["T*S", "T*~S", "~T*S", "~T*~S"]
    both = result.intersection("T*S")
    assert both.expression == "DEV*LIT*STB"
    assert set(both.cases_in_outcome) == {"FI", "IE", "FR", "SE", "BE", "CZ", "NL", "UK"}
    assert both.cases_not_in_outcome == ()
    theory_only = result.intersection("T*~S")
    assert theory_only.expression == "DEV*LIT*~(DEV*STB)"
    assert set(theory_only.cases_not_in_outcome) == {"AU", "DE"}
    assert theory_only.cases_in_outcome == ()
    assert result.intersection("~T*S").cases_in_outcome == ()
    every = [c for i in result.intersections
             for c in i.cases_in_outcome + i.cases_not_in_outcome]
    assert sorted(every) == sorted(lf.cases)  # no membership of exactly 0.5 here
    # The fit of each intersection is that of its expression.
    member = np.minimum(np.minimum(lf.column("DEV"), lf.column("LIT")),
                        1 - np.minimum(lf.column("DEV"), lf.column("STB")))
    assert theory_only.fit == sufficiency(member, lf.column("SURV"))
    assert theory_only.consistency == theory_only.fit.consistency
    json.dumps(result.to_dict())
    assert "T*S: 8" in repr(result)
    assert result.solution_fit == sufficiency(np.minimum(lf.column("DEV"), lf.column("STB")),
                                              lf.column("SURV"))
    assert result.theory_fit == sufficiency(np.minimum(lf.column("DEV"), lf.column("LIT")),
                                            lf.column("SURV"))
    with pytest.raises(InputError, match="^theory: found the set 'DEVV'"):
        theory_evaluation(lf, "DEVV", "DEV", "SURV")
    with pytest.raises(InputError, match="^solution: found"):
        theory_evaluation(lf, "DEV", "DEV*", "SURV")
    with pytest.raises(InputError, match="label: found 'X'"):
        result.intersection("X")
