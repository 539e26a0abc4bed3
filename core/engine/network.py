"""The network: a stack of dense layers ending in an output head, with forward and backward passes.

All parameters live in ONE flat buffer `params` laid out layer by layer as blocks [W; b] (the
bias as a last row under the weights); every layer's W and b are views into it, and likewise for
the gradients in `grads`. Regularization (regularization.py) applies to weights only, through
`weight_mask`.

The forward pass is written once (`_forward`); `logits`, `trace` and `compute_gradients` differ
only in where they keep what it computes. The output layer has no activation of its own: its z
goes to the output head (losses.OutputHead), which owns the output function (sigmoid, softmax or
identity) fused with the loss. Backprop (`compute_gradients`) only *computes* gradients into
`grads`; optimizers apply them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine import regularization
from core.engine.architecture import check_architecture
from core.engine.initializers import initial_weights
from core.engine.layers import DenseLayer
from core.engine.workspace import Workspace, aligned_zeros

NARROW_INPUT = 16  # below this many inputs, inference uses the bias trick on the first layer


@dataclass
class LayerTrace:
    """What one layer computed for a batch: z = a_prev @ W + b and a = f(z)."""

    z: np.ndarray
    a: np.ndarray


class Network:
    """A multi-layer perceptron.

    layer_sizes: [n_inputs, hidden_1, ..., hidden_k, n_outputs] (k = 0 is logistic/linear regression)
    activations: one name for all hidden layers, or one per hidden layer
    output:      'sigmoid_bce', 'sigmoid_bce_multilabel', 'softmax_ce', 'linear_mse' or 'exp_poisson'
    init:        'he', 'xavier', 'uniform', 'same' or 'zeros'
    rng:         an np.random.Generator or an int seed (explicit: same seed, same weights)
    """

    def __init__(
        self,
        layer_sizes,
        activations="relu",
        output="softmax_ce",
        init="he",
        rng=0,
        dtype=np.float32,
        initialize=True,
    ):
        self.layer_sizes, self.hidden_activations, self.head, self.init, self.dtype = check_architecture(
            layer_sizes, activations, output, init, dtype
        )
        n_hidden = len(self.layer_sizes) - 2

        shapes = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        self.n_weights = sum(i * o for i, o in shapes)
        self.n_params = self.n_weights + sum(o for _, o in shapes)
        self.params = aligned_zeros(self.n_params, self.dtype)
        self.grads = aligned_zeros(self.n_params, self.dtype)
        self.weight_mask = np.ones(self.n_params, self.dtype)  # 1 for weights, 0 for biases
        self.layers: list[DenseLayer] = []
        at = 0
        for index, (n_in, n_out) in enumerate(shapes):
            block = slice(at, at + (n_in + 1) * n_out)
            self.weight_mask[block.stop - n_out : block.stop] = 0
            # The output layer gets no activation: the head applies the output function.
            activation = self.hidden_activations[index] if index < n_hidden else None
            self.layers.append(
                DenseLayer(
                    n_in,
                    n_out,
                    activation,
                    self.params[block].reshape(n_in + 1, n_out),
                    self.grads[block].reshape(n_in + 1, n_out),
                )
            )
            at = block.stop
        self._workspaces: dict[int, Workspace] = {}
        if initialize:  # skipped when the weights are about to be loaded or copied in
            self.reinitialize(rng)

    # ----------------------------------------------------------------------------- parameters
    def reinitialize(self, rng=0) -> None:
        """Draw fresh weights with this network's init scheme; biases to zero."""
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        for layer in self.layers:
            layer.weights[...] = initial_weights(self.init, rng, layer.n_in, layer.n_out)
            layer.bias[...] = 0

    @property
    def n_inputs(self) -> int:
        return self.layer_sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.layer_sizes[-1]

    @property
    def activation_names(self) -> list[str]:
        """The hidden layers' activations (what `architecture()` saves)."""
        return [a.name for a in self.hidden_activations]

    @property
    def layer_activation_names(self) -> list[str]:
        """Per layer, the function that turns its z into its a: each hidden layer's activation,
        then the head's output function ('sigmoid', 'softmax', 'linear' or 'exp') for the output
        layer."""
        return [*self.activation_names, self.head.output_name]

    @property
    def weights(self) -> list[np.ndarray]:
        return [layer.weights for layer in self.layers]

    @property
    def biases(self) -> list[np.ndarray]:
        return [layer.bias for layer in self.layers]

    def set_parameters(self, weights, biases) -> None:
        """Copy given weights/biases (e.g. from scikit-learn's coefs_/intercepts_) into the network."""
        if len(weights) != len(self.layers) or len(biases) != len(self.layers):
            raise ValueError(
                f"expected {len(self.layers)} weight matrices and bias vectors; got "
                f"{len(weights)} and {len(biases)}"
            )
        for i, (layer, w, b) in enumerate(zip(self.layers, weights, biases)):
            w, b = np.asarray(w), np.asarray(b).reshape(-1)
            if w.shape != layer.weights.shape or b.shape != layer.bias.shape:
                raise ValueError(
                    f"layer {i + 1}: expected W {layer.weights.shape} and b "
                    f"{layer.bias.shape}; got {w.shape} and {b.shape}"
                )
            layer.weights[...] = w
            layer.bias[...] = b

    def copy(self, dtype=None) -> Network:
        """An independent copy (optionally in another dtype, e.g. float64 for gradient checks)."""
        clone = Network(
            self.layer_sizes,
            self.activation_names,
            self.head.name,
            self.init,
            dtype=dtype or self.dtype,
            initialize=False,
        )
        clone.params[...] = self.params
        return clone

    # ----------------------------------------------------------------------------- forward
    def _check_inputs(self, X) -> np.ndarray:
        X = np.asarray(X)
        if X.ndim == 1 and self.n_inputs == X.shape[0]:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (n_samples, {self.n_inputs}); got {X.shape}")
        if X.dtype != self.dtype:
            X = X.astype(self.dtype)
        return X

    def _forward(self, a, workspace=None, traces=None, dropout=0.0, rng=None) -> np.ndarray:
        """The forward pass, the one loop over the layers: z = a_prev @ W + b, then a = f(z) for
        each hidden layer. Returns the output layer's z (the logits, which the head turns into
        predictions and losses).

        The callers differ only in what they keep:
        - `logits` (no workspace, no traces): fresh arrays; f(z) overwrites z, nobody needs z.
        - `trace` (traces, a list): fresh arrays; z and a kept apart, one LayerTrace per hidden layer.
        - `compute_gradients` (a workspace): `a` is [X, 1] and every z and a is written into the
          workspace's preallocated buffers, where backprop reads them; hidden activations carry
          their column of ones ([a, 1] @ [W; b] is the bias trick, one product instead of two
          operations). Dropout (inverted: kept units are scaled by 1/(1-p)) masks hidden layers.
        """
        last = len(self.layers) - 1
        for index, layer in enumerate(self.layers):
            if workspace is not None:
                z = layer.pre_activation_augmented(a, workspace.z[index])
            elif index == 0 and traces is None and self.n_inputs < NARROW_INPUT:
                # [X, 1] @ [W; b]: for a few input columns, appending the ones is cheaper than
                # adding b to every row of a wide z (Playground grids: ~0.25 ms of ~1.2 ms). Not
                # in `trace`, which keeps z = X @ W + b exactly as it always computed it.
                z = np.hstack([a, np.ones((a.shape[0], 1), self.dtype)]) @ layer.block
            else:
                z = layer.pre_activation(a)
            if index == last:
                break  # the output layer: its z goes to the head
            if workspace is None:
                # logits: f(z) may overwrite z (out=z); trace keeps both (a new array for a)
                a = layer.activation.forward(z, z if traces is None else None)
                if traces is not None:
                    traces.append(LayerTrace(z=z, a=a))
            elif dropout > 0:
                # f(z) itself is kept (unmasked) for f'(z) in the backward pass
                hidden = layer.activation.forward(z, workspace.unmasked[index])
                mask = workspace.masks[index]
                np.less(rng.random(mask.shape, dtype=self.dtype), 1.0 - dropout, out=mask, casting="unsafe")
                mask *= 1.0 / (1.0 - dropout)
                np.multiply(hidden, mask, out=workspace.a[index])
                a = workspace.a_with_ones[index]
            else:
                layer.activation.forward(z, workspace.a[index])
                a = workspace.a_with_ones[index]
        return z

    def logits(self, X) -> np.ndarray:
        """The output layer's pre-activation z_L (the inputs of the loss)."""
        return self._forward(self._check_inputs(X))

    def predict_output(self, X) -> np.ndarray:
        """Head output, shape (n, n_outputs): P(class 1), each label's probability (multilabel),
        class probabilities, or the regression values."""
        z = self.logits(X)
        return self.head.output(z, z)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (n, n_classes); for a sigmoid head the two columns [1 - p, p]; for
        multilabel each label's probability (n, n_labels)."""
        if self.head.task == "regression":
            raise ValueError(
                "predict_proba needs a classification output (sigmoid_bce, sigmoid_bce_multilabel "
                "or softmax_ce)"
            )
        p = self.predict_output(X)
        return np.hstack([1 - p, p]) if self.head.task == "binary" else p

    def predict(self, X) -> np.ndarray:
        """Class labels (int) for classification (for multilabel the 0/1 indicator matrix),
        values for regression."""
        out = self.predict_output(X)
        if self.head.task == "binary":
            return (out[:, 0] > 0.5).astype(np.int64)
        if self.head.task == "multilabel":
            return (out > 0.5).astype(np.int64)
        if self.head.task == "multiclass":
            return out.argmax(axis=1)
        return out[:, 0] if out.shape[1] == 1 else out

    def trace(self, X) -> list[LayerTrace]:
        """Every layer's z and a for a batch (neuron heat maps, the Learn page, digit activations)."""
        traces: list[LayerTrace] = []
        z = self._forward(self._check_inputs(X), traces=traces)
        traces.append(LayerTrace(z=z, a=self.head.output(z, None)))  # the output layer: a = head output
        return traces

    # ----------------------------------------------------------------------------- loss & backprop
    def prepare_targets(self, y) -> np.ndarray:
        return self.head.prepare_targets(y, self.n_outputs, self.dtype)

    def data_loss(self, X, targets, sample_weight=None) -> float:
        """Mean loss of the head over the batch (no regularization); with `sample_weight` (one
        weight >= 0 per sample) the weighted mean."""
        return self.head.loss_from_logits(self.logits(X), targets, sample_weight)

    def penalty(self, l1: float = 0.0, l2: float = 0.0) -> float:
        """Regularization on weights only: l1 * sum|w| + l2/2 * sum w^2 (regularization.py)."""
        return regularization.penalty(self.params, self.weight_mask, l1, l2)

    def objective(self, X, targets, l1: float = 0.0, l2: float = 0.0, sample_weight=None) -> float:
        """What training minimizes: (weighted) data loss + penalty."""
        return self.data_loss(X, targets, sample_weight) + self.penalty(l1, l2)

    def workspace(self, batch: int) -> Workspace:
        """The buffers of the last training pass on a batch of this size (kept between calls:
        the trainer reads z_L from it for the mini-batch loss, `gradient_trace` for display)."""
        ws = self._workspaces.get(batch)
        if ws is None:
            if len(self._workspaces) >= 4:  # batch size changed: drop old buffers
                self._workspaces.clear()
            ws = self._workspaces[batch] = Workspace(self.layer_sizes, batch, self.dtype)
        return ws

    def with_ones_column(self, X) -> np.ndarray:
        """[X, 1]: the input with a column of ones appended, as `compute_gradients` expects."""
        X = self._check_inputs(X)
        return np.hstack([X, np.ones((X.shape[0], 1), self.dtype)])

    def compute_gradients(
        self,
        X_with_ones,
        targets,
        l1: float = 0.0,
        l2: float = 0.0,
        dropout: float = 0.0,
        rng: np.random.Generator | None = None,
        sample_weight: np.ndarray | None = None,
    ) -> np.ndarray:
        """Backpropagation: fill and return `grads` (flat) for the objective on this batch.

        X_with_ones is the batch with a last column of ones (`with_ones_column(X)`; the trainer
        builds it once for the whole data set) in this network's dtype; a plain X of width
        n_inputs is accepted too and augmented here (a copy: fine off the hot path). `targets`
        come from `prepare_targets`; `sample_weight` (shape (n,), >= 0, or None) makes the
        objective the weighted mean of the samples' losses. Nothing is applied to the
        parameters. Dropout (inverted: kept units are scaled by 1/(1-p)) acts on hidden layers
        only, with masks drawn from `rng`.
        The forward pass (`_forward`) leaves every z and a in the workspace; backprop reads them.
        """
        if X_with_ones.shape[1] != self.n_inputs + 1:
            X_with_ones = self.with_ones_column(X_with_ones)
        elif X_with_ones.dtype != self.dtype:
            X_with_ones = X_with_ones.astype(self.dtype)
        if use_dropout := dropout > 0:
            if rng is None:
                raise ValueError("dropout needs an rng (np.random.Generator) for its masks")
        ws = self.workspace(X_with_ones.shape[0])
        layers = self.layers
        last = len(layers) - 1
        # positional arguments: keywords would cost ~2% of a 10-sample Playground mini-batch
        z_out = self._forward(X_with_ones, ws, None, dropout, rng)
        # Output: fused head gives dL/dz_L = (prediction - target) / n
        grad_z = self.head.gradient(z_out, targets, ws.grad_z[last], sample_weight)
        activations = ws.unmasked if use_dropout else ws.a
        for index in range(last, -1, -1):
            layer = layers[index]
            a_prev = X_with_ones if index == 0 else ws.a_with_ones[index - 1]
            grad_a = layer.backward(a_prev, grad_z, ws.grad_a[index - 1] if index else None)
            if grad_a is None:
                break
            if use_dropout:
                grad_a *= ws.masks[index - 1]
            # chain rule through the hidden activation: dL/dz = dL/da * f'(z)
            grad_z = layers[index - 1].activation.backward(
                grad_a, ws.z[index - 1], activations[index - 1], ws.grad_z[index - 1]
            )
        if l1 or l2:
            regularization.add_penalty_gradient(self.grads, self.params, self.weight_mask, l1, l2)
        return self.grads

    def gradient_trace(self, X, y, l1: float = 0.0, l2: float = 0.0) -> list[dict]:
        """Backprop on a (small) batch, keeping every intermediate for display (the Learn page).

        Per layer (first to last): grad_z = dL/dz, grad_weights = dL/dW, grad_bias = dL/db and
        grad_a_prev = dL/da_prev (None for the first layer). Same code path as training.
        """
        X = self.with_ones_column(X)
        targets = self.prepare_targets(y)
        self.compute_gradients(X, targets, l1, l2)
        ws = self.workspace(X.shape[0])
        trace = []
        for index, layer in enumerate(self.layers):
            trace.append(
                {
                    "grad_z": ws.grad_z[index].copy(),
                    "grad_weights": layer.grad_weights.copy(),
                    "grad_bias": layer.grad_bias.copy(),
                    "grad_a_prev": None if index == 0 else ws.grad_a[index - 1].copy(),
                }
            )
        return trace

    def __reduce__(self):
        # Pickled as architecture + parameters: every layer's W and b and the workspaces' buffers
        # are views of shared arrays, which pickle would copy apart (training would then update
        # one copy and read another).
        return (_rebuild, (self.architecture(), self.dtype.name, self.params.copy()))

    # ----------------------------------------------------------------------------- description
    def architecture(self) -> dict:
        """Plain-data description (saved with the model, used to rebuild it)."""
        return {
            "layer_sizes": list(self.layer_sizes),
            "activations": self.activation_names,
            "output": self.head.name,
            "init": self.init,
        }

    def __repr__(self) -> str:
        lines = [
            f"Network({'-'.join(map(str, self.layer_sizes))}, {self.n_params:,} parameters, "
            f"{self.dtype.name})"
        ]
        for i, layer in enumerate(self.layers, 1):
            kind = "output" if i == len(self.layers) else "hidden"
            lines.append(
                f"  {i}. {kind:6s} Dense({layer.n_in:>4} -> {layer.n_out:<4}) "
                f"{self.layer_activation_names[i - 1]:<10s} {layer.n_params:>9,} params"
            )
        lines.append(f"  loss: {self.head.name}")
        return "\n".join(lines)


def _rebuild(architecture: dict, dtype: str, params: np.ndarray) -> Network:
    """A pickled network back (see Network.__reduce__)."""
    net = Network(**architecture, dtype=dtype, initialize=False)
    net.params[...] = params
    return net
