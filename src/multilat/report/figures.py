"""The report's figures, drawn with matplotlib's object API (no pyplot, no global state).

Every function returns a :class:`matplotlib.figure.Figure`; :func:`figure_bytes` serialises one
as SVG or PNG with fixed ids and metadata, so the same analysis gives the same bytes.

The figures read plain data: :class:`FigureData` (an analysis's theory outline, years, periods
and per-year beliefs, without its evidence items) and the robustness section's influences and
change years. :func:`draw_figures` draws and saves every figure of a report from that data
alone, so a report can draw them in another process (:mod:`multilat.report._worker`) while it
computes the rest.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import __version__
from .._deps import require
from ..analysis import Analysis
from ..case.model import Period
from ..decision import decide
from ..infer.weighing import PARTY, VariableBeliefs
from ..theory import Theory
from .content import human

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .robustness import ChangeYears, Influence

__all__ = ["Dimension", "FigureData", "TheoryOutline", "draw_figures", "figure_bytes",
           "figure_style", "plot_change_years", "plot_contributions", "plot_strategy_map",
           "plot_timeline", "plot_tornado"]


@dataclass(frozen=True, slots=True)
class Dimension:
    """A variable or the outcome as a figure shows it: its name and ordered levels."""

    name: str
    levels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TheoryOutline:
    """What the figures draw of a theory: its variables, its outcome and its rule grid
    (each covered combination of levels with the outcome its rule gives)."""

    variables: tuple[Dimension, ...]
    outcome: Dimension
    grid: tuple[tuple[tuple[str, ...], str], ...]

    @classmethod
    def of(cls, theory: Theory | TheoryOutline) -> TheoryOutline:
        if isinstance(theory, TheoryOutline):
            return theory
        return cls(tuple(Dimension(v.name, tuple(v.levels)) for v in theory.variables),
                   Dimension(theory.outcome.name, tuple(theory.outcome.levels)),
                   tuple((tuple(combo), rule.then) for combo, rule in theory.cells()))


@dataclass(frozen=True, slots=True)
class FigureData:
    """What the figures of one analysis read, and nothing per evidence item: small, and plain
    enough to send to another process.

    ``beliefs`` holds the per-year and per-period beliefs of every target (the theory's
    variables and its outcome, :class:`~multilat.infer.weighing.VariableBeliefs`).
    """

    theory: TheoryOutline
    title: str
    periods: tuple[Period, ...]
    years: tuple[int, ...]
    beliefs: Mapping[str, VariableBeliefs]
    predicted_yearly: np.ndarray[Any, Any]

    @classmethod
    def of(cls, analysis: Analysis | FigureData) -> FigureData:
        if isinstance(analysis, FigureData):
            return analysis
        return cls(TheoryOutline.of(analysis.theory), analysis.case.title,
                   tuple(analysis.case.periods), tuple(analysis.years), dict(analysis.beliefs),
                   analysis.predicted_yearly)

    @property
    def outcome(self) -> VariableBeliefs:
        """The observed outcome's beliefs."""
        return self.beliefs[self.theory.outcome.name]

# Colour-blind-safe palette (Okabe and Ito 2008), assigned to outcome levels and sides in order.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
_STYLE = {
    "svg.hashsalt": "multilat",
    "svg.fonttype": "path",
    "font.family": ["DejaVu Sans"],
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100.0,
    "savefig.dpi": 150.0,
    "path.simplify": True,
}


@contextmanager
def figure_style() -> Iterator[None]:
    """matplotlib's defaults plus multilat's fixed style (ignores the user's matplotlibrc)."""
    matplotlib = require("matplotlib", "report", "Writing a report")
    with matplotlib.rc_context():
        matplotlib.rcParams.update({k: v for k, v in matplotlib.rcParamsDefault.items()
                                    if k != "backend"})
        matplotlib.rcParams.update(_STYLE)
        yield


def _figure(width: float, height: float) -> Figure:
    require("matplotlib", "report", "Writing a report")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """``figure`` as ``"svg"`` or ``"png"`` bytes, with no date and a fixed creator."""
    buffer = io.BytesIO()
    creator = f"multilat {__version__}"
    metadata: dict[str, Any] = ({"Date": None, "Creator": creator} if fmt == "svg"
                                else {"Software": creator})
    figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def _text(text: str, width: int = 40) -> str:
    """Case text for matplotlib: shortened to ``width``, ``$`` escaped (it starts mathtext)."""
    text = " ".join(text.split())
    return textwrap.shorten(text, width, placeholder="...").replace("$", r"\$")


def _party(party: str) -> str:
    """A legend's short name of a party: ``"established:USA"`` -> ``"established (USA)"``
    (actor ids, not names: names are long and untrusted)."""
    side, _, actor_id = party.partition(PARTY)
    return f"{side} ({actor_id})" if actor_id else side


def _positions(probabilities: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Expected cell coordinate: a certain belief sits at its level's cell centre."""
    return probabilities @ (np.arange(probabilities.shape[-1]) + 0.5)


def _spans(years: tuple[int, ...], xs: np.ndarray[Any, Any], ys: np.ndarray[Any, Any]
           ) -> list[tuple[str, float, float]]:
    """Labels for runs of consecutive years that sit at (nearly) the same point."""
    out: list[tuple[str, float, float]] = []
    first = 0
    for index in range(1, len(years) + 1):
        if index < len(years) and abs(xs[index] - xs[first]) < 0.03 and abs(
                ys[index] - ys[first]) < 0.03:
            continue
        label = (str(years[first]) if index - 1 == first
                 else f"{years[first]}-{years[index - 1]}")
        out.append((label, float(xs[first]), float(ys[first])))
        first = index
    return out


def _place_labels(spans: list[tuple[str, float, float]]
                  ) -> list[tuple[str, float, float, tuple[float, float]]]:
    """Greedy label placement: each label takes the corner of its point it overlaps least."""
    candidates = ((6.0, 6.0), (6.0, -15.0), (-6.0, 6.0), (-6.0, -15.0))
    scale = 1 / 150  # about one cell per 150 points at the map's size
    boxes: list[tuple[float, float, float, float]] = [
        (x - 0.05, y - 0.05, x + 0.05, y + 0.05) for _, x, y in spans]

    def box(label: str, x: float, y: float, offset: tuple[float, float]
            ) -> tuple[float, float, float, float]:
        width, height = 5.2 * len(label) * scale, 10 * scale
        left = x + offset[0] * scale - (width if offset[0] < 0 else 0)
        bottom = y + offset[1] * scale
        return (left, bottom, left + width, bottom + height)

    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(
            0.0, min(a[3], b[3]) - max(a[1], b[1]))

    out = []
    for label, x, y in spans:
        scores = [sum(overlap(box(label, x, y, c), b) for b in boxes) for c in candidates]
        best = candidates[scores.index(min(scores))]
        boxes.append(box(label, x, y, best))
        out.append((label, x, y, best))
    return out


def _grid_axes(axes: Any, theory: Any) -> None:
    """Limits, ticks and labels of a two-variable rule grid (one unit per level)."""
    first, second = theory.variables
    axes.set_xlim(0, len(first.levels))
    axes.set_ylim(0, len(second.levels))
    axes.set_xticks(np.arange(len(first.levels)) + 0.5, [human(lv) for lv in first.levels])
    axes.set_yticks(np.arange(len(second.levels)) + 0.5,
                    [human(lv) for lv in reversed(second.levels)])
    axes.set_xlabel(human(first.name))
    axes.set_ylabel(human(second.name))


def draw_rule_grid(axes: Any, theory: Theory | TheoryOutline) -> None:
    """The cells of a two-variable theory's rule table, each tinted and labelled with the
    outcome its rule gives (the second variable's first level on top, as in the table), on
    axes with the levels as ticks."""
    theory = TheoryOutline.of(theory)
    first, second = theory.variables
    outcome = theory.outcome.levels
    for combo, then in theory.grid:
        i, j = first.levels.index(combo[0]), second.levels.index(combo[1])
        colour = PALETTE[outcome.index(then) % len(PALETTE)]
        row = len(second.levels) - 1 - j
        axes.add_patch(_rectangle((i, row), colour))
        axes.text(i + 0.5, row + 0.95, human(then).upper(), ha="center", va="top",
                  fontsize=11, color=colour, fontweight="bold")
    _grid_axes(axes, theory)


def plot_strategy_map(analysis: Analysis | FigureData) -> Figure | None:
    """The theory's grid of outcomes with the case's yearly trajectory through it.

    Each axis runs over one variable's levels; each year sits at its expected cell coordinate
    (a certain belief at the cell's centre): the cell is the predicted outcome, the marker's
    colour the observed one, its area the probability of the most probable cell. Returns
    ``None`` unless the theory has exactly two variables.
    """
    data = FigureData.of(analysis)
    theory = data.theory
    if len(theory.variables) != 2:
        return None
    first, second = theory.variables
    outcome = theory.outcome.levels
    figure = _figure(6.4, 5.2)
    axes = figure.add_subplot()
    draw_rule_grid(axes, theory)
    px = data.beliefs[first.name].yearly
    py = data.beliefs[second.name].yearly
    xs, ys = _positions(px), len(second.levels) - _positions(py)
    certainty = px.max(axis=1) * py.max(axis=1)
    # Each year's marker is coloured by the OBSERVED outcome (grey: no evidence or a tie), so
    # a year predicted in one cell but observed as another outcome stands out.
    observed = [decide(outcome, row).level if count else None
                for row, count in zip(data.outcome.yearly, data.outcome.yearly_counts,
                                      strict=True)]
    colours = [PALETTE[outcome.index(level) % len(PALETTE)] if level else "#BBBBBB"
               for level in observed]
    axes.plot(xs, ys, color="#777777", linewidth=1.0, zorder=2)
    axes.scatter(xs, ys, s=20 + 280 * certainty, c=colours, zorder=3, edgecolors="#222222",
                 linewidths=0.8)
    for level in dict.fromkeys(observed):
        axes.scatter([], [], s=60, color=PALETTE[outcome.index(level) % len(PALETTE)]
                     if level else "#BBBBBB", edgecolors="#222222",
                     label=f"observed: {human(level) if level else 'no evidence / tie'}")
    for label, x, y, offset in _place_labels(_spans(data.years, xs, ys)):
        axes.annotate(label, (x, y), xytext=offset, textcoords="offset points", fontsize=8,
                      ha="left" if offset[0] > 0 else "right", zorder=4)
    for size in (0.5, 0.75, 1.0):
        axes.scatter([], [], s=20 + 280 * size, color="#555555",
                     label=f"certainty {size:.2f}")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, frameon=False,
                title="cell: predicted; marker colour: observed\n"
                      "marker area: probability of the most probable cell")
    title = _text(data.title, 70)
    axes.set_title(f"{title}\nyearly trajectory, {data.years[0]}-{data.years[-1]}",
                   loc="left")
    axes.set_aspect("equal")
    return figure


def _rectangle(corner: tuple[int, int], colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(corner, 1, 1, facecolor=colour, alpha=0.12, edgecolor="white",
                     linewidth=2, zorder=1)


def _shade_periods(axes: Any, data: FigureData, label: bool) -> None:
    for index, period in enumerate(data.periods):
        axes.axvspan(period.start - 0.5, period.end + 0.5, color="#000000",
                     alpha=0.06 if index % 2 == 0 else 0.12, linewidth=0, zorder=0)
        if label:
            axes.text((period.start + period.end) / 2, 1.02, _text(period.label or period.id, 24),
                      ha="center", va="bottom", fontsize=8, color="#333333",
                      transform=axes.get_xaxis_transform())


def plot_timeline(analysis: Analysis | FigureData) -> Figure:
    """Yearly beliefs for each variable, then predicted vs observed strategy; periods shaded."""
    data = FigureData.of(analysis)
    theory, years = data.theory, np.array(data.years)
    rows = len(theory.variables) + 1
    figure = _figure(7.2, 1.9 * rows + 0.6)
    axes_list = figure.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]
    for axes, variable in zip(axes_list, theory.variables, strict=False):
        beliefs = data.beliefs[variable.name].yearly
        shown = variable.levels[:1] if len(variable.levels) == 2 else variable.levels
        for index, level in enumerate(shown):
            axes.plot(years, beliefs[:, index], marker="o", markersize=3.5,
                      color=PALETTE[index % len(PALETTE)], label=f"P({human(level)})")
        axes.axhline(0.5, color="#888888", linewidth=0.7, linestyle=":")
        axes.set_ylabel(human(variable.name).replace(" of ", "\nof "), fontsize=8)
        axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    axes = axes_list[-1]
    # Years without coded behaviour have no observation (not a uniform one): leave a gap.
    observed = np.where((data.outcome.yearly_counts > 0)[:, None],
                        data.outcome.yearly, np.nan)
    for index, level in enumerate(theory.outcome.levels):
        colour = PALETTE[index % len(PALETTE)]
        axes.plot(years, data.predicted_yearly[:, index], color=colour, marker="o",
                  markersize=3.5, label=f"predicted {human(level)}")
        axes.plot(years, observed[:, index], color=colour, linestyle="--",
                  marker="s", markersize=3, label=f"observed {human(level)}")
    axes.set_ylabel(human(theory.outcome.name), fontsize=8)
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    for index, axes in enumerate(axes_list):
        axes.set_ylim(-0.03, 1.03)
        axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        _shade_periods(axes, data, label=index == 0)
    axes_list[-1].set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 14
                             else 0)
    return figure


def plot_contributions(analysis: Analysis | FigureData, variable: str) -> Figure:
    """Per year, each side's push on the log-odds of the first level against the last.

    Bars stack each side's summed log-likelihood ratios (up: towards the first level); the
    diamond is the posterior log-odds (prior plus all bars).
    """
    data = FigureData.of(analysis)
    beliefs = data.beliefs[variable]
    years = np.array(data.years)
    push = beliefs.yearly_contributions[:, :, 0] - beliefs.yearly_contributions[:, :, -1]
    names = beliefs.side_names if beliefs.sides else ("evidence",)
    if not beliefs.sides:
        push = push.sum(axis=1, keepdims=True)
    else:
        push = push[:, :len(beliefs.sides)]
    figure = _figure(7.2, 3.4)
    axes = figure.add_subplot()
    up, down = np.zeros(len(years)), np.zeros(len(years))
    for index, name in enumerate(names[:push.shape[1]]):
        values = push[:, index]
        base = np.where(values >= 0, up, down)
        axes.bar(years, values, bottom=base, width=0.7, color=PALETTE[index % len(PALETTE)],
                 label=f"side: {_party(name)}" if beliefs.sides else name, zorder=2)
        up, down = up + np.clip(values, 0, None), down + np.clip(values, None, 0)
    prior = float(beliefs.prior[0] - beliefs.prior[-1])
    axes.scatter(years, prior + push.sum(axis=1), marker="D", color="#111111", zorder=3,
                 s=22, label="posterior log-odds")
    axes.axhline(0, color="#444444", linewidth=0.8)
    _shade_periods(axes, data, label=True)
    axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    # Long spans: every other label, turned, so that labels never overlap.
    step = 1 if len(years) <= 14 else 2 if len(years) <= 30 else 5
    axes.set_xticks(years[::step], [str(y) for y in years[::step]],
                    rotation=45 if len(years) > 14 else 0)
    axes.set_ylabel(f"log-odds {human(beliefs.levels[0])}\nvs {human(beliefs.levels[-1])}")
    axes.set_title(human(variable), loc="left", pad=18)
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    return figure


def plot_tornado(influences: Sequence[Influence]) -> Figure | None:
    """Leave-one-out tornado: each item's largest shift in P(concluded level) when left out.

    One horizontal bar per item (largest shift on top), labelled by evidence id and the
    conclusion it moves; items whose removal flips that conclusion are drawn in vermillion.
    ``influences`` come from :func:`multilat.report.robustness.robustness_section`.
    """
    if not influences:
        return None
    shown = list(influences)[::-1]  # matplotlib draws the first bar at the bottom
    figure = _figure(7.2, 0.9 + 0.34 * len(shown))
    axes = figure.add_subplot()
    positions = np.arange(len(shown))
    changes = np.array([item.change for item in shown])
    colours = [PALETTE[1] if item.flips else PALETTE[0] for item in shown]
    axes.barh(positions, changes, height=0.62, color=colours, zorder=2)
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.set_yticks(positions, [f"{_text(item.id, 34)}\n{_text(item.conclusion, 40)} "
                                f"({_text(item.level, 16)})" for item in shown], fontsize=7)
    for position, item in zip(positions, shown, strict=True):
        axes.annotate(f"{item.probability_with:.2f} → {item.probability_without:.2f}",
                      (item.change, position), xytext=(-4 if item.change < 0 else 4, 0),
                      textcoords="offset points", va="center", fontsize=7,
                      ha="right" if item.change < 0 else "left")
    limit = max(0.05, float(np.abs(changes).max())) * 1.45
    axes.set_xlim(-limit if changes.min() < 0 else -0.1 * limit,
                  limit if changes.max() > 0 else 0.1 * limit)
    axes.set_xlabel("change in P(concluded level) when the item is left out")
    from matplotlib.patches import Patch

    axes.legend(handles=[Patch(color=PALETTE[1], label="flips the conclusion"),
                         Patch(color=PALETTE[0], label="conclusion holds")],
                loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False)
    axes.grid(axis="x", color="#e5e5e5", zorder=0)
    return figure


def plot_change_years(dated: Sequence[ChangeYears]) -> Figure | None:
    """Posterior over the change year (and "no change") of each dated variable; prior dashed."""
    if not dated:
        return None
    figure = _figure(7.2, 0.6 + 1.9 * len(dated))
    axes_list = figure.subplots(len(dated), 1, sharex=True, squeeze=False)[:, 0]
    for index, (axes, item) in enumerate(zip(axes_list, dated, strict=True)):
        positions = np.arange(len(item.keys))
        colour = PALETTE[(2 * index) % len(PALETTE)]
        axes.bar(positions, item.posterior, width=0.7, color=colour, zorder=2,
                 label="posterior")
        axes.step(np.append(positions, positions[-1] + 1) - 0.5,
                  np.append(item.prior, item.prior[-1]), where="post", color="#333333",
                  linestyle="--", linewidth=0.9, label="prior", zorder=3)
        top = item.keys.index(str(item.most_probable_year))
        axes.annotate(f"{item.most_probable_year}: {item.most_probable_probability:.2f}",
                      (top, item.posterior[top]), xytext=(0, 3), textcoords="offset points",
                      ha="center", va="bottom", fontsize=8, fontweight="bold")
        axes.set_ylim(0, max(max(item.posterior), max(item.prior)) * 1.25)
        axes.set_ylabel(f"P(change year)\n{human(item.variable)}".replace(" of ", "\nof ", 1),
                        fontsize=8)
        axes.legend(loc="upper right", frameon=False, fontsize=8)
        axes.grid(axis="y", color="#e5e5e5", zorder=0)
    keys = dated[0].keys
    axes_list[-1].set_xticks(np.arange(len(keys)), ["no\nchange" if k == "no_change" else k
                                                    for k in keys],
                             rotation=45 if len(keys) > 16 else 0)
    return figure


def _saved(drawn: Mapping[str, Figure | None], png: bool
           ) -> dict[str, tuple[bytes, bytes | None]]:
    """Name -> (SVG bytes, PNG bytes or None) of each figure drawn (``None``: not drawn)."""
    return {name: (figure_bytes(figure, "svg"), figure_bytes(figure, "png") if png else None)
            for name, figure in drawn.items() if figure is not None}


def draw_figures(data: FigureData | Analysis, png: bool = True
                 ) -> dict[str, tuple[bytes, bytes | None]]:
    """The analysis's figures, each laid out once and saved once per format under the fixed
    style: ``strategy-map`` (two-variable theories), ``timeline`` and
    ``contributions-<variable>`` per variable, as name -> (SVG bytes, PNG bytes or None)."""
    data = FigureData.of(data)
    with figure_style():
        drawn = {"strategy-map": plot_strategy_map(data), "timeline": plot_timeline(data)}
        for variable in data.theory.variables:
            drawn[f"contributions-{variable.name}"] = plot_contributions(data, variable.name)
        return _saved(drawn, png)


def draw_robustness_figures(influences: Sequence[Influence], change_years: Sequence[ChangeYears],
                            png: bool = True) -> dict[str, tuple[bytes, bytes | None]]:
    """The robustness section's figures, as :func:`draw_figures` saves them: ``tornado``
    (when an item moves a conclusion) and ``change-year`` (when a switch was dated)."""
    with figure_style():
        return _saved({"tornado": plot_tornado(influences),
                       "change-year": plot_change_years(change_years)}, png)
