"""The generic theory objects. The engine knows no theory by name: it reads these."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["Citation", "Outcome", "Role", "Rule", "Theory", "Variable"]


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer into a bibliography: key plus pages or another locator."""

    key: str
    pages: str | None = None
    locator: str | None = None

    def __str__(self) -> str:
        if self.pages:
            return f"{self.key}, p. {self.pages}"
        where = f", {self.locator}" if self.locator else ""
        return f"{self.key}{where}"

    def to_dict(self) -> dict[str, str]:
        out = {"key": self.key}
        if self.pages:
            out["pages"] = self.pages
        if self.locator:
            out["locator"] = self.locator
        return out


@dataclass(frozen=True, slots=True)
class Role:
    """A part an actor plays in the theory (for KPR: the rising and the established power).

    A case must give the role between ``min_actors`` and ``max_actors`` actors (``None``: no
    upper bound); ``label`` is how reports name it.
    """

    name: str
    label: str = ""
    description: str = ""
    min_actors: int = 1
    max_actors: int | None = None

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Variable:
    """An explanatory variable with its ordered levels.

    ``sides`` names the roles whose situation the variable weighs together (for the balance of
    outside options: the rising and the established power); evidence on such a variable must say
    which side it concerns (and, where a role holds several actors in a case, whose), and
    results keep the sides' (and actors') contributions apart.
    """

    name: str
    levels: tuple[str, ...]
    description: str = ""
    sides: tuple[str, ...] = ()
    citation: Citation | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The dependent variable (for KPR: the strategy) with its levels."""

    name: str
    levels: tuple[str, ...]
    description: str = ""
    level_descriptions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the rule table: a level (or set of levels) per variable gives an outcome."""

    when: Mapping[str, tuple[str, ...]]
    then: str
    citation: Citation
    note: str


@dataclass(frozen=True, slots=True)
class Theory:
    """A theory: variables, outcome, and a rule table covering every combination exactly once."""

    name: str
    version: str
    title: str
    variables: tuple[Variable, ...]
    outcome: Outcome
    rules: tuple[Rule, ...]
    description: str = ""
    citation: Citation | None = None
    references: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    source: str = ""
    roles: tuple[Role, ...] = ()
    #: The other readings of the same theory (its named variants, or for a variant the base and
    #: the other variants), as references :func:`multilat.theory.resolve_theory` accepts.
    readings: tuple[str, ...] = ()
    #: For a variant, the name of the theory it is a reading of.
    variant_of: str | None = None

    def role(self, name: str) -> Role:
        for role in self.roles:
            if role.name == name:
                return role
        raise KeyError(name)

    def variable(self, name: str) -> Variable:
        for variable in self.variables:
            if variable.name == name:
                return variable
        raise KeyError(name)

    @property
    def observed_name(self) -> str:
        """The name of the outcome's weighed beliefs in conclusions (``observed_strategy``)."""
        return f"observed_{self.outcome.name}"

    @property
    def predicted_name(self) -> str:
        """The name of the rule table's prediction in conclusions (``predicted_strategy``)."""
        return f"predicted_{self.outcome.name}"

    def target_of(self, name: str) -> str | None:
        """The target (variable or outcome) ``name`` means: a variable, the outcome, or
        :attr:`observed_name` for the outcome; ``None`` when it means none."""
        if name == self.observed_name:
            return self.outcome.name
        return name if name in (t[0] for t in self.targets) else None

    @property
    def targets(self) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
        """Everything evidence can point at: the variables, then the outcome (levels, sides)."""
        own = tuple((v.name, v.levels, v.sides) for v in self.variables)
        return (*own, (self.outcome.name, self.outcome.levels, ()))

    def cells(self) -> list[tuple[tuple[str, ...], Rule]]:
        """Every combination of levels (in variable order) with the rule that covers it."""
        # Each rule's cells once (the first rule covering a cell gives it), then in order: as
        # many steps as the rules cover, not cells x rules.
        given: dict[tuple[str, ...], Rule] = {}
        for rule in self.rules:
            for combo in itertools.product(*(rule.when.get(v.name, v.levels)
                                             for v in self.variables)):
                given.setdefault(combo, rule)
        return [(combo, given[combo])
                for combo in itertools.product(*(v.levels for v in self.variables))
                if combo in given]

    def table(self) -> npt.NDArray[np.float64]:
        """One-hot rule table, shape (levels of var 1, ..., levels of var k, outcome levels)."""
        import numpy as np  # only the weighing needs it: theories load without NumPy

        shape = (*(len(v.levels) for v in self.variables), len(self.outcome.levels))
        table = np.zeros(shape)
        for combo, rule in self.cells():
            index = tuple(v.levels.index(level)
                          for v, level in zip(self.variables, combo, strict=True))
            table[(*index, self.outcome.levels.index(rule.then))] = 1.0
        return table
