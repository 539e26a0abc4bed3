"""The Learn page's intuition tabs: gradient descent on a visible loss, the optimizers side by
side, and NumPy shapes. Widgets and layout only; every number comes from core.lesson."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.figures import lesson as figures
from core.lesson import descent, optimizer_race, shapes


def _vector(v) -> str:
    return "[" + ", ".join(f"{float(x):.4g}" for x in np.ravel(v)) + "]"


def learning_rate_tab() -> None:
    st.subheader("The learning rate, on a loss you can see")
    st.markdown(
        "Here the loss is a bowl, $L(w) = \\tfrac12\\sum_i c_i w_i^2$, and gradient descent "
        "(the engine's `SGD`, $w \\leftarrow w - \\eta\\,\\nabla L$) starts at the same point each time. "
        "Pick a learning rate $\\eta$: too small crawls, a good one lands near the bottom, a larger one "
        "overshoots back and forth, and past a limit every step lands higher than the last."
    )
    c_surface, c_lr, c_steps = st.columns(3)
    name = c_surface.selectbox("Surface", list(descent.SURFACES), key="learn_descent_surface")
    lr = c_lr.number_input(
        "Learning rate η", 0.0001, 5.0, 0.5, step=0.05, format="%.4f", key="learn_descent_lr"
    )
    steps = int(c_steps.slider("Steps", 1, 50, 20, key="learn_descent_steps"))
    surface = descent.SURFACES[name]
    path = descent.descend(surface, lr, steps)
    curvature = max(surface.curvatures)
    left, right = st.columns(2)
    left.metric("This path is", path.regime, help=descent.REGIMES[path.regime])
    final = path.losses[-1]
    right.metric("Loss after the last step", f"{final:.4g}" if np.isfinite(final) else "overflow")
    st.caption(
        f"**{path.regime}**: {descent.REGIMES[path.regime]}. On this surface each coordinate is "
        f"multiplied by (1 − η c) per step; the steepest direction has c = {curvature:g}, so it "
        f"oscillates above η = {1 / curvature:g} and diverges above η = {2 / curvature:g}."
    )
    if surface.dimensions == 1:
        st.plotly_chart(figures.descent_1d_figure(surface, path), key="learn_descent_chart")
    else:
        chart = figures.descent_2d_figure(surface, [path.points], [f"lr = {lr:g}"])
        st.plotly_chart(chart, key="learn_descent_chart")
    rows = [
        {"step": k, "w": _vector(path.points[k]), "loss": f"{path.losses[k]:.4g}"}
        | {"L_k / L_(k-1)": f"{path.loss_ratios[k - 1]:.3g}" if k else ""}
        for k in range(len(path.losses))
    ]
    st.dataframe(rows, hide_index=True, height=240)


def _hyperparameter_inputs(name: str) -> dict:
    values = {}
    defaults = optimizer_race.HYPERPARAMETERS[name]
    columns = st.columns(len(defaults))
    for column, (key, default) in zip(columns, defaults.items()):
        if key == "epsilon":
            values[key] = default  # shown, not edited: it only guards against dividing by 0
            column.text(f"epsilon = {default:g}")
            continue
        top = 5.0 if key == "learning_rate" else 0.9999
        values[key] = column.number_input(
            key.replace("_", " "), 0.0001, top, default, format="%.4f", key=f"learn_race_{name}_{key}"
        )
    return values


def optimizers_tab() -> None:
    st.subheader("Optimizers side by side on the same surface")
    st.markdown(
        "Each optimizer is the engine's own class updating a 2-vector $w$ on the same surface from the "
        "same start. Edit their hyperparameters, then pick a step to print each one's state after it."
    )
    c_surface, c_steps = st.columns(2)
    name = c_surface.selectbox("Surface", ["ravine", "2-D bowl"], key="learn_race_surface")
    steps = int(c_steps.slider("Steps", 1, 60, 30, key="learn_race_steps"))
    chosen = st.multiselect(
        "Optimizers",
        list(optimizer_race.HYPERPARAMETERS),
        list(optimizer_race.HYPERPARAMETERS),
        key="learn_race_chosen",
    )
    if not chosen:
        st.info("Pick at least one optimizer.")
        return
    settings = {}
    with st.expander("Hyperparameters", expanded=False):
        for optimizer in chosen:
            st.markdown(f"**{optimizer}**")
            settings[optimizer] = _hyperparameter_inputs(optimizer)
    surface = descent.SURFACES[name]
    try:
        runs = optimizer_race.race(surface, settings, steps)
    except ValueError as error:
        st.error(str(error))
        return
    st.plotly_chart(
        figures.descent_2d_figure(surface, [r.points for r in runs], [r.name for r in runs]),
        key="learn_race_chart",
    )
    st.plotly_chart(
        figures.losses_figure([r.losses for r in runs], [r.name for r in runs]), key="learn_race_loss"
    )
    t = int(st.slider("Show the state after step t", 1, steps, 1, key="learn_race_t"))
    rows = [
        {
            "optimizer": run.name,
            "w after step t": _vector(run.points[t]),
            "g at step t": _vector(run.gradients[t - 1]),
            "loss": f"{run.losses[t]:.4g}",
        }
        for run in runs
    ]
    st.dataframe(rows, hide_index=True)
    state_rows = [
        {"optimizer": run.name, "state": state_name, "value": _vector(value)}
        for run in runs
        for state_name, value in run.states[t - 1].items()
    ]
    st.markdown(f"**State after step {t}** (SGD keeps none):")
    st.dataframe(state_rows, hide_index=True)
    adam = next((run for run in runs if run.name == "adam"), None)
    if adam is not None:
        first_step = adam.points[1] - adam.points[0]
        lr = adam.hyperparameters["learning_rate"]
        st.markdown(
            "**Adam's first step.** After one update $m_1 = (1-\\beta_1) g$ and $v_1 = (1-\\beta_2) g^2$, so "
            "$\\hat m_1 = g$ and $\\hat v_1 = g^2$ and the step is "
            "$\\eta\\, g / (|g| + \\epsilon) \\approx \\eta \\operatorname{sign}(g)$: "
            "every weight moves by about the learning rate, whether its gradient is huge or tiny."
        )
        a, b, c = st.columns(3)
        a.metric("Adam's gradient g at step 1", _vector(adam.gradients[0]))
        b.metric("Adam's first step Δw", _vector(first_step))
        c.metric("−η · sign(g)", _vector(-lr * np.sign(adam.gradients[0])))


def shapes_tab() -> None:
    st.subheader("NumPy shapes in this engine")
    st.markdown(
        "Samples are **rows**. A batch $X$ is $(n, n_{in})$, a layer's $W$ is $(n_{in}, n_{out})$ and "
        "$Z = XW + b$: each row of $X$ is one sample, each column of $W$ one neuron, and $b$ (shape "
        "$(n_{out},)$) is added to every row by broadcasting. Code written as `W @ x` uses a column "
        "vector $x$ of shape $(n_{in}, 1)$ and the transposed matrix, $(n_{out}, n_{in})$: the same numbers. "
        "Every line below was run by NumPy to print its result."
    )
    lines = [{"code": li.code, "NumPy gives": li.result, "why": li.why} for li in shapes.shape_lines()]
    st.dataframe(
        lines,
        hide_index=True,
        height=35 * (len(lines) + 1) + 3,  # every line visible, no inner scrolling
    )
    batch, per_sample = shapes.batch_gradient_demo()
    st.markdown(
        "**Where the 1/n goes** (the engine's softmax head). The loss of a batch is the *mean* over "
        "its $n$ rows, so "
        "$\\partial L / \\partial Z = (P - T)/n$ and $\\partial L/\\partial W = X^\\top (P - T)/n$: the "
        "batch formula equals the average of the $n$ one-sample gradients."
    )
    left, right = st.columns(2)
    left.metric("Largest |batch dW − mean of per-sample dW|", f"{np.max(np.abs(batch - per_sample)):.1e}")
    right.metric(
        "log means ln: −log(0.5)", f"{-np.log(0.5):.4f}", help="np.log is the natural log; log10 gives 0.3010"
    )


INTUITION_TABS = ["Learning rate", "Optimizers", "Shapes"]


def show_intuition_tabs(tabs) -> None:
    for tab, show in zip(tabs, (learning_rate_tab, optimizers_tab, shapes_tab)):
        with tab:
            show()
