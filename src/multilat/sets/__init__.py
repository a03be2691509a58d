"""Set-theoretic calculations (QCA): memberships, expressions, parameters of fit, truth
tables, calibration, case types and theory evaluation.

The numbers are those of R's ``QCA`` package (A. Dusa): consistency, PRI, coverage and
unique coverage as ``pof`` / ``minimize`` report them, truth tables as ``truthTable``
builds them; ``tests/sets/`` checks them against QCA's own test snapshots. See
``docs/sets.md``.

>>> from multilat.sets import SetTable, fit
>>> t = SetTable(["a", "b", "c"], {"X": [0.9, 0.2, 0.7], "Y": [1.0, 0.4, 0.6]})
>>> fit(t, "Y", "X").solution
Fit(consistency=0.944, pri=0.917, coverage=0.850)
"""

from __future__ import annotations

from .calibrate import R_QCA_LOG_ODDS, RAGIN_LOG_ODDS, calibrate_direct, crisp
from .cases import (
    CASE_KINDS,
    CaseType,
    TheoryEvaluation,
    TheoryIntersection,
    theory_evaluation,
    typology,
)
from .expression import Expression, parse_expression
from .fit import Fit, NecessityFit, SolutionFit, TermFit, fit, necessity, sufficiency
from .table import SetTable
from .truth import TruthRow, TruthTable, truth_table

__all__ = [
    "CASE_KINDS",
    "RAGIN_LOG_ODDS",
    "R_QCA_LOG_ODDS",
    "CaseType",
    "Expression",
    "Fit",
    "NecessityFit",
    "SetTable",
    "SolutionFit",
    "TermFit",
    "TheoryEvaluation",
    "TheoryIntersection",
    "TruthRow",
    "TruthTable",
    "calibrate_direct",
    "crisp",
    "fit",
    "necessity",
    "parse_expression",
    "sufficiency",
    "theory_evaluation",
    "truth_table",
    "typology",
]
