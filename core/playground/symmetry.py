"""The symmetry problem made visible: neurons of a layer that started alike stay identical.

Two neurons with the same incoming weights, the same bias and the same outgoing weights compute
the same output and receive the same gradient, so one update keeps them equal, and so does the
next: a layer of 8 such neurons works like one. Random initialization breaks the tie.
"""

from __future__ import annotations

import numpy as np

from core.engine import Network

SYMMETRIC_INITS = ("same", "zeros")  # the initializations that start every neuron of a layer alike


def identical_layers(network: Network) -> list[int]:
    """Indices (0-based) of the hidden layers of two or more neurons that are all identical:
    every neuron's incoming weights and bias equal to the first neuron's."""
    identical = []
    for index, layer in enumerate(network.layers[:-1]):
        if layer.n_out < 2:
            continue
        block = np.vstack([layer.weights, layer.bias[None, :]])
        if np.array_equal(block, np.broadcast_to(block[:, :1], block.shape)):
            identical.append(index)
    return identical


def symmetry_note(network: Network, epoch: int) -> str | None:
    """What the page says when hidden layers are made of identical neurons (None otherwise)."""
    layers = identical_layers(network)
    if not layers:
        return None
    names = ", ".join(f"{i + 1} ({network.layers[i].n_out} neurons)" for i in layers)
    which = "layer" if len(layers) == 1 else "layers"
    return (
        f"Symmetry: after {epoch:,} epochs every neuron of hidden {which} {names} is still identical "
        "to the others (same weights, same bias: compare them in the 🔍 Neuron tab). They started "
        "alike, so each gets the same gradient and none can become different: the layer works like "
        "a single neuron. A random initialization (He, Xavier, uniform) breaks the symmetry."
    )
