"""A new, minimal, valid case to start coding from: ``multilat new DIR``.

The case file names the theory's roles with the actors given, one period over the span, an
empty evidence list and, as comments, one example item of each kind (statistic, action,
statement, assessment) to copy; beside it a ``references.bib`` with one example entry in a
comment, and the case JSON Schema for editors (the file's first line points a YAML language
server at it). Nothing is weighed until the researcher writes items: the new case analyses at
once (every belief at its prior).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import yaml

from ._files import atomic_write_text
from .case.schema import case_schema
from .errors import InputError
from .theory import Theory, resolve_theory

__all__ = ["country_name", "new_case"]


def country_name(code: str) -> str:
    """The English name of an ISO 3166 alpha-3 code (the ICEWS table shipped with multilat),
    or the code itself when it is not a country's."""
    table = resources.files("multilat") / "events" / "tables" / "country_names.csv"
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["iso3"] == code.upper():
                return row["name"]
    return code


def _item_comment(theory: Theory, actor: str, start: int) -> str:
    """One commented example item of each kind, pointing at the theory's own targets."""
    variable = theory.variables[0]
    side = f"\n#     side: {variable.sides[0]}" if variable.sides else ""
    other = theory.variables[-1]
    outcome = theory.outcome
    examples = [
        ("statistic", variable.name, variable.levels[-1], side, "hoop",
         "A share or count, with the threshold that makes it telling."),
        ("action", outcome.name, outcome.levels[0], "", "smoking_gun",
         "Something the state did that is rare unless this level holds."),
        ("statement", other.name, other.levels[0], "", "straw_in_the_wind",
         "What a leader said, in your words; a short quote may go in `quote:`."),
        ("assessment", variable.name, variable.levels[0], side, "straw_in_the_wind",
         "An analyst's judgement, weighed by how often such judgements are right."),
    ]
    lines = ["# Evidence items: uncomment an example (and delete the [] above), then fill it in.",
             "# Every item cites a key of references.bib (with pages) and says in one line",
             "# why it points this way with this strength (docs/case-format.md)."]
    for index, (kind, target, level, sided, strength, summary) in enumerate(examples):
        lines.append(f"""#   - id: example-{kind}
#     kind: {kind}
#     years: {start + index if index < 2 else f"[{start}, {start + 1}]"}
#     actor: {actor}
#     summary: {summary}
#     variable: {target}
#     level: {level}{sided}
#     strength: {strength}             # or likelihood_ratio: 2.0, or likelihoods:
#                                      # {{level: P(E | level), ...}} for every level
#     reliability: 0.9
#     citation: {{key: example2024, pages: "1"}}
#     rationale: Why this item points to {level}, and why it is a {strength.replace('_', ' ')}.""")
    return "\n".join(lines)


def new_case(directory: str | Path, actors: Mapping[str, Sequence[str]], *,
             institution: str, start: int, end: int, theory: str = "kpr",
             case_id: str | None = None) -> list[Path]:
    """Write a new case into ``directory`` (created; files already there are never
    overwritten) and return the files written.

    ``actors`` maps each of the theory's roles to actor ids (ISO3 codes get their country's
    name); every role the theory requires must have its actors.

    Raises
    ------
    InputError
        For a role the theory does not have, a role without enough actors, a span that ends
        before it starts, or a file that already exists.
    """
    chosen = resolve_theory(theory)
    folder = Path(directory)
    known = {r.name: r for r in chosen.roles}
    for role in actors:
        if role not in known:
            raise InputError(f"role: found {role!r}; expected one of theory {chosen.name}'s "
                             f"roles: {', '.join(known) or 'none'}")
    for role in chosen.roles:
        count = len(actors.get(role.name, ()))
        if count < role.min_actors or (role.max_actors is not None and count > role.max_actors):
            bound = (f"exactly {role.min_actors}" if role.max_actors == role.min_actors
                     else f"at least {role.min_actors}")
            raise InputError(f"{role.name}: found {count} actor(s); expected {bound} "
                             f"(the {role.title} of theory {chosen.name})")
    if end < start:
        raise InputError(f"years: found {start}-{end}; expected START-END with START <= END")
    targets = [folder / "case.yaml", folder / "references.bib", folder / "case.schema.json"]
    clashes = [str(p) for p in targets if p.exists()]
    if clashes:
        raise InputError(f"not writing a new case: {', '.join(clashes)} already exist; "
                         "expected a folder without these files")
    ids = [a for role in chosen.roles for a in actors.get(role.name, ())]
    slug = case_id or "-".join([*(a.lower() for a in ids[:2]), "case"])
    head = {"schema_version": 1, "id": "".join(c if c.isalnum() or c in "-_" else "-"
                                               for c in slug.lower()).strip("-") or "case",
            "title": f"{', '.join(country_name(a) for a in ids[:1])} in {institution}, "
                     f"{start}-{end}",
            "theory": theory,
            "institution": {"id": "".join(c for c in institution.lower() if c.isalnum())[:24]
                            or "institution", "name": institution},
            "actors": [{"id": a, "name": country_name(a), "role": role.name}
                       for role in chosen.roles for a in actors.get(role.name, ())],
            "span": {"start": start, "end": end},
            "periods": [{"id": "whole", "label": f"{start}-{end}", "start": start,
                         "end": end}],
            "bibliography": "references.bib"}
    body = yaml.safe_dump(head, sort_keys=False, allow_unicode=True, width=100)
    first_actor = ids[0] if ids else "ACTOR"
    text = (f"# yaml-language-server: $schema=case.schema.json\n"
            f"# A new case under theory {chosen.name} ({chosen.title}).\n"
            f"# Roles: {'; '.join(f'{r.name} = {r.title}' for r in chosen.roles)}.\n"
            f"# Add actors with role: other for third parties the evidence is about, more\n"
            f"# periods, claims: (published conclusions, never weighed) and evidence below;\n"
            f"# then `multilat validate case.yaml` and `multilat analyze case.yaml`.\n"
            f"{body}"
            f"evidence: []\n"
            f"{_item_comment(chosen, first_actor, start)}\n")
    bib = ("Export your references here from Zotero (BibTeX), or point bibliography: at a\n"
           "CSL-JSON file. Text outside entries is a comment to BibTeX. An example entry:\n\n"
           "  @article{example2024,\n    author = {Doe, Jane},\n    title = {A Title},\n"
           "    journal = {A Journal},\n    year = {2024},\n    pages = {1--20}\n  }\n")
    schema = json.dumps(case_schema(chosen), indent=2, ensure_ascii=False) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    for path, content in zip(targets, (text, bib, schema), strict=True):
        atomic_write_text(path, content, backup=False)
    return targets
