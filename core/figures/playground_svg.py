"""The Playground's live views as small self-contained SVG pictures (boundary, curves, network).

While training runs, the page redraws several times a second. A Plotly chart is re-created from
scratch on every update (blank until Plotly has drawn it again: the charts blink, and on a busy
2-core machine the browser managed ~1.4 updates/s). So the live views are drawn as SVG, shown as
<img> (data URI): the browser just decodes an image. When training pauses, the page switches to
the interactive Plotly figures of core/figures/playground.py (hover, values).
"""

from __future__ import annotations

import base64
import html

import numpy as np

from core.figures.boundary_colours import boundary_rgb
from core.figures.palette import (
    BLUE,
    DIVERGING_LUT,
    MARKERS,
    ORANGE,
    WEIGHT_CLAMP,
    class_colour,
    class_path,
    column_rgb,
    png_data_uri,
    range_text,
    subsample,
    tint,
    weight_width,
)
from core.playground import Boundary, decimate_indices

SVG_FONT = 'font-family="Source Sans Pro, Helvetica, Arial, sans-serif"'


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def svg_image_html(svg: str, max_width: int, alt: str) -> str:
    """An <img> showing the SVG (for st.html: a data URI image is drawn by the browser in one
    go, without a chart library)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{_esc(alt)}" decoding="sync" '
        f'style="width:100%;max-width:{int(max_width)}px;height:auto;display:block">'
    )


def caption_html(text: str) -> str:
    """Small grey text like st.caption's, to ship with a picture in the same st.html element."""
    return f'<p style="font-size:0.875rem;color:rgba(49,51,63,0.6);margin:0.5rem 0 0">{_esc(text)}</p>'


def tick_values(lo: float, hi: float, count: int = 5) -> np.ndarray:
    """Round tick values between lo and hi (steps of 1, 2 or 5 times a power of ten)."""
    span = hi - lo
    if not np.isfinite(span) or span <= 0:
        return np.array([lo])
    raw = span / max(1, count - 1)
    power = 10 ** np.floor(np.log10(raw))
    step = min((m * power for m in (1, 2, 5, 10) if m * power >= raw), default=raw)
    first = np.ceil(lo / step - 1e-9) * step
    return np.arange(first, hi + step * 1e-6, step)


def _tick_text(value: float) -> str:
    return f"{value:.3g}" if abs(value) >= 1e-9 else "0"


def svg_boundary(
    boundary: Boundary, dataset, show_test: bool = False, discretize: bool = False, size: int = 360
) -> str:
    """The decision boundary (a PNG of the grid, scaled by the browser) with the points on top,
    as one SVG picture. Same colours and shapes as `boundary_figure`."""
    left, top, bottom = 30, 6, 22
    width, height = left + size + 8, top + size + bottom
    x_lo, x_hi, y_lo, y_hi = boundary.extent
    rendering = "pixelated" if discretize else "auto"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {SVG_FONT} font-size="10" fill="#555">',
        f'<image href="{png_data_uri(boundary_rgb(boundary, discretize))}" x="{left}" y="{top}" '
        f'width="{size}" height="{size}" preserveAspectRatio="none" '
        f'style="image-rendering:{rendering}"/>',
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#ccc"/>',
    ]
    for v in tick_values(x_lo, x_hi):
        x = left + (v - x_lo) / (x_hi - x_lo) * size
        parts.append(f'<text x="{x:.1f}" y="{top + size + 14}" text-anchor="middle">{_tick_text(v)}</text>')
    for v in tick_values(y_lo, y_hi):
        y = top + (1 - (v - y_lo) / (y_hi - y_lo)) * size
        parts.append(f'<text x="{left - 4}" y="{y + 3.5:.1f}" text-anchor="end">{_tick_text(v)}</text>')

    def draw(X, y, test):
        X, y = subsample(np.asarray(X), np.asarray(y), seed=1 if test else 0)
        px = left + (X[:, 0] - x_lo) / (x_hi - x_lo) * size
        py = top + (1 - (X[:, 1] - y_lo) / (y_hi - y_lo)) * size
        inside = (px >= left) & (px <= left + size) & (py >= top) & (py <= top + size)
        stroke = 'stroke="#111" stroke-width="1.3"' if test else 'stroke="#fff" stroke-width="0.8"'
        if boundary.task == "regression":
            scale = float(np.abs(y).max()) or 1.0
            bins = np.clip(((y / scale + 1) * 7.5).round(), 0, 15).astype(int)  # 16 colours
            for b in np.unique(bins[inside]):
                m = inside & (bins == b)
                colour = "#{:02X}{:02X}{:02X}".format(*DIVERGING_LUT[int(b * 17)])
                d = "".join(f"M{a:.1f} {c:.1f}{MARKERS['circle']}" for a, c in zip(px[m], py[m]))
                parts.append(f'<path d="{d}" fill="{colour}" {stroke}/>')
            return
        for c in np.unique(y):
            m = inside & (y == c)
            d = "".join(class_path(c, a, b) for a, b in zip(px[m], py[m]))
            parts.append(f'<path d="{d}" fill="{class_colour(c)}" {stroke}/>')

    draw(dataset.X_train, dataset.y_train, False)
    if show_test:
        draw(dataset.X_test, dataset.y_test, True)
    parts.append("</svg>")
    return "".join(parts)


def svg_curves(
    curves: dict,
    task: str,
    width: int = 460,
    height: int = 220,
    max_points: int = 300,
    held_out: str = "test",
) -> str:
    """Train/test loss (left axis) and accuracy or R² (right axis) as an SVG line chart.
    held_out: what the test_* columns hold ("validation" while early stopping watches that split)."""
    left, right, top, bottom = 42, 40, 22, 24
    pw, ph = width - left - right, height - top - bottom
    epoch = np.asarray(curves.get("epoch", ()), dtype=np.float64)
    metric = "R²" if task == "regression" else "accuracy"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {SVG_FONT} font-size="10" fill="#555">'
    ]
    index = decimate_indices(len(epoch), max_points)
    x_max = float(epoch[-1]) if len(epoch) and epoch[-1] > 0 else 1.0
    losses = np.zeros(1)
    if len(epoch):
        losses = np.concatenate(
            [
                np.asarray(curves["train_loss"], np.float64)[index],
                np.asarray(curves["test_loss"], np.float64)[index],
            ]
        )
    losses = losses[np.isfinite(losses)]
    y_max = float(losses.max()) * 1.05 if losses.size and losses.max() > 0 else 1.0
    m_lo = 0.0
    if task == "regression" and len(epoch):
        test_metric = np.asarray(curves["test_metric"], np.float64)
        finite = test_metric[np.isfinite(test_metric)]
        m_lo = max(-1.0, min(0.0, float(finite.min()))) if finite.size else 0.0

    def sx(v):
        return left + v / x_max * pw

    for v in tick_values(0, x_max, 5):
        parts.append(
            f'<line x1="{sx(v):.1f}" x2="{sx(v):.1f}" y1="{top}" y2="{top + ph}" '
            f'stroke="#eee"/><text x="{sx(v):.1f}" y="{top + ph + 13}" '
            f'text-anchor="middle">{_tick_text(v)}</text>'
        )
    for v in tick_values(0, y_max, 4):
        y = top + ph - v / y_max * ph
        parts.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{left - 4}" y="{y + 3.5:.1f}" text-anchor="end">{_tick_text(v)}</text>'
        )
    for v in tick_values(m_lo, 1.0, 4):
        y = top + ph - (v - m_lo) / (1.0 - m_lo) * ph
        parts.append(f'<text x="{left + pw + 4}" y="{y + 3.5:.1f}">{_tick_text(v)}</text>')
    parts.append(f'<text x="{left + pw / 2}" y="{height - 1}" text-anchor="middle">epoch</text>')
    series = (
        ("train_loss", "train loss", "#9A9A9A", "", False),
        ("test_loss", f"{held_out} loss", "#202020", "", False),
        ("train_metric", f"train {metric}", tint(BLUE, 0.45), "4 3", True),
        ("test_metric", f"{held_out} {metric}", BLUE, "4 3", True),
    )
    legend_x = left
    for name, label, colour, dash, on_metric in series:
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 16}" y1="10" y2="10" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/><text x="{legend_x + 20}" '
            f'y="13.5">{_esc(label)}</text>'
        )
        legend_x += 24 + 5.2 * len(label)
        if not len(epoch):
            continue
        values = np.asarray(curves[name], np.float64)[index]
        xs = epoch[index]
        ok = np.isfinite(values)
        if on_metric:
            ys = top + ph - (np.clip(values, m_lo, 1.0) - m_lo) / (1.0 - m_lo) * ph
        else:
            ys = top + ph - np.clip(values / y_max, 0, 1) * ph
        points = " ".join(f"{sx(a):.1f},{b:.1f}" for a, b in zip(xs[ok], ys[ok]))
        if len(xs[ok]) == 1:
            points += f" {sx(xs[ok][0]) + 1:.1f},{ys[ok][0]:.1f}"
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>'
        )
    parts.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_network(
    maps,
    names,
    weights,
    biases,
    layer_titles,
    selected=None,
    node: int = 30,
    column_gap: int = 104,
    row_gap: int = 40,
    kinds=None,
) -> str:
    """The network diagram (same content as `network_figure`) as an SVG picture.

    kinds: per column "input", the hidden activations' names, then the head ("sigmoid_bce", ...):
    every map of a column is drawn on that column's one scale (palette.column_rgb), said under
    its title. Inputs are labelled on the left, outputs on the right; weight widths are absolute
    (clamped at |w| = 5); each neuron's bias is the small square at its lower left corner."""
    columns = len(maps)
    kinds = list(kinds) if kinds is not None else ["input"] * columns
    shown = [m.shape[0] for m in maps]
    tallest = max(shown)
    top, left, right = 46, 48, 48
    width = left + (columns - 1) * column_gap + node + right
    extra = 18 if any(len(n) > s for n, s in zip(names, shown)) else 4
    height = top + tallest * row_gap + extra

    def centre(c, j):
        x = left + node / 2 + c * column_gap
        y = top + (tallest - shown[c]) * row_gap / 2 + j * row_gap + row_gap / 2
        return x, y

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {SVG_FONT} font-size="10" fill="#444">'
    ]
    all_w = [np.asarray(weights[c])[: shown[c], : shown[c + 1]] for c in range(columns - 1)]
    for c, w in enumerate(all_w):
        widths = weight_width(w).tolist()  # Python floats: formatting numpy scalars is slower
        for positive in (True, False):
            for i, j in zip(*(index.tolist() for index in np.nonzero(w >= 0 if positive else w < 0))):
                x0, y0 = centre(c, i)
                x1, y1 = centre(c + 1, j)
                parts.append(
                    f'<line x1="{x0 + node / 2:.1f}" y1="{y0:.1f}" x2="{x1 - node / 2:.1f}" '
                    f'y2="{y1:.1f}" stroke="{BLUE if positive else ORANGE}" '
                    f'stroke-width="{widths[i][j]:.2f}" stroke-opacity="0.7"/>'
                )
    # All neuron maps in one sprite PNG (one encode), each node showing its own square of it.
    r = maps[0].shape[-1]
    coloured = [column_rgb(m[:, ::-1], kind) for m, kind in zip(maps, kinds)]
    sprite = np.concatenate([rgb for rgb, _ in coloured], axis=0).reshape(-1, r, 3)
    parts.append(
        f'<defs><image id="maps" href="{png_data_uri(sprite)}" width="{r}" '
        f'height="{sprite.shape[0]}"/></defs>'
    )
    bias_values = [np.asarray(b, dtype=np.float64).tolist() for b in biases]
    k = 0
    for c in range(len(maps)):
        x, _ = centre(c, 0)
        title_lines = str(layer_titles[c]).split("<br>")
        for line_no, line in enumerate(title_lines):
            parts.append(
                f'<text x="{x:.1f}" y="{12 + 11 * line_no}" text-anchor="middle">{_esc(line)}</text>'
            )
        parts.append(
            f'<text x="{x:.1f}" y="{12 + 11 * len(title_lines)}" text-anchor="middle" fill="#888" '
            f'font-size="9">{_esc(range_text(coloured[c][1]))}</text>'
        )
        for j in range(shown[c]):
            x, y = centre(c, j)
            parts.append(
                f'<svg x="{x - node / 2:.1f}" y="{y - node / 2:.1f}" width="{node}" '
                f'height="{node}" viewBox="0 {k * r} {r} {r}" preserveAspectRatio="none">'
                f'<use href="#maps"/></svg>'
            )
            if c == 0:
                parts.append(
                    f'<text x="{x - node / 2 - 4:.1f}" y="{y + 3.5:.1f}" text-anchor="end">'
                    f"{_esc(names[c][j])}</text>"
                )
            else:
                b = bias_values[c - 1][j]
                strength = 0.25 + 0.75 * min(abs(b), WEIGHT_CLAMP) / WEIGHT_CLAMP
                parts.append(
                    f'<rect x="{x - node / 2 - 4:.1f}" y="{y + node / 2 - 4:.1f}" width="7" height="7" '
                    f'fill="{BLUE if b >= 0 else ORANGE}" fill-opacity="{strength:.2f}" stroke="#fff" '
                    f'stroke-width="0.8"/>'
                )
            if c == columns - 1:
                parts.append(f'<text x="{x + node / 2 + 4:.1f}" y="{y + 3.5:.1f}">{_esc(names[c][j])}</text>')
            k += 1
        more = len(names[c]) - shown[c]
        if more > 0:
            x, y = centre(c, shown[c] - 1)
            parts.append(
                f'<text x="{x:.1f}" y="{y + node / 2 + 13:.1f}" text-anchor="middle">… +{more}</text>'
            )
    if selected is not None:
        c, j = selected
        if 0 <= c < columns and 0 <= j < shown[c]:
            x, y = centre(c, j)
            parts.append(
                f'<rect x="{x - node / 2 - 3:.1f}" y="{y - node / 2 - 3:.1f}" '
                f'width="{node + 6}" height="{node + 6}" fill="none" stroke="#D81B60" '
                f'stroke-width="2.5"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
