"""The forward pass equals scikit-learn's MLPClassifier / MLPRegressor given the same weights."""

from __future__ import annotations

import warnings
from functools import partial

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from core.engine.network import Network

# scikit-learn's activation name -> ours
ACTIVATION = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "linear"}
HIDDEN_LAYERS = [(7,), (6, 5)]


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _network_like(model, n_in, output, dtype):
    sizes = [n_in, *model.hidden_layer_sizes, model.coefs_[-1].shape[1]]
    net = Network(sizes, ACTIVATION[model.activation], output, dtype=dtype)
    net.set_parameters(model.coefs_, model.intercepts_)
    return net


def _tolerance(dtype):
    return {"rtol": 1e-10, "atol": 1e-12} if dtype == np.float64 else {"rtol": 1e-5, "atol": 1e-6}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("hidden", HIDDEN_LAYERS, ids=str)
@pytest.mark.parametrize("activation", list(ACTIVATION))
def test_binary_classifier_predict_proba(activation, hidden, dtype):
    X, y = make_classification(80, 5, n_informative=3, random_state=0)
    model = _fit(
        MLPClassifier(hidden_layer_sizes=hidden, activation=activation, max_iter=20, random_state=1), X, y
    )
    net = _network_like(model, 5, "sigmoid_bce", dtype)
    X_test = np.random.default_rng(2).normal(size=(40, 5)) * 2
    expected = model.predict_proba(X_test)
    got = net.predict_proba(X_test)
    assert got.shape == (40, 2)
    np.testing.assert_allclose(got, expected, **_tolerance(dtype))
    assert np.ptp(expected[:, 1]) > 0.01  # not a constant model
    agree = np.mean(net.predict(X_test) == model.predict(X_test))
    assert agree == 1.0 if dtype == np.float64 else agree >= 0.95


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("hidden", HIDDEN_LAYERS, ids=str)
@pytest.mark.parametrize("activation", list(ACTIVATION))
def test_multiclass_classifier_predict_proba(activation, hidden, dtype):
    X, y = make_classification(120, 6, n_informative=4, n_classes=4, random_state=0)
    model = _fit(
        MLPClassifier(hidden_layer_sizes=hidden, activation=activation, max_iter=20, random_state=1), X, y
    )
    net = _network_like(model, 6, "softmax_ce", dtype)
    X_test = np.random.default_rng(3).normal(size=(50, 6)) * 2
    expected = model.predict_proba(X_test)
    got = net.predict_proba(X_test)
    assert got.shape == (50, 4)
    np.testing.assert_allclose(got, expected, **_tolerance(dtype))
    np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=1e-6)
    if dtype == np.float64:
        np.testing.assert_array_equal(net.predict(X_test), model.predict(X_test))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n_targets", [1, 2])
@pytest.mark.parametrize("hidden", HIDDEN_LAYERS, ids=str)
@pytest.mark.parametrize("activation", list(ACTIVATION))
def test_regressor_predict(activation, hidden, n_targets, dtype):
    X, y = make_regression(90, 4, n_targets=n_targets, noise=1.0, random_state=0)
    y = y / np.std(y)
    model = _fit(
        MLPRegressor(hidden_layer_sizes=hidden, activation=activation, max_iter=30, random_state=1), X, y
    )
    net = _network_like(model, 4, "linear_mse", dtype)
    X_test = np.random.default_rng(4).normal(size=(30, 4)) * 2
    expected = model.predict(X_test)
    got = net.predict(X_test)
    assert got.shape == expected.shape
    tol = _tolerance(dtype)
    np.testing.assert_allclose(
        got, expected, rtol=tol["rtol"], atol=tol["atol"] * 100 * np.abs(expected).max()
    )


def test_zero_hidden_layers_is_logistic_regression():
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(100, 3, n_informative=2, n_redundant=0, random_state=0)
    lr = LogisticRegression().fit(X, y)
    net = Network([3, 1], [], "sigmoid_bce", dtype=np.float64)
    net.set_parameters([lr.coef_.T], [lr.intercept_])
    np.testing.assert_allclose(net.predict_proba(X), lr.predict_proba(X), rtol=1e-12, atol=1e-14)


def test_trace_matches_sklearn_hidden_activations():
    X, y = make_classification(60, 4, random_state=0)
    model = _fit(
        MLPClassifier(hidden_layer_sizes=(5, 3), activation="tanh", max_iter=10, random_state=0), X, y
    )
    net = _network_like(model, 4, "sigmoid_bce", np.float64)
    traces = net.trace(X)
    a = X
    for i, (W, b) in enumerate(zip(model.coefs_, model.intercepts_)):
        z = a @ W + b
        np.testing.assert_allclose(traces[i].z, z, rtol=1e-12, atol=1e-13)
        a = np.tanh(z) if i < 2 else 1 / (1 + np.exp(-z))
        np.testing.assert_allclose(traces[i].a, a, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("n_targets", [1, 3])
def test_squared_error_gradients_match_sklearn_and_its_loss_is_ours_over_the_outputs(n_targets):
    """losses.py's claim: the engine's L = 1/(2n) sum_ik (z - t)^2 has the gradients of
    MLPRegressor's squared loss for any number of outputs K, while the loss MLPRegressor reports
    (0.5 * mean over samples and outputs) is L / K. One full-batch plain SGD update on both sides."""
    X, y = make_regression(60, 4, n_targets=n_targets, noise=5.0, random_state=0)
    y = y / y.std()
    plain_sgd = dict(solver="sgd", momentum=0.0, nesterovs_momentum=False, shuffle=False, alpha=0.0)
    model = MLPRegressor(
        hidden_layer_sizes=(5,),
        activation="tanh",
        batch_size=60,
        learning_rate_init=0.05,
        random_state=0,
        **plain_sgd,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.partial_fit(X, y)  # initial weights and one update: these are our starting weights
        net = _network_like(model, 4, "linear_mse", np.float64)
        start = net.params.copy()
        model.partial_fit(X, y)  # the update under test; loss_ is measured before it
    targets = net.prepare_targets(y)
    loss = net.data_loss(X, targets)
    assert loss == pytest.approx(n_targets * model.loss_, rel=1e-10)
    net.params -= 0.05 * net.compute_gradients(X, targets)
    assert np.abs(net.params - start).max() > 1e-3  # the update moved the weights
    after = _network_like(model, 4, "linear_mse", np.float64)
    np.testing.assert_allclose(net.params, after.params, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("task", ["regression", "poisson", "binary", "multiclass"])
def test_weighted_gradients_match_sklearn(task):
    """With sample weights, one full-batch plain SGD update of the engine equals MLPClassifier's /
    MLPRegressor's (both: the weighted mean of the samples' losses, sum_i w_i l_i / sum_i w_i);
    and the weighted loss it reports before the update is ours. 'poisson': MLPRegressor's
    loss='poisson' (output e^z, half the Poisson deviance) against the engine's exp_poisson head."""
    if task == "regression":
        X, y = make_regression(50, 4, noise=5.0, random_state=1)
        y = y / y.std()
        Model, output = MLPRegressor, "linear_mse"
    elif task == "poisson":
        X = np.random.default_rng(1).normal(size=(50, 4))
        y = np.random.default_rng(2).poisson(np.exp(0.5 * X[:, 0] - 0.3 * X[:, 1] + 0.5))
        Model, output = partial(MLPRegressor, loss="poisson"), "exp_poisson"
    else:
        X, y = make_classification(
            50, 4, n_informative=3, n_redundant=0, random_state=1, n_classes=2 if task == "binary" else 3
        )
        Model, output = MLPClassifier, "sigmoid_bce" if task == "binary" else "softmax_ce"
    w = np.random.default_rng(2).uniform(0.0, 3.0, 50)
    plain_sgd = dict(solver="sgd", momentum=0.0, nesterovs_momentum=False, shuffle=False, alpha=0.0)
    model = Model(
        hidden_layer_sizes=(5,),
        activation="tanh",
        batch_size=50,
        learning_rate_init=0.1,
        random_state=0,
        **plain_sgd,
    )
    extra = {} if task in ("regression", "poisson") else {"classes": np.unique(y)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.partial_fit(X, y, sample_weight=w, **extra)
        net = _network_like(model, 4, output, np.float64)
        predicted = model.predict(X)
        model.partial_fit(X, y, sample_weight=w)  # the update under test; loss_ is measured before it
    targets = net.prepare_targets(y)
    assert net.data_loss(X, targets, w) == pytest.approx(model.loss_, rel=1e-10)
    if task in ("regression", "poisson"):  # the same predictions (e^z for Poisson)
        np.testing.assert_allclose(net.predict(X), predicted, rtol=1e-12)
    start = net.params.copy()
    net.params -= 0.1 * net.compute_gradients(net.with_ones_column(X), targets, sample_weight=w)
    assert np.abs(net.params - start).max() > 1e-3
    after = _network_like(model, 4, output, np.float64)
    np.testing.assert_allclose(net.params, after.params, rtol=1e-10, atol=1e-12)
