"""Classroom challenges: a task on the Playground or the MNIST page, what the student may change
(every other control is locked to the challenge's base configuration), the target the server
checks on the challenge's own held-out test set, and hints that open one at a time.

`Challenge.locked(config)` puts every locked field back to the base, so a forged link cannot
unlock a control; `core.classroom.checks.check` measures a run against the requirements and
says how the page words them. The built-in challenges are `BUILT_IN` (`challenge(key)` finds
one by its key).
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass, fields, replace
from types import MappingProxyType

from core.mnist.config import TrainingConfig
from core.playground.config import HIDEABLE, PlaygroundConfig
from core.playground.validation import validate

PAGES = ("playground", "mnist")
# The MNIST page's data sets that need no download, so a challenge works on any server.
OFFLINE_IMAGE_DATASETS = ("digits-8x8",)
COMPARISONS = MappingProxyType(
    {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}
)
# What a run is measured by (core/classroom/challenge_runs.py computes each), as a student reads it.
METRICS = MappingProxyType(
    {
        "test_accuracy": "test accuracy",
        "test_r2": "test R²",
        "test_loss": "test loss",
        "train_accuracy": "training accuracy",
        "train_loss": "training loss",
        "parameters": "parameters",
        "epochs": "epochs trained",
        "hidden_layers": "hidden layers",
        "hidden_neurons": "hidden neurons",
        "learning_rate": "learning rate",
        "regularization": "L1 + L2 + dropout",
        "diverged": "training broke down",
        "identical_layers": "hidden layers of identical neurons",
    }
)
# Only the Playground's live session has a health check and a symmetry view.
PLAYGROUND_ONLY_METRICS = frozenset({"regularization", "identical_layers", "test_r2"})
# What the page only shows, never what trains: a student may always change these.
FREE_FIELDS = MappingProxyType({"playground": ("show_test", "discretize", "hide"), "mnist": ()})
KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Requirement:
    """One condition on a measured metric: `metric comparison threshold` (test_accuracy >= 0.95)."""

    metric: str
    comparison: str
    threshold: float

    def __post_init__(self):
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {list(METRICS)}; got {self.metric!r}")
        if self.comparison not in COMPARISONS:
            raise ValueError(f"comparison must be one of {list(COMPARISONS)}; got {self.comparison!r}")
        if not math.isfinite(self.threshold):
            raise ValueError(f"threshold must be a finite number; got {self.threshold!r}")

    def met(self, value: float) -> bool:
        """True when `value` satisfies it; a missing (NaN) value never does."""
        value = float(value)
        return math.isfinite(value) and bool(COMPARISONS[self.comparison](value, self.threshold))


@dataclass(frozen=True)
class Challenge:
    """A task a teacher can assign. `base` sets every control; the student may change the fields
    named in `editable` (plus what only changes the view, FREE_FIELDS); `target` is what counts
    as the score, `constraints` must hold too."""

    key: str
    title: str
    goal: str
    page: str
    base: PlaygroundConfig | TrainingConfig
    editable: tuple[str, ...]
    target: Requirement
    constraints: tuple[Requirement, ...] = ()
    hints: tuple[str, ...] = ()
    image_dataset: str | None = None  # the MNIST page's data set (mnist challenges only)

    def __post_init__(self):
        problem = self._problem()
        if problem:
            raise ValueError(f"challenge {self.key!r}: {problem}")
        object.__setattr__(self, "editable", tuple(self.editable))
        object.__setattr__(self, "constraints", tuple(self.constraints))
        object.__setattr__(self, "hints", tuple(self.hints))

    def _problem(self) -> str | None:
        if not KEY_PATTERN.match(str(self.key)):
            return "the key must be a slug (lowercase letters, digits and dashes)"
        if self.page not in PAGES:
            return f"page must be one of {list(PAGES)}; got {self.page!r}"
        kind = PlaygroundConfig if self.page == "playground" else TrainingConfig
        if not isinstance(self.base, kind):
            return f"the base of a {self.page} challenge must be a {kind.__name__}"
        unknown = set(self.editable) - set(self.field_names)
        if unknown:
            return f"unknown editable fields {sorted(unknown)}"
        if ("hidden" in self.editable) != ("activations" in self.editable):
            return "the hidden layers and their activations must be editable together"
        if not 2 <= len(self.hints) <= 3:
            return f"give 2 or 3 hints; got {len(self.hints)}"
        if self.page == "mnist":
            if self.image_dataset not in OFFLINE_IMAGE_DATASETS:
                return f"image_dataset must be one of {list(OFFLINE_IMAGE_DATASETS)}"
            wrong = [r.metric for r in self.requirements if r.metric in PLAYGROUND_ONLY_METRICS]
            if wrong:
                return f"the MNIST page does not measure {wrong}"
        elif validate(self.base)[0] != self.base:
            return f"the base configuration is not valid: {validate(self.base)[1]}"
        return None

    # ------------------------------------------------------------------ locks
    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(type(self.base)))

    @property
    def locked_fields(self) -> tuple[str, ...]:
        """The fields the student may not change."""
        free = set(self.editable) | set(FREE_FIELDS[self.page])
        return tuple(name for name in self.field_names if name not in free)

    @property
    def hidden_controls(self) -> tuple[str, ...]:
        """The Playground controls a challenge link hides (`hide=`): the locked ones, and the
        regenerate button when the seed is locked. Hiding is for the eye only: `locked` is the lock."""
        if self.page != "playground":
            return ()
        locked = set(self.locked_fields)
        regenerate = ("regenerate",) if "seed" in locked else ()
        return tuple(name for name in HIDEABLE if name in locked) + regenerate

    def tampered_fields(self, config) -> tuple[str, ...]:
        """The locked fields whose value in `config` is not the base's."""
        return tuple(name for name in self.locked_fields if getattr(config, name) != getattr(self.base, name))

    def locked(self, config):
        """`config` with every locked field forced back to the base, so a forged link or a
        widget outside the challenge cannot unlock one. Raises TypeError for another page's config."""
        kind = type(self.base)
        if not isinstance(config, kind):
            raise TypeError(f"challenge {self.key!r} needs a {kind.__name__}; got {type(config).__name__}")
        kept = {name: getattr(config, name) for name in self.field_names if name not in self.locked_fields}
        merged = replace(self.base, **kept)
        if self.page == "playground":
            # The editable values may come from a link: bring them into range, then lock again
            # in case a correction touched a locked field.
            merged = validate(merged)[0]
            merged = replace(merged, **{name: getattr(self.base, name) for name in self.locked_fields})
        return merged

    # ------------------------------------------------------------------ requirements
    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return (self.target, *self.constraints)

    @property
    def higher_is_better(self) -> bool:
        """How a board ranks scores (the target metric's value)."""
        return self.target.comparison in (">=", ">")


def challenge(key: str) -> Challenge:
    """The built-in challenge of this key; a ValueError naming the keys there are otherwise."""
    found = BY_KEY.get(str(key))
    if found is None:
        raise ValueError(f"there is no challenge {str(key)[:40]!r}; the challenges are {list(BY_KEY)}")
    return found


def _need(metric: str, comparison: str, threshold: float) -> Requirement:
    return Requirement(metric, comparison, float(threshold))


# ----------------------------------------------------------------------------- the built-in list
# Each base is the Playground's default network unless it says otherwise; the tests train a known
# solution and a known non-solution of every one (tests/classroom/test_challenges.py).
MOONS = PlaygroundConfig(dataset="moons", n_samples=400, noise=0.2, seed=1)
CIRCLES_LINEAR = PlaygroundConfig(
    dataset="circles", n_samples=400, noise=0.1, seed=1, hidden=(), activations=()
)
NETWORK_FIELDS = ("hidden", "activations", "init", "learning_rate", "optimizer", "batch_size")

BUILT_IN: tuple[Challenge, ...] = (
    Challenge(
        key="spiral-three-layers",
        title="Untangle the spiral",
        goal="Classify the two-armed spiral from x1 and x2 alone with at most 3 hidden layers.",
        page="playground",
        base=PlaygroundConfig(dataset="spiral", n_samples=500, noise=0.1, seed=1),
        editable=(*NETWORK_FIELDS, "l2"),
        target=_need("test_accuracy", ">=", 0.95),
        constraints=(_need("hidden_layers", "<=", 3),),
        hints=(
            "Two layers of 8 tanh neurons are too few: the arms wind around each other twice.",
            "ReLU layers with Adam learn sharp, many-sided boundaries fast; try a learning rate of 0.01.",
            "Three hidden layers of 16 ReLUs, Adam at 0.01, about 400 epochs.",
        ),
    ),
    Challenge(
        key="xor-smallest",
        title="The smallest XOR network",
        goal="Solve XOR with a network of at most 4 hidden neurons in all.",
        page="playground",
        base=PlaygroundConfig(dataset="xor", n_samples=400, noise=0.1, seed=1),
        editable=NETWORK_FIELDS,
        target=_need("test_accuracy", ">=", 0.95),
        constraints=(_need("hidden_neurons", "<=", 4),),
        hints=(
            "No straight line separates XOR, so you need a hidden layer; one layer is enough.",
            "Each hidden neuron draws one straight line; XOR needs at least two of them.",
            "One layer of 3 ReLUs with Adam at 0.03 gets there in about 300 epochs.",
        ),
    ),
    Challenge(
        key="overfit-then-fix",
        title="Overfit, then fix it",
        goal="A big network learns 50 noisy training points by heart: make it generalise with L2 or "
        "dropout, still training at least 200 epochs.",
        page="playground",
        base=PlaygroundConfig(
            dataset="gaussians",
            n_samples=100,
            noise=0.6,
            seed=2,
            hidden=(32, 32, 32),
            activations=("relu", "relu", "relu"),
            optimizer="adam",
            learning_rate=0.01,
            show_test=True,
        ),
        editable=("l2", "dropout"),
        target=_need("test_accuracy", ">=", 0.94),
        constraints=(_need("epochs", ">=", 200), _need("regularization", ">", 0)),
        hints=(
            "Train it as it is first: training accuracy reaches 100 %, the test accuracy falls to 0.86.",
            "L2 keeps the weights small, so the boundary cannot bend around every noisy point.",
            "An L2 rate of 0.1 (or dropout 0.5) keeps the boundary a smooth curve.",
        ),
    ),
    Challenge(
        key="diverge",
        title="Make it blow up",
        goal="Find a learning rate so high that training breaks down and the Playground pauses it.",
        page="playground",
        base=replace(MOONS, activations=("relu", "relu")),
        editable=("learning_rate", "optimizer"),
        target=_need("diverged", ">=", 1),
        hints=(
            "Each step moves the weights by the learning rate times the gradient.",
            "Go up the learning-rate slider several notches, well past 0.3.",
        ),
    ),
    Challenge(
        key="too-slow",
        title="Painfully slow",
        goal="Find a learning rate so low that after 200 epochs the training loss is still above 0.5.",
        page="playground",
        base=MOONS,
        editable=("learning_rate",),
        target=_need("train_loss", ">=", 0.5),
        constraints=(_need("epochs", ">=", 200), _need("learning_rate", "<", MOONS.learning_rate)),
        hints=(
            "The default rate of 0.03 brings the loss down to about 0.1 in 200 epochs.",
            "Divide the learning rate by 10, and again, and watch the loss curve flatten.",
        ),
    ),
    Challenge(
        key="zero-init-symmetry",
        title="Identical twins",
        goal="Start the network so that after 100 epochs every neuron of a hidden layer is still "
        "identical to the others.",
        page="playground",
        base=MOONS,
        editable=("init", "learning_rate"),
        target=_need("identical_layers", ">=", 1),
        constraints=(_need("epochs", ">=", 100),),
        hints=(
            "Neurons that start alike get the same gradient at every step.",
            "Try the initializations that are not random: 'all the same' or 'zeros'.",
            "Compare two neurons of a layer in the 🔍 Neuron tab after training.",
        ),
    ),
    Challenge(
        key="circles-raw-features",
        title="Circles from x1 and x2",
        goal="Classify the disc inside the ring from x1 and x2 only, with no squared features.",
        page="playground",
        base=CIRCLES_LINEAR,
        editable=NETWORK_FIELDS,
        target=_need("test_accuracy", ">=", 0.95),
        hints=(
            "With no hidden layer the boundary is a straight line: half the points are always wrong.",
            "A ring needs a bent boundary: hidden neurons draw lines that the output combines.",
            "One hidden layer of 8 ReLUs with Adam at 0.03 closes the circle in about 300 epochs.",
        ),
    ),
    Challenge(
        key="circles-one-neuron",
        title="A circle from one neuron",
        goal="Classify the disc inside the ring with no hidden layer: choose what the output neuron sees.",
        page="playground",
        base=CIRCLES_LINEAR,
        editable=("features", "learning_rate", "optimizer"),
        target=_need("test_accuracy", ">=", 0.95),
        hints=(
            "One neuron draws a straight line in what it sees; in x1 and x2 no line separates a ring.",
            "A circle is x1² + x2² = r²: a straight line in the squared features.",
        ),
    ),
    Challenge(
        key="plane-linear",
        title="A plane is linear",
        goal="Fit the regression plane with no hidden layer at all.",
        page="playground",
        base=PlaygroundConfig(dataset="plane", n_samples=400, noise=0.1, seed=1),
        editable=("hidden", "activations", "learning_rate", "optimizer"),
        target=_need("test_r2", ">=", 0.98),
        constraints=(_need("hidden_layers", "==", 0),),
        hints=(
            "The target rises at the same rate everywhere: it is w1·x1 + w2·x2 + b.",
            "Remove the hidden layers: the output neuron alone is linear regression.",
        ),
    ),
    Challenge(
        key="optimizer-in-20-epochs",
        title="20 epochs at a small rate",
        goal="At a learning rate of 0.003, reach 0.95 test accuracy on the moons within 20 epochs by "
        "choosing the optimizer and the batch size.",
        page="playground",
        base=replace(MOONS, learning_rate=0.003, epochs_per_update=5),
        editable=("optimizer", "batch_size"),
        target=_need("test_accuracy", ">=", 0.95),
        constraints=(_need("epochs", "<=", 20),),
        hints=(
            "Plain SGD with batches of 10 reaches only about 0.8 in 20 epochs at this rate.",
            "Smaller batches mean more steps per epoch; momentum and Adam make each step count more.",
            "Adam or RMSprop with a batch size of 1.",
        ),
    ),
    Challenge(
        key="digits-under-50k",
        title="95 % with fewer than 50,000 parameters",
        goal="Reach 95 % on the held-out 8×8 digits with a network of fewer than 50,000 parameters.",
        page="mnist",
        base=TrainingConfig(),
        editable=(
            "hidden_layers",
            "activation",
            "optimizer",
            "learning_rate",
            "batch_size",
            "epochs",
            "augment",
        ),
        target=_need("test_accuracy", ">=", 0.95),
        constraints=(_need("parameters", "<", 50_000),),
        hints=(
            "The default network (128 ReLUs, 5 epochs) reaches about 0.90: it has not trained enough.",
            "Count the parameters: 64 inputs × 128 + 128, then 128 × 10 + 10 = 9,610.",
            "Train 10 epochs at a learning rate of 0.003.",
        ),
        image_dataset="digits-8x8",
    ),
    Challenge(
        key="digits-linear",
        title="Digits without a hidden layer",
        goal="Reach 95 % on the held-out 8×8 digits with fewer than 1,000 parameters.",
        page="mnist",
        base=TrainingConfig(),
        editable=("hidden_layers", "activation", "optimizer", "learning_rate", "batch_size", "epochs"),
        target=_need("test_accuracy", ">=", 0.95),
        constraints=(_need("parameters", "<", 1_000),),
        hints=(
            "64 pixels × 10 classes + 10 biases = 650 parameters: a linear classifier fits.",
            "Leave the hidden layers empty ('none').",
            "With no hidden layer, a higher learning rate (0.03) and 10 epochs do it.",
        ),
        image_dataset="digits-8x8",
    ),
)
BY_KEY = MappingProxyType({c.key: c for c in BUILT_IN})
