"""Learn: the numbers inside a (tiny) network built by core/, one step of the math at a time.

Widgets and layout only. Every number shown is computed in core/lesson/ by calling the same
engine functions the trainer uses, and the charts are core/figures/lesson.py; this file only
lays them out as formulas, tables and metrics. Per-user state (the lesson network, its
optimizer, the steps taken) lives in st.session_state.
"""

import streamlit as st

from app_pages import plain_text
from app_pages.learn_parts.intuition import INTUITION_TABS, show_intuition_tabs
from core import lesson
from core.engine.activations import ACTIVATIONS
from core.engine.initializers import INITIALIZERS
from core.engine.optimizers import OPTIMIZERS
from core.figures import lesson as figures
from core.lesson.latex import partial, transposed, under, vec

M = lesson.latex_matrix  # array -> LaTeX bmatrix
N = lesson.latex_number  # number -> LaTeX

NEURON_DEFAULTS = {"x": (1.0, -0.5, 2.0), "w": (0.6, -0.4, 0.3), "b": 0.1}
LEARNING_RATES = [0.001, 0.01, 0.05, 0.1, 0.5, 1.0]
EPSILONS = [1e-3, 1e-4, 1e-5, 1e-6, 1e-7]
SYMMETRY_LEARNING_RATE = 0.5


def _weight_picker(columns, prefix, net, name_layers=False):
    """Selectboxes for one weight W_ij of `net`: its layer, the input i it comes from, the neuron j."""
    c_layer, c_row, c_col = columns
    n_layers = len(net.layers)
    kind = (lambda v: f"{v} ({'output' if v == n_layers else 'hidden'})") if name_layers else str
    layer = c_layer.selectbox("Layer", list(range(1, n_layers + 1)), key=f"{prefix}_layer", format_func=kind)
    n_in, n_out = net.layers[layer - 1].weights.shape
    row = c_row.selectbox(
        "From input i", list(range(n_in)), key=f"{prefix}_row", format_func=lambda v: f"i = {v + 1}"
    )
    col = c_col.selectbox(
        "To neuron j", list(range(n_out)), key=f"{prefix}_col", format_func=lambda v: f"j = {v + 1}"
    )
    return layer, row, col


def _metric_row(items):
    for column, (label, value, help_text) in zip(st.columns(len(items)), items):
        column.metric(label, value, help=help_text)


st.title("Learn: the numbers inside a network")
st.caption(
    "Every number on this page is computed by the same `core/` functions the trainer uses "
    "(see `core/lesson/`), on a tiny network small enough to print in full."
)

# ----------------------------------------------------------------------------- lesson network
with st.container(border=True):
    st.markdown(
        "**The lesson network** (used by every tab except *Neuron*): a softmax classifier fed one sample."
    )
    c_sizes, c_act, c_init, c_seed, c_label = st.columns([1.2, 1, 1, 0.8, 0.8])
    sizes_text = c_sizes.text_input(
        "Layer sizes",
        "3-4-3",
        key="learn_sizes",
        help="inputs - hidden layer(s) - classes, e.g. 2-3-2 or 3-4-3; "
        f"at most {lesson.MAX_LESSON_WIDTH} per layer",
    )
    hidden_act = c_act.selectbox("Hidden activation", list(ACTIVATIONS), key="learn_activation")
    init = c_init.selectbox("Initialization", list(INITIALIZERS), key="learn_init")
    seed = int(c_seed.number_input("Seed", 0, 9999, 0, step=1, key="learn_seed"))
    try:
        layer_sizes = lesson.parse_lesson_sizes(sizes_text)
    except ValueError as error:
        layer_sizes = lesson.DEFAULT_LAYER_SIZES
        plain_text.error(f"{error}. Showing {'-'.join(map(str, layer_sizes))} instead.")
    label = c_label.selectbox("True class", list(range(layer_sizes[-1])), key="learn_label")

state = st.session_state
config = (tuple(layer_sizes), hidden_act, init, seed, label)
if state.get("learn_config") != config:
    # New settings: a fresh network, its sample, and no optimizer history.
    state.learn_config = config
    state.learn_net = lesson.lesson_network(layer_sizes, hidden_act, init, seed)
    state.learn_sample = lesson.lesson_sample(state.learn_net, seed)
    state.learn_optimizer = None
    state.learn_losses = []  # loss before each step taken
net, x = state.learn_net, state.learn_sample


def _current_optimizer():
    # Widget values are in session_state before the script reruns, so callbacks can use them.
    state.learn_optimizer = lesson.keep_optimizer(
        state.learn_optimizer, state.get("learn_opt", "sgd"), state.get("learn_lr", 0.01)
    )
    return state.learn_optimizer


def _step_again():
    # A callback runs before the script, so every tab (also those above) shows the new weights.
    record = lesson.optimizer_step(
        state.learn_net, _current_optimizer(), state.learn_sample, state.learn_config[-1]
    )
    state.learn_losses.append(record.loss_before)


def _start_over():
    state.learn_config = None


tabs = st.tabs(
    ["Neuron", "Forward", "Backward", "Update", "Gradient check", "Initialization"] + INTUITION_TABS
)

# ----------------------------------------------------------------------------- a single neuron
with tabs[0]:
    st.subheader("A single neuron")
    st.markdown(
        "A neuron multiplies each input by a weight, adds the products and a bias "
        "(the **weighted sum** $z$), then passes $z$ through an **activation** $f$."
    )
    columns = st.columns(4)
    xs, ws = [], []
    for i in range(3):
        with columns[i]:
            xs.append(
                st.slider(f"Input x{i + 1}", -3.0, 3.0, NEURON_DEFAULTS["x"][i], 0.1, key=f"learn_x{i + 1}")
            )
            ws.append(
                st.slider(f"Weight w{i + 1}", -2.0, 2.0, NEURON_DEFAULTS["w"][i], 0.05, key=f"learn_w{i + 1}")
            )
    with columns[3]:
        bias = st.slider("Bias b", -2.0, 2.0, NEURON_DEFAULTS["b"], 0.05, key="learn_b")
        neuron_act = st.selectbox("Activation f", list(ACTIVATIONS), key="learn_neuron_activation")
    r = lesson.neuron(xs, ws, bias, neuron_act)
    st.latex(lesson.weighted_sum_latex(r))
    st.latex(lesson.activation_latex(r))
    _metric_row(
        [
            ("Weighted sum z", lesson.fmt(r.z), "w·x + b"),
            ("Output a = f(z)", lesson.fmt(r.a), f"{r.activation}(z)"),
            ("Slope f'(z)", lesson.fmt(r.slope), "what backprop multiplies by at this neuron"),
        ]
    )
    curve_z, curve_a = lesson.activation_curve(neuron_act)
    st.plotly_chart(
        figures.activation_figure(curve_z, curve_a, r.z, r.a, neuron_act), key="learn_neuron_chart"
    )

# ----------------------------------------------------------------------------- forward pass
with tabs[1]:
    fp = lesson.forward_pass(net, x, label)
    st.subheader(f"Forward pass of a {'-'.join(map(str, layer_sizes))} network on one sample")
    st.markdown(
        "Each layer computes $z = aW + b$ (a matrix product: *(samples × inputs) @ "
        "(inputs × neurons)*) and then $a = f(z)$. The output of one layer is the input of "
        "the next. Here there is one sample, so every $a$ and $z$ is one row."
    )
    st.latex(rf"x = {M(x, 4)}")
    for lf in fp.layers:
        kind = "output layer" if lf.is_output else f"hidden layer, {lf.activation}"
        st.markdown(f"**Layer {lf.index}** ({kind}: {lf.weights.shape[0]} → {lf.weights.shape[1]} neurons)")
        prev = "x" if lf.index == 1 else vec("a", lf.index - 1)
        st.latex(
            rf"{under(vec('z', lf.index), lf.z)} = {under(prev, lf.a_prev)}\,"
            rf"{under(vec('W', lf.index), lf.weights)} + {under(vec('b', lf.index), lf.bias)}"
        )
        st.latex(
            rf"\begin{{aligned}} {vec('z', lf.index)} &= {M(lf.a_prev)}\,{M(lf.weights)} + "
            rf"{M(lf.bias)} \\ &= {M(lf.z)} \end{{aligned}}"
        )
        if not lf.is_output:
            st.latex(
                rf"{vec('a', lf.index)} = {lf.formula.replace('z', vec('z', lf.index))} "
                rf"= {M(lf.a)}"
            )
    sm, last = fp.softmax, len(fp.layers)
    st.markdown(
        "**Softmax, step by step**: turn the output layer's scores $z$ (logits) into "
        "probabilities that are positive and add up to 1."
    )
    st.latex(lesson.SOFTMAX_FORMULA)
    st.markdown(
        "1. Subtract the largest score, so the largest becomes 0 and $e^{z}$ cannot "
        "overflow (the result is the same, since the factor $e^{-\\max z}$ cancels):"
    )
    st.latex(rf"z - \max z = {M(sm.z)} - {N(sm.z.max())} = {M(sm.shifted)}")
    st.markdown("2. Exponentiate (every number becomes positive) and add up:")
    st.latex(
        rf"e^{{z - \max z}} = {M(sm.exps)},\qquad \textstyle\sum_j e^{{z_j - \max z}} = "
        rf"{N(sm.total, 4)}"
    )
    st.markdown("3. Normalize: divide by the sum, so the probabilities add up to 1:")
    st.latex(rf"p = \frac{{e^{{z - \max z}}}}{{{N(sm.total, 4)}}} = {M(sm.p)}")
    st.markdown(
        f"**One-hot target**: the true class is {fp.label}, so the target row $t$ has a 1 in "
        f"position {fp.label} (counting from 0) and 0 elsewhere."
    )
    st.latex(rf"t = {M(fp.target, 1)}")
    st.markdown("**Cross-entropy loss**: only the true class's term survives the sum.")
    st.latex(
        rf"L = -\sum_k t_k \log p_k = -\log p_{{{fp.label}}} = -\log {N(sm.p[0, fp.label], 4)} "
        rf"= {N(fp.loss, 6)}"
    )
    _metric_row(
        [
            ("Loss", lesson.fmt(fp.loss), "Network.objective for this sample"),
            ("Predicted class", str(fp.predicted), "the class with the largest p"),
            ("p(true class)", lesson.fmt(sm.p[0, fp.label]), "softmax probability"),
        ]
    )

# ----------------------------------------------------------------------------- backward pass
with tabs[2]:
    bp = lesson.backward_pass(net, x, label)
    last = len(bp.layers)
    st.subheader("Backward pass: how much each number moved the loss")
    st.markdown(
        "Backpropagation applies the chain rule from the loss back to every weight. "
        "It starts at the output scores $z$:"
    )
    st.latex(rf"{partial('z', last)} = p - t = {M(bp.p)} - {M(bp.target, 1)} = {M(bp.head_gradient)}")
    with st.expander("Why is it just p − t?"):
        st.markdown(
            "Softmax and cross-entropy are fused into one *output head*, and their "
            "derivatives cancel. With $L = -\\sum_j t_j \\log p_j$ and "
            "$\\partial p_j / \\partial z_k = p_j(\\delta_{jk} - p_k)$:"
        )
        st.latex(
            r"\frac{\partial L}{\partial z_k} = \sum_j -\frac{t_j}{p_j}\, p_j(\delta_{jk} - p_k)"
            r" = -t_k + p_k \sum_j t_j = p_k - t_k"
        )
        st.markdown(
            "(the targets add up to 1). Sigmoid + binary cross-entropy and linear + "
            "squared error give the same form. The engine averages the loss over the "
            "batch, so it divides by the number of samples $n$; here $n = 1$."
        )
    for lb in reversed(bp.layers):
        n = lb.index
        prev = "x" if n == 1 else vec("a", n - 1)
        st.markdown(f"**Layer {n}** ({'output' if lb.is_output else 'hidden'})")
        if not lb.is_output:
            st.latex(
                rf"\begin{{aligned}} {partial('z', n)} &= {partial('a', n)} \odot f'({vec('z', n)}) = "
                rf"{M(lb.grad_a)} \odot {M(lb.slope)} \\ &= {M(lb.grad_z)} \end{{aligned}}"
            )
        st.latex(
            rf"\begin{{aligned}} {under(partial('W', n), lb.grad_weights)} &= "
            rf"{under(transposed(prev), lb.a_prev.T)}\,{under(partial('z', n), lb.grad_z)} \\ "
            rf"&= {M(lb.a_prev.T)}{M(lb.grad_z)} \\ &= {M(lb.grad_weights)} \end{{aligned}}"
        )
        st.latex(
            rf"{partial('b', n)} = \textstyle\sum_{{\text{{samples}}}} {partial('z', n)} = "
            rf"{M(lb.grad_bias)}"
        )
        if lb.grad_a_prev is not None:
            st.latex(
                rf"\begin{{aligned}} {under(partial('a', n - 1), lb.grad_a_prev)} &= "
                rf"{under(partial('z', n), lb.grad_z)}\,"
                rf"{under(transposed(vec('W', n)), lb.weights.T)} \\ "
                rf"&= {M(lb.grad_z)}{M(lb.weights.T)} \\ &= {M(lb.grad_a_prev)} \end{{aligned}}"
            )
    st.markdown(
        "**The chain rule for one weight**: pick a weight $W_{ij}$ (from input $i$ to "
        "neuron $j$) and multiply the local derivatives along its path to the loss."
    )
    cr_layer, cr_row, cr_col = _weight_picker(st.columns(3), "learn_cr", net, name_layers=True)
    cr = lesson.chain_rule(bp, cr_layer, cr_row, cr_col)
    st.latex(cr.latex_product())
    for symbol, value in zip(cr.symbols, cr.values):
        st.latex(rf"{symbol} = {N(value, 6)}")
    st.latex(cr.latex_numbers())
    if cr.product == 0 and not lesson.neuron_is_active(bp, cr_layer, cr_col):
        st.info(
            "This neuron's activation is flat here ($f'(z) = 0$, a ReLU that is off), so no "
            "gradient reaches its weights for this sample."
        )
    _metric_row(
        [
            ("Chain-rule product", lesson.fmt(cr.product), "the factors above multiplied"),
            ("Backprop dL/dW", lesson.fmt(cr.gradient), "the entry of Network.gradient_trace"),
        ]
    )

# ----------------------------------------------------------------------------- the update
with tabs[3]:
    st.subheader("The update: one step downhill")
    c_opt, c_lr = st.columns(2)
    c_opt.selectbox("Optimizer", list(OPTIMIZERS), key="learn_opt")
    c_lr.select_slider("Learning rate η", LEARNING_RATES, value=0.01, key="learn_lr")
    optimizer = _current_optimizer()
    step = lesson.preview_step(net, optimizer, x, label)
    st.latex(lesson.OPTIMIZER_FORMULAS[optimizer.name] + rf",\qquad \eta = {N(step.learning_rate)}")
    st.markdown(
        f"Step **{step.step}** on this sample: backprop gives the gradient $g$ "
        "(the *Backward* tab), then the optimizer moves every weight against it. "
        "**Step again** makes this step for real: every tab then shows the new weights, "
        "and this tab the next step (momentum and Adam keep their running averages)."
    )
    c_numbers, c_chart = st.columns([1, 1])
    with c_numbers:
        c_before, c_after = st.columns(2)
        c_before.metric("Loss before step", lesson.fmt(step.loss_before), help="on this sample, now")
        c_after.metric(
            "Loss after step",
            lesson.fmt(step.loss_after),
            delta=lesson.fmt(step.loss_after - step.loss_before, 3),
            delta_color="inverse",
            help="after this one update",
        )
        c_steps, c_buttons = st.columns(2)
        c_steps.metric("Steps taken", str(len(state.learn_losses)), help="steps made with Step again")
        with c_buttons:
            st.button("Step again", key="learn_step", on_click=_step_again, type="primary")
            st.button(
                "Start over", key="learn_reset", on_click=_start_over, help="back to the initial weights"
            )
    with c_chart:
        losses = state.learn_losses + [step.loss_before, step.loss_after]
        st.plotly_chart(figures.update_loss_figure(losses), key="learn_loss_chart")
    for layer in range(1, len(step.weights_before) + 1):
        st.markdown(f"**Layer {layer}**: gradient, weights now, weights after this step")
        for formula in step.latex_layer(layer):
            st.latex(formula)

# ----------------------------------------------------------------------------- gradient check
with tabs[4]:
    st.subheader("Gradient check: is backprop right?")
    st.markdown(
        "Nudge one weight up and down by a tiny $\\varepsilon$ and measure how the loss "
        "changes. This *finite difference* needs two forward passes per weight (far too "
        "slow for training) but makes a good check of the backprop gradient."
    )
    *c_weight, c_eps = st.columns(4)
    gc_layer, gc_row, gc_col = _weight_picker(c_weight, "learn_gc", net)
    epsilon = c_eps.select_slider("ε", EPSILONS, value=1e-5, key="learn_eps", format_func=lambda v: f"{v:g}")
    gc = lesson.gradient_check(net, x, label, gc_layer, gc_row, gc_col, epsilon)
    st.latex(gc.latex())
    _metric_row(
        [
            ("Analytic gradient", lesson.fmt(gc.analytic, 10), "backprop (gradient_trace)"),
            ("Numerical gradient", lesson.fmt(gc.numerical, 10), "central finite difference"),
            (
                "Relative difference",
                lesson.fmt(gc.relative_error, 3),
                "|analytic − numerical| / max(|analytic|, |numerical|)",
            ),
        ]
    )
    st.caption(
        "Below about 1e-7 the two agree; a bug in backprop usually gives 1e-2 or more. "
        "Too small an ε makes the difference grow again: the loss is only stored to "
        "about 16 digits, and L(w+ε) − L(w−ε) cancels most of them."
    )

# ----------------------------------------------------------------------------- initialization
with tabs[5]:
    st.subheader("Why not start every weight at zero?")
    st.markdown(
        "If all weights start equal, every neuron of a layer computes the same thing, "
        "gets the same gradient and takes the same step: they stay identical forever and "
        "the layer is no better than one neuron. Random (He / Xavier) starting weights "
        "break that symmetry. Below, two copies of the lesson network's shape are trained "
        f"on the same 8 samples with SGD (η = {SYMMETRY_LEARNING_RATE})."
    )
    c_act, c_other, c_steps = st.columns(3)
    sym_act = c_act.selectbox(
        "Hidden activation",
        list(ACTIVATIONS),
        key="learn_sym_activation",
        index=list(ACTIVATIONS).index("sigmoid"),
        help="with zeros, ReLU and tanh give 0 and pass no gradient at all; "
        "sigmoid gives 0.5, so the neurons do learn, but identically",
    )
    others = [name for name in INITIALIZERS if name != "zeros"]
    other = c_other.selectbox("Compare zeros with", others, key="learn_sym_init")
    steps = c_steps.slider("Training steps", 0, 100, 20, key="learn_sym_steps")
    runs = [
        lesson.symmetry_run(layer_sizes, sym_act, name, seed, steps, SYMMETRY_LEARNING_RATE)
        for name in ("zeros", other)
    ]
    for column, run in zip(st.columns(2), runs):
        with column:
            st.markdown(
                f"**{run.init} init**, after {steps} steps: first hidden layer (column $j$ = neuron $j$)"
            )
            st.latex(rf"{vec('W', 1)} = {M(run.weights)}")
            st.latex(rf"{vec('b', 1)} = {M(run.bias)}")
            st.latex(rf"{vec('a', 1)}_{{\text{{first 3 samples}}}} = {M(run.hidden[:3])}")
            column.metric(
                f"Spread between neurons ({run.init})",
                lesson.fmt(run.spread),
                help="largest difference between any neuron's weights and neuron 1's; "
                "0 means all neurons are identical",
            )
    st.plotly_chart(figures.symmetry_loss_figure(runs), key="learn_sym_chart")

show_intuition_tabs(tabs[6:])
