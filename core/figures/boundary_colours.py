"""The decision boundary as colours, written once for every picture of it: the heat map's values
and colour scale (`boundary_z`, for the Plotly figure) and the same colours as an RGB image
(`boundary_rgb`, for the live SVG view and the GIF frames).

Two classes and regression use the diverging orange-blue scale; more classes get one colour band
each, lighter where the network is less sure.
"""

from __future__ import annotations

import numpy as np

from core.figures.palette import TINT, class_colour, colour_lut, diverging_scale, tint
from core.playground import Boundary


def boundary_z(boundary: Boundary, discretize: bool, value_scale: float | None = None):
    """The heat map's z (float32) with its range, colour scale and hover text."""
    if boundary.task == "binary":
        z = (boundary.values > 0.5).astype(np.float32) if discretize else boundary.values
        return z, 0.0, 1.0, diverging_scale(TINT), "P(class 1) = %{z:.2f}"
    if boundary.task == "multiclass":
        k = boundary.n_classes
        conf = boundary.values
        # z = class + shade in [0, 0.49]: the integer part is the class (hover rounds to it), the
        # fraction the confidence above chance. One colour band per class.
        shade = (
            np.float32(0.49)
            if discretize
            else np.clip((conf - 1.0 / k) / (1.0 - 1.0 / k), 0, 1).astype(np.float32) * np.float32(0.49)
        )
        z = (boundary.classes.astype(np.float32) + shade).astype(np.float32)
        stops = []
        for c in range(k):
            colour = class_colour(c)
            stops += [
                [c / k, tint(colour, 0.9)],
                [(c + 0.5) / k, tint(colour, TINT)],
                [(c + 1) / k - 1e-6, tint(colour, TINT)],
            ]
        stops[-1][0] = 1.0
        return z, 0.0, float(k), stops, "predicted class %{z:.0f}"
    scale = value_scale or float(np.abs(boundary.values).max()) or 1.0
    z = boundary.values
    if discretize:  # a few flat steps instead of a smooth surface
        z = (np.round(z / scale * 4) / 4 * scale).astype(np.float32)
    return z, -scale, scale, diverging_scale(TINT), "prediction = %{z:.2f}"


def boundary_rgb(boundary: Boundary, discretize: bool = False) -> np.ndarray:
    """The boundary as an RGB uint8 image (row 0 at the TOP, as images go), coloured as the heat map."""
    z, zmin, zmax, stops, _ = boundary_z(boundary, discretize)
    lut = colour_lut(stops, 512)
    index = np.clip((z - zmin) / (zmax - zmin) * 511, 0, 511).astype(np.int64)
    return lut[index][::-1]
