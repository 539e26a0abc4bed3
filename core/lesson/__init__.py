"""The numbers behind the Learn page, computed by calling the engine the trainer uses.

Nothing here re-implements the math of a network: weighted sums come from `Network.trace`,
gradients from `Network.gradient_trace` (which runs `compute_gradients`), losses from
`Network.objective`, probabilities from `core.engine.losses.softmax` / `log_softmax`, updates
from an optimizer made by `make_optimizer`. This package only picks those numbers apart for
display (e.g. the factors of the chain rule for one weight, or the intermediate steps of a
softmax) and formats them as LaTeX. One module per tab of the page, in its order:

* `network`: the lesson network (float64, tiny), its layer sizes and its one sample;
* `neuron`: one neuron, z = w·x + b and a = f(z);
* `forward`: the forward pass, the softmax step by step, the loss;
* `backward`: the backward pass and the chain rule for one weight;
* `update`: one optimizer step, with the update rules as formulas;
* `gradient_check`: backprop beside a finite difference;
* `initialization`: why zeros keep every neuron identical;
* `latex`: numbers, matrices and symbols as LaTeX;
* `descent`: gradient descent (the engine's SGD) on a visible 1-D/2-D loss, its regime named;
* `optimizer_race`: the six engine optimizers on one 2-D surface, with their state per step;
* `shapes`: NumPy shapes and conventions (rows are samples, X @ W + b, the 1/n, log = ln).
"""

from core.lesson.backward import (
    BackwardPass,
    ChainRule,
    LayerBackward,
    backward_pass,
    chain_rule,
    neuron_is_active,
)
from core.lesson.forward import SOFTMAX_FORMULA, ForwardPass, LayerForward, SoftmaxSteps, forward_pass
from core.lesson.gradient_check import GradientCheck, gradient_check
from core.lesson.initialization import SymmetryRun, neuron_spread, symmetry_batch, symmetry_run
from core.lesson.latex import (
    fill_formula,
    fmt,
    latex_matrix,
    latex_number,
    partial,
    shape_text,
    transposed,
    under,
    vec,
    weight_symbol,
)
from core.lesson.network import (
    DEFAULT_LAYER_SIZES,
    DTYPE,
    MAX_LESSON_LAYERS,
    MAX_LESSON_WIDTH,
    lesson_network,
    lesson_sample,
    parse_lesson_sizes,
)
from core.lesson.neuron import NeuronResult, activation_curve, activation_latex, neuron, weighted_sum_latex
from core.lesson.update import OPTIMIZER_FORMULAS, UpdateStep, keep_optimizer, optimizer_step, preview_step

__all__ = [
    "BackwardPass",
    "ChainRule",
    "DEFAULT_LAYER_SIZES",
    "DTYPE",
    "ForwardPass",
    "GradientCheck",
    "LayerBackward",
    "LayerForward",
    "MAX_LESSON_LAYERS",
    "MAX_LESSON_WIDTH",
    "NeuronResult",
    "OPTIMIZER_FORMULAS",
    "SOFTMAX_FORMULA",
    "SoftmaxSteps",
    "SymmetryRun",
    "UpdateStep",
    "activation_curve",
    "activation_latex",
    "backward_pass",
    "chain_rule",
    "fill_formula",
    "fmt",
    "forward_pass",
    "gradient_check",
    "keep_optimizer",
    "latex_matrix",
    "latex_number",
    "lesson_network",
    "lesson_sample",
    "neuron",
    "neuron_is_active",
    "neuron_spread",
    "optimizer_step",
    "parse_lesson_sizes",
    "partial",
    "preview_step",
    "shape_text",
    "symmetry_batch",
    "symmetry_run",
    "transposed",
    "under",
    "vec",
    "weight_symbol",
    "weighted_sum_latex",
]
