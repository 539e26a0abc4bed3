"""How the Playground looks, shared by its Plotly, SVG and GIF pictures: class colours and markers,
the diverging colour scale of signed values, which points are drawn, and images as data URIs.

Colours work for colour-blind viewers: the two classes (and the sign of a weight or an
activation) are orange and blue, TF Playground's pair, which stays distinct under the common
red-green deficiencies (deuteranopia, protanopia) because it differs in lightness and in the
blue-yellow axis. More classes add the Okabe-Ito colours (green, purple, yellow, sky), and each
class also has its own marker shape, so nothing depends on colour alone.
"""

from __future__ import annotations

import base64
import io
from types import MappingProxyType

import numpy as np
from PIL import Image

ORANGE = "#F59322"  # class 0, negative values
BLUE = "#0877BD"  # class 1, positive values
MIDDLE = "#F4F4F4"  # zero / undecided
CLASS_COLOURS = (ORANGE, BLUE, "#009E73", "#CC79A7", "#D8B700", "#56B4E9")
# Each class's marker, written once for both renderers: Plotly's symbol name -> the same shape as
# an SVG path drawn from the point's centre (relative moves, about 8 px across).
MARKERS = MappingProxyType(
    {
        "circle": "m-3.2 0a3.2 3.2 0 1 0 6.4 0a3.2 3.2 0 1 0-6.4 0",
        "square": "m-3 -3h6v6h-6z",
        "diamond": "m0 -4l4 4l-4 4l-4 -4z",
        "triangle-up": "m0 -4l4 7h-8z",
        "cross": "m-1.2 -4h2.4v2.8h2.8v2.4h-2.8v2.8h-2.4v-2.8h-2.8v-2.4h2.8z",
        "star": "m0 -4.2l1 2.8l3 .1l-2.3 1.8l.8 2.9l-2.5 -1.6l-2.5 1.6l.8 -2.9l-2.3 -1.8l3 -.1z",
    }
)
CLASS_SYMBOLS = tuple(MARKERS)  # Plotly's names, class k -> CLASS_SYMBOLS[k % 6]
TINT = 0.55  # the plane behind the points is a lighter tint of the class colour
MAX_DRAWN_POINTS = 1000
FONT = MappingProxyType({"size": 12, "color": "#262730"})
GRID_COLOUR = "#E6E6E6"


def class_colour(label: int) -> str:
    return CLASS_COLOURS[int(label) % len(CLASS_COLOURS)]


def class_symbol(label: int) -> str:
    """The class's marker as Plotly names it."""
    return CLASS_SYMBOLS[int(label) % len(CLASS_SYMBOLS)]


def class_path(label: int, x: float, y: float) -> str:
    """The class's marker as an SVG path centred on (x, y): the same shape as `class_symbol`."""
    return f"M{x:.1f} {y:.1f}{MARKERS[class_symbol(label)]}"


def hex_rgb(hex_colour: str) -> np.ndarray:
    """'#F59322' -> array([245., 147., 34.])."""
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)


def tint(hex_colour: str, amount: float = TINT) -> str:
    """Blend towards white: amount 0 = the colour, 1 = white."""
    rgb = hex_rgb(hex_colour) * (1 - amount) + 255 * amount
    return "#" + "".join(f"{int(round(v)):02X}" for v in rgb)


def diverging_scale(amount: float = 0.0) -> list:
    """Orange (negative/class 0) -> light grey (0) -> blue (positive/class 1), tinted by `amount`."""
    return [[0.0, tint(ORANGE, amount)], [0.5, MIDDLE], [1.0, tint(BLUE, amount)]]


def colour_lut(stops, n=256) -> np.ndarray:
    """A (n, 3) uint8 lookup table interpolating colour stops [[pos, hex], ...]."""
    positions = np.array([p for p, _ in stops])
    colours = np.array([hex_rgb(c) for _, c in stops])
    t = np.linspace(0, 1, n)
    return (
        np.stack([np.interp(t, positions, colours[:, k]) for k in range(3)], axis=1).round().astype(np.uint8)
    )


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)  # module constants stay constant
    return array


DIVERGING_LUT = _frozen(colour_lut(diverging_scale()))
CLASS_LUTS = tuple(_frozen(colour_lut([[0.0, MIDDLE], [1.0, c]])) for c in CLASS_COLOURS)


def subsample(X: np.ndarray, y: np.ndarray, limit: int = MAX_DRAWN_POINTS, seed: int = 0):
    """At most `limit` of the points, the same ones on every redraw (seeded), in their order:
    thousands of markers would slow every update and hide the boundary behind them."""
    if len(X) <= limit:
        return X, y
    index = np.sort(np.random.default_rng(seed).choice(len(X), limit, replace=False))
    return X[index], y[index]


def signed_rgb(values: np.ndarray, lut: np.ndarray = DIVERGING_LUT, scale: float | None = None) -> np.ndarray:
    """Map values to RGB with 0 in the middle: -scale orange .. +scale blue (scale = max |v|)."""
    v = np.asarray(values, dtype=np.float32)
    if scale is None:
        finite = np.abs(v[np.isfinite(v)])
        scale = float(finite.max()) if finite.size else 1.0
    scale = scale if scale > 1e-12 else 1.0
    index = np.clip((np.nan_to_num(v) / scale + 1) * 127.5, 0, 255).astype(np.uint8)
    return lut[index]


def signed_index_each(stack: np.ndarray) -> np.ndarray:
    """Each map of a stack (k, h, w) on its own symmetric scale (its own max |v|), as indices
    0..255 into a diverging LUT (127.5 = zero): one vectorized pass instead of k small ones."""
    v = np.asarray(stack, dtype=np.float32)
    finite = np.isfinite(v)
    scale = np.where(finite, np.abs(v), 0).max(axis=(1, 2), initial=0.0)
    scale[scale <= 1e-12] = 1.0
    return np.clip((np.nan_to_num(v) / scale[:, None, None] + 1) * 127.5, 0, 255).astype(np.uint8)


def signed_rgb_each(stack: np.ndarray, lut: np.ndarray = DIVERGING_LUT) -> np.ndarray:
    """`signed_rgb` for a stack of maps (k, h, w) at once, each map on its own scale (its own
    max |v|): (k, h, w, 3) uint8."""
    return lut[signed_index_each(stack)]


# The diagram draws every neuron of a layer on ONE scale, its activation's range, so a sigmoid stuck at
# 0.5 looks mid-scale (grey), not saturated. Unbounded activations use the layer's largest |value|.
FIXED_RANGES = MappingProxyType(
    {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "sigmoid_bce": (0.0, 1.0), "softmax_ce": (0.0, 1.0)}
)
WEIGHT_CLAMP = 5.0  # |w| at which a weight line is at its thickest (TF Playground's clamp)


def column_range(kind: str, stack: np.ndarray) -> tuple[float, float]:
    """The (lo, hi) colour range of one diagram column: the activation's own range if it has one;
    else symmetric around 0 up to the column's largest |value| (ReLU: 0 = grey = off)."""
    if kind in FIXED_RANGES:
        return FIXED_RANGES[kind]
    v = np.abs(np.asarray(stack, dtype=np.float32))
    top = float(v[np.isfinite(v)].max(initial=0.0))
    top = top if top > 1e-12 else 1.0
    return -top, top


def class_ramp_lut(label: int) -> np.ndarray:
    """Light grey (0) -> the class's colour (1): a softmax output neuron of class `label`."""
    return CLASS_LUTS[int(label) % len(CLASS_LUTS)]


def range_index(stack: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Values on one shared scale as LUT indices 0..255: lo -> 0, hi -> 255."""
    v = np.nan_to_num(np.asarray(stack, dtype=np.float32))
    return np.clip((v - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)


def range_rgb(stack: np.ndarray, lo: float, hi: float, lut: np.ndarray = DIVERGING_LUT) -> np.ndarray:
    """Maps (k, h, w) -> RGB (k, h, w, 3) uint8 on one shared scale: lo -> lut[0], hi -> lut[-1]."""
    return lut[range_index(stack, lo, hi)]


# Every LUT a diagram map can be drawn with, by number: the diverging scale, then each class's ramp
# (the live canvas receives this table once and each map's number: core/figures/live_frames.py).
MAP_LUTS = (DIVERGING_LUT, *CLASS_LUTS)


def column_index(stack: np.ndarray, kind: str) -> tuple[np.ndarray, list[int], tuple[float, float] | None]:
    """One diagram column's maps (k, h, w) as LUT indices, each map's LUT (its number in
    MAP_LUTS) and the column's range: what `column_rgb` colours. Softmax outputs: neuron k in
    class k's colour, as its points and its band of the boundary. Inputs ("input") are features
    of different sizes (x1 up to 6, x1^2 up to 36): each on its own symmetric scale, range None."""
    count = int(np.shape(stack)[0])
    if kind == "input":
        return signed_index_each(stack), [0] * count, None
    lo, hi = column_range(kind, stack)
    luts = [1 + k % len(CLASS_LUTS) for k in range(count)] if kind == "softmax_ce" else [0] * count
    return range_index(stack, lo, hi), luts, (lo, hi)


def column_rgb(stack: np.ndarray, kind: str) -> tuple[np.ndarray, tuple[float, float] | None]:
    """One diagram column's maps as RGB on the column's shared range, and that range
    (`column_index` says how each map is scaled)."""
    index, luts, scale = column_index(stack, kind)
    if not len(index):
        return np.zeros(index.shape + (3,), np.uint8), scale
    return np.stack([MAP_LUTS[lut][m] for lut, m in zip(luts, index)]), scale


def range_text(scale) -> str:
    """A column's colour range (lo, hi) as a legend says it: '0 … 1', '±1', '±3.2'; None (the
    inputs, each on its own scale) 'own scales'."""
    if scale is None:
        return "own scales"
    lo, hi = scale
    if lo == -hi:
        return f"±{hi:.2g}"
    return f"{lo:.2g} … {hi:.2g}"


def weight_width(w, thinnest: float = 0.4, thickest: float = 5.0):
    """A weight line's width on an absolute scale: thinnest at 0, thickest from |w| = WEIGHT_CLAMP on."""
    return thinnest + (thickest - thinnest) * np.minimum(np.abs(w), WEIGHT_CLAMP) / WEIGHT_CLAMP


def png_data_uri(rgb: np.ndarray) -> str:
    """A small PNG (uint8 (h, w, 3)) as a data URI Plotly can show as a layout image."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb), "RGB").save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
