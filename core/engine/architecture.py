"""The rules a network's architecture must follow, checked before any array is allocated.

`check_architecture` turns what a caller typed (layer sizes, activation names, output head,
init scheme, dtype) into the objects the network is built from, or raises a ValueError that
says which argument is wrong and what would be accepted.
"""

from __future__ import annotations

import numpy as np

from core.engine.activations import Activation, get_activation
from core.engine.checks import check_int
from core.engine.initializers import INITIALIZERS
from core.engine.losses import OutputHead, get_output_head

MAX_LAYER_WIDTH = 4096
DTYPES = (np.float32, np.float64)


def check_architecture(
    layer_sizes, activations, output: str, init: str, dtype
) -> tuple[list[int], list[Activation], OutputHead, str, np.dtype]:
    """(layer sizes, hidden activations, output head, init name, dtype), all checked.

    layer_sizes: [n_inputs, hidden_1, ..., hidden_k, n_outputs], each in [1, MAX_LAYER_WIDTH];
    activations: one name for every hidden layer, or a list with one name per hidden layer.
    """
    sizes = list(layer_sizes) if isinstance(layer_sizes, (list, tuple, np.ndarray)) else None
    if sizes is None or len(sizes) < 2:
        raise ValueError(
            "layer_sizes must list at least the input and output sizes, e.g. "
            f"[2, 8, 1] (2 or more entries); got {layer_sizes!r}"
        )
    sizes = [check_int(f"layer_sizes[{i}]", s, 1, MAX_LAYER_WIDTH) for i, s in enumerate(sizes)]
    n_hidden = len(sizes) - 2
    names = [activations] * n_hidden if isinstance(activations, str) else list(activations)
    if len(names) != n_hidden:
        raise ValueError(
            f"activations must name one activation per hidden layer ({n_hidden}); got {len(names)}"
        )
    hidden = [get_activation(name) for name in names]
    head = get_output_head(output)
    if head.task == "binary" and sizes[-1] != 1:
        raise ValueError(f"a sigmoid_bce output needs 1 output unit; got {sizes[-1]}")
    if head.task == "multiclass" and sizes[-1] < 2:
        raise ValueError(f"a softmax_ce output needs 2 or more output units (one per class); got {sizes[-1]}")
    if init not in INITIALIZERS:
        raise ValueError(f"init must be one of {sorted(INITIALIZERS)}; got {init!r}")
    dtype = np.dtype(dtype)
    if dtype.type not in DTYPES:
        raise ValueError(f"dtype must be float32 or float64; got {dtype}")
    return sizes, hidden, head, init, dtype
