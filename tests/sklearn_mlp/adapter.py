"""The engine's estimators under scikit-learn's names, so scikit-learn's MLP tests can run on them.

`MLPClassifier` / `MLPRegressor` subclass `core.estimators.NeuralNetClassifier` /
`NeuralNetRegressor` and take exactly scikit-learn's constructor arguments. Each fit translates
them into the engine's hyperparameters (`engine_params`), lets the engine fit, then puts
scikit-learn's values back, so `get_params`, `set_params`, `clone` and pickling see scikit-learn's
names only. The translation:

    max_iter                  -> epochs
    learning_rate_init        -> learning_rate
    alpha                     -> l2 = alpha / batch: scikit-learn's penalty per mini-batch of n
                                 samples is alpha/(2n) * sum W^2, the engine's l2/2 * sum W^2
                                 (core/playground/experiments/sklearn_compare.py proves the steps equal;
                                 with sample weights scikit-learn's n is the batch's sum of weights,
                                 so the two agree where the weights average 1)
    batch_size                -> batch_size ('auto' = min(200, n_train), as scikit-learn)
    solver                    -> optimizer: 'adam' -> 'adam'; 'sgd' -> 'sgd' (momentum 0),
                                 'momentum' or 'nesterov' (nesterovs_momentum)
    solver='lbfgs'            -> 'adam' as a stand-in (the engine has no L-BFGS): the tests that only
                                 use L-BFGS to fit something run; those about L-BFGS are in the table
    activation                -> 'logistic' -> 'sigmoid', 'identity' -> 'linear', 'tanh', 'relu'
    loss (regressor)          -> the same: 'squared_error' or 'poisson'
    sample_weight (fit, partial_fit) -> the same
    n_iter_no_change, tol     -> patience = n_iter_no_change + 1 (scikit-learn stops after more than
                                 n_iter_no_change epochs without improvement), min_delta = tol,
                                 stop_on_training_loss=True (without early_stopping, scikit-learn
                                 watches the training loss)
    (init)                    -> 'xavier': scikit-learn always starts from Glorot uniform weights
    (X's dtype)               -> dtype='auto': float32 X trains in float32, any other in float64
    (early stopping's watch)  -> early_stopping_on='val_metric': scikit-learn watches the validation
                                 score (accuracy or R²), not the loss
    random_state              -> the same, None meaning NumPy's global RandomState (as scikit-learn)
    early_stopping, validation_fraction, hidden_layer_sizes, warm_start, shuffle, verbose
                              -> the same name, where the engine has it

What scikit-learn does around the fit and the engine has no use for is done here: the
ConvergenceWarning when `max_iter` epochs ran without an early stop, the `verbose` lines, refusing
`partial_fit` with early stopping, and hiding `partial_fit` for L-BFGS. Settings the engine cannot
honour (another learning-rate schedule, other momentum or Adam constants) raise a ValueError
naming them rather than being silently ignored.
"""

from __future__ import annotations

import inspect
import math
import warnings
from contextlib import contextmanager

from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if

from core.estimators import NeuralNetClassifier, NeuralNetRegressor

ACTIVATIONS = {"identity": "linear", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu"}
# Where scikit-learn and the engine share a name and its meaning, the value passes through.
SAME_MEANING = (
    "hidden_layer_sizes",
    "early_stopping",
    "validation_fraction",
    "random_state",
    "warm_start",
    "shuffle",
    "verbose",
)
ENGINE_MOMENTUM = 0.9  # the engine's Momentum / Nesterov default (core/engine/optimizers.py)
ADAM_CONSTANTS = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}  # the engine's Adam defaults
MAX_PATIENCE = 10_000  # the engine's range for patience; n_iter_no_change=inf means "never stop"

# ------------------------------------------------------------------------ the one exclusion table
# Tests of scikit-learn's test_mlp.py that exercise what the engine deliberately lacks. Each runs
# as a strict expected failure (an unexpected pass fails the run, so the table cannot go stale);
# keys are pytest's test names (with the parameters' ids).
_LBFGS = "L-BFGS itself: the engine has no L-BFGS (the adapter's Adam stand-in takes its place)"
_CONVERGES = "needs L-BFGS's convergence (the engine has no L-BFGS; the adapter trains Adam instead)"
_PRIVATE = "reads or sets scikit-learn's private fitting state"
EXPECTED_FAILURES = {
    "test_fit": f"{_PRIVATE} by hand (out_activation_, _coef_grads, velocities, n_layers_) before "
    "partial_fit",
    "test_gradient": f"{_LBFGS}: checks scikit-learn's private _loss_grad_lbfgs (the engine's "
    "gradients are checked against float64 central differences in tests/engine)",
    "test_lbfgs_classification_maxfun[X0-y0]": f"{_LBFGS}: max_fun bounds L-BFGS's function calls",
    "test_lbfgs_classification_maxfun[X1-y1]": f"{_LBFGS}: max_fun bounds L-BFGS's function calls",
    "test_lbfgs_regression_maxfun[X0-y0]": f"{_LBFGS}: max_fun bounds L-BFGS's function calls",
    "test_learning_rate_warmstart": f"{_PRIVATE} (_optimizer.learning_rate) and scikit-learn's "
    "'invscaling' schedule, which the engine has not (its schedules: step, exponential, cosine)",
    "test_adaptive_learning_rate": f"{_PRIVATE} (_optimizer) and scikit-learn's 'adaptive' schedule",
    "test_n_iter_no_change": f"{_PRIVATE} (_no_improvement_count)",
    "test_n_iter_no_change_inf": f"{_PRIVATE} (_no_improvement_count)",
    "test_lbfgs_regression[X0-y0]": f"{_CONVERGES}: R² > 0.98 in 200 L-BFGS iterations; Adam does not "
    "get there (scikit-learn's own Adam: 0.78 to 0.83, the stand-in 0.80 to 0.88)",
    "test_multioutput_regression": f"{_CONVERGES}: R² > 0.9 in 200 L-BFGS iterations on unscaled "
    "targets; scikit-learn's own Adam reaches 0.17 here, the stand-in 0.18",
    "test_multilabel_classification": f"{_CONVERGES}: its first check asks L-BFGS's accuracy 0.97 in 150 "
    "iterations; scikit-learn's own Adam reaches 0.38",
    "test_predict_proba_multilabel": f"{_CONVERGES}: asks every training label right after L-BFGS's fit; "
    "scikit-learn's own Adam does not get them all either",
    "test_mlp_vs_poisson_glm_equivalent": f"{_CONVERGES}: the engine has the Poisson loss (loss='poisson', "
    "output e^z), but the test asks predictions within 1e-4 of a Poisson GLM's after L-BFGS's fit; "
    "scikit-learn's own Adam misses them by up to 86% here, the stand-in by up to 94%",
    "test_early_stopping_stratified": "the behaviour matches (the split is stratified and refuses a "
    "class of one sample) but the test matches scikit-learn's message word for word, which names its "
    "internal label encoding ('True'); the engine's names the class the student gave ([1])",
    "test_partial_fit_regression": "its R² > 0.65 bar is tuned to scikit-learn's own first weights: "
    "from the engine's Glorot draw the same 100 SGD epochs reach 0.62 (scikit-learn 0.67, measured "
    "2 December); what the test is about, partial_fit 100 times equals fit for 100 epochs, holds",
}

# Tests ABOUT L-BFGS that would pass on the adapter's Adam stand-in: a pass would say nothing of
# L-BFGS, so they are not run and not counted as passes (reported as expected failures).
NOT_COUNTED = {
    "test_lbfgs_classification[X0-y0]": "about L-BFGS: passes on the adapter's Adam stand-in, which "
    "says nothing of L-BFGS, so it is not counted",
    "test_lbfgs_classification[X1-y1]": "about L-BFGS: passes on the adapter's Adam stand-in, which "
    "says nothing of L-BFGS, so it is not counted",
}


def _n_samples(X) -> int:
    return X.shape[0] if hasattr(X, "shape") else len(X)  # a sparse matrix has no len()


def _stochastic_only(estimator) -> bool:
    """scikit-learn offers partial_fit for the stochastic solvers only."""
    if estimator.solver not in ("sgd", "adam"):
        raise AttributeError(
            f"partial_fit is only available for stochastic optimizers; got {estimator.solver!r}"
        )
    return True


class _SklearnNames:
    """scikit-learn's constructor and the translation to the engine's (see the module docstring)."""

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    # ------------------------------------------------------------------------ translation
    def _optimizer(self) -> str:
        if self.solver in ("adam", "lbfgs"):
            changed = {k: getattr(self, k) for k, v in ADAM_CONSTANTS.items() if getattr(self, k) != v}
            if changed:
                raise ValueError(f"the engine's Adam has fixed constants {ADAM_CONSTANTS}; got {changed}")
            return "adam"
        if self.solver != "sgd":
            raise ValueError(f"solver must be 'sgd', 'adam' or 'lbfgs'; got {self.solver!r}")
        if self.learning_rate != "constant":
            raise ValueError(f"the engine has no {self.learning_rate!r} learning-rate schedule for SGD")
        if self.momentum == 0:
            return "sgd"
        if self.momentum != ENGINE_MOMENTUM:
            raise ValueError(f"the engine's momentum is {ENGINE_MOMENTUM}; got {self.momentum!r}")
        return "nesterov" if self.nesterovs_momentum else "momentum"

    def engine_params(self, n_samples: int) -> dict:
        """The engine's hyperparameters for a fit on `n_samples` samples: every name the engine
        estimator takes, translated from scikit-learn's or, where scikit-learn has none (l1,
        dropout, schedule), the engine's default."""
        n_train = n_samples
        if self.early_stopping:  # scikit-learn's batch and penalty are per training sample after the split
            n_train = n_samples - math.ceil(self.validation_fraction * n_samples)
        batch = min(200 if self.batch_size == "auto" else int(self.batch_size), max(1, n_train))
        patience = self.n_iter_no_change + 1
        mapped = {
            "epochs": int(self.max_iter),
            "learning_rate": float(self.learning_rate_init),
            "l2": float(self.alpha) / batch,
            "batch_size": batch,
            "optimizer": self._optimizer(),
            "activation": ACTIVATIONS.get(self.activation, self.activation),
            "patience": MAX_PATIENCE if not math.isfinite(patience) else int(min(patience, MAX_PATIENCE)),
            "min_delta": float(self.tol),
            "init": "xavier",
            "stop_on_training_loss": True,  # scikit-learn's tol rule when early_stopping is off
            "early_stopping_on": "val_metric",  # scikit-learn watches the validation score
            "dtype": "auto",  # scikit-learn's rule: float32 X trains in float32, any other in float64
            **{name: getattr(self, name) for name in SAME_MEANING},
        }
        if self.random_state is None:  # as scikit-learn: None draws from NumPy's global RandomState
            mapped["random_state"] = check_random_state(None)
        engine = inspect.signature(self._engine_class().__init__).parameters
        return {name: mapped.get(name, p.default) for name, p in engine.items() if name != "self"}

    @classmethod
    def _engine_class(cls):
        return next(base for base in cls.__mro__ if base.__module__ == "core.estimators")

    @contextmanager
    def _as_engine(self, n_samples: int):
        """The engine's hyperparameters on self while it fits, scikit-learn's afterwards."""
        saved = self.get_params(deep=False)
        for name, value in self.engine_params(n_samples).items():
            setattr(self, name, value)
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(self, name, value)

    def _loss_history(self) -> list:
        if hasattr(self, "loss_curve_"):
            return list(self.loss_curve_)
        return [record.train_loss for record in getattr(self, "history_", [])]

    def _train(self, step, n_samples: int, warn: bool):
        # epochs already in the loss curve, which a fresh fit starts again
        before = len(self._loss_history()) if (self.warm_start or not warn) else 0
        with self._as_engine(n_samples):
            step()
        losses = self._loss_history()
        if self.verbose:
            for index, loss in enumerate(losses[before:], start=before + 1):
                print(f"Iteration {index}, loss = {loss:.8f}")
        trainer = getattr(self, "trainer_", None)
        stopped = getattr(trainer, "stop_kind", None) is not None or self.stopped_on_training_loss_
        if warn and not stopped:
            warnings.warn(
                f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                "optimization hasn't converged yet.",
                ConvergenceWarning,
                stacklevel=3,  # the caller of fit
            )
        return self

    def fit(self, X, y, sample_weight=None):
        fit = super().fit
        return self._train(lambda: fit(X, y, sample_weight), _n_samples(X), warn=True)

    def _refuse_early_stopping(self):
        if self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True")


class MLPClassifier(_SklearnNames, NeuralNetClassifier):
    """`core.estimators.NeuralNetClassifier` with scikit-learn's MLPClassifier constructor."""

    @available_if(_stochastic_only)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        self._refuse_early_stopping()
        step = NeuralNetClassifier.partial_fit
        return self._train(lambda: step(self, X, y, sample_weight, classes), _n_samples(X), warn=False)


class MLPRegressor(_SklearnNames, NeuralNetRegressor):
    """`core.estimators.NeuralNetRegressor` with scikit-learn's MLPRegressor constructor."""

    # Spelt out, not **options: scikit-learn's get_params (and so clone) reads the signature.
    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
    ):
        self.loss = loss
        options = dict(locals())
        for name in ("self", "loss", "hidden_layer_sizes", "activation", "__class__"):
            options.pop(name, None)
        super().__init__(hidden_layer_sizes, activation, **options)

    def engine_params(self, n_samples: int) -> dict:
        return {**super().engine_params(n_samples), "loss": self.loss}  # the same names

    @available_if(_stochastic_only)
    def partial_fit(self, X, y, sample_weight=None):
        self._refuse_early_stopping()
        step = NeuralNetRegressor.partial_fit
        return self._train(lambda: step(self, X, y, sample_weight), _n_samples(X), warn=False)
