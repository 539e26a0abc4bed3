"""The live view's pictures as compact numbers, for the browser to draw (the live canvas).

A live update used to be SVG pictures rebuilt on the server and re-rendered by the browser
several times a second (~37 ms of server CPU each). Here the server sends numbers only and the
browser draws them on a canvas (app_pages/playground_parts/live_canvas.js):

- the **scene**, what changes rarely: the plane's extent, the points (coordinates, colour,
  marker), the colour tables, the diagram's layout and names, and the loss curves so far
  (at most CURVE_POINTS, evenly spaced);
- **frames**, one per slice of training: the epoch and losses, the decision boundary as one byte
  per grid cell (an index into the boundary's colour table), each neuron's map as bytes (an
  index into its column's table), and the weights and biases of the drawn connections.

Colours are the same as the Plotly figures' and the GIF's: the indices come from the same
functions (`boundary_colours.boundary_z`, `palette.column_index`) and the tables from the same
colour stops. One payload (`pack`) is a few kilobytes per frame; the browser plays a payload's
frames one after another, evenly spread until the next payload arrives.

The byte format: b"NPL1", the header's length (uint32, little-endian), the header (JSON, UTF-8),
then the arrays, each starting at a multiple of 4 bytes. The header's "arrays" lists each one as
[offset, length in bytes, dtype, shape]; the scene and the frames name arrays by their number
there. `unpack` reads it back (the tests use it to check what the browser receives).
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
from types import MappingProxyType

import numpy as np

from core.figures.boundary_colours import boundary_z
from core.figures.palette import (
    BLUE,
    CLASS_SYMBOLS,
    DIVERGING_LUT,
    MAP_LUTS,
    MARKERS,
    WEIGHT_CLAMP,
    class_colour,
    colour_lut,
    column_index,
    hex_rgb,
    range_text,
    subsample,
    tint,
)
from core.playground import PlaygroundSession, decimate_indices
from core.playground.config import ACTIVATION_LABELS, DIAGRAM_MAX_NEURONS

MAGIC = b"NPL1"
LUT_SIZE = 256
CURVE_POINTS = 300  # the scene's curves, evenly spaced over the run (as the SVG curves were)
MAP_RESOLUTION = 16  # each neuron's map: 16 x 16 bytes (the diagram draws it 30 px wide, smoothed)
CURVE_FIELDS = ("epoch", "train_loss", "test_loss", "train_metric", "test_metric")
# Under the diagram: how to read it.
DIAGRAM_LEGEND = (
    "Each square: that neuron's output over the plane, every neuron of a layer on one scale "
    "(under the layer's name; the inputs each on their own): orange = low end, grey = middle, "
    "blue = high end; tanh −1…1, "
    "sigmoid 0…1 (0.5 is grey), ReLU and linear ± the layer's largest value; a class's output "
    "neuron in that class's colour. Small corner square: the neuron's bias (blue +, orange −, "
    "stronger = larger). Lines: weights (blue +, orange −, thickest from |w| = 5)."
)
NO_CURVES_YET = "The loss curves start with the first epoch: press ▶ Play or ⏭ Step."
_DTYPES = MappingProxyType({"uint8": np.uint8, "float32": np.float32})


class _Arrays:
    """The arrays of one payload, numbered in the order they are added."""

    def __init__(self):
        self.items: list[np.ndarray] = []

    def add(self, array: np.ndarray) -> int:
        array = np.ascontiguousarray(array)
        if array.dtype.name not in _DTYPES:
            raise TypeError(f"live frames carry uint8 and float32 arrays only; got {array.dtype}")
        self.items.append(array)
        return len(self.items) - 1


def _finite_or_none(value: float):
    """JSON has no NaN: a missing number (no test set, a diverged loss) is null."""
    value = float(value)
    return value if math.isfinite(value) else None


def _points(X, y, task: str, test: bool, seed: int):
    """Points as drawn: coordinates (n, 2) float32, colours (n, 3) uint8, marker numbers (n,)."""
    X, y = subsample(np.asarray(X), np.asarray(y), seed=seed)
    if task == "regression":  # coloured by value on the diverging scale, all circles
        scale = float(np.abs(y).max()) if len(y) else 1.0
        bins = np.clip(((y / (scale or 1.0) + 1) * 7.5).round(), 0, 15).astype(int)  # 16 colours
        colours = DIVERGING_LUT[bins * 17]
        markers = np.zeros(len(y), np.uint8)
    else:
        labels = np.asarray(y, dtype=np.int64)
        palette = np.stack([hex_rgb(class_colour(k)) for k in range(6)]).astype(np.uint8)
        colours = palette[labels % 6]
        markers = (labels % len(CLASS_SYMBOLS)).astype(np.uint8)
    return (
        np.asarray(X, dtype=np.float32).reshape(-1, 2),
        np.asarray(colours, dtype=np.uint8).reshape(-1, 3),
        markers,
        np.full(len(markers), 1 if test else 0, np.uint8),
    )


def layer_titles(session: PlaygroundSession) -> list[list[str]]:
    """Each diagram column's title, as lines."""
    config = session.config
    hidden = [
        [f"Hidden {i + 1}", f"{n} {ACTIVATION_LABELS.get(a, a)}"]
        for i, (n, a) in enumerate(zip(config.hidden, config.activations))
    ]
    return [["Input"], *hidden, ["Output"]]


def column_kinds(session: PlaygroundSession) -> list[str]:
    """What decides each diagram column's colour scale: inputs, each hidden activation, the head."""
    config = session.config
    return ["input", *config.activations[: len(config.hidden)], session.head]


def curve_series(session: PlaygroundSession) -> list:
    """The curves' legend: (label, colour, dashed, on the metric axis) of train loss, held-out
    loss, train metric, held-out metric, as the SVG and Plotly curves draw them."""
    metric = "R²" if session.task == "regression" else "accuracy"
    held = session.held_out
    return [
        ["train loss", "#9A9A9A", False, False],
        [f"{held} loss", "#202020", False, False],
        [f"train {metric}", tint(BLUE, 0.45), True, True],
        [f"{held} {metric}", BLUE, True, True],
    ]


def scene(
    session: PlaygroundSession, arrays: _Arrays, selected=None, diagram: bool = True, legend: str = ""
) -> dict:
    """What changes rarely: the plane, the points, the colour tables, the diagram's layout (None
    when the diagram is hidden) and its `legend`, the curves so far. `selected`: (layer, neuron)
    open in the inspector, highlighted."""
    config, dataset = session.config, session.dataset
    task = session.display_task
    # The boundary's colour table, from the same stops as the heat map (a 2 x 2 probe of the
    # right task gives them; only the stops are used).
    probe = session.boundary(2)
    _, zmin, zmax, stops, _ = boundary_z(probe, config.discretize, value_scale=1.0)
    parts = [_points(dataset.X_train, dataset.y_train, session.task, False, 0)]
    if config.show_test and len(dataset.y_test):
        parts.append(_points(dataset.X_test, dataset.y_test, session.task, True, 1))
    xy, colours, markers, test = (np.concatenate(column) for column in zip(*parts))
    curves = session.curves.arrays()
    index = decimate_indices(len(curves["epoch"]), CURVE_POINTS)
    curve_table = np.stack([np.asarray(curves[name], np.float32)[index] for name in CURVE_FIELDS])
    names = session.column_names()
    shown = [min(len(column), DIAGRAM_MAX_NEURONS) for column in names]
    return {
        # What the points and axes depend on, short (the canvas redraws them when it changes).
        "id": hashlib.sha1(f"{session.key!r}:{config.show_test}:{config.discretize}".encode()).hexdigest()[
            :12
        ],
        "task": task,
        "metric": "R²" if session.task == "regression" else "accuracy",
        "held_out": session.held_out,
        "extent": [float(v) for v in session.extent],
        "discretize": bool(config.discretize),
        "boundary_lut": arrays.add(colour_lut(stops, LUT_SIZE)),
        "map_luts": arrays.add(np.stack(MAP_LUTS)),
        "points": {
            "xy": arrays.add(xy),
            "rgb": arrays.add(colours),
            "marker": arrays.add(markers),
            "test": arrays.add(test),
        },
        "markers": [MARKERS[name] for name in CLASS_SYMBOLS],
        "curves": arrays.add(curve_table),
        "series": curve_series(session),
        "diagram": {
            "names": [column[:count] for column, count in zip(names, shown)],
            "more": [len(column) - count for column, count in zip(names, shown)],
            "titles": layer_titles(session),
            "selected": [selected[0] + 1, selected[1]] if selected else None,
        }
        if diagram
        else None,
        "legend": legend,
        # Line widths as palette.weight_width draws them: thinnest at 0, thickest from the clamp.
        "weight_width": [0.4, 5.0, WEIGHT_CLAMP],
        "no_curves": NO_CURVES_YET,
        "zrange": [zmin, zmax],
    }


def frame(session: PlaygroundSession, arrays: _Arrays, resolution: int) -> dict:
    """The network now: epoch, losses, the boundary on a resolution x resolution grid, each
    neuron's map and the drawn weights and biases."""
    config = session.config
    boundary = session.boundary(resolution)
    z, zmin, zmax, _, _ = boundary_z(boundary, config.discretize)
    span = (zmax - zmin) or 1.0
    cells = np.clip((z - zmin) * ((LUT_SIZE - 1) / span), 0, LUT_SIZE - 1).astype(np.uint8)[::-1]
    stacks = session.neuron_maps(MAP_RESOLUTION)
    maps, luts, ranges = [], [], []
    for stack, kind in zip(stacks, column_kinds(session)):
        index, column_luts, scale = column_index(stack[:, ::-1], kind)  # image rows go top-down
        maps.append(index.reshape(-1))
        luts += column_luts
        ranges.append(range_text(scale))
    shown = [len(stack) for stack in stacks]
    weights = [
        np.asarray(w, np.float32)[: shown[c], : shown[c + 1]].reshape(-1)
        for c, w in enumerate(session.network.weights)
    ]
    biases = [np.asarray(b, np.float32)[: shown[c + 1]] for c, b in enumerate(session.network.biases)]
    latest = session.latest
    return {
        "epoch": int(session.epoch),
        "train_loss": _finite_or_none(latest.train_loss),
        "test_loss": _finite_or_none(latest.test_loss),
        "train_metric": _finite_or_none(latest.train_metric),
        "test_metric": _finite_or_none(latest.test_metric),
        "learning_rate": _finite_or_none(session.trainer.current_learning_rate()),
        "boundary": arrays.add(cells),
        "resolution": int(resolution),
        "zrange": [float(zmin), float(zmax)],
        "maps": arrays.add(np.concatenate(maps)),
        "map_size": MAP_RESOLUTION,
        "map_luts": luts,
        "ranges": ranges,
        "weights": arrays.add(np.concatenate(weights)),
        "biases": arrays.add(np.concatenate(biases)),
    }


def pack(header: dict, arrays: _Arrays) -> bytes:
    """One payload: the header (scene and frames) and its arrays, in the byte format above."""
    table, offset = [], 0
    for array in arrays.items:
        table.append([offset, array.nbytes, array.dtype.name, list(array.shape)])
        offset += -(-array.nbytes // 4) * 4
    text = json.dumps({**header, "arrays": table}, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * (-len(text) % 4)
    body = bytearray(offset)
    for (start, length, _, _), array in zip(table, arrays.items):
        body[start : start + length] = array.tobytes()
    return MAGIC + struct.pack("<I", len(text)) + text + bytes(body)


def unpack(payload: bytes) -> tuple[dict, list[np.ndarray]]:
    """The header and arrays of a payload (what the browser's reader sees)."""
    if payload[:4] != MAGIC:
        raise ValueError("not a live-frames payload")
    (length,) = struct.unpack("<I", payload[4:8])
    header = json.loads(payload[8 : 8 + length])
    base = 8 + length
    arrays = [
        np.frombuffer(
            payload,
            dtype=_DTYPES[dtype],
            count=size // np.dtype(_DTYPES[dtype]).itemsize,
            offset=base + start,
        ).reshape(shape)
        for start, size, dtype, shape in header["arrays"]
    ]
    return header, arrays


class FrameRecorder:
    """Collects one payload: the scene once, then a frame after each slice of training."""

    def __init__(
        self,
        session: PlaygroundSession,
        resolution: int,
        selected=None,
        diagram: bool = True,
        legend: str = "",
    ):
        self.session = session
        self.resolution = int(resolution)
        self.arrays = _Arrays()
        self.scene = scene(session, self.arrays, selected, diagram, legend)
        self.frames: list[dict] = []

    def capture(self) -> None:
        self.frames.append(frame(self.session, self.arrays, self.resolution))

    def payload(
        self, playing: bool, frame_spacing_s: float, editable: bool = False, clickable: bool = False
    ) -> bytes:
        """The bytes for the canvas; `frame_spacing_s`: how far apart to show the frames;
        `editable`: a click on the plane adds or removes a point; `clickable`: a click on a
        neuron opens it in the inspector (both while paused only)."""
        if not self.frames:
            self.capture()
        header = {
            "scene": self.scene,
            "frames": self.frames,
            "playing": bool(playing),
            "spacing_ms": round(1000 * float(frame_spacing_s), 1),
            "editable": bool(editable) and not playing,
            "clickable": bool(clickable) and not playing,
        }
        return pack(header, self.arrays)
