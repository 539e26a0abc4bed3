"""The live training-health picture: one small SVG, redrawn while training plays.

Plotly re-creates a chart on every update (its 7-panel histogram cost the browser 0.7-1.2 s per
redraw here), so while training plays both pages show this instead; the interactive charts of
core/figures/training_health.py come back when training pauses. It shows the same numbers:

- left, the gradient norm of each layer over epochs on a log scale (one line per layer);
- right, one row per layer: its activation histogram (a sparkline of the same bins), the share of
  dead units (ReLU) and of saturated units (tanh / sigmoid), and ||W||.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np

from core.figures.palette import BLUE, FONT, GRID_COLOUR, ORANGE
from core.figures.training_health import layer_colour, layer_name

WIDTH = 800
CHART = (60, 20, 380, 210)  # left, top, right, bottom of the gradient chart's plot area
ROW = 26  # pixels per layer in the table on the right
TABLE_LEFT = 420
HIST = (480, 110)  # the histogram sparkline's left edge and width
DEAD = (610, 60)  # the dead-share bar's left edge and width
SATURATED = (690, 60)
TEXT = FONT["color"]
LIVE_CAPTION = (
    "Per layer: gradient norm over epochs, activations, dead and saturated shares. "
    "Pause for the interactive charts."
)


def _text(x, y, content, size=11, anchor="start", colour=TEXT) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}">'
        f"{escape(str(content))}</text>"
    )


def _decades(norms: np.ndarray) -> tuple[int, int]:
    """The log10 range drawn: whole decades around the finite positive norms (at least two)."""
    positive = norms[np.isfinite(norms) & (norms > 0)]
    if positive.size == 0:
        return -4, 0
    low, high = math.floor(np.log10(positive.min())), math.ceil(np.log10(positive.max()))
    return (low, high) if high - low >= 2 else (low - 1, low + 1)


def _gradient_chart(epochs: np.ndarray, norms: np.ndarray, n_layers: int) -> list[str]:
    left, top, right, bottom = CHART
    parts = [_text((left + right) / 2, 12, "Gradient norm per layer (log scale)", 12, "middle")]
    if len(epochs) == 0:
        parts.append(_text((left + right) / 2, (top + bottom) / 2, "after the first epoch", 11, "middle"))
        return parts
    low, high = _decades(norms)
    for decade in range(low, high + 1):
        y = bottom - (decade - low) / (high - low) * (bottom - top)
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>')
        parts.append(_text(left - 6, y + 4, f"1e{decade}", 10, "end"))
    first, last = float(epochs[0]), float(epochs[-1])
    span = last - first or 1.0
    parts.append(_text(left, bottom + 16, f"epoch {first:.0f}", 10))
    parts.append(_text(right, bottom + 16, f"{last:.0f}", 10, "end"))
    x = left + (epochs - first) / span * (right - left)
    for layer in range(norms.shape[1]):
        values = norms[:, layer]
        ok = np.isfinite(values) & (values > 0)  # zeros (a dead layer) cannot be drawn on a log axis
        if not ok.any():
            continue
        y = bottom - (np.clip(np.log10(values[ok]), low, high) - low) / (high - low) * (bottom - top)
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x[ok], y))
        colour = layer_colour(layer, n_layers)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.6"/>')
    for layer in range(n_layers):  # the legend, under the axis
        column, row = layer % 4, layer // 4
        lx, ly = left + column * 85, bottom + 36 + row * 16
        colour = layer_colour(layer, n_layers)
        parts.append(f'<rect x="{lx}" y="{ly - 8}" width="14" height="4" fill="{colour}"/>')
        parts.append(_text(lx + 18, ly - 3, layer_name(layer, n_layers), 10))
    return parts


def _share_bar(left: float, width: float, y: float, share: float, colour: str) -> list[str]:
    parts = [f'<rect x="{left}" y="{y}" width="{width}" height="10" fill="#EEEEEE"/>']
    if math.isnan(share):  # not this layer's kind of failure (e.g. dead share of a tanh layer)
        return parts + [_text(left + width / 2, y + 9, "–", 10, "middle")]
    parts.append(f'<rect x="{left}" y="{y}" width="{share * width:.1f}" height="10" fill="{colour}"/>')
    return parts + [_text(left + width + 4, y + 9, f"{share:.0%}", 9)]


def _layer_table(stats) -> list[str]:
    n = len(stats)
    parts = [
        _text(HIST[0] + HIST[1] / 2, 12, "activations", 11, "middle"),
        _text(DEAD[0] + DEAD[1] / 2, 12, "dead", 11, "middle"),
        _text(SATURATED[0] + SATURATED[1] / 2, 12, "saturated", 11, "middle"),
    ]
    for i, s in enumerate(stats):
        top = 24 + i * ROW
        parts.append(_text(TABLE_LEFT, top + 11, layer_name(s.layer, n), 11))
        parts.append(_text(TABLE_LEFT, top + 22, f"‖W‖ {s.weight_norm:.3g}", 9, colour="#777777"))
        counts = np.asarray(s.counts, dtype=np.float64)
        peak = counts.max() if counts.size and counts.max() > 0 else 1.0
        bar = HIST[1] / max(len(counts), 1)
        for k, count in enumerate(counts):
            height = count / peak * (ROW - 6)
            if height > 0:
                parts.append(
                    f'<rect x="{HIST[0] + k * bar:.1f}" y="{top + ROW - 4 - height:.1f}" width="{bar:.1f}" '
                    f'height="{height:.1f}" fill="{layer_colour(i, n)}"/>'
                )
        parts += _share_bar(DEAD[0], DEAD[1], top + 8, s.dead_share, ORANGE)
        parts += _share_bar(SATURATED[0], SATURATED[1], top + 8, s.saturated_share, BLUE)
    return parts


def health_svg(stats, epochs: np.ndarray, norms: np.ndarray) -> str:
    """The picture as SVG text (st.image shows it; it scales to the column's width)."""
    n = len(stats)
    legend_rows = math.ceil(n / 4)
    height = max(CHART[3] + 44 + legend_rows * 16, 30 + n * ROW)
    body = _gradient_chart(np.asarray(epochs, np.float64), np.asarray(norms, np.float64), n) + _layer_table(
        stats
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="sans-serif">'
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>' + "".join(body) + "</svg>"
    )
