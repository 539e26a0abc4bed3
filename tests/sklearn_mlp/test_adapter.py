"""The adapter itself: scikit-learn's names translated to the engine's, and the suite it runs."""

import re
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from tests.paths import REPO_ROOT
from tests.sklearn_mlp import runner
from tests.sklearn_mlp.adapter import EXPECTED_FAILURES, NOT_COUNTED, MLPClassifier, MLPRegressor


def test_names_translate_to_the_engines():
    model = MLPClassifier(
        hidden_layer_sizes=(5, 3), activation="logistic", solver="sgd", alpha=0.5, batch_size=25,
        learning_rate_init=0.2, max_iter=7, momentum=0.9, nesterovs_momentum=False, n_iter_no_change=4,
        tol=0.01, random_state=3,
    )  # fmt: skip
    params = model.engine_params(100)
    assert params["epochs"] == 7 and params["learning_rate"] == 0.2 and params["batch_size"] == 25
    assert params["l2"] == pytest.approx(0.5 / 25)  # alpha/(2 * batch) * sum W^2 == l2/2 * sum W^2
    assert params["optimizer"] == "momentum" and params["activation"] == "sigmoid"
    assert params["patience"] == 5 and params["hidden_layer_sizes"] == (5, 3)
    assert params["init"] == "xavier" and params["random_state"] == 3
    assert params["l1"] == 0.0 and params["dropout"] == 0.0  # no scikit-learn name: engine default
    # 'auto' is min(200, n_train), n_train after the early-stopping split (ceil of 10% held out)
    auto = MLPRegressor(solver="sgd", momentum=0, early_stopping=True).engine_params(1000)
    assert auto["batch_size"] == 200 and auto["optimizer"] == "sgd"
    assert MLPRegressor().engine_params(101 + 11)["batch_size"] == 112
    assert MLPRegressor(early_stopping=True).engine_params(112)["batch_size"] == 100
    assert MLPClassifier(n_iter_no_change=np.inf).engine_params(10)["patience"] == 10_000
    # scikit-learn's dtype rule, its watch of the validation score, and the names both share
    assert params["dtype"] == "auto" and params["early_stopping_on"] == "val_metric"
    assert MLPRegressor(loss="poisson").engine_params(10)["loss"] == "poisson"
    assert "loss" not in params  # the classifier has no loss to choose


def test_sample_weight_and_loss_reach_the_engine():
    X = np.random.default_rng(0).uniform(size=(40, 2))
    y = np.random.default_rng(1).poisson(np.exp(X[:, 0]))
    w = np.r_[np.zeros(20), np.ones(20)]
    kwargs = dict(solver="sgd", momentum=0, alpha=0, batch_size=40, shuffle=False, max_iter=3, random_state=0)
    with pytest.warns(ConvergenceWarning):
        weighted = MLPRegressor(loss="poisson", **kwargs).fit(X, y, sample_weight=w)
    with pytest.warns(ConvergenceWarning):
        half = MLPRegressor(loss="poisson", **{**kwargs, "batch_size": 20}).fit(X[20:], y[20:])
    assert weighted.network_.head.name == "exp_poisson" and weighted.get_params()["loss"] == "poisson"
    np.testing.assert_allclose(weighted.predict(X), half.predict(X), rtol=1e-10)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"solver": "sgd", "learning_rate": "invscaling"}, "no 'invscaling' learning-rate schedule"),
        ({"solver": "sgd", "momentum": 0.5}, "momentum is 0.9; got 0.5"),
        ({"beta_1": 0.8}, "fixed constants"),
        ({"loss": "huber"}, "loss must be one of ['poisson', 'squared_error']; got 'huber'"),
    ],
)
def test_settings_the_engine_cannot_honour_are_refused(options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        MLPRegressor(**options).fit(np.zeros((4, 2)), np.zeros(4))


def test_fit_leaves_scikit_learns_names_and_values():
    model = MLPClassifier(hidden_layer_sizes=4, max_iter=3, learning_rate_init=0.01, random_state=0)
    before = model.get_params()
    with pytest.warns(ConvergenceWarning, match="Maximum iterations \\(3\\) reached"):
        model.fit(np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]), [0, 1, 1, 0])
    assert model.get_params() == before and model.learning_rate == "constant"
    assert clone(model).get_params() == before
    assert model.network_.layer_sizes == [2, 4, 1] and model.network_.init == "xavier"
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit") and hasattr(model, "partial_fit")


def test_the_suite_is_scikit_learns_and_the_table_names_its_tests():
    """The installed test_mlp.py yields its 58 tests here, and every exclusion names one of them."""
    assert runner.suite_path().parts[-4:] == ("sklearn", "neural_network", "tests", "test_mlp.py")
    listing = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/sklearn_mlp/test_sklearn_suite.py"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {line.split("::", 1)[1] for line in listing.splitlines() if "::" in line}
    assert len(names) == 58
    assert set(EXPECTED_FAILURES) | set(NOT_COUNTED) <= names, (
        set(EXPECTED_FAILURES) | set(NOT_COUNTED)
    ) - names
