"""Evidence weighing: from cited items to beliefs per year and per period."""

from .weighing import (
    EvidenceTable,
    VariableBeliefs,
    evidence_weight,
    infer_variables,
    tabulate_evidence,
)

__all__ = [
    "EvidenceTable",
    "VariableBeliefs",
    "evidence_weight",
    "infer_variables",
    "tabulate_evidence",
]
