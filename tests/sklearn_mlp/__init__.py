"""scikit-learn's own MLP tests run against the engine's estimators.

- `adapter.py`: `MLPClassifier` / `MLPRegressor`, the engine's `NeuralNetClassifier` /
  `NeuralNetRegressor` under scikit-learn's constructor names, and `EXPECTED_FAILURES`, the one
  table of the tests that exercise what the engine deliberately lacks, each with its reason.
- `runner.py`: loads `sklearn/neural_network/tests/test_mlp.py` from the installed scikit-learn
  (it is not copied here) with those two names pointing at the adapters.
- `test_sklearn_suite.py`: hands the loaded tests to pytest; `conftest.py` marks the table's
  entries as strict expected failures.
"""
