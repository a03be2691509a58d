"""Case objects: actors, periods, evidence. Plain immutable data, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from ..errors import InputError
from ..theory.model import Citation

__all__ = ["NO_ROLE", "Actor", "Case", "Claim", "Evidence", "EvidenceGroup", "Institution",
           "IssueArea", "Period"]

Kind = Literal["statistic", "action", "statement", "assessment"]
#: The role of an actor that plays none of the theory's roles (a third country, say).
NO_ROLE = "other"


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor of the case; ``role`` is one of the theory's roles, or :data:`NO_ROLE`."""

    id: str
    name: str
    role: str = NO_ROLE


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

    ``strength`` is a Van Evera label; ``likelihood_ratio`` an explicit ratio; ``likelihoods``
    gives P(E | level) for every level of the variable (exactly one of the three is set).
    ``found`` is false for a test looked for and failed (with ``likelihoods``: the complements
    1 - P(E | level) are used). ``test`` is a Van Evera label asserted beside ``likelihoods``
    (shown and compared with the test the numbers make, never weighed).
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
    #: On a side whose role several actors hold in the case: the actor whose situation the
    #: item is about (e.g. which established power's options).
    whose: str | None = None
    #: The sub-issue the item is about (an ``IssueArea`` id); ``None``: the regime itself.
    issue_area: str | None = None
    #: ``{level: P(E | level)}`` over every level of the variable, in the file's order.
    likelihoods: Mapping[str, float] | None = None
    test: str | None = None

    @property
    def years(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_mapping(self, *, with_layer: bool = True) -> dict[str, Any]:
        """The item as the case and evidence files write it, in their key order.

        The one converter from an item to plain data: the loader reads this shape back
        (:meth:`from_mapping`), ``dump_case`` and the data producers write it, and
        ``analyze --format json`` adds the weight to it. Defaults are left out (``found:
        true``, no side, the layer ``core``); ``with_layer=False`` leaves the layer out
        (an evidence file names its layer once).
        """
        item: dict[str, Any] = {"id": self.id, "kind": self.kind,
                                "years": self.start if self.start == self.end
                                else [self.start, self.end],
                                "actor": self.actor, "summary": self.summary}
        if self.quote is not None:
            item["quote"] = self.quote
        item["variable"] = self.variable
        if self.level is not None:  # None only for likelihoods over no level (refused later)
            item["level"] = self.level
        for name in ("side", "whose", "issue_area", "strength", "likelihood_ratio"):
            value = getattr(self, name)
            if value is not None:
                item[name] = value
        if self.likelihoods is not None:
            item["likelihoods"] = dict(self.likelihoods)
            if self.test is not None:
                item["test"] = self.test
        if not self.found:
            item["found"] = False
        item.update({"reliability": self.reliability, "citation": self.citation.to_dict(),
                     "rationale": self.rationale})
        if with_layer and self.layer != "core":
            item["layer"] = self.layer
        return item

    @classmethod
    def from_mapping(cls, item: Mapping[str, Any], layer: str = "core") -> Evidence:
        """The item a (validated) mapping in the file format describes; ``layer`` unless the
        mapping names its own. Summaries and rationales have their whitespace folded."""
        years = item["years"]
        first, last = (years, years) if isinstance(years, int) else (years[0], years[1])
        citation = item["citation"]
        pages = citation.get("pages")
        likelihoods = item.get("likelihoods")
        level = item.get("level")
        if likelihoods is not None:
            likelihoods = MappingProxyType({str(k): float(v) for k, v in likelihoods.items()})
            if level is None and likelihoods:  # the most likely (the first of equal ones)
                level = max(likelihoods, key=lambda k: likelihoods[k])
        return cls(
            id=item["id"], kind=item["kind"], start=first, end=last, actor=item["actor"],
            summary=" ".join(item["summary"].split()), variable=item["variable"],
            level=level, likelihoods=likelihoods, test=item.get("test"),
            citation=Citation(citation["key"], None if pages is None else str(pages),
                              citation.get("locator")),
            rationale=" ".join(item["rationale"].split()), side=item.get("side"),
            strength=item.get("strength"),
            likelihood_ratio=(float(item["likelihood_ratio"]) if "likelihood_ratio" in item
                              else None),
            found=item.get("found", True), reliability=float(item.get("reliability", 1.0)),
            quote=item.get("quote"), layer=item.get("layer", layer),
            whose=item.get("whose"), issue_area=item.get("issue_area"))


@dataclass(frozen=True, slots=True)
class EvidenceGroup:
    """Items that are not independent given the variable: weighed as one fact.

    ``likelihoods`` is the joint P(all the items' observations | level) per level; or
    ``correlation`` (two items, each with probabilities) gives the correlation of the two
    clues given each level (one number for every level, or one per level), from which the
    joint is built (docs/weighing.md, "Dependent items").
    """

    id: str
    items: tuple[str, ...]
    rationale: str
    likelihoods: Mapping[str, float] | None = None
    correlation: float | Mapping[str, float] | None = None

    def to_mapping(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "items": list(self.items)}
        if self.likelihoods is not None:
            out["likelihoods"] = dict(self.likelihoods)
        if self.correlation is not None:
            out["correlation"] = (self.correlation if isinstance(self.correlation, float)
                                  else dict(self.correlation))
        out["rationale"] = self.rationale
        return out

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> EvidenceGroup:
        likelihoods = raw.get("likelihoods")
        correlation = raw.get("correlation")
        return cls(raw["id"], tuple(raw["items"]), " ".join(raw["rationale"].split()),
                   None if likelihoods is None else MappingProxyType(
                       {str(k): float(v) for k, v in likelihoods.items()}),
                   None if correlation is None else float(correlation)
                   if isinstance(correlation, int | float) else MappingProxyType(
                       {str(k): float(v) for k, v in correlation.items()}))


@dataclass(frozen=True, slots=True)
class Claim:
    """A published conclusion the case records for comparison. Never used as evidence."""

    variable: str
    level: str
    start: int
    end: int
    citation: Citation
    note: str = ""
    issue_area: str | None = None


@dataclass(frozen=True, slots=True)
class IssueArea:
    """A sub-issue within the case's regime, analysed on its own (its own span and periods).

    KPR's book: China accepts the nonproliferation regime but invests in the North Korea issue
    within it; pooling the two would hide both strategies.
    """

    id: str
    name: str
    start: int
    end: int
    periods: tuple[Period, ...]
    description: str = ""


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
    #: Which evidence file (as the case names it) each layer came from.
    layer_files: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}),
                                           compare=False)
    schema_version: int = 1
    source: str = field(default="", compare=False)
    issue_areas: tuple[IssueArea, ...] = ()
    #: The issue area this case object holds: ``None`` for the regime itself (or a case with
    #: no issue areas), an ``IssueArea`` id after :meth:`in_issue_area`.
    scope: str | None = None
    #: True once :meth:`in_issue_area` has picked one issue area (or the regime) out of the
    #: whole case; ``issue_areas`` still lists them all.
    scoped: bool = False
    #: Items weighed together (dependent given the variable), each group one fact.
    groups: tuple[EvidenceGroup, ...] = ()

    def groups_present(self) -> tuple[EvidenceGroup, ...]:
        """The groups whose items are all in this case object (a group loses its joint weight,
        and its items weigh alone, when some of its items are left out: by layer, issue area
        or a check)."""
        ids = {e.id for e in self.evidence}
        return tuple(g for g in self.groups if all(i in ids for i in g.items))

    def __repr__(self) -> str:
        roles = ", ".join(f"{a.id} ({a.role})" for a in self.actors if a.role != NO_ROLE)
        areas = f", issue areas {', '.join(a.id for a in self.issue_areas)}" \
            if self.issue_areas else ""
        return (f"<Case {self.id}{'/' + self.scope if self.scope else ''}: {self.start}-"
                f"{self.end}, theory {self.theory}, {len(self.evidence)} items, "
                f"{len(self.periods)} periods; {roles}{areas}>")[:1500]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start, self.end + 1))

    @property
    def folder(self) -> Path | None:
        """The case file's folder (where its theory, bibliography and layers are looked up);
        ``None`` for a case built in memory."""
        return Path(self.source).parent if self.source else None

    @property
    def bibliography_path(self) -> Path:
        """The bibliography file, resolved against the case file's folder."""
        base = Path(self.source).parent if self.source else Path.cwd()
        return base / self.bibliography

    def actors_in(self, role: str) -> tuple[Actor, ...]:
        """Every actor with ``role``, in case order."""
        return tuple(a for a in self.actors if a.role == role)

    def issue_area(self, area_id: str) -> IssueArea:
        for area in self.issue_areas:
            if area.id == area_id:
                return area
        known = ", ".join(a.id for a in self.issue_areas) or "none"
        raise InputError(f"issue_area: found {area_id!r}; expected one of the case's issue "
                         f"areas ({known})")

    def in_issue_area(self, area_id: str | None) -> Case:
        """The case as one issue area: its evidence, claims, span and periods only.

        ``None`` is the regime itself (the items and claims that name no issue area). A case
        without issue areas is returned as it is for ``None``.
        """
        if self.scoped:
            if area_id is None or area_id == self.scope:
                return self
            raise InputError(f"issue_area: found {area_id!r}; this case object already holds "
                             f"{self.scope or 'the regime itself'} (take it from the whole case)")
        if area_id is None:
            if not self.issue_areas:
                return self
            return replace(self, evidence=tuple(e for e in self.evidence
                                                if e.issue_area is None),
                           claims=tuple(c for c in self.claims if c.issue_area is None),
                           scope=None, scoped=True)
        area = self.issue_area(area_id)
        return replace(self, title=f"{self.title}: {area.name}", start=area.start,
                       end=area.end, periods=area.periods,
                       evidence=tuple(e for e in self.evidence if e.issue_area == area.id),
                       claims=tuple(c for c in self.claims if c.issue_area == area.id),
                       scope=area.id, scoped=True)

    def pooled(self) -> Case:
        """Every item and claim of every issue area as if about the regime itself (over the
        regime's span and periods). Pooling hides strategies that differ between issue areas:
        only on request."""
        inside = tuple(e for e in self.evidence if self.start <= e.start and e.end <= self.end)
        if self.scoped:
            raise InputError("pooling needs the whole case, not one issue area of it")
        return replace(self, evidence=inside, claims=tuple(
            c for c in self.claims if self.start <= c.start and c.end <= self.end),
            scope=None, scoped=True)

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
