"""Settings as validated dotted keys, read from an optional ``multilat.toml``.

Every key has a default and a validator. The strength scale maps each Van Evera test to two
probabilities: how likely the evidence is if the level it points to holds (``if_level``) and if
it does not (``if_other``). Found evidence then has the likelihood ratio
``if_level / if_other``; evidence looked for and not found has ``(1 - if_level) / (1 - if_other)``.
So the process-tracing labels and explicit likelihood ratios lead to the same numbers.

The default probabilities are multilat's own documented choice, built to match the verbal
definitions of the tests (Van Evera 1997, pp. 31-32; Collier 2011; Bennett 2015; Fairfield and
Charman 2022): a hoop test is passed by most cases of the hypothesis, so failing it is costly; a
smoking gun is rare unless the hypothesis holds, so passing it is telling.

Example ``multilat.toml``::

    [infer.strength.hoop]
    if_level = 0.9
    if_other = 0.6
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._files import read_text
from ._validation import describe
from ._yaml import MAX_NUMBER_CHARS
from .errors import Problem, SettingsError

if TYPE_CHECKING:
    import tomllib

__all__ = [
    "PRIOR_MODES",
    "RELIABILITY_MODELS",
    "STRENGTHS",
    "WEIGHT_UNITS",
    "Settings",
    "default_settings",
    "load_settings",
]

#: A settings file may not be larger than this (bytes).
MAX_SETTINGS_BYTES = 1_000_000

STRENGTHS = ("straw_in_the_wind", "hoop", "smoking_gun", "doubly_decisive")

# (P(evidence | level), P(evidence | other level)) for each Van Evera test.
_STRENGTH_DEFAULTS = {
    "straw_in_the_wind": (0.6, 0.4),  # found: LR 1.5;  missing: LR 0.67
    "hoop": (0.95, 0.6),  # found: LR 1.58; missing: LR 0.125
    "smoking_gun": (0.4, 0.05),  # found: LR 8;    missing: LR 0.63
    "doubly_decisive": (0.95, 0.05),  # found: LR 19;   missing: LR 0.053
}


def _probability(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1
    return None if ok else "a probability strictly between 0 and 1"


def _choice(*choices: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"one of: {', '.join(choices)}"
    return check


def _above_one(value: Any) -> str | None:
    ok = (isinstance(value, int | float) and not isinstance(value, bool) and 1 < value
          and value < 1e6)
    return None if ok else "a number greater than 1 (and below 1e6)"


#: The reliability models (docs/weighing.md): ``tempering`` scales the log-likelihoods by the
#: reliability r; ``credibility`` mixes each likelihood with an uninformative report.
RELIABILITY_MODELS = ("tempering", "credibility")
#: How yearly priors are set: ``fixed`` (each year starts from the case's prior) or
#: ``dynamic`` (year t's posterior, through a transition probability, is year t+1's prior).
PRIOR_MODES = ("fixed", "dynamic")
#: Units weights are printed in: natural log, base-10 log, decibels (10 log10).
WEIGHT_UNITS = ("nats", "log10", "decibels")


_DEFAULTS: dict[str, tuple[Any, Callable[[Any], str | None], str]] = {
    "claims.weak_below": (0.75, _probability,
                          "a published claim whose level is the most probable one but below "
                          "this probability is 'weak', not 'supported' (0.75: odds of 3 to 1)"),
    "infer.reliability_model": (
        "tempering", _choice(*RELIABILITY_MODELS),
        "how an item's reliability r enters: tempering (r x log-likelihood) or credibility "
        "(r x P(E | level) + (1 - r) x the item's mean likelihood: an unreliable report is "
        "uninformative)"),
    "infer.priors": ("fixed", _choice(*PRIOR_MODES),
                     "fixed: every year starts from the case's prior; dynamic: year t's "
                     "posterior, through infer.dynamic.switch_probability, is year t+1's prior"),
    "infer.dynamic.switch_probability": (
        0.1, _probability,
        "with dynamic priors: the probability that a variable moves to another level between "
        "two consecutive years (spread evenly over the other levels)"),
    "infer.test_ratio": (
        2.0, _above_one,
        "the likelihood ratio from which a found clue is a smoking gun (P(E|level)/P(E|other)) "
        "and a missing one a hoop test ((1-P(E|other))/(1-P(E|level))); 2 as in Humphreys and "
        "Jacobs 2023, fig. 5.2"),
    "report.weight_unit": ("nats", _choice(*WEIGHT_UNITS),
                           "the unit weights are printed in: nats (natural log), log10 "
                           "(Humphreys and Jacobs) or decibels (10 log10; Fairfield and "
                           "Charman); JSON output stays in nats"),
    "statements.reliability": (0.9, lambda v: None if isinstance(v, int | float)
                               and not isinstance(v, bool) and 0 < v <= 1
                               else "a number in (0, 1]",
                               "reliability of evidence items from reviewed statements "
                               "(leaders' own texts as evidence of what they said: 0.9)"),
    "statements.strength": ("straw_in_the_wind", lambda v: None if v in STRENGTHS else
                            "one of " + ", ".join(STRENGTHS),
                            "Van Evera strength of evidence items from reviewed statements"),
    "report.citation_style": ("harvard1", lambda v: None if isinstance(v, str) and v else
                              "a CSL style name or path", "citation style of the bibliography"),
}
for _label, (_if_level, _if_other) in _STRENGTH_DEFAULTS.items():
    _DEFAULTS[f"infer.strength.{_label}.if_level"] = (
        _if_level, _probability, f"P(evidence | level) for a {_label} test")
    _DEFAULTS[f"infer.strength.{_label}.if_other"] = (
        _if_other, _probability, f"P(evidence | other level) for a {_label} test")


@dataclass(frozen=True, slots=True)
class Settings:
    """An immutable, validated set of dotted-key settings."""

    values: Mapping[str, Any]
    source: str = "defaults"

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def strength_probabilities(self, label: str) -> tuple[float, float]:
        base = f"infer.strength.{label}"
        return float(self.values[f"{base}.if_level"]), float(self.values[f"{base}.if_other"])

    def replace(self, **overrides: Any) -> Settings:
        """A copy with ``overrides`` (dotted keys, with ``__`` or ``.``) applied and validated."""
        flat = {key.replace("__", "."): value for key, value in overrides.items()}
        return _validated({**self.values, **flat}, "overrides", {}, self.source)

    def to_dict(self) -> dict[str, Any]:
        return dict(sorted(self.values.items()))

    @staticmethod
    def documentation() -> dict[str, tuple[Any, str]]:
        """Each key with its default and what it means."""
        return {key: (default, doc) for key, (default, _, doc) in sorted(_DEFAULTS.items())}


def default_settings() -> Settings:
    """The defaults of every key."""
    return Settings(MappingProxyType({k: v[0] for k, v in _DEFAULTS.items()}))


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, dotted + ".")
        else:
            yield dotted, value


def _lines(text: str) -> dict[str, int]:
    """The line where each dotted key (or ``[table]``) is set, in one pass over the text."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?$", stripped)
        if header:
            table = header.group(1).replace('"', "").replace(" ", "")
            lines.setdefault(table, number)
            continue
        assignment = re.match(r"^\"?([\w.\"-]+?)\"?\s*=", stripped)
        if assignment:
            name = assignment.group(1).replace('"', "")
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _line_of(lines: Mapping[str, int], key: str) -> int | None:
    """The line of ``key``, or of the nearest enclosing table or key that has one."""
    parts = key.split(".")
    for end in range(len(parts), 0, -1):
        line = lines.get(".".join(parts[:end]))
        if line is not None:
            return line
    return None


def _validated(values: Mapping[str, Any], file: str, text_lines: Mapping[str, int | None],
               source: str) -> Settings:
    problems = []
    for key, value in values.items():
        if key not in _DEFAULTS:
            from difflib import get_close_matches

            close = get_close_matches(key, list(_DEFAULTS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(file, text_lines.get(key), key, "an unknown setting",
                                    f"a known setting{hint}"))
            continue
        message = _DEFAULTS[key][1](value)
        if message:
            problems.append(Problem(file, text_lines.get(key), key, describe(value), message))
    for label in STRENGTHS:
        if_level = values.get(f"infer.strength.{label}.if_level")
        if_other = values.get(f"infer.strength.{label}.if_other")
        if (
            not problems
            and isinstance(if_level, float | int)
            and isinstance(if_other, float | int)
            and if_level <= if_other
        ):
            key = f"infer.strength.{label}"
            problems.append(Problem(file, text_lines.get(f"{key}.if_level"), key,
                                    f"if_level {if_level} <= if_other {if_other}",
                                    "if_level > if_other (the evidence must favour its level)"))
    if problems:
        raise SettingsError(file, problems)
    return Settings(MappingProxyType(dict(values)), source)


def load_settings(path: str | Path | None = None) -> Settings:
    """Defaults overlaid with the TOML file at ``path`` (when given).

    Raises
    ------
    SettingsError
        For an unreadable file, an unknown key (with the closest known key) or a bad value.
    """
    base = default_settings()
    if path is None:
        return base
    path = Path(path)
    name = str(path)
    text = read_text(path, "a TOML settings file", max_bytes=MAX_SETTINGS_BYTES)
    if isinstance(text, Problem):
        raise SettingsError(name, [text])
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(name, [Problem(name, _error_line(error, text), "",
                                           f"invalid TOML: {_error_text(error)}",
                                           "valid TOML")]) from None
    except RecursionError:
        raise SettingsError(name, [Problem(name, _deep_line(text), "",
                                           "values nested too deep to read",
                                           "a settings file of dotted keys and tables")]
                            ) from None
    except Exception as error:  # noqa: BLE001 - e.g. tomllib's int() on a 5000-digit number
        digits = re.search(rf"\d{{{MAX_NUMBER_CHARS + 1},}}", text)
        line = None if digits is None else text.count("\n", 0, digits.start()) + 1
        found = ("a number too large" if digits is not None else
                 f"unreadable TOML ({type(error).__name__}: {error})"[:300])
        raise SettingsError(name, [Problem(name, line, "", found, "valid TOML with numbers of "
                                           f"at most {MAX_NUMBER_CHARS} digits")]) from None
    flat = dict(_flatten(data))
    lines = _lines(text)
    return _validated({**base.values, **flat}, name, {key: _line_of(lines, key) for key in flat},
                      name)


def _deep_line(text: str, limit: int = 100) -> int | None:
    """The line where brackets first open more than ``limit`` deep (strings not skipped: only
    to locate a file tomllib could not read)."""
    depth = 0
    for position, character in enumerate(text):
        depth += character in "[{"
        depth -= character in "]}"
        if depth > limit:
            return text.count("\n", 0, position) + 1
    return None


def _error_line(error: tomllib.TOMLDecodeError, text: str) -> int | None:
    """The line of a TOML syntax error (``lineno`` from Python 3.14, else from its message)."""
    line = getattr(error, "lineno", None)
    if isinstance(line, int):
        return line
    match = re.search(r"\(at line (\d+), column \d+\)", str(error))
    if match:
        return int(match.group(1))
    if "end of document" in str(error):
        return text.count("\n") + (0 if text.endswith("\n") else 1) or 1
    return None


def _error_text(error: tomllib.TOMLDecodeError) -> str:
    """The error's message without the place (the problem's line gives it)."""
    message = getattr(error, "msg", None) or str(error)
    return re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", str(message))
