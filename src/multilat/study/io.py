"""Reading study files: YAML, located problems, cases as files or built-in names.

A study file::

    schema_version: 1
    id: eurasian-integration
    title: Rising powers in Eurasian integration
    theory: kpr-invest          # optional: default, each case under its own theory
    theories: [kpr, kpr-invest] # optional: compared over all cases
    unit: period                # or year
    incl_cut: 0.8               # truth-table consistency threshold
    undecided: exclude          # rows no evidence decides (P = 0.5): exclude, or error
    membership:                 # one choice or a list; the first is the primary one
      - fuzzy
      - crisp
      - {calibrated: [0.2, 0.5, 0.8]}
    cases:
      - kazakhstan-eaeu                       # a built-in case
      - {case: ../belarus/case.yaml}          # a file, relative to the study file
      - {case: china.yaml, issue_area: dprk}  # one issue area of a case
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from .._files import read_text
from .._validation import schema_problems
from .._yaml import parse_yaml
from ..errors import Problem, StudyFileError
from .model import Membership, Study, StudyCase

__all__ = ["BUILTIN_STUDY", "builtin_study", "builtin_study_path", "is_study_file", "load_study",
           "study_from_cases"]

#: The study ``compare-cases`` runs without arguments.
BUILTIN_STUDY = "rising-powers"
MAX_FILE_BYTES = 1_000_000
_ID = "^[A-Za-z0-9][A-Za-z0-9_.-]*$"

_MEMBERSHIP = {
    "oneOf": [
        {"enum": ["fuzzy", "crisp"]},
        {"type": "object", "additionalProperties": False, "required": ["calibrated"],
         "properties": {"calibrated": {"type": "array", "minItems": 3, "maxItems": 3,
                                       "items": {"type": "number", "minimum": 0,
                                                 "maximum": 1}}}},
    ]
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["schema_version", "id", "cases"],
    "properties": {
        "schema_version": {"const": 1},
        "id": {"type": "string", "pattern": _ID},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "theory": {"type": "string", "minLength": 1},
        "theories": {"type": "array", "items": {"type": "string", "minLength": 1},
                     "maxItems": 50},
        "unit": {"enum": ["period", "year"]},
        "incl_cut": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "undecided": {"enum": ["exclude", "error"]},
        "membership": {"oneOf": [_MEMBERSHIP, {"type": "array", "items": _MEMBERSHIP,
                                               "minItems": 1, "maxItems": 10}]},
        "cases": {
            "type": "array", "minItems": 1, "maxItems": 10_000,
            "items": {"oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "additionalProperties": False, "required": ["case"],
                 "properties": {"case": {"type": "string", "minLength": 1},
                                "issue_area": {"type": "string", "pattern": _ID},
                                "label": {"type": "string"}}},
            ]},
        },
    },
}


def _membership(raw: Any) -> Membership:
    if isinstance(raw, str):
        return Membership(raw)
    low, mid, high = (float(v) for v in raw["calibrated"])
    return Membership("calibrated", (low, mid, high))


def _semantic(data: dict[str, Any], located: Any) -> list[Problem]:
    problems = []
    raw = data.get("membership", ["fuzzy", "crisp"])
    for index, choice in enumerate(raw if isinstance(raw, list) else [raw]):
        if isinstance(choice, dict):
            low, mid, high = choice["calibrated"]
            if not low < mid < high:
                where = ("membership", index) if isinstance(raw, list) else ("membership",)
                problems.append(Problem(located.file, located.line(where),
                                        ".".join(str(w) for w in where) + ".calibrated",
                                        f"{low}, {mid}, {high}",
                                        "three anchors with exclusion < crossover < inclusion"))
    seen: dict[tuple[str, str | None], int] = {}
    for index, entry in enumerate(data["cases"]):
        key = (entry, None) if isinstance(entry, str) else (entry["case"],
                                                            entry.get("issue_area"))
        if key in seen:
            problems.append(Problem(located.file, located.line(("cases", index)),
                                    f"cases[{index}]", f"{key[0]!r} again",
                                    f"each case (and issue area) once; first at "
                                    f"cases[{seen[key]}]"))
        seen.setdefault(key, index)
    return problems


def load_study(path: str | Path) -> Study:
    """Read and check a study file.

    Raises
    ------
    StudyFileError
        Listing every problem, each with file, line, field, found and expected.
    """
    path = Path(path)
    text = read_text(path, "a study file (YAML)", max_bytes=MAX_FILE_BYTES)
    if isinstance(text, Problem):
        raise StudyFileError(str(path), [text])
    located = parse_yaml(text, path)
    if located.problems:
        raise StudyFileError(str(path), located.problems)
    problems = schema_problems(located, SCHEMA)
    if problems:
        raise StudyFileError(str(path), problems)
    data = located.data
    problems = _semantic(data, located)
    if problems:
        raise StudyFileError(str(path), problems)
    raw = data.get("membership", ["fuzzy", "crisp"])
    cases = tuple(StudyCase(e) if isinstance(e, str) else
                  StudyCase(e["case"], e.get("issue_area"), e.get("label", ""))
                  for e in data["cases"])
    return Study(
        id=data["id"], title=data.get("title", data["id"]), cases=cases,
        theory=data.get("theory"), theories=tuple(data.get("theories", ())),
        memberships=tuple(_membership(m) for m in (raw if isinstance(raw, list) else [raw])),
        unit=data.get("unit", "period"), incl_cut=float(data.get("incl_cut", 0.8)),
        undecided=data.get("undecided", "exclude"),
        description=data.get("description", "").strip(), source=str(path),
        folder=str(path.parent))


def study_from_cases(cases: list[str], *, theory: str | None = None,
                     memberships: tuple[Membership, ...] | None = None,
                     unit: str = "period", incl_cut: float = 0.8) -> Study:
    """A study of the given case files or built-in names (``CASE`` or ``CASE#AREA`` for one
    issue area), each under its own theory unless ``theory`` is given."""
    entries = []
    for ref in cases:
        name, _, area = ref.partition("#")
        entries.append(StudyCase(name, area or None))
    return Study(id="cases", title="Cases compared", cases=tuple(entries), theory=theory,
                 memberships=memberships or (Membership("fuzzy"), Membership("crisp")),
                 unit=unit, incl_cut=incl_cut, folder=str(Path.cwd()))


def builtin_study_path(name: str = BUILTIN_STUDY) -> Path:
    """The file of a built-in study."""
    return Path(str(resources.files("multilat") / "studies" / f"{name}.yaml"))


def builtin_study(name: str = BUILTIN_STUDY) -> Study:
    """The built-in study (the seed's case and the other built-in cases)."""
    return load_study(builtin_study_path(name))


def is_study_file(path: Path) -> bool:
    """Whether ``path`` is a study file (a YAML mapping with ``cases`` and no ``actors``)
    rather than a case file; a file that cannot be read is not a study."""
    if not path.is_file() or path.suffix not in (".yaml", ".yml"):
        return False
    text = read_text(path, "a study or case file (YAML)", max_bytes=MAX_FILE_BYTES)
    if isinstance(text, Problem):
        return False
    data = parse_yaml(text, path).data
    return isinstance(data, dict) and "cases" in data and "actors" not in data
