"""Every chart, drawn once with matplotlib onto a Figure: Agg here for files, Qt's canvas on screen.

No pyplot (no global state): callers make a ``Figure`` (``new_figure``) and hand it to a
canvas. Each drawing function also returns the chart's text alternative, which screens set
as the accessible description and reports print under the chart.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib import dates as _dates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from linksdesk.core.datafiles import load_toml
from linksdesk.reports.model import SUPPRESSED_MARK, ChartSpec, Table


@dataclass(frozen=True)
class Palette:
    name: str
    background: str
    text: str
    grid: str
    series: tuple[str, ...]  # Okabe-Ito: told apart with the common colour-vision differences
    flagged: str
    bands: dict[str, str]  # meaningful-change bands of the wellbeing trend


def _palette(name: str, colours: dict[str, Any]) -> Palette:
    return Palette(name, **{**colours, "series": tuple(colours["series"])})


# the colours are data: palettes.toml beside this module
PALETTES = {
    name: _palette(name, colours)
    for name, colours in load_toml("linksdesk.reports", "palettes.toml").items()
}
LIGHT = PALETTES["light"]
DARK = PALETTES["dark"]


def new_figure(width: float = 7.5, height: float = 3.6, dpi: int = 100) -> Figure:
    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


def png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, drawn with Agg (offscreen, no GPU)."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor=fig.get_facecolor())
    return buf.getvalue()


def _style(fig: Figure, ax: Any, p: Palette) -> None:
    fig.set_facecolor(p.background)
    ax.set_facecolor(p.background)
    for spine in ax.spines.values():
        spine.set_color(p.grid)
    ax.tick_params(colors=p.text, labelsize=8)
    ax.yaxis.label.set_color(p.text)
    ax.xaxis.label.set_color(p.text)
    ax.title.set_color(p.text)
    ax.grid(True, axis="y", color=p.grid, linewidth=0.6)
    ax.set_axisbelow(True)


def _legend(ax: Any, p: Palette, outside: bool = False) -> None:
    keys = len(ax.get_legend_handles_labels()[0])
    if not keys:
        return
    if outside:  # many series: beside the plot, never over the bars
        legend = ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    else:  # above the plot, at the title's right: "best" inside it covered a full chart's bars
        legend = ax.legend(fontsize=8, frameon=False, loc="lower right",
                           bbox_to_anchor=(1.0, 1.0), ncol=keys, borderaxespad=0.1)  # fmt: skip
    for text in legend.get_texts():
        text.set_color(p.text)
    for handle in legend.legend_handles:  # a key is the series' colour, not a flagged bar's frame
        if isinstance(handle, Patch):
            handle.set_linewidth(0)


def _num(value: Any) -> float:
    return 0.0 if value is None else float(value)


def _shown(value: Any) -> str:
    return SUPPRESSED_MARK if value is None else f"{value:g}"


NO_FIGURE = "no figure"  # a mean of no pairs, an interval of one: absent, not hidden


def _said(table: Table, cell: tuple[int, int], value: Any) -> str:
    """A cell in the chart's words: "c" only for what suppression hid (a count from 1 to
    the threshold minus one, or a figure built on one), never for a figure that is not there
    (a mean of nobody), which the table leaves blank."""
    if value is None and cell not in table.suppressed:
        return NO_FIGURE
    return _shown(value)


def _rows(spec: ChartSpec, table: Table) -> tuple[tuple[Any, ...], ...]:
    rows = table.rows[:-1] if spec.skip_last and table.rows else table.rows
    return rows


def _short(label: Any, width: int = 28) -> str:
    text = str(label)
    return text if len(text) <= width else text[: width - 1] + "…"


def draw_table_chart(fig: Figure, spec: ChartSpec, table: Table, palette: Palette = LIGHT) -> str:
    """Draw ``spec`` from ``table`` onto ``fig``; returns the chart's text alternative."""
    fig.clear()
    ax: Any = fig.add_subplot()
    _style(fig, ax, palette)
    ax.set_title(spec.title, fontsize=10, loc="left", color=palette.text)
    rows = _rows(spec, table)
    labels = [_short(r[0]) for r in rows]
    idx = {c.key: i for i, c in enumerate(table.columns)}
    names = {c.key: c.label for c in table.columns}
    colours = palette.series
    if not rows:
        ax.text(0.5, 0.5, "Nothing to show for this period", ha="center", va="center",
                color=palette.text, transform=ax.transAxes)  # fmt: skip
        ax.set_xticks([])
        ax.set_yticks([])
        return f"{spec.title}: nothing to show for this period."
    if spec.kind in ("bar", "stacked_bar"):
        n = len(spec.series)
        width = 0.8 / (1 if spec.kind == "stacked_bar" else n)
        bottoms: list[float] = [0.0] * len(rows)
        for k, key in enumerate(spec.series):
            values = [_num(r[idx[key]]) for r in rows]
            if spec.kind == "stacked_bar":
                ax.bar(
                    list(range(len(rows))),
                    values,
                    width,
                    bottom=bottoms,
                    label=names[key],
                    color=colours[k],
                )
                bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
            else:
                at = [x - 0.4 + width * (k + 0.5) for x in range(len(rows))]
                bars = ax.bar(at, values, width, label=names[key], color=colours[k])
                for i in table.flagged:
                    if i < len(rows):
                        bars[i].set_edgecolor(palette.flagged)
                        bars[i].set_linewidth(2)
        ax.set_xticks(range(len(rows)), labels, rotation=30 if len(rows) > 4 else 0, ha="right"
                      if len(rows) > 4 else "center")  # fmt: skip
        if n > 1:
            _legend(ax, palette)
    elif spec.kind in ("hbar", "hbar_stacked"):
        ys = list(range(len(rows)))
        lefts = [0.0] * len(rows)
        for k, key in enumerate(spec.series):
            values = [_num(r[idx[key]]) for r in rows]
            bars = ax.barh(ys, values, 0.7, left=lefts, label=names[key], color=colours[k])
            lefts = [a + v for a, v in zip(lefts, values, strict=True)]
            for i in table.flagged:
                if i < len(rows):
                    bars[i].set_edgecolor(palette.flagged)
                    bars[i].set_linewidth(2)
        # many rows on one chart: smaller labels, then every k-th label, rather than labels
        # over each other (the plot takes ~70 % of the figure; a label wants ~1.4 its size;
        # the numbers behind the chart are one click away)
        per_row = fig.get_figheight() * 72 * 0.7 / len(rows)
        size = max(5.0, min(8.0, per_row / 1.4))
        every = math.ceil(size * 1.4 / per_row)
        shown = [text if i % every == 0 else "" for i, text in enumerate(labels)]
        ax.set_yticks(ys, shown, fontsize=size)
        ax.invert_yaxis()
        ax.grid(True, axis="x", color=palette.grid, linewidth=0.6)
        ax.grid(False, axis="y")
        if len(spec.series) > 1:
            _legend(ax, palette)
    elif spec.kind == "stacked_columns":
        xs = list(range(len(spec.series)))
        bottoms = [0.0] * len(xs)
        for k, r in enumerate(rows):
            values = [_num(r[idx[key]]) for key in spec.series]
            if not any(values):
                continue
            ax.bar(xs, values, 0.7, bottom=bottoms, label=_short(r[0]),
                   color=colours[k % len(colours)])  # fmt: skip
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        ax.set_xticks(xs, [names[k] for k in spec.series], rotation=30, ha="right")
        _legend(ax, palette, outside=True)
    elif spec.kind == "errorbar":
        mid, low, high = spec.series
        points: list[int] = []
        means: list[float] = []
        err_lo: list[float] = []
        err_hi: list[float] = []
        for i, r in enumerate(rows):
            if r[idx[mid]] is None:
                continue
            y = float(r[idx[mid]])
            points.append(i)
            means.append(y)
            err_lo.append(y - _num(r[idx[low]]) if r[idx[low]] is not None else 0.0)
            err_hi.append(_num(r[idx[high]]) - y if r[idx[high]] is not None else 0.0)
        ax.errorbar(points, means, yerr=[err_lo, err_hi], fmt="o", color=colours[0], capsize=6,
                    ecolor=colours[0], markersize=7)  # fmt: skip
        ax.axhline(0, color=palette.text, linewidth=0.8)
        if "paired" in idx:  # say how many pairs each average stands on
            labels = [
                f"{lab}\n(n = {_shown(r[idx['paired']])})"
                for lab, r in zip(labels, rows, strict=True)
            ]
        ax.set_xticks(range(len(rows)), labels)
        ax.set_xlim(-0.5, len(rows) - 0.5)
    else:
        raise ValueError(f"unknown chart kind {spec.kind}")
    if spec.kind in ("bar", "stacked_bar"):
        ax.set_ylim(bottom=0)
    elif spec.kind.startswith("hbar"):
        ax.set_xlim(left=0)
    if spec.kind != "errorbar":
        _whole_numbers(ax, horizontal=spec.kind.startswith("hbar"))
    _mark_hidden(ax, spec, rows, idx, palette)
    if spec.y_label:
        (ax.set_xlabel if spec.kind.startswith("hbar") else ax.set_ylabel)(spec.y_label)
    return describe(spec, table)


def _whole_numbers(ax: Any, *, horizontal: bool) -> None:
    """A count's axis in whole numbers, up to 1 at least: with every count zero or hidden,
    matplotlib's own ticks read 0.01 of a person."""
    axis, limits, get = (
        (ax.xaxis, ax.set_xlim, ax.get_xlim) if horizontal else (ax.yaxis, ax.set_ylim, ax.get_ylim)
    )
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10], integer=True))
    low, high = get()
    if high < 1:
        limits(low, 1)


def _mark_hidden(
    ax: Any, spec: ChartSpec, rows: tuple[tuple[Any, ...], ...], idx: dict[str, int], p: Palette
) -> None:
    """A hidden (suppressed) count is drawn as nothing, so say so where its bar would be."""
    if spec.kind not in ("bar", "stacked_bar", "hbar", "hbar_stacked"):
        return
    for i, r in enumerate(rows):
        if any(r[idx[k]] is None for k in spec.series):
            xy = (0, i) if spec.kind.startswith("hbar") else (i, 0)
            ax.annotate(SUPPRESSED_MARK, xy, xytext=(3, 3), textcoords="offset points",
                        color=p.text, fontsize=8, fontstyle="italic")  # fmt: skip


def describe(spec: ChartSpec, table: Table) -> str:
    """The text alternative: what the chart shows, in words and numbers."""
    rows = _rows(spec, table)
    idx = {c.key: i for i, c in enumerate(table.columns)}
    names = {c.key: c.label for c in table.columns}
    if not rows:
        return f"{spec.title}: nothing to show for this period."
    if spec.kind == "stacked_columns":
        totals: list[str] = []
        for key in spec.series:
            vals = [r[idx[key]] for r in rows]
            total = None if any(v is None for v in vals) else sum(vals)
            totals.append(f"{names[key]} {_shown(total)}")
        return f"{spec.title}. Totals: " + "; ".join(totals) + "."
    parts = []
    for i, r in enumerate(rows):
        shown = ", ".join(
            f"{names[k][:1].lower()}{names[k][1:]} {_said(table, (i, idx[k]), r[idx[k]])}"
            for k in spec.series
        )
        parts.append(f"{r[0]}: {shown}")
    flagged = [str(rows[i][0]) for i in sorted(table.flagged) if i < len(rows)]
    extra = f" Standing out: {', '.join(flagged)}." if flagged else ""
    return f"{spec.title}. " + "; ".join(parts) + "." + extra


# -- the participant's wellbeing trend ------------------------------------------------------
@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    value: float
    assisted: bool = False


def draw_trend(
    fig: Figure,
    title: str,
    series: Sequence[tuple[str, Sequence[TrendPoint]]],
    scale: tuple[float, float],
    bands: Sequence[tuple[float, float, str, str]] = (),
    palette: Palette = LIGHT,
    assisted_label: str = "Assisted completion",
) -> None:
    """Scores over time, with meaningful-change bands (low, high, name, tone) behind them."""
    fig.clear()
    ax: Any = fig.add_subplot()
    _style(fig, ax, palette)
    ax.set_title(title, fontsize=10, loc="left", color=palette.text)
    low, high = scale
    ax.set_ylim(low, high)
    days = [p.day for _n, pts in series for p in pts]
    if days:
        first, last = min(days), max(days)
        if first == last:
            first, last = first - dt.timedelta(days=14), last + dt.timedelta(days=14)
        pad = max(dt.timedelta(days=2), (last - first) / 25)  # the end points stay whole
        ax.set_xlim(first - pad, last + pad)
    for lo, hi, name, tone in bands:
        lo, hi = max(lo, low), min(hi, high)
        if hi > lo:
            ax.axhspan(lo, hi, color=palette.bands[tone], label=name, linewidth=0)
    assisted_x, assisted_y = [], []
    for k, (name, pts) in enumerate(series):
        ax.plot([p.day for p in pts], [p.value for p in pts], marker="o", linewidth=2,
                color=palette.series[k % len(palette.series)], label=name)  # fmt: skip
        assisted_x += [p.day for p in pts if p.assisted]
        assisted_y += [p.value for p in pts if p.assisted]
    if assisted_x:
        ax.scatter(assisted_x, assisted_y, s=90, facecolors="none", linewidths=2,
                   edgecolors=palette.series[1], label=assisted_label, zorder=3)  # fmt: skip
    dates: Any = _dates  # untyped module
    ax.xaxis.set_major_formatter(dates.DateFormatter("%d %b %y"))
    ax.xaxis.set_major_locator(dates.AutoDateLocator(maxticks=6))
    if series or bands:
        legend = ax.legend(fontsize=7, frameon=False, loc="upper center",
                           bbox_to_anchor=(0.5, -0.12), ncol=4)  # fmt: skip
        for text in legend.get_texts():
            text.set_color(palette.text)
