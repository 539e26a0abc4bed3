"""Regularization: the L1 and L2 penalties on the weights, and their gradients.

Why a module of its own: the penalty is a term of the objective that does not depend on the
data, only on the parameters, so it needs no forward pass. The network adds it to the data loss
(`Network.penalty`, `Network.objective`) and its gradient to the backpropagated one
(`Network.compute_gradients`); both read the parameters through `weight_mask` (1 for a weight,
0 for a bias), because biases are not regularized: shrinking them toward zero would only move
the decision boundary, not make the model simpler.

    penalty  = l1 * sum|w| + l2/2 * sum w^2
    gradient = l1 * sign(w) + l2 * w          (0 for every bias)
"""

from __future__ import annotations

import numpy as np


def penalty(params: np.ndarray, weight_mask: np.ndarray, l1: float = 0.0, l2: float = 0.0) -> float:
    """l1 * sum|w| + l2/2 * sum w^2 over the weights of the flat `params` (biases masked out)."""
    w = params * weight_mask
    total = 0.0
    if l1:
        total += l1 * float(np.abs(w).sum())
    if l2:
        total += 0.5 * l2 * float(np.dot(w, w))
    return total


def add_penalty_gradient(
    grads: np.ndarray, params: np.ndarray, weight_mask: np.ndarray, l1: float, l2: float
) -> None:
    """Add the penalty's gradient to the flat `grads`, in place (biases get nothing)."""
    if l2:
        grads += (l2 * params) * weight_mask  # d/dw (l2/2 w^2) = l2 w ; biases: 0
    if l1:
        grads += (l1 * np.sign(params)) * weight_mask  # d/dw (l1 |w|) = l1 sign(w)
