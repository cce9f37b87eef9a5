"""Inline SVG charts for the HTML pages: score ring, section bars and a line chart over time.

Every chart carries its numbers as text and a shape per band (circle good, square needs
work, triangle poor), so neither colour nor the picture alone carries the meaning; each
SVG has a role and a label for screen readers, and the page also holds the numbers in tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from playbook.core.scoring import GOOD_FROM, POOR_BELOW, band_of
from playbook.io.terminal import cells
from playbook.present.reporters import score_text

BANDS = ("good", "needs_work", "poor")


def shape(band: str | None, x: float, y: float, r: float = 6) -> str:
    """A band's shape centred on (x, y): circle, square, triangle; a dash when unscored."""
    cls = f'class="mark {band or "none"}"'
    if band == "good":
        return f'<circle {cls} cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    if band == "needs_work":
        s = r * 0.9
        return f'<rect {cls} x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}"/>'
    if band == "poor":
        h = r * 1.1
        pts = f"{x:.1f},{y - h:.1f} {x + h:.1f},{y + h * 0.8:.1f} {x - h:.1f},{y + h * 0.8:.1f}"
        return f'<polygon {cls} points="{pts}"/>'
    return f'<rect {cls} x="{x - r:.1f}" y="{y - 1.5:.1f}" width="{2 * r:.1f}" height="3"/>'


def gauge(score: float | None, grade: str | None, label: str, caption: str) -> str:
    """The overall score as a ring: the arc is the score, the number and grade sit inside."""
    band = band_of(score)
    radius, width = 70.0, 14.0
    circumference = 2 * math.pi * radius
    filled = 0.0 if score is None else circumference * score / 100
    arc = (
        f'<circle class="arc {band}" cx="90" cy="90" r="{radius}" stroke-width="{width}" '
        f'stroke-dasharray="{filled:.2f} {circumference:.2f}" transform="rotate(-90 90 90)"/>'
    )
    return (
        f'<svg class="gauge" viewBox="0 0 180 180" width="180" height="180" role="img" '
        f'aria-label="{escape(label)}">'
        f'<circle class="track" cx="90" cy="90" r="{radius}" stroke-width="{width}"/>{arc}'
        f'<text class="gauge-score" x="90" y="90" text-anchor="middle">{score_text(score)}</text>'
        f'<text class="gauge-caption" x="90" y="112" text-anchor="middle">{escape(caption)}</text>'
        f"{shape(band, 78, 135, 7)}"
        f'<text class="gauge-grade" x="90" y="141">{escape(grade or "–")}</text>'
        "</svg>"
    )


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart."""

    label: str
    score: float | None
    note: str = ""  # e.g. coverage, shown small after the label


def bars(items: Sequence[Bar], label: str, empty: str) -> str:
    """Horizontal bars 0–100 with the band thresholds (POOR_BELOW, GOOD_FROM) drawn as dashed guides."""
    left, width, row = 190.0, 400.0, 40.0
    height = row * len(items) + 30
    parts = [
        f'<svg class="bars" viewBox="0 0 680 {height:.0f}" width="100%" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMinYMin meet">'
    ]
    for limit in (POOR_BELOW, GOOD_FROM):
        x = left + width * limit / 100
        parts.append(f'<line class="guide" x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 22:.0f}"/>')
        parts.append(
            f'<text class="axis" x="{x:.1f}" y="{height - 8:.0f}" text-anchor="middle">{limit}</text>'
        )
    parts.append(f'<text class="axis" x="{left:.0f}" y="{height - 8:.0f}" text-anchor="middle">0</text>')
    parts.append(
        f'<text class="axis" x="{left + width:.0f}" y="{height - 8:.0f}" text-anchor="middle">100</text>'
    )
    for i, item in enumerate(items):
        parts.append(_bar_row(item, 6 + i * row, left, width, empty))
    parts.append("</svg>")
    return "".join(parts)


def _bar_row(item: Bar, top: float, left: float, width: float, empty: str) -> str:
    band, mid = band_of(item.score), top + 14
    out = [
        f'<text class="bar-label" x="{left - 12:.0f}" y="{mid + 5:.0f}" text-anchor="end">{escape(item.label)}</text>'
    ]
    if item.note:
        out.append(
            f'<text class="bar-note" x="{left - 12:.0f}" y="{mid + 21:.0f}" text-anchor="end">{escape(item.note)}</text>'
        )
    out.append(
        f'<rect class="bar-track" x="{left:.0f}" y="{top:.0f}" width="{width:.0f}" height="28" rx="3"/>'
    )
    if item.score is None:
        out.append(f'<text class="bar-empty" x="{left + 10:.0f}" y="{mid + 5:.0f}">{escape(empty)}</text>')
        return "".join(out)
    length = max(width * item.score / 100, 2)
    out.append(
        f'<rect class="bar {band}" x="{left:.0f}" y="{top:.0f}" width="{length:.1f}" height="28" rx="3"/>'
    )
    end = left + length
    out.append(shape(band, end + 14, mid, 7))
    out.append(
        f'<text class="bar-value" x="{end + 28:.1f}" y="{mid + 6:.0f}">{score_text(item.score)}</text>'
    )
    return "".join(out)


@dataclass(frozen=True)
class Series:
    """One line of a line chart."""

    label: str
    values: Sequence[float | None]
    main: bool = False
    provisional: Sequence[bool] = ()  # per point: too little data, drawn hollow with a `*`


DASHES = ("", "6 4", "2 4", "10 4 2 4", "1 3", "8 3 3 3", "4 2")


def line_chart(x_labels: Sequence[str], series: Sequence[Series], label: str) -> str:
    """Scores (0–100) over time: one line per series, each with its own dash and end label."""
    left, top, width, height = 50.0, 16.0, 560.0, 260.0
    n = len(x_labels)
    step = width / max(n - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + height * (1 - v / 100)

    # Wide enough for the longest end label (12 px text: ~6.5 units a cell, CJK two cells).
    longest = max((cells(f"{s.label} 100.0") for s in series), default=0)
    view = max(800.0, left + width + 14 + longest * 6.6)
    parts = [
        f'<svg class="lines" viewBox="0 0 {view:.0f} {top + height + 44:.0f}" width="100%" role="img" '
        f'aria-label="{escape(label)}">'
    ]
    for v in (0, POOR_BELOW, GOOD_FROM, 100):
        _, y = xy(0, v)
        parts.append(
            f'<line class="guide" x1="{left:.0f}" y1="{y:.1f}" x2="{left + width:.0f}" y2="{y:.1f}"/>'
        )
        parts.append(f'<text class="axis" x="{left - 8:.0f}" y="{y + 4:.1f}" text-anchor="end">{v}</text>')
    for i, text in enumerate(x_labels):
        x, _ = xy(i, 0)
        parts.append(
            f'<text class="axis" x="{x:.1f}" y="{top + height + 20:.0f}" text-anchor="middle">{escape(text)}</text>'
        )
    for k, s in enumerate(series):
        parts.append(_line(s, k, xy))
    parts.extend(_end_labels(series, xy))
    parts.append("</svg>")
    return "".join(parts)


def _line(s: Series, k: int, xy: Callable[[int, float], tuple[float, float]]) -> str:
    points = [(i, v) for i, v in enumerate(s.values) if v is not None]
    if not points:
        return ""
    # Each section its colour (the stylesheet's .s0 … .s6) and its dash: told apart in colour and in grey print.
    cls = "series main" if s.main else f"series s{k % len(DASHES)}"
    dash = "" if s.main else f' stroke-dasharray="{DASHES[k % len(DASHES)]}"'
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in points))
    out = [f'<g class="{cls}"><title>{escape(s.label)}</title><polyline points="{path}"{dash}/>']
    for i, v in points:
        x, y = xy(i, v)
        if i < len(s.provisional) and s.provisional[i]:
            out.append(
                f'<circle class="provisional" cx="{x:.1f}" cy="{y:.1f}" r="6"/>'
                f'<text class="prov-mark" x="{x + 7:.1f}" y="{y - 7:.1f}">*</text>'
            )
        else:
            out.append(shape(band_of(v), x, y, 5 if s.main else 3.5))
    out.append("</g>")
    return "".join(out)


def _end_labels(series: Sequence[Series], xy: Callable[[int, float], tuple[float, float]]) -> list[str]:
    """Name each line at its last point; labels are pushed apart so equal scores stay legible."""
    ends: list[tuple[float, float, Series, float]] = []
    for s in series:
        points = [(i, v) for i, v in enumerate(s.values) if v is not None]
        if points:
            x, y = xy(*points[-1])
            ends.append((y, x, s, points[-1][1]))
    ends.sort(key=lambda e: e[0])
    placed: list[float] = []
    for y, *_ in ends:
        placed.append(y if not placed else max(y, placed[-1] + 15))
    colour = {id(s): "" if s.main else f" s{k % len(DASHES)}" for k, s in enumerate(series)}
    return [
        f'<text class="end-label{" main" if s.main else ""}{colour[id(s)]}" x="{x + 12:.1f}" y="{ly + 4:.1f}">'
        f"{escape(s.label)} {score_text(v)}</text>"
        for ly, (_, x, s, v) in zip(placed, ends, strict=True)
    ]
