"""The Playground's experiments (the seed material's exercises), each bounded in time.

- `race`: the same data and the same starting weights trained with several optimizers, taking
  turns in short slices so they progress together; their loss curves on one chart.
- `search`: a small grid of hidden-layer sizes, each trained for a share of a time budget inside
  one request; a table of test accuracy and time, best first.
- `frames`: the decision boundary recorded every few epochs of a fresh training (drawn as an
  animated GIF by core/figures/training_gif.py).
- `sklearn_compare`: scikit-learn's MLPClassifier / MLPRegressor on the same features, layers and
  hyperparameters, for its boundary, accuracy and training time next to ours.
- `timing`: the time budget they share, and training a session until it runs out.

Every experiment builds its own networks from the config (seeded), so it never disturbs the
student's live session, and stops at its time budget whatever the network size. This package
re-exports the public names of its modules.
"""

from core.playground.experiments.frames import MAX_GIF_FRAMES, BoundaryFrames, boundary_frames
from core.playground.experiments.race import RaceResult, optimizer_race
from core.playground.experiments.search import (
    DEFAULT_CANDIDATES,
    MAX_CANDIDATES,
    SearchRow,
    architecture_search,
    parse_candidates,
)
from core.playground.experiments.sklearn_compare import (
    SHARED_OBJECTIVE,
    SKLEARN_ACTIVATIONS,
    CompareResult,
    compare_with_sklearn,
    l2_as_alpha,
    sklearn_estimator,
)
from core.playground.experiments.timing import MAX_RACE_EPOCHS, MAX_TIME_BUDGET_S, SLICE_MS

__all__ = [
    "MAX_TIME_BUDGET_S",
    "MAX_RACE_EPOCHS",
    "SLICE_MS",
    "RaceResult",
    "optimizer_race",
    "MAX_CANDIDATES",
    "DEFAULT_CANDIDATES",
    "SearchRow",
    "parse_candidates",
    "architecture_search",
    "MAX_GIF_FRAMES",
    "BoundaryFrames",
    "boundary_frames",
    "SHARED_OBJECTIVE",
    "SKLEARN_ACTIVATIONS",
    "CompareResult",
    "l2_as_alpha",
    "sklearn_estimator",
    "compare_with_sklearn",
]
