"""Load, validate and write case files.

This is the only place raw YAML becomes :class:`~multilat.case.model.Case` objects. Loading
walks the whole file and raises one :class:`~multilat.errors.CaseFileError` listing every
problem with its file, line and field.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .._files import atomic_write_text
from .._validation import describe, schema_problems
from .._yaml import LocatedData, parse_yaml
from ..bibliography import Bibliography, load_bibliography
from ..errors import BibliographyError, CaseFileError, Problem, TheoryError
from ..theory import Theory, load_theory
from ..theory.model import Citation
from .model import Actor, Case, Claim, Evidence, Institution, Period
from .schema import case_schema

__all__ = ["case_to_dict", "dump_case", "load_case", "validate_case"]


def _years(value: int | list[int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (value[0], value[1])


def _theory_for(data: dict[str, Any], located: LocatedData, base: Path,
                problems: list[Problem]) -> Theory | None:
    reference = data["theory"]
    candidate = base / reference
    try:
        return load_theory(candidate if candidate.suffix in (".yaml", ".yml") else reference)
    except TheoryError as error:
        for problem in error.problems:
            if problem.file == str(candidate) or problem.found == "no such theory or file":
                problems.append(Problem(located.file, located.line(("theory",)), "theory",
                                        describe(reference), problem.expected))
            else:
                problems.append(problem)
        return None


def _check_semantics(located: LocatedData, base: Path) -> tuple[list[Problem], Theory | None]:
    data, file = located.data, located.file
    problems: list[Problem] = []

    def add(path: tuple[str | int, ...], field: str, found: str, expected: str) -> None:
        problems.append(Problem(file, located.line(path), field, found, expected))

    theory = _theory_for(data, located, base, problems)
    start, end = data["span"]["start"], data["span"]["end"]
    if start > end:
        add(("span",), "span", f"start {start} after end {end}", "start <= end")

    for section in ("actors", "periods", "evidence"):
        counts = Counter(item["id"] for item in data[section])
        for index, item in enumerate(data[section]):
            if counts[item["id"]] > 1:
                add((section, index, "id"), f"{section}[{index}].id",
                    f"the duplicate id {item['id']!r}", f"ids unique among {section}")
                counts[item["id"]] = 1  # report the later copies only

    roles = Counter(actor["role"] for actor in data["actors"])
    for role in ("rising", "established"):
        if roles[role] != 1:
            add(("actors",), "actors", f"{roles[role]} actors with role {role!r}",
                f"exactly one {role} actor")
    actor_ids = [actor["id"] for actor in data["actors"]]

    previous: tuple[int, str] | None = None
    for index, period in enumerate(sorted(data["periods"], key=lambda p: p["start"])):
        original = data["periods"].index(period)
        where = ("periods", original)
        if period["start"] > period["end"]:
            add(where, f"periods[{original}]", f"start {period['start']} after end "
                f"{period['end']}", "start <= end")
        if period["start"] < start or period["end"] > end:
            add(where, f"periods[{original}]", f"{period['start']}-{period['end']}",
                f"years inside the case's span {start}-{end}")
        if previous is not None and period["start"] <= previous[0]:
            add(where, f"periods[{original}]", f"an overlap with period {previous[1]!r}",
                "periods that do not overlap")
        previous = (period["end"], period["id"])

    targets = {name: (levels, sides) for name, levels, sides in theory.targets} if theory else {}
    bibliography = _bibliography(data, located, base, problems)

    def check_target(path: tuple[str | int, ...], item: dict[str, Any], label: str) -> None:
        variable = item["variable"]
        if variable not in targets:
            add((*path, "variable"), f"{label}.variable", describe(variable),
                f"one of: {', '.join(targets)}")
            return
        levels, sides = targets[variable]
        if item["level"] not in levels:
            add((*path, "level"), f"{label}.level", describe(item["level"]),
                f"one of: {', '.join(levels)} (levels of {variable})")
        if "side" in item or label.startswith("evidence"):
            side = item.get("side")
            if sides and side not in sides:
                add((*path, "side"), f"{label}.side", describe(side),
                    f"one of: {', '.join(sides)} (sides of {variable})")
            elif not sides and side is not None:
                add((*path, "side"), f"{label}.side", describe(side),
                    f"no side ({variable} has no sides)")

    def check_citation(path: tuple[str | int, ...], citation: dict[str, Any], label: str) -> None:
        if bibliography is not None and citation["key"] not in bibliography:
            add((*path, "citation", "key"), f"{label}.citation.key", describe(citation["key"]),
                f"a key of {data['bibliography']}")

    def check_years(path: tuple[str | int, ...], years: Any, label: str) -> None:
        first, last = _years(years)
        if first > last:
            add((*path, "years"), f"{label}.years", f"{first} after {last}", "[first, last]")
        elif first < start or last > end:
            add((*path, "years"), f"{label}.years", f"{first}-{last}" if first != last
                else str(first), f"years inside the case's span {start}-{end}")

    for index, item in enumerate(data["evidence"]):
        path, label = ("evidence", index), f"evidence[{index}]"
        if theory is not None:
            check_target(path, item, label)
        check_citation(path, item["citation"], label)
        check_years(path, item["years"], label)
        if item["actor"] not in actor_ids:
            add((*path, "actor"), f"{label}.actor", describe(item["actor"]),
                f"one of: {', '.join(actor_ids)}")
        if "likelihood_ratio" in item and item.get("found") is False:
            add((*path, "found"), f"{label}.found", "false with an explicit likelihood_ratio",
                "a strength label for a failed test, or the likelihood ratio of the absence "
                "itself with found: true")
        if "\n" in item["rationale"].strip():
            add((*path, "rationale"), f"{label}.rationale", "several lines", "one line")

    for index, claim in enumerate(data.get("claims", [])):
        path, label = ("claims", index), f"claims[{index}]"
        if theory is not None:
            check_target(path, claim, label)
        check_citation(path, claim["citation"], label)
        check_years(path, claim["years"], label)

    for variable, prior in data.get("priors", {}).items():
        path = ("priors", variable)
        if variable not in targets:
            if theory is not None:
                add(path, f"priors.{variable}", describe(variable),
                    f"one of: {', '.join(targets)}")
            continue
        levels = targets[variable][0]
        if sorted(prior) != sorted(levels):
            add(path, f"priors.{variable}", ", ".join(prior) or "no levels",
                f"a probability for each of: {', '.join(levels)}")
        elif abs(sum(prior.values()) - 1) > 1e-6:
            add(path, f"priors.{variable}", f"probabilities summing to {sum(prior.values()):g}",
                "probabilities summing to 1")
    return problems, theory


def _bibliography(data: dict[str, Any], located: LocatedData, base: Path,
                  problems: list[Problem]) -> Bibliography | None:
    path = base / data["bibliography"]
    try:
        return load_bibliography(path)
    except BibliographyError as error:
        for problem in error.problems:
            if problem.found == "no such file" or "suffix" in problem.found:
                problems.append(Problem(located.file, located.line(("bibliography",)),
                                        "bibliography", f"{describe(data['bibliography'])} "
                                        f"({problem.found})", problem.expected))
            else:
                problems.append(problem)
        return None


def validate_case(path: str | Path) -> list[Problem]:
    """Every problem of the case file at ``path`` (an empty list when it is valid)."""
    try:
        load_case(path)
    except CaseFileError as error:
        return list(error.problems)
    return []


def _read(path: Path) -> LocatedData:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError(str(path), [Problem(str(path), None, "", "no such file",
                                                "a case file (YAML)")]) from None
    except UnicodeDecodeError as error:
        raise CaseFileError(str(path), [Problem(str(path), None, "", f"bytes that are not "
                                                f"UTF-8 ({error.reason})", "UTF-8 text")]) from None
    except IsADirectoryError:
        raise CaseFileError(str(path), [Problem(str(path), None, "", "a folder",
                                                "a case file (YAML)")]) from None
    return parse_yaml(text, path)


def load_case(path: str | Path) -> Case:
    """Read and validate a case file.

    Raises
    ------
    CaseFileError
        Listing every problem found, each with file, line, field, found and expected.
    """
    path = Path(path)
    located = _read(path)
    problems = list(located.problems)
    if located.data is not None and not problems:
        problems = schema_problems(located, case_schema())
        if not problems:
            semantic, theory = _check_semantics(located, path.parent)
            problems.extend(semantic)
    elif located.data is None and not problems:
        problems.append(Problem(str(path), 1, "", "an empty file", "a case file"))
    if problems:
        raise CaseFileError(str(path), problems)
    return _build(located.data, str(path))


def _citation(raw: dict[str, Any]) -> Citation:
    pages = raw.get("pages")
    return Citation(raw["key"], None if pages is None else str(pages), raw.get("locator"))


def _build(data: dict[str, Any], source: str) -> Case:
    evidence = []
    for item in data["evidence"]:
        first, last = _years(item["years"])
        evidence.append(Evidence(
            id=item["id"], kind=item["kind"], start=first, end=last, actor=item["actor"],
            summary=" ".join(item["summary"].split()), variable=item["variable"],
            level=item["level"], citation=_citation(item["citation"]),
            rationale=" ".join(item["rationale"].split()), side=item.get("side"),
            strength=item.get("strength"),
            likelihood_ratio=(float(item["likelihood_ratio"]) if "likelihood_ratio" in item
                              else None),
            found=item.get("found", True), reliability=float(item.get("reliability", 1.0)),
            quote=item.get("quote"), layer=item.get("layer", "core"),
        ))
    claims = []
    for claim in data.get("claims", []):
        first, last = _years(claim["years"])
        claims.append(Claim(claim["variable"], claim["level"], first, last,
                            _citation(claim["citation"]), " ".join(claim.get("note", "").split())))
    return Case(
        id=data["id"], title=data["title"], theory=data["theory"],
        institution=Institution(data["institution"]["id"], data["institution"]["name"]),
        actors=tuple(Actor(a["id"], a["name"], a["role"]) for a in data["actors"]),
        start=data["span"]["start"], end=data["span"]["end"],
        periods=tuple(Period(p["id"], p["start"], p["end"], p.get("label", ""))
                      for p in data["periods"]),
        bibliography=data["bibliography"], evidence=tuple(evidence),
        description=" ".join(data.get("description", "").split()),
        priors=MappingProxyType({k: MappingProxyType(dict(v))
                                 for k, v in data.get("priors", {}).items()}),
        claims=tuple(claims), schema_version=data["schema_version"], source=source,
    )


def _years_out(start: int, end: int) -> int | list[int]:
    return start if start == end else [start, end]


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as plain data in the file format (what :func:`dump_case` writes)."""
    out: dict[str, Any] = {
        "schema_version": case.schema_version, "id": case.id, "title": case.title,
        "theory": case.theory,
    }
    if case.description:
        out["description"] = case.description
    out["institution"] = {"id": case.institution.id, "name": case.institution.name}
    out["actors"] = [{"id": a.id, "name": a.name, "role": a.role} for a in case.actors]
    out["span"] = {"start": case.start, "end": case.end}
    out["periods"] = [{"id": p.id, **({"label": p.label} if p.label else {}),
                       "start": p.start, "end": p.end} for p in case.periods]
    out["bibliography"] = case.bibliography
    if case.priors:
        out["priors"] = {k: dict(v) for k, v in case.priors.items()}
    if case.claims:
        out["claims"] = [{"variable": c.variable, "level": c.level,
                          "years": _years_out(c.start, c.end), "citation": c.citation.to_dict(),
                          **({"note": c.note} if c.note else {})} for c in case.claims]
    items = []
    for e in case.evidence:
        item: dict[str, Any] = {"id": e.id, "kind": e.kind, "years": _years_out(e.start, e.end),
                                "actor": e.actor, "summary": e.summary}
        if e.quote is not None:
            item["quote"] = e.quote
        item.update({"variable": e.variable, "level": e.level})
        if e.side is not None:
            item["side"] = e.side
        if e.strength is not None:
            item["strength"] = e.strength
        if e.likelihood_ratio is not None:
            item["likelihood_ratio"] = e.likelihood_ratio
        item.update({"found": e.found, "reliability": e.reliability,
                     "citation": e.citation.to_dict(), "rationale": e.rationale})
        if e.layer != "core":
            item["layer"] = e.layer
        items.append(item)
    out["evidence"] = items
    return out


def dump_case(case: Case, path: str | Path, *, backup: bool = True) -> Path:
    """Write ``case`` as YAML, atomically; an existing file is first kept as ``.bak``."""
    text = yaml.safe_dump(case_to_dict(case), sort_keys=False, allow_unicode=True, width=100)
    atomic_write_text(path, text, backup=backup)
    return Path(path)
