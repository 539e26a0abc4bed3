"""The engine: a neural-network library written from scratch in NumPy (it imports nothing else
of core, so it can be read, tested and reused on its own).

Reading order for a student, each module building on the ones before it:

1. activations.py   f(z) and f'(z) of the hidden layers: relu, leaky_relu, tanh, sigmoid, linear
2. initializers.py  how the first weights are drawn: he, xavier, uniform, same, zeros
3. layers.py        one dense layer: z = a_prev @ W + b, its weights views of one flat buffer
4. losses.py        the output heads: the output function fused with its loss, dL/dz = (p - t) / n
5. network.py       the stack of layers: one forward pass, backpropagation into a flat gradient
   (helped by architecture.py, its argument rules, workspace.py, its preallocated buffers, and
   regularization.py, the L1/L2 penalty on the weights and its gradient)
6. optimizers.py    what one update does with the gradients: SGD, momentum, ..., Adam
7. schedules.py     the learning rate of each epoch: constant, step, exponential, cosine
8. trainer.py       mini-batches, epochs, early stopping, divergence guards
   (with training_data.py, the data sets it checks and keeps, hyperparameters.py, the settings
   and their ranges, and records.py, what each epoch logs)
   layer_statistics.py: how healthy each layer is while it trains (activation histograms, dead
   and saturated units, weight norms, the gradient norms over epochs)
9. model_io.py      save and load a trained model as a plain .npz file, stamped with the
   engine's version (version.py)

checks.py holds the argument checks the modules share (their messages are what a student reads).

Usage: a network learns which quadrants of the plane hold class 1, checked on held-out points.

>>> import numpy as np
>>> from core.engine import Network, Trainer
>>> X = np.random.default_rng(0).uniform(-1, 1, (400, 2)).astype(np.float32)
>>> y = (X[:, 0] * X[:, 1] > 0).astype(int)  # class 1 where both coordinates have the same sign
>>> net = Network([2, 8, 1], "tanh", "sigmoid_bce", rng=0)
>>> trainer = Trainer(net, X[:300], y[:300], X[300:], y[300:], learning_rate=0.05, batch_size=16)
>>> record = trainer.train_epochs(100)[-1]
>>> record.epoch, record.val_metric > 0.9  # accuracy on the 100 held-out points
(100, True)
>>> net.predict(np.array([[0.5, 0.5], [0.5, -0.5]]))
array([1, 0])
"""

from core.engine.activations import ACTIVATIONS, Activation, get_activation, sigmoid
from core.engine.hyperparameters import Hyperparameters
from core.engine.initializers import INITIALIZERS, initial_weights
from core.engine.layers import DenseLayer
from core.engine.losses import HEAD_FOR_TASK, OUTPUT_HEADS, OutputHead, get_output_head, log_softmax, softmax
from core.engine.model_io import ModelFileError, SavedModel, load_model, model_to_bytes, save_model
from core.engine.network import LayerTrace, Network
from core.engine.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from core.engine.records import EpochRecord, metric_value
from core.engine.schedules import SCHEDULES, learning_rate_at
from core.engine.trainer import Trainer
from core.engine.version import __version__

__all__ = [
    "ACTIVATIONS",
    "HEAD_FOR_TASK",
    "INITIALIZERS",
    "OPTIMIZERS",
    "OUTPUT_HEADS",
    "SCHEDULES",
    "Activation",
    "DenseLayer",
    "EpochRecord",
    "Hyperparameters",
    "LayerTrace",
    "ModelFileError",
    "Network",
    "Optimizer",
    "OutputHead",
    "SavedModel",
    "Trainer",
    "__version__",
    "get_activation",
    "get_output_head",
    "initial_weights",
    "learning_rate_at",
    "load_model",
    "log_softmax",
    "make_optimizer",
    "metric_value",
    "model_to_bytes",
    "save_model",
    "sigmoid",
    "softmax",
]
