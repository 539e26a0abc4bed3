"""The scikit-learn-compatible estimators: clone, Pipeline, cross_val_score, GridSearchCV and
scikit-learn's own estimator checks."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_moons, make_regression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from core.estimators import NeuralNetClassifier, NeuralNetRegressor


@parametrize_with_checks([NeuralNetClassifier(epochs=20), NeuralNetRegressor(epochs=20)])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_clone_keeps_params_and_drops_fit():
    model = NeuralNetClassifier(hidden_layer_sizes=(8, 4), learning_rate=0.05, epochs=3)
    X, y = make_moons(100, noise=0.1, random_state=0)
    model.fit(X, y)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "network_")


def test_pipeline_and_cross_val_score_learn_moons():
    X, y = make_moons(400, noise=0.2, random_state=1)
    pipe = make_pipeline(
        StandardScaler(), NeuralNetClassifier(hidden_layer_sizes=(16,), epochs=60, learning_rate=0.02)
    )
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.mean() >= 0.93


def test_grid_search_picks_from_grid_and_refits():
    X, y = make_moons(200, noise=0.2, random_state=2)
    search = GridSearchCV(
        NeuralNetClassifier(epochs=30), {"hidden_layer_sizes": [(2,), (16,)], "learning_rate": [0.02]}, cv=2
    )
    search.fit(X, y)
    assert search.best_params_["hidden_layer_sizes"] in [(2,), (16,)]
    assert search.best_estimator_.score(X, y) >= 0.85


def test_classifier_keeps_original_labels_and_proba_sums_to_one():
    X, y = make_moons(200, noise=0.1, random_state=3)
    labels = np.where(y == 1, "cat", "dog")
    model = NeuralNetClassifier(epochs=40, learning_rate=0.02).fit(X, labels)
    assert set(model.predict(X)) <= {"cat", "dog"}
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0, rtol=1e-6)
    assert model.score(X, labels) >= 0.9


def test_partial_fit_continues_training():
    X, y = make_moons(300, noise=0.1, random_state=4)
    model = NeuralNetClassifier(learning_rate=0.02)
    model.partial_fit(X, y, classes=[0, 1])
    first = model.loss_
    for _ in range(30):
        model.partial_fit(X, y)
    assert model.loss_ < first


def test_regressor_fits_linear_target():
    X, y = make_regression(300, n_features=3, noise=1.0, random_state=0)
    model = make_pipeline(
        StandardScaler(), NeuralNetRegressor(hidden_layer_sizes=(16,), epochs=80, learning_rate=0.01)
    )
    y_scaled = (y - y.mean()) / y.std()
    model.fit(X, y_scaled)
    assert model.score(X, y_scaled) >= 0.95


def test_bad_epochs_is_a_clear_error():
    with pytest.raises(ValueError, match="epochs must be an integer >= 1; got 0"):
        NeuralNetClassifier(epochs=0).fit(*make_moons(50, random_state=0))
