"""Boolean expressions over sets in R QCA's notation: ``A*~B + C``, ``~(A + B)``.

``*`` is AND (fuzzy: minimum), ``+`` is OR (maximum), ``~`` is NOT (1 - x); parentheses
group; ``~`` binds tighter than ``*``, which binds tighter than ``+``. Spaces are optional.
Set names are R names: a letter, ``.`` or ``_`` first, then letters, digits, ``.`` or ``_``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from ._names import suggest

if TYPE_CHECKING:
    from .table import SetTable

__all__ = ["Expression", "parse_expression"]

#: The longest expression text accepted (a guard against pathological input).
MAX_LENGTH = 10_000
#: The deepest nesting of parentheses and negations accepted.
MAX_DEPTH = 100

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_.][A-Za-z0-9_.]*)|(?P<op>[*+~()]))")


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed expression: a set (``op == "set"``), its negation (``"not"``), or an AND /
    OR of operands. Build one with :func:`parse_expression`."""

    op: str
    name: str = ""
    operands: tuple[Expression, ...] = ()

    # --- construction -------------------------------------------------------------------
    @staticmethod
    def set(name: str) -> Expression:
        return Expression("set", name)

    def negate(self) -> Expression:
        """``~self`` (a double negation cancels)."""
        if self.op == "not":
            return self.operands[0]
        return Expression("not", operands=(self,))

    @staticmethod
    def all_of(operands: Iterable[Expression]) -> Expression:
        return _join("and", operands)

    @staticmethod
    def any_of(operands: Iterable[Expression]) -> Expression:
        return _join("or", operands)

    # --- reading ------------------------------------------------------------------------
    @property
    def terms(self) -> tuple[Expression, ...]:
        """The disjuncts: the operands of a top-level OR, else the expression itself."""
        return self.operands if self.op == "or" else (self,)

    @property
    def sets(self) -> tuple[str, ...]:
        """The names of the sets the expression uses, in order of first appearance."""
        found: dict[str, None] = {}
        stack = [self]
        while stack:
            node = stack.pop()
            if node.op == "set":
                found.setdefault(node.name)
            else:
                stack.extend(reversed(node.operands))
        return tuple(found)

    def membership(self, table: SetTable | Any) -> np.ndarray:
        """Each case's membership in the expression: AND = min, OR = max, NOT = 1 - x.

        ``table`` is a :class:`SetTable` (or any object with ``column(name)``)."""
        if self.op == "set":
            return np.asarray(table.column(self.name), dtype=float)
        if self.op == "not":
            return 1.0 - self.operands[0].membership(table)
        parts = [o.membership(table) for o in self.operands]
        reduce = np.minimum if self.op == "and" else np.maximum
        result = parts[0]
        for part in parts[1:]:
            result = reduce(result, part)
        return result

    def __str__(self) -> str:
        if self.op == "set":
            return self.name
        if self.op == "not":
            inner = self.operands[0]
            return f"~{inner}" if inner.op == "set" else f"~({inner})"
        if self.op == "and":
            return "*".join(f"({o})" if o.op == "or" else str(o) for o in self.operands)
        return " + ".join(str(o) for o in self.operands)

    def __repr__(self) -> str:
        return f"Expression({str(self)!r})"

    def to_dict(self) -> dict[str, Any]:
        return {"expression": str(self), "terms": [str(t) for t in self.terms],
                "sets": list(self.sets)}


def _join(op: str, operands: Iterable[Expression]) -> Expression:
    flat: list[Expression] = []
    for operand in operands:
        for part in operand.operands if operand.op == op else (operand,):
            if part not in flat:  # A*A is A, A + A is A
                flat.append(part)
    if not flat:
        raise ValueError(f"an empty {op.upper()}")
    return flat[0] if len(flat) == 1 else Expression(op, operands=tuple(flat))


def parse_expression(text: str, names: Iterable[str] | SetTable | None = None) -> Expression:
    """Parse ``text`` (R QCA notation) into an :class:`Expression`.

    ``names``: the sets that exist (a sequence, or a :class:`SetTable`); an unknown name is
    an :class:`InputError` with a "did you mean". ``None`` accepts any name. A syntax error
    names the column (1-based character position) where it was found.

    >>> str(parse_expression("DEV*~URB*LIT*STB+DEV*LIT*IND*STB"))
    'DEV*~URB*LIT*STB + DEV*LIT*IND*STB'
    >>> str(parse_expression("~( A+B )*C", ["A", "B", "C"]))
    '~(A + B)*C'
    """
    if not isinstance(text, str):
        raise InputError(f"expression: found {type(text).__name__}; expected text such as "
                         "'A*~B + C'")
    if len(text) > MAX_LENGTH:
        raise InputError(f"expression: found {len(text)} characters; expected at most "
                         f"{MAX_LENGTH}")
    known: tuple[str, ...] | None
    if names is None:
        known = None
    elif hasattr(names, "names"):
        known = tuple(names.names)
    else:
        known = tuple(names)
    return _Parser(text, known).parse()


class _Parser:
    def __init__(self, text: str, names: tuple[str, ...] | None) -> None:
        self.text = text
        self.names = names
        self.tokens: list[tuple[str, str, int]] = []  # (kind, value, column)
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                rest = text[position:]
                if not rest.strip():
                    break
                column = position + len(rest) - len(rest.lstrip()) + 1
                raise self._error(column, repr(text[column - 1]),
                                  "a set name, *, +, ~ or a parenthesis")
            kind = "name" if match.group("name") else "op"
            value = match.group(kind)
            self.tokens.append((kind, value, match.start(kind) + 1))
            position = match.end()
        self.index = 0
        self.depth = 0

    def _error(self, column: int, found: str, expected: str) -> InputError:
        return InputError(f"expression: found {found} at column {column} of {self.text!r}; "
                          f"expected {expected}")

    def _peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _end_column(self) -> int:
        return len(self.text.rstrip()) + 1

    def parse(self) -> Expression:
        if not self.tokens:
            raise InputError("expression: found an empty text; expected an expression such "
                             "as 'A*~B + C'")
        result = self._sum()
        token = self._peek()
        if token is not None:
            expected = "* or + between sets" if token[1] != ")" else \
                "an opening parenthesis before this one"
            raise self._error(token[2], repr(token[1]), expected)
        return result

    def _sum(self) -> Expression:
        parts = [self._product()]
        while (token := self._peek()) is not None and token[1] == "+":
            self.index += 1
            parts.append(self._product())
        return Expression.any_of(parts)

    def _product(self) -> Expression:
        parts = [self._factor()]
        while (token := self._peek()) is not None and token[1] == "*":
            self.index += 1
            parts.append(self._factor())
        return Expression.all_of(parts)

    def _factor(self) -> Expression:
        token = self._peek()
        if token is None:
            raise self._error(self._end_column(), "the end of the text",
                              "a set name, ~ or an opening parenthesis")
        kind, value, column = token
        if kind == "name":
            self.index += 1
            if self.names is not None and value not in self.names:
                raise InputError(f"expression: found the set {value!r} at column {column} of "
                                 f"{self.text!r}; expected one of {', '.join(self.names)}"
                                 f"{suggest(value, self.names)}")
            return Expression.set(value)
        if value in ("~", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self._error(column, f"more than {MAX_DEPTH} nested ~ or parentheses",
                                  "a shallower expression")
            self.index += 1
            if value == "~":
                result = self._factor().negate()
            else:
                result = self._sum()
                closing = self._peek()
                if closing is None or closing[1] != ")":
                    where = closing[2] if closing is not None else self._end_column()
                    found = repr(closing[1]) if closing is not None else "the end of the text"
                    raise self._error(where, found,
                                      f"a closing parenthesis for the one at column {column}")
                self.index += 1
            self.depth -= 1
            return result
        raise self._error(column, repr(value), "a set name, ~ or an opening parenthesis")
