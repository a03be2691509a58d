"""Cases compared: the theory tested across cases, with set-theoretic fit and QCA export."""

from .compare import CaseComparison, CaseSummary, ComparisonRow, StudyTheoryFit, compare_cases
from .io import BUILTIN_STUDY, builtin_study, builtin_study_path, load_study, study_from_cases
from .model import MEMBERSHIP_KINDS, Membership, Study, StudyCase

__all__ = ["BUILTIN_STUDY", "MEMBERSHIP_KINDS", "CaseComparison", "CaseSummary",
           "ComparisonRow", "Membership", "Study", "StudyCase", "StudyTheoryFit",
           "builtin_study", "builtin_study_path", "compare_cases", "load_study",
           "study_from_cases"]
