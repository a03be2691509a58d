"""Case objects: actors, periods, evidence. Plain immutable data, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from ..theory.model import Citation

__all__ = ["Actor", "Case", "Claim", "Evidence", "Institution", "Period"]

Role = Literal["rising", "established", "other"]
Kind = Literal["statistic", "action", "statement", "assessment"]


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Institution:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Period:
    id: str
    start: int
    end: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One cited piece of evidence pointing at a level of a variable (or of the outcome).

    ``strength`` is a Van Evera label; ``likelihood_ratio`` is an explicit alternative (exactly
    one of the two is set). ``found`` is false for a test looked for and failed.
    """

    id: str
    kind: Kind
    start: int
    end: int
    actor: str
    summary: str
    variable: str
    level: str
    citation: Citation
    rationale: str
    side: str | None = None
    strength: str | None = None
    likelihood_ratio: float | None = None
    found: bool = True
    reliability: float = 1.0
    quote: str | None = None
    layer: str = "core"

    @property
    def years(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class Claim:
    """A published conclusion the case records for comparison. Never used as evidence."""

    variable: str
    level: str
    start: int
    end: int
    citation: Citation
    note: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """A rising power x institution x time span, with its periods and evidence."""

    id: str
    title: str
    theory: str
    institution: Institution
    actors: tuple[Actor, ...]
    start: int
    end: int
    periods: tuple[Period, ...]
    bibliography: str
    evidence: tuple[Evidence, ...]
    description: str = ""
    priors: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    claims: tuple[Claim, ...] = ()
    rival_theories: tuple[str, ...] = ()
    # Where the evidence came from, not what it is: a dumped case (every item inline, each
    # keeping its layer) equals the case it was dumped from.
    evidence_files: tuple[str, ...] = field(default=(), compare=False)
    schema_version: int = 1
    source: str = field(default="", compare=False)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start, self.end + 1))

    @property
    def bibliography_path(self) -> Path:
        """The bibliography file, resolved against the case file's folder."""
        base = Path(self.source).parent if self.source else Path.cwd()
        return base / self.bibliography

    def actor(self, role: Role) -> Actor | None:
        return next((a for a in self.actors if a.role == role), None)

    @property
    def layers(self) -> tuple[str, ...]:
        """The evidence layers present, in order of first appearance."""
        return tuple(dict.fromkeys(e.layer for e in self.evidence))

    def without(self, evidence_ids: set[str]) -> Case:
        """A copy without the named evidence items."""
        kept = tuple(e for e in self.evidence if e.id not in evidence_ids)
        return replace(self, evidence=kept)

    def with_layers(self, layers: set[str]) -> Case:
        """A copy keeping only the evidence of the named layers."""
        return replace(self, evidence=tuple(e for e in self.evidence if e.layer in layers))
