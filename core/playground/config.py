"""The Playground's configuration: the value of every control (`PlaygroundConfig`), what each may be
(the per-session bounds, `RANGES`, `CHOICES`), the help text shown beside it, its short URL key, and
what a classroom link may hide. Every other module of the Playground reads its limits from here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from types import MappingProxyType

from core.data import (
    DATASETS,
    FEATURES,
)
from core.data.split import TEST_RATIO_MAX, TEST_RATIO_MIN
from core.data.two_d import N_SAMPLES_MAX, N_SAMPLES_MIN, NOISE_MAX, NOISE_MIN
from core.engine.activations import ACTIVATIONS
from core.engine.initializers import INITIALIZERS
from core.engine.optimizers import OPTIMIZERS
from core.engine.schedules import SCHEDULES

# ----------------------------------------------------------------------------- bounds
# Per-session bounds (a classroom server is shared: nobody may ask for an hour of CPU per click).
MAX_HIDDEN_LAYERS = 8
MAX_NEURONS = 256
MAX_EPOCHS_PER_UPDATE = 500
MAX_SEED = 2**31 - 1
MAX_BATCH_SIZE = 512
MAX_DROPOUT = 0.9
MAX_PATIENCE = 1000
MAX_URL_POINTS = 200  # clicked points travel in the link up to this many
MAX_PARAM_LENGTH = 5000  # longer query values are ignored (a link is not a file upload)
MAX_SCHEDULE_EVERY = 10_000  # a schedule's period, in epochs
MAX_WEIGHT = 1000.0  # an edited weight or bias must stay within +-MAX_WEIGHT

# Log-scale choices, as TF Playground offers them (a slider over these values is a log slider).
LEARNING_RATES = (0.00001, 0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.00001, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
STEP = 0.05  # slider step of noise, test ratio and dropout

GENERATED = tuple(DATASETS)
DATA_SOURCES = (*GENERATED, "points", "csv")
DATA_SOURCE_LABELS = MappingProxyType(
    {
        **{name: name.replace("_", " ").capitalize() for name in GENERATED},
        "points": "Your points (click to add)",
        "csv": "Upload a CSV file",
    }
)
HEADS = ("auto", "sigmoid_bce", "softmax_ce", "linear_mse")
HEAD_LABELS = MappingProxyType(
    {
        "auto": "Automatic (from the data)",
        "sigmoid_bce": "Sigmoid + cross-entropy (binary)",
        "softmax_ce": "Softmax + cross-entropy (classes)",
        "linear_mse": "Linear + squared error (regression)",
    }
)
HEAD_TEXT = MappingProxyType(  # what the page calls each head in a sentence
    {
        "sigmoid_bce": "sigmoid + cross-entropy",
        "softmax_ce": "softmax + cross-entropy",
        "linear_mse": "linear + squared error",
    }
)
# The engine's names as a student reads them (selectboxes and the diagram show these).
ACTIVATION_LABELS = MappingProxyType(
    {"relu": "ReLU", "leaky_relu": "leaky ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}
)
OPTIMIZER_LABELS = MappingProxyType(
    {
        "sgd": "SGD",
        "momentum": "momentum",
        "nesterov": "Nesterov momentum",
        "adagrad": "AdaGrad",
        "rmsprop": "RMSprop",
        "adam": "Adam",
    }
)
INIT_LABELS = MappingProxyType(
    {
        "he": "He",
        "xavier": "Xavier (Glorot)",
        "uniform": "uniform",
        "same": "all the same (symmetric)",
        "zeros": "zeros",
    }
)
PLANE = (-6.0, 6.0)  # the generators draw inside this square (TF Playground's plane)
GRID_SIZE = 100  # the decision boundary is evaluated on GRID_SIZE x GRID_SIZE points
DIAGRAM_MAX_NEURONS = 12  # wider layers show their first 12 neurons and "..."
HISTORY_KEEP = 1000  # EpochRecords left in trainer.history (the curves keep their own copy)


@dataclass(frozen=True)
class PlaygroundConfig:
    """The value of every control of the page. Immutable: changes make a new config."""

    dataset: str = "moons"
    n_samples: int = 500
    noise: float = 0.2
    test_ratio: float = 0.5
    seed: int = 1
    classes: int | None = None  # spiral arms / blob clusters; None = the data set's default
    features: tuple = ("x1", "x2")
    hidden: tuple = (8, 8)
    activations: tuple = ("tanh", "tanh")
    init: str = "xavier"
    head: str = "auto"
    learning_rate: float = 0.03
    optimizer: str = "sgd"
    batch_size: int = 10
    epochs_per_update: int = 30  # x 10 updates/s: 300 epochs/s on a quiet server
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    schedule: str = "constant"
    # step: x schedule_rate every schedule_every epochs; exponential: the same factor, smoothly;
    # cosine: from the rate down to 0 over schedule_every epochs, then back up (a restart).
    schedule_every: int = 100
    schedule_rate: float = 0.5
    early_stopping: bool = False
    patience: int = 50
    show_test: bool = False
    discretize: bool = False
    points: tuple = ()  # (x1, x2, label) triples of the "points" data set
    hide: tuple = ()  # controls not shown (classroom links)


DEFAULT = PlaygroundConfig()

# Numeric ranges (inclusive) and finite choices of each control. (Module constants are read-only
# mappings: nothing at module level can change while the server runs.)
RANGES = MappingProxyType(
    {
        "n_samples": (N_SAMPLES_MIN, N_SAMPLES_MAX),
        "noise": (NOISE_MIN, NOISE_MAX),
        "test_ratio": (TEST_RATIO_MIN, TEST_RATIO_MAX),
        "seed": (0, MAX_SEED),
        "hidden_layers": (0, MAX_HIDDEN_LAYERS),
        "neurons": (1, MAX_NEURONS),
        "learning_rate": (LEARNING_RATES[0], LEARNING_RATES[-1]),
        "batch_size": (1, MAX_BATCH_SIZE),
        "epochs_per_update": (1, MAX_EPOCHS_PER_UPDATE),
        "l1": (0.0, REGULARIZATION_RATES[-1]),
        "l2": (0.0, REGULARIZATION_RATES[-1]),
        "dropout": (0.0, MAX_DROPOUT),
        "patience": (1, MAX_PATIENCE),
        "schedule_every": (1, MAX_SCHEDULE_EVERY),
        "schedule_rate": (0.01, 1.0),
    }
)
CHOICES = MappingProxyType(
    {
        "dataset": DATA_SOURCES,
        "features": FEATURES,
        "activations": tuple(ACTIVATIONS),
        "init": tuple(INITIALIZERS),
        "head": HEADS,
        "optimizer": tuple(OPTIMIZERS),
        "schedule": tuple(SCHEDULES),
        "learning_rate": LEARNING_RATES,
        "l1": REGULARIZATION_RATES,
        "l2": REGULARIZATION_RATES,
    }
)

# One short tooltip per control (the page passes these as help=...).
HELP = MappingProxyType(
    {
        "dataset": "The points to learn from. Classification sets colour points by class; regression "
        "sets (plane, multi gaussian) colour them by their target value.",
        "classes": "Number of spiral arms / blob clusters (one class each).",
        "n_samples": "How many points to generate (train + test).",
        "noise": "How far points stray from the clean pattern; more noise = overlapping classes.",
        "test_ratio": "Share of the points held out as the test set: the network never trains on "
        "them, so the test loss shows how well it generalizes.",
        "seed": "Random seed: the same seed gives the same data and the same starting weights.",
        "regenerate": "New random data (and starting weights): the seed goes up by one.",
        "features": "What the network sees of each point. With x1² and x2² a single neuron can "
        "draw a circle; with only x1 and x2 the hidden layers must learn curves.",
        "hidden": "Hidden layers between the inputs and the output (0 = logistic/linear regression).",
        "neurons": "Neurons in this hidden layer.",
        "activations": "The non-linearity of this layer's neurons.",
        "init": "How the starting weights are drawn. 'All the same' shows the symmetry problem: "
        "neurons that start alike get the same gradient and stay identical, so a layer of 8 works "
        "like 1. 'Zeros' is worse: with tanh or ReLU no gradient reaches the hidden weights.",
        "head": "Output layer + loss. Automatic picks sigmoid (2 classes), softmax (more classes) or "
        "linear (regression) from the data.",
        "learning_rate": "Step size of each weight update (log scale). Too high and training "
        "diverges; too low and it crawls. Editable while training.",
        "optimizer": "How gradients turn into weight updates (momentum and Adam smooth and scale the steps).",
        "batch_size": "Points per gradient step: small batches = noisy but many steps per epoch.",
        "epochs_per_update": "Epochs trained between two redraws (at 10 redraws per second; when "
        "the server is busy, redraws are rarer and each does more epochs).",
        "l1": "L1 penalty rate: pushes weights to exactly zero (sparse networks). Editable while training.",
        "l2": "L2 penalty rate (weight decay): keeps weights small and boundaries smooth. Editable "
        "while training.",
        "dropout": "Share of hidden neurons switched off at random in each training step.",
        "schedule": "How the learning rate changes over the epochs. Step: multiplied by the factor "
        "every N epochs. Exponential: the same decay, a little every epoch. Cosine: falls from the "
        "learning rate to 0 over N epochs, then restarts at the learning rate.",
        "schedule_every": "The schedule's period N, in epochs.",
        "schedule_rate": "What the learning rate is multiplied by every N epochs (0.5 = halved).",
        "early_stopping": "Sets 20 % of the training points aside as a validation split (not trained "
        "on), stops when its loss has not improved for 'patience' epochs and goes back to the best "
        "weights. The test set is only used for the final report. Switching it restarts training.",
        "patience": "Epochs without improvement before early stopping.",
        "show_test": "Also draw the test points (outlined in black).",
        "discretize": "Colour the plane by the predicted class only, without the confidence shading.",
    }
)


def config_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(PlaygroundConfig))


# URL query keys, short on purpose: a link fits in a chat message.
URL_KEYS = MappingProxyType(
    {
        "dataset": "ds",
        "n_samples": "n",
        "noise": "noise",
        "test_ratio": "test",
        "seed": "seed",
        "classes": "k",
        "features": "feat",
        "hidden": "layers",
        "activations": "act",
        "init": "init",
        "head": "head",
        "learning_rate": "lr",
        "optimizer": "opt",
        "batch_size": "bs",
        "epochs_per_update": "epu",
        "l1": "l1",
        "l2": "l2",
        "dropout": "drop",
        "schedule": "sched",
        "schedule_every": "severy",
        "schedule_rate": "srate",
        "early_stopping": "es",
        "patience": "pat",
        "show_test": "showtest",
        "discretize": "disc",
        "points": "pts",
        "hide": "hide",
    }
)
FIELD_FOR_KEY = MappingProxyType({key: name for name, key in URL_KEYS.items()})
FEATURE_CODES = MappingProxyType(
    {
        "x1": "x1",
        "x2": "x2",
        "x1^2": "x1sq",
        "x2^2": "x2sq",
        "x1*x2": "x1x2",
        "sin(x1)": "sinx1",
        "sin(x2)": "sinx2",
    }
)
FEATURE_FOR_CODE = MappingProxyType({code: name for name, code in FEATURE_CODES.items()})

# What a classroom link can hide (hide=dataset,noise,...): every control, plus page panels.
PANELS = (
    "diagram",
    "inspector",
    "health",
    "history",
    "fit1d",
    "compare",
    "race",
    "search",
    "gif",
    "export",
    "share",
)
HIDEABLE = tuple(name for name in URL_KEYS if name not in ("points", "hide")) + ("regenerate",) + PANELS
