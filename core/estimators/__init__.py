"""scikit-learn-compatible estimators wrapping the engine, so it drops into Pipeline,
cross_val_score and GridSearchCV like scikit-learn's MLPClassifier / MLPRegressor, with their
fitted attributes (coefs_, loss_curve_, n_iter_, ...), partial_fit and warm_start.

- base.py        what both share: hyperparameters, the one training loop, fitted attributes
- classifier.py  NeuralNetClassifier: binary, multiclass and multilabel targets
- regressor.py   NeuralNetRegressor: one or several outputs
"""

from core.estimators.base import EngineEstimator
from core.estimators.classifier import NeuralNetClassifier
from core.estimators.regressor import NeuralNetRegressor

__all__ = ["EngineEstimator", "NeuralNetClassifier", "NeuralNetRegressor"]

# The public path, for pickles (a model pickled before this package was split still loads) and
# for code that finds the estimators by their module (tests/sklearn_mlp's adapter).
NeuralNetClassifier.__module__ = NeuralNetRegressor.__module__ = "core.estimators"
