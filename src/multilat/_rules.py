"""What the rules files turning data into evidence share (indicators, events).

Reading and validating a rules file against its JSON Schema with located problems, unique rule
ids, runs of consecutive firing years, and the way numbers are shown in items.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._files import read_text
from ._validation import schema_problems
from ._yaml import LocatedData, parse_yaml
from .errors import Problem, RulesFileError

__all__ = ["consecutive_runs", "load_rules_file", "show_number"]


def load_rules_file(path: str | Path, schema: dict[str, Any]) -> LocatedData:
    """Read a rules file, check it against ``schema`` and its rule ids for uniqueness.

    Raises
    ------
    RulesFileError
        With every problem found, each with its line (``file:line field: found X; expected Y``).
    """
    path = Path(path)
    text = read_text(path, "a rules file (YAML)")
    if isinstance(text, Problem):
        raise RulesFileError(str(path), [text])
    located = parse_yaml(text, path)
    problems = list(located.problems) or schema_problems(located, schema)
    if not problems:
        seen: set[str] = set()
        for index, rule in enumerate(located.data["rules"]):
            if rule["id"] in seen:
                problems.append(Problem(str(path), located.line(("rules", index, "id")),
                                        f"rules[{index}].id", repr(rule["id"]),
                                        "ids unique among the rules"))
            seen.add(rule["id"])
    if problems:
        raise RulesFileError(str(path), problems)
    return located


def consecutive_runs(years: Sequence[int], skip: set[int] | frozenset[int] = frozenset()
                     ) -> list[tuple[int, int]]:
    """Runs of consecutive years; a skipped year between two listed years does not break one."""
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and set(range(runs[-1][1] + 1, year)) <= skip:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def show_number(value: float) -> str:
    """A number as items show it: two decimals at most below 100, grouped digits above."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"
