"""Load, validate and write case files.

This is the only place raw YAML becomes :class:`~multilat.case.model.Case` objects. Loading
walks the whole file and raises one :class:`~multilat.errors.CaseFileError` listing every
problem with its file, line and field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .._files import atomic_write_text, is_file, read_text
from .._validation import describe, schema_problems
from .._yaml import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LocatedData,
    format_path,
    gc_paused,
    parse_yaml,
)
from ..bibliography import Bibliography, load_bibliography
from ..errors import (
    FILE_KIND,
    FILE_MISSING,
    THEORY_UNKNOWN,
    BibliographyError,
    CaseFileError,
    Problem,
    TheoryError,
)
from ..theory import Theory, resolve_theory
from ..theory.model import Citation
from .layers import layer_format, read_layer, write_layer
from .model import (
    NO_ROLE,
    Actor,
    Case,
    Claim,
    Evidence,
    EvidenceGroup,
    Institution,
    IssueArea,
    Period,
)
from .schema import case_schema, evidence_file_schema

__all__ = ["case_from_mapping", "case_to_dict", "dump_case", "load_case", "validate_case",
           "validate_case_mapping"]


def _years(value: int | list[int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (value[0], value[1])


def _theory_for(reference: str, located: LocatedData, where: tuple[str | int, ...],
                base: Path, problems: list[Problem]) -> Theory | None:
    try:
        return resolve_theory(reference, base)
    except TheoryError as error:
        for problem in error.problems:
            if problem.code == THEORY_UNKNOWN and problem.file == reference:
                problems.append(Problem(located.file, located.line(where), format_path(where),
                                        describe(reference), problem.expected))
            else:
                problems.append(problem)
        return None


@dataclass
class _Context:
    """What the checks of evidence items need to know about the case."""

    start: int
    end: int
    actor_ids: list[str]
    targets: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    holders: dict[str, list[str]]
    spans: dict[str | None, tuple[int, int]]
    broken_roles: set[str]
    theories_ok: bool
    bibliography: Bibliography | None
    bibliography_name: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, located: LocatedData, path: tuple[str | int, ...], found: str,
            expected: str) -> None:
        self.problems.append(Problem(located.file, located.line(path), format_path(path),
                                     found, expected))

    def check_target(self, located: LocatedData, path: tuple[str | int, ...],
                     item: dict[str, Any], is_evidence: bool) -> None:
        if not self.theories_ok:
            return
        variable = item["variable"]
        if variable not in self.targets:
            self.add(located, (*path, "variable"), describe(variable),
                     f"one of: {', '.join(self.targets)}")
            return
        levels, sides = self.targets[variable]
        if is_evidence and "likelihoods" in item:
            self.check_likelihoods(located, path, item, levels)
        elif item["level"] not in levels:
            self.add(located, (*path, "level"), describe(item["level"]),
                     f"one of: {', '.join(levels)} (levels of {variable})")
        if is_evidence or "side" in item:
            side = item.get("side")
            if sides and side not in sides:
                self.add(located, (*path, "side"), describe(side),
                         f"one of: {', '.join(sides)} (sides of {variable})")
            elif not sides and side is not None:
                self.add(located, (*path, "side"), describe(side),
                         f"no side ({variable} has no sides)")
            elif side is not None:
                self.check_whose(located, path, item, side)
        if "whose" in item and item.get("side") is None:
            self.add(located, (*path, "whose"), describe(item["whose"]),
                     "whose only with a side (the actor of that side the item is about)")

    def check_likelihoods(self, located: LocatedData, path: tuple[str | int, ...],
                          item: dict[str, Any], levels: tuple[str, ...]) -> None:
        """``likelihoods`` over exactly the variable's levels, finite, not ruling out every
        level; a ``level`` given is one of the most likely."""
        given = item["likelihoods"]
        where = (*path, "likelihoods")
        if sorted(given) != sorted(levels):
            self.add(located, where, ", ".join(map(str, given)) or "no levels",
                     f"a probability for each of: {', '.join(levels)} (levels of "
                     f"{item['variable']})")
            return
        if any(not math.isfinite(v) for v in given.values()):
            self.add(located, where, "a number that is not finite", "probabilities in [0, 1]")
            return
        found = item.get("found", True) is not False
        observed = {k: (v if found else 1 - v) for k, v in given.items()}
        if all(v == 0 for v in observed.values()):
            self.add(located, where, "P(E | level) = 1 for every level with found: false"
                     if not found else "P(E | level) = 0 for every level",
                     "likelihoods that leave some level possible (this item rules out "
                     f"every level: {', '.join(levels)})")
        level = item.get("level")
        if level is not None:
            best = max(given.values())
            if level not in given:
                self.add(located, (*path, "level"), describe(level),
                         f"one of: {', '.join(levels)} (levels of {item['variable']})")
            elif given[level] < best:
                tops = [k for k, v in given.items() if v == best]
                self.add(located, (*path, "level"), f"{describe(level)} with P(E | level) "
                         f"{given[level]:g}", f"the most likely level: {', '.join(tops)} "
                         f"(P(E | level) {best:g}), or no level")

    def check_whose(self, located: LocatedData, path: tuple[str | int, ...],
                    item: dict[str, Any], side: str) -> None:
        whose = item.get("whose")
        role_of = {actor: role for role, ids in self.holders.items() for actor in ids}
        if side in self.broken_roles or role_of.get(whose) in self.broken_roles:
            return  # the role's own problem (unknown role, too many actors) says it all
        holders = self.holders.get(side, [])
        if whose is None:
            if len(holders) > 1:
                self.add(located, (*path, "whose"), "no whose",
                         f"one of: {', '.join(holders)} (the case's actors with role {side}: "
                         "say whose situation the item is about)")
        elif whose not in holders:
            self.add(located, (*path, "whose"), describe(whose),
                     f"one of: {', '.join(holders) or 'none'} (the case's actors with role "
                     f"{side})")

    def check_citation(self, located: LocatedData, path: tuple[str | int, ...],
                       citation: dict[str, Any]) -> None:
        if self.bibliography is not None and citation["key"] not in self.bibliography:
            self.add(located, (*path, "citation", "key"), describe(citation["key"]),
                     f"a key of {self.bibliography_name}")

    def check_years(self, located: LocatedData, path: tuple[str | int, ...],
                    item: dict[str, Any]) -> None:
        area = item.get("issue_area")
        if area is not None and area not in self.spans:
            known = ", ".join(str(a) for a in self.spans if a is not None)
            self.add(located, (*path, "issue_area"), describe(area),
                     f"one of the case's issue_areas: {known}" if known else
                     "no issue_area (the case declares no issue_areas)")
            return
        start, end = self.spans[area]
        first, last = _years(item["years"])
        where = "the case's span" if area is None else f"the span of issue area {area}"
        if first > last:
            self.add(located, (*path, "years"), f"{first} after {last}", "[first, last]")
        elif first < start or last > end:
            self.add(located, (*path, "years"),
                     f"{first}-{last}" if first != last else str(first),
                     f"years inside {where} {start}-{end}")

    def check_evidence(self, located: LocatedData, prefix: tuple[str | int, ...],
                       items: list[dict[str, Any]], skip: set[int]) -> None:
        for index, item in enumerate(items):
            if index in skip:
                continue
            path = (*prefix, index)
            self.check_target(located, path, item, True)
            self.check_citation(located, path, item["citation"])
            self.check_years(located, path, item)
            if item["actor"] not in self.actor_ids:
                self.add(located, (*path, "actor"), describe(item["actor"]),
                         f"one of: {', '.join(self.actor_ids)}")
            for name in ("likelihood_ratio", "reliability"):
                number = item.get(name)
                if isinstance(number, float) and not math.isfinite(number):
                    self.add(located, (*path, name), str(number), "a finite number")
            if "likelihood_ratio" in item and item.get("found") is False:
                self.add(located, (*path, "found"), "false with an explicit likelihood_ratio",
                         "a strength label for a failed test, or the likelihood ratio of the "
                         "absence itself with found: true")
            if "\n" in item["rationale"].strip():
                self.add(located, (*path, "rationale"), "several lines", "one line")


_SEMANTIC_FIELDS = frozenset({"theory", "span", "actors", "periods", "bibliography", "priors",
                              "evidence_files", "rival_theories", "issue_areas",
                              "evidence_groups"})


def _broken_items(problems: list[Problem], section: str) -> set[int] | None:
    """Indices of list items with structural problems; None if anything else is broken."""
    broken = set()
    for problem in problems:
        match = re.match(rf"{section}\[(\d+)\]", problem.field)
        if match is None:
            return None
        broken.add(int(match.group(1)))
    return broken


@dataclass(frozen=True, slots=True)
class _Layer:
    """An evidence file once read and checked: its layer, its name as the case gives it, and
    its items (empty when the case has problems and will not be built)."""

    name: str
    file: str
    evidence: list[Evidence]


def _check_case(located: LocatedData, base: Path,
                broken: dict[str, set[int]]) -> tuple[list[Problem], list[_Layer]]:
    """Semantic checks of a case whose top level is structurally valid.

    Items listed in ``broken`` (by section) failed the schema and are not checked further.
    Returns the problems and the case's evidence files (as items).
    """
    data = located.data
    problems: list[Problem] = []

    def add(path: tuple[str | int, ...], found: str, expected: str) -> None:
        problems.append(Problem(located.file, located.line(path), format_path(path), found,
                                expected))

    theories = [_theory_for(data["theory"], located, ("theory",), base, problems)]
    for index, rival in enumerate(data.get("rival_theories", [])):
        theories.append(_theory_for(rival, located, ("rival_theories", index), base, problems))
    targets: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for theory in theories:
        if theory is None:
            continue
        for name, levels, sides in theory.targets:
            if name in targets and targets[name] != (levels, sides):
                add(("rival_theories",), f"{name!r} declared with other levels by "
                    f"{theory.name!r}", "the same levels for a variable shared by theories")
            targets.setdefault(name, (levels, sides))
    start, end = data["span"]["start"], data["span"]["end"]
    if start > end:
        add(("span",), f"start {start} after end {end}", "start <= end")

    for section in ("actors", "periods", "issue_areas"):
        _duplicates(located, [(section, i) for i in range(len(data.get(section, [])))],
                    [item["id"] for item in data.get(section, [])], section, problems)
    # Roles with a problem of their own: whose-checks on their sides would only echo it.
    broken_roles = _check_roles(located, theories, problems)
    _check_periods(located, ("periods",), data["periods"], (start, end), "the case's span",
                   problems)
    spans: dict[str | None, tuple[int, int]] = {None: (start, end)}
    for index, area in enumerate(data.get("issue_areas", [])):
        span = area.get("span", data["span"])
        where = ("issue_areas", index, "span")
        if "span" in area and (span["start"] > span["end"] or span["start"] < start
                               or span["end"] > end):
            add(where, f"{span['start']}-{span['end']}",
                f"a span inside the case's span {start}-{end}, start <= end")
        _check_periods(located, ("issue_areas", index, "periods"), area["periods"],
                       (span["start"], span["end"]), f"the span of issue area {area['id']}",
                       problems)
        spans.setdefault(area["id"], (span["start"], span["end"]))
    institution = data.get("institution")
    if isinstance(institution, dict) and isinstance(institution.get("id"), str) \
            and institution["id"] in spans:
        add(("institution", "id"), describe(institution["id"]),
            "an id no issue area has (the institution is the regime itself)")

    holders: dict[str, list[str]] = {}
    for actor in data["actors"]:
        holders.setdefault(actor["role"], []).append(actor["id"])
    context = _Context(start, end, [a["id"] for a in data["actors"]], targets, holders, spans,
                       broken_roles,
                       all(t is not None for t in theories),
                       _bibliography(data, located, base, problems), data["bibliography"])
    context.check_evidence(located, ("evidence",), data["evidence"], broken["evidence"])
    for index, claim in enumerate(data.get("claims", [])):
        if index in broken["claims"]:
            continue
        context.check_target(located, ("claims", index), claim, False)
        context.check_citation(located, ("claims", index), claim["citation"])
        context.check_years(located, ("claims", index), claim)

    # Each evidence file is read, checked and turned into items before the next is read:
    # its parsed data and line map are dropped then. Kept of each: its items (when nothing is
    # wrong so far), and of the items that groups name, their raw fields.
    grouped = {member for group in data.get("evidence_groups", []) if isinstance(group, dict)
               and isinstance(group.get("items"), list)
               for member in group["items"] if isinstance(member, str)}
    seen: set[str] = set()
    duplicates: list[Problem] = []
    members: dict[str, Any] = {}

    def note_ids(source: LocatedData, items: list[Any]) -> None:
        for index, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                path = ("evidence", index, "id")
                duplicates.append(Problem(source.file, source.line(path), format_path(path),
                                          f"the duplicate id {item_id!r}", "ids unique among "
                                          "the case's evidence (all files)"))
            seen.add(item_id)
            if item_id in grouped:
                members[item_id] = item  # the last of equal ids, as a mapping of ids keeps

    note_ids(located, data["evidence"])
    layers: list[_Layer] = []
    for index, name in enumerate(data.get("evidence_files", [])):
        layer, skip = _read_evidence_file(base / name, located, ("evidence_files", index),
                                          problems)
        if layer is None:
            continue
        items = layer.data["evidence"]
        context.check_evidence(layer, ("evidence",), items, skip)
        note_ids(layer, items)
        clean = not (problems or context.problems or duplicates)
        layers.append(_Layer(layer.data["layer"], name, [
            Evidence.from_mapping(item, layer.data["layer"]) for item in items]
            if clean else []))
        del layer, items  # before the next file is read
    problems.extend(duplicates)
    problems.extend(context.problems)
    _check_groups(located, data.get("evidence_groups", []), members,
                  targets if context.theories_ok else None, problems)

    for variable, prior in data.get("priors", {}).items():
        path = ("priors", variable)
        if variable not in targets:
            if context.theories_ok:
                add(path, describe(variable), f"one of: {', '.join(targets)}")
            continue
        levels = targets[variable][0]
        if any(not math.isfinite(p) for p in prior.values()):
            add(path, "a number that is not finite", "finite probabilities")
        elif sorted(prior) != sorted(levels):
            add(path, ", ".join(prior) or "no levels",
                f"a probability for each of: {', '.join(levels)}")
        elif abs(sum(prior.values()) - 1) > 1e-6:
            add(path, f"probabilities summing to {sum(prior.values()):g}",
                "probabilities summing to 1")
    return problems, layers


#: What every item of a group must share.
_GROUP_SHARED = ("variable", "years", "side", "whose", "issue_area", "reliability")


def _check_groups(located: LocatedData, groups: list[dict[str, Any]],
                  items: dict[str, Any],
                  targets: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None,
                  problems: list[Problem]) -> None:
    """Each group names items of the case, at most once over all groups, which share a
    variable, years, side and reliability; its numbers cover the variable's levels. ``items``
    holds the raw fields of every item a group names, by id."""
    def add(path: tuple[str | int, ...], found: str, expected: str) -> None:
        problems.append(Problem(located.file, located.line(path), format_path(path), found,
                                expected))

    member_of: dict[str, str] = {}
    seen: set[str] = set()
    for index, group in enumerate(groups):
        path: tuple[str | int, ...] = ("evidence_groups", index)
        if not isinstance(group, dict) or not isinstance(group.get("items"), list):
            continue
        if group["id"] in seen or group["id"] in items:
            add((*path, "id"), f"the duplicate id {group['id']!r}",
                "an id no other group or evidence item has")
        seen.add(group["id"])
        members = []
        for position, item_id in enumerate(group["items"]):
            if item_id not in items:
                add((*path, "items", position), describe(item_id),
                    "the id of an evidence item of the case")
            elif item_id in member_of:
                add((*path, "items", position), f"{item_id!r}, already in group "
                    f"{member_of[item_id]!r}", "each item in at most one group")
            elif group["items"].count(item_id) > 1:
                add((*path, "items", position), f"{item_id!r} twice", "distinct items")
            else:
                member_of[item_id] = group["id"]
                members.append(items[item_id])
        if len(members) != len(group["items"]) or not members:
            continue
        first = members[0]
        for field_name in _GROUP_SHARED:
            import json  # only for a case with groups

            values = {json.dumps(m.get(field_name)) for m in members}
            if len(values) > 1:
                add((*path, "items"), f"items with different {field_name}: "
                    f"{', '.join(sorted(values))}", f"items that share their {field_name} "
                    "(one observation of one variable)")
        if "correlation" in group:
            if len(members) != 2:
                add((*path, "items"), f"{len(members)} items with a correlation",
                    "exactly two items (or joint likelihoods for more)")
            for member, item_id in zip(members, group["items"], strict=False):
                if "likelihood_ratio" in member:
                    add((*path, "items"), f"{item_id!r} with only a likelihood_ratio",
                        "items with probabilities (a strength or likelihoods) for a "
                        "correlation")
        if targets is None or first.get("variable") not in targets:
            continue
        levels = targets[first["variable"]][0]
        for key in ("likelihoods", "correlation"):
            given = group.get(key)
            if isinstance(given, dict) and sorted(given) != sorted(levels):
                add((*path, key), ", ".join(map(str, given)) or "no levels",
                    f"a number for each of: {', '.join(levels)} (levels of "
                    f"{first['variable']})")
            elif isinstance(given, dict) and any(not math.isfinite(v) for v in given.values()):
                add((*path, key), "a number that is not finite", "finite numbers")
            elif key == "likelihoods" and isinstance(given, dict) and not any(given.values()):
                add((*path, key), "P(E | level) = 0 for every level",
                    f"likelihoods that leave some level of {first['variable']} possible")


def _check_roles(located: LocatedData, theories: list[Theory | None],
                 problems: list[Problem]) -> set[str]:
    """Each actor's role is one of the theories' roles (or other); each role of the case's
    theory has as many actors as the theory allows. Returns the roles found wrong (unknown,
    or with too few or too many actors)."""
    actors = located.data["actors"]
    main = theories[0]
    broken: set[str] = set()
    if main is None or any(t is None for t in theories):
        return broken
    known = list(dict.fromkeys([*(r.name for t in theories if t is not None
                                  for r in t.roles), NO_ROLE]))
    for index, actor in enumerate(actors):
        if actor["role"] not in known:
            broken.add(actor["role"])
            problems.append(Problem(
                located.file, located.line(("actors", index, "role")),
                f"actors[{index}].role", describe(actor["role"]),
                f"one of: {', '.join(known)} (the roles of theory {main.name}, or "
                f"{NO_ROLE})"))
    for role in main.roles:
        count = sum(1 for a in actors if a["role"] == role.name)
        high = role.max_actors
        if count < role.min_actors or (high is not None and count > high):
            broken.add(role.name)
            wanted = (f"exactly {high}" if high == role.min_actors else
                      f"at least {role.min_actors}" if high is None else
                      f"{role.min_actors} to {high}")
            problems.append(Problem(
                located.file, located.line(("actors",)), "actors",
                f"{count} actor{'s' if count != 1 else ''} with role {role.name!r}",
                f"{wanted} (the {role.title}; theory {main.name})"))
    return broken


def _check_periods(located: LocatedData, where: tuple[str | int, ...],
                   periods: list[dict[str, Any]], span: tuple[int, int], span_name: str,
                   problems: list[Problem]) -> None:
    """Periods inside their span, each start <= end, none overlapping."""
    def add(path: tuple[str | int, ...], found: str, expected: str) -> None:
        problems.append(Problem(located.file, located.line(path), format_path(path), found,
                                expected))

    start, end = span
    previous: tuple[int, str] | None = None
    for period in sorted(periods, key=lambda p: p["start"]):
        path = (*where, periods.index(period))
        if period["start"] > period["end"]:
            add(path, f"start {period['start']} after end {period['end']}", "start <= end")
        if period["start"] < start or period["end"] > end:
            add(path, f"{period['start']}-{period['end']}",
                f"years inside {span_name} {start}-{end}")
        if previous is not None and period["start"] <= previous[0]:
            add(path, f"an overlap with period {previous[1]!r}", "periods that do not overlap")
        previous = (period["end"], period["id"])


def _duplicates(located: LocatedData, paths: list[tuple[str | int, ...]], ids: list[str],
                section: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for path, item_id in zip(paths, ids, strict=True):
        if item_id in seen:
            problems.append(Problem(located.file, located.line((*path, "id")),
                                    format_path((*path, "id")), f"the duplicate id {item_id!r}",
                                    f"ids unique among {section}"))
        seen.add(item_id)


def _read_evidence_file(path: Path, parent: LocatedData, where: tuple[str | int, ...],
                        problems: list[Problem]) -> tuple[LocatedData | None, set[int]]:
    """An evidence file (YAML, JSON or Parquet, by its suffix) read and checked against the
    schema; None when it cannot be used, else with the items whose structure is broken."""
    if not is_file(path):
        problems.append(Problem(parent.file, parent.line(where), format_path(where),
                                f"{describe(str(path.name))} (no such file)",
                                "an evidence file (YAML, JSON or Parquet) beside the case"))
        return None, set()
    located = read_layer(path)
    if isinstance(located, Problem):
        problems.append(located)
        return None, set()
    if located.data is None and not located.problems:
        problems.append(Problem(str(path), 1, "", "an empty file", "an evidence file"))
        return None, set()
    found = list(located.problems) or schema_problems(located, evidence_file_schema())
    problems.extend(found)
    broken = _broken_items(found, "evidence") if not located.problems else None
    return (None, set()) if broken is None else (located, broken)


def _bibliography(data: dict[str, Any], located: LocatedData, base: Path,
                  problems: list[Problem]) -> Bibliography | None:
    path = base / data["bibliography"]
    try:
        return load_bibliography(path)
    except BibliographyError as error:
        for problem in error.problems:
            if problem.code in (FILE_MISSING, FILE_KIND):
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
    text = read_text(path, "a case file (YAML)", max_bytes=MAX_FILE_BYTES)
    if isinstance(text, Problem):
        raise CaseFileError(str(path), [text])
    return parse_yaml(text, path)


def load_case(path: str | Path) -> Case:
    """Read and validate a case file.

    Raises
    ------
    CaseFileError
        Listing every problem found, each with file, line, field, found and expected.
    """
    path = Path(path)
    # The collector is paused while the case is read and built: a large case makes millions
    # of objects and no cycles, and each collection would traverse them all again.
    with gc_paused():
        return _load(_read(path), path.parent, str(path))


def case_from_mapping(data: Mapping[str, Any], base: str | Path | None = None, *,
                      name: str = "case.yaml") -> Case:
    """Validate and build a case from plain data in the file format (e.g. built in a
    notebook), exactly as :func:`load_case` checks a file.

    ``base`` is the folder its theory file, bibliography and evidence files are found in
    (default: the working folder); problems name ``name`` and the field path (there are no
    lines).

    Raises
    ------
    CaseFileError
        Listing every problem found.
    """
    folder = Path(base) if base is not None else Path.cwd()
    try:
        import json

        plain = json.loads(json.dumps(data, allow_nan=True, default=_not_plain))
    except (TypeError, ValueError) as error:
        raise CaseFileError(name, [Problem(name, None, "", f"data that is not plain ({error})",
                                           "mappings, lists, strings, numbers and booleans")]
                            ) from None
    except RecursionError:
        plain = None
    if plain is None or _depth(plain) > MAX_DEPTH:
        raise CaseFileError(name, [Problem(name, None, "", f"data nested more than {MAX_DEPTH} "
                                           "deep", f"at most {MAX_DEPTH} levels of nested "
                                           "mappings and lists")])
    return _load(LocatedData(plain, {}, name), folder,
                 str(folder / name) if base is not None else "")


def validate_case_mapping(data: Mapping[str, Any], base: str | Path | None = None, *,
                          name: str = "case.yaml") -> list[Problem]:
    """Every problem of a case given as plain data (an empty list when it is valid)."""
    try:
        case_from_mapping(data, base, name=name)
    except CaseFileError as error:
        return list(error.problems)
    return []


def _depth(data: Any) -> int:
    """How deep mappings and lists nest in plain data (without recursing)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_DEPTH:
                break
            stack.extend((child, depth + 1) for child in
                         (value.values() if isinstance(value, dict) else value))
    return deepest


def _not_plain(value: Any) -> Any:
    raise TypeError(f"a {type(value).__name__}")


def _load(located: LocatedData, base: Path, source: str) -> Case:
    problems = list(located.problems)
    layers: list[_Layer] = []
    if located.data is not None and not problems:
        problems = schema_problems(located, case_schema())
        evidence = [p for p in problems if p.field.startswith("evidence[")]
        claims = [p for p in problems if p.field.startswith("claims[")]
        broken = {"evidence": _broken_items(evidence, "evidence"),
                  "claims": _broken_items(claims, "claims")}
        # Problems in fields the semantic checks do not read (title, id, institution...)
        # do not stop them; problems in the fields they rely on do.
        blocking = [p for p in problems if p.field.split(".")[0].split("[")[0]
                    in _SEMANTIC_FIELDS or p.field in ("", "evidence", "claims")]
        if not blocking:
            semantic, layers = _check_case(located, base, broken)  # type: ignore[arg-type]
            problems.extend(semantic)
    elif located.data is None and not problems:
        problems.append(Problem(located.file, 1, "", "an empty file", "a case file"))
    if problems:
        raise CaseFileError(located.file, problems)
    return _build(located.data, source, layers)


def _citation(raw: dict[str, Any]) -> Citation:
    pages = raw.get("pages")
    return Citation(raw["key"], None if pages is None else str(pages), raw.get("locator"))


def _evidence(item: dict[str, Any], layer: str) -> Evidence:
    return Evidence.from_mapping(item, layer)


def _build(data: dict[str, Any], source: str, layers: list[_Layer]) -> Case:
    evidence = [_evidence(item, "core") for item in data["evidence"]]
    for layer in layers:
        evidence += layer.evidence
    claims = []
    for claim in data.get("claims", []):
        first, last = _years(claim["years"])
        claims.append(Claim(claim["variable"], claim["level"], first, last,
                            _citation(claim["citation"]), " ".join(claim.get("note", "").split()),
                            claim.get("issue_area")))
    areas = []
    for area in data.get("issue_areas", []):
        span = area.get("span", data["span"])
        areas.append(IssueArea(area["id"], area["name"], span["start"], span["end"],
                               _periods(area["periods"]),
                               " ".join(area.get("description", "").split())))
    return Case(
        id=data["id"], title=data["title"], theory=data["theory"],
        institution=Institution(data["institution"]["id"], data["institution"]["name"]),
        actors=tuple(Actor(a["id"], a["name"], a["role"]) for a in data["actors"]),
        start=data["span"]["start"], end=data["span"]["end"],
        periods=_periods(data["periods"]),
        bibliography=data["bibliography"], evidence=tuple(evidence),
        description=" ".join(data.get("description", "").split()),
        priors=MappingProxyType({k: MappingProxyType(dict(v))
                                 for k, v in data.get("priors", {}).items()}),
        claims=tuple(claims), schema_version=data["schema_version"], source=source,
        rival_theories=tuple(data.get("rival_theories", ())),
        evidence_files=tuple(data.get("evidence_files", ())),
        layer_files=MappingProxyType({layer.name: layer.file for layer in layers}),
        issue_areas=tuple(areas),
        groups=tuple(EvidenceGroup.from_mapping(g) for g in data.get("evidence_groups", [])),
    )


def _periods(raw: list[dict[str, Any]]) -> tuple[Period, ...]:
    return tuple(Period(p["id"], p["start"], p["end"], p.get("label", "")) for p in raw)


def _periods_out(periods: tuple[Period, ...]) -> list[dict[str, Any]]:
    return [{"id": p.id, **({"label": p.label} if p.label else {}), "start": p.start,
             "end": p.end} for p in periods]


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
    out["periods"] = _periods_out(case.periods)
    if case.issue_areas:
        out["issue_areas"] = [{
            "id": a.id, "name": a.name, **({"description": a.description} if a.description
                                            else {}),
            **({"span": {"start": a.start, "end": a.end}}
               if (a.start, a.end) != (case.start, case.end) else {}),
            "periods": _periods_out(a.periods)} for a in case.issue_areas]
    out["bibliography"] = case.bibliography
    if case.rival_theories:
        out["rival_theories"] = list(case.rival_theories)
    if case.priors:
        out["priors"] = {k: dict(v) for k, v in case.priors.items()}
    if case.claims:
        out["claims"] = [{"variable": c.variable, "level": c.level,
                          "years": _years_out(c.start, c.end), "citation": c.citation.to_dict(),
                          **({"note": c.note} if c.note else {}),
                          **({"issue_area": c.issue_area} if c.issue_area else {})}
                         for c in case.claims]
    items = [e.to_mapping() for e in case.evidence]
    out["evidence"] = items
    if case.groups:
        out["evidence_groups"] = [g.to_mapping() for g in case.groups]
    return out


def dump_case(case: Case, path: str | Path, *, backup: bool = True,
              inline: bool = False) -> Path:
    """Write ``case`` as a case file at ``path`` (and its layers as evidence files), atomically.

    The items of each layer that came from an evidence file are written to that file (its
    name as the case gives it, relative to ``path``'s folder); the others go into the case file.
    Where the case's own file (or the file already at ``path``) exists, its comments and key
    order are kept, as are those of each YAML evidence file (a JSON or Parquet one is written
    afresh in its format, keeping its description). ``inline=True`` writes one
    self-contained file with every item inline, each keeping its ``layer``. Every file
    overwritten is first kept as ``.bak`` (``backup=False``: not).
    """
    path = Path(path)
    files = {} if inline else dict(case.layer_files)
    data = case_to_dict(case)
    data["evidence"] = [e.to_mapping() for e in case.evidence if e.layer not in files]
    if files:
        data["evidence_files"] = list(files.values())
    origin = Path(case.source).parent if case.source else None
    _write(path, data, [Path(case.source)] if case.source else [], backup)
    for layer, name in files.items():
        layer_data: dict[str, Any] = {"schema_version": case.schema_version, "layer": layer,
                                      "evidence": [e.to_mapping(with_layer=False)
                                                   for e in case.evidence if e.layer == layer]}
        templates = [origin / name] if origin is not None else []
        if layer_format(name) != "yaml":  # JSON or Parquet: written afresh, as the file is
            write_layer(path.parent / name, layer, [e for e in case.evidence
                                                    if e.layer == layer],
                        description=_description([*templates, path.parent / name]),
                        backup=backup)
            continue
        _write(path.parent / name, layer_data, templates, backup, keep=("description",))
    return path


def _description(paths: list[Path]) -> str | None:
    """The description of the first of these evidence files that exists and has one."""
    for candidate in paths:
        if is_file(candidate):
            located = read_layer(candidate)
            data = located.data if isinstance(located, LocatedData) else None
            description = data.get("description") if isinstance(data, dict) else None
            return description if isinstance(description, str) else None
    return None


def _write(path: Path, data: dict[str, Any], templates: list[Path], backup: bool,
           keep: tuple[str, ...] = ()) -> None:
    """Write ``data`` at ``path``: over the first existing template (or ``path`` itself) so
    its comments stay, else as fresh YAML. Keys in ``keep`` the data lacks stay as they are."""
    from .._roundtrip import merge_into_yaml

    template = next((t for t in [*templates, path] if t.is_file()), None)
    if template is None:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    else:
        if keep:
            current = yaml.safe_load(template.read_text(encoding="utf-8")) or {}
            if isinstance(current, dict):
                data = {**{k: v for k, v in current.items() if k in keep and k not in data},
                        **data}
        text = merge_into_yaml(template, data)
    atomic_write_text(path, text, backup=backup)
