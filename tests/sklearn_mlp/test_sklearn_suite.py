"""scikit-learn's sklearn/neural_network/tests/test_mlp.py, collected from the installed
scikit-learn, with MLPClassifier / MLPRegressor being the engine's estimators (runner.py);
conftest.py turns the adapter's EXPECTED_FAILURES into strict xfails."""

from tests.sklearn_mlp.runner import load_suite, suite_tests

globals().update(suite_tests(load_suite()))
