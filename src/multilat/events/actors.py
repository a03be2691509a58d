"""Whose events: the actors the event rules' ``{role}`` placeholders stand for.

Event data name countries by ISO 3166 alpha-3 code (ICEWS's country *names* are mapped to
codes by ``tables/country_names.csv`` when raw files are ingested; the netify counts carry the
codes). A case's actor is looked up by its id when that is a code of the table, else by its
name (``Russian Federation`` -> ``RUS``); anything else is a located error with the codes it
was probably meant to be. ``--country`` and ``--partner`` replace the case's rising and
established actors with one code each.
"""

from __future__ import annotations

import csv
import difflib
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .._files import read_text
from .._yaml import parse_yaml
from ..case.model import Case
from ..errors import CaseFileError, InputError, Problem

__all__ = ["EventActor", "country_codes", "event_roles", "resolve_code"]

#: The roles ``--country`` and ``--partner`` replace.
COUNTRY_ROLE, PARTNER_ROLE = "rising", "established"


@dataclass(frozen=True, slots=True)
class EventActor:
    """An actor as the items name it (``id``, ``name``) and as the event data do (``code``)."""

    id: str
    name: str
    code: str


@functools.cache
def _table() -> tuple[tuple[str, str], ...]:
    """``(name, iso3)`` rows of the ICEWS country-name table shipped with multilat."""
    table = resources.files("multilat.events") / "tables" / "country_names.csv"
    with table.open(encoding="utf-8") as handle:
        return tuple((row["name"], row["iso3"]) for row in csv.DictReader(handle))


def country_codes() -> dict[str, str]:
    """ISO3 code -> the first name the ICEWS table gives it."""
    codes: dict[str, str] = {}
    for name, code in _table():
        codes.setdefault(code, name)
    return codes


def _by_name(name: str) -> str | None:
    wanted = " ".join(name.split()).casefold()
    return next((code for known, code in _table() if known.casefold() == wanted), None)


def _code_score(text: str, code: str) -> int:
    """How close a typed code is to a known one: the same letters (a transposition) score 3,
    else the letters in the same places."""
    if sorted(text) == sorted(code):
        return 3
    return sum(a == b for a, b in zip(text, code, strict=False))


def _suggest(text: str) -> str:
    """`` (did you mean X, Y?)`` for a code or name close to ``text``, or nothing."""
    codes = country_codes()
    by_name = _by_name(text)
    if by_name is not None:
        close = [by_name]
    else:
        typed = text.strip().upper()
        scored = sorted(((_code_score(typed, c), c) for c in codes if len(typed) == 3),
                        key=lambda pair: -pair[0])
        close = [c for score, c in scored if score >= 2][:3]
        names = {name.casefold(): code for name, code in _table()}
        close += [names[n] for n in difflib.get_close_matches(text.casefold(), list(names),
                                                              n=2, cutoff=0.75)]
    unique = list(dict.fromkeys(close))[:3]
    return (" (did you mean " + ", ".join(f"{c} = {codes[c]}" for c in unique) + "?)"
            if unique else "")


def _expected() -> str:
    return ("an ISO 3166 alpha-3 country code the event data use (e.g. RUS; the names are in "
            "multilat/events/tables/country_names.csv)")


def resolve_code(text: str, option: str) -> str:
    """``text`` as an ISO3 code of the country table, upper-cased; an :class:`InputError`
    naming ``option`` (e.g. ``--country``) with close codes otherwise."""
    code = text.strip().upper()
    if code in country_codes():
        return code
    raise InputError(f"{option}: found {text!r}; expected {_expected()}{_suggest(text)}")


def _case_problem(case: Case, index: int, found: str, expected: str) -> CaseFileError:
    """A problem at ``actors[index].id`` of the case file (its line when the file reads)."""
    path = case.source or case.id
    line = None
    if case.source and Path(case.source).is_file():
        text = read_text(Path(case.source), "a case file (YAML)")
        if isinstance(text, str):
            line = parse_yaml(text, case.source).line(("actors", index, "id"))
    return CaseFileError(path, [Problem(path, line, f"actors[{index}].id", found, expected)])


def _case_actor(case: Case, index: int) -> EventActor:
    actor = case.actors[index]
    if actor.id.upper() in country_codes():
        return EventActor(actor.id, actor.name, actor.id.upper())
    code = _by_name(actor.name)
    if code is not None:
        return EventActor(actor.id, actor.name, code)
    hint = _suggest(actor.id) or _suggest(actor.name)
    option = {COUNTRY_ROLE: "--country", PARTNER_ROLE: "--partner"}.get(actor.role)
    others = [a.id.upper() for a in case.actors
              if a.role == actor.role and a.id.upper() in country_codes()]
    choose = (f"; or choose the {actor.role} country with {option} ISO3"
              + (f" (e.g. {option} {others[0]})" if others else "") if option else "")
    raise _case_problem(
        case, index, f"{actor.id!r} ({actor.name}, role {actor.role}), neither a country code "
        "nor a country name of the event data", f"{_expected()}{hint}{choose}")


def _given(code: str, case: Case | None) -> EventActor:
    """The actor for a code given on the command line: the case's actor with that code when it
    has one (its id and name), else the code with its country's name."""
    for actor in case.actors if case is not None else ():
        if actor.id.upper() == code:
            return EventActor(actor.id, actor.name, code)
    return EventActor(code, country_codes()[code], code)


def event_roles(needed: Iterable[str], *, case: Case | None = None,
                defaults: Mapping[str, Mapping[str, str]] | None = None,
                country: str | None = None, partner: str | None = None
                ) -> dict[str, tuple[EventActor, ...]]:
    """The actors of each role in ``needed``: the case's (every actor of the role, in order),
    else the rules file's ``roles:`` defaults; ``country`` replaces the rising power and
    ``partner`` the established power.

    Raises
    ------
    CaseFileError
        A case actor the rules need that is neither a country code nor a country name of the
        event data (located at ``actors[i].id``, with close codes).
    InputError
        An unknown ``--country``/``--partner`` code, or a role nobody holds.
    """
    given = {COUNTRY_ROLE: (country, "--country"), PARTNER_ROLE: (partner, "--partner")}
    roles: dict[str, tuple[EventActor, ...]] = {}
    for role in sorted(set(needed)):
        text, option = given.get(role, (None, ""))
        if text is not None:
            roles[role] = (_given(resolve_code(text, option), case),)
        elif case is not None:
            roles[role] = tuple(_case_actor(case, i) for i, a in enumerate(case.actors)
                                if a.role == role)
        elif defaults is not None and role in defaults:
            entry = defaults[role]
            code = resolve_code(entry["id"], f"roles.{role}.id")
            roles[role] = (EventActor(entry["id"], entry.get("name", entry["id"]), code),)
        if not roles.get(role):
            whose = f"case {case.id}" if case is not None else "the rules file's roles:"
            hint = {COUNTRY_ROLE: " (or give --country ISO3)",
                    PARTNER_ROLE: " (or give --partner ISO3)"}.get(role, "")
            raise InputError(f"the rules use the role {role!r}; found no actor with that role "
                             f"in {whose}; expected one{hint}")
    return roles
