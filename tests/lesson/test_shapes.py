"""The shapes lesson prints what NumPy really returns."""

import numpy as np

from core.lesson.shapes import batch_gradient_demo, shape_lines


def test_shape_lines_print_numpy_results():
    results = {line.code: line.result for line in shape_lines()}
    assert results["x = np.array([1., 2., 3.]); x.shape"] == "(3,)"
    assert results["x.shape += (1,); x.shape"] == "(3, 1)"
    assert results["x.reshape(1, -1).shape"] == "(1, 3)"
    assert results["(X @ W + b).shape"] == "(2, 4)"
    assert results["(W.T @ x_column + b_column).shape"] == "(4, 1)"
    assert results["np.allclose(z_column[:, 0], (x @ W + b))"] == "True"
    assert results["x @ x"] == "14"
    assert results["-np.log(0.5), -np.log10(0.5)"] == "0.6931, 0.3010"


def test_batch_gradient_is_the_mean_of_per_sample_gradients():
    batch, per_sample = batch_gradient_demo()
    assert batch.shape == (3, 2)
    np.testing.assert_allclose(batch, per_sample, atol=1e-12)
    assert np.max(np.abs(batch)) > 0.01  # a real gradient, not zeros
    # by hand, for the same data: dW = X^T (softmax(X W) - T) / n with n = 4
    rng = np.random.default_rng(0)
    X, W = rng.normal(size=(4, 3)), rng.normal(size=(3, 2))
    T = np.eye(2)[[0, 1, 1, 0]]
    Z = X @ W
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(batch, X.T @ (P - T) / 4, atol=1e-12)
