"""The experiment tabs: this network against scikit-learn's, the optimizer race, the architecture
search and the training GIF (core/playground/experiments runs them, within time budgets).
Each result stays in st.session_state until the network changes."""

from __future__ import annotations

import math

import streamlit as st

from app_pages import plain_text
from app_pages.playground_parts import CHART_CONFIG, state
from core import playground as pg
from core.figures import playground as figures
from core.figures import training_gif
from core.playground import experiments, widgets


def compare_panel(session: pg.PlaygroundSession, config: pg.PlaygroundConfig) -> None:
    st.caption(
        "scikit-learn's MLPClassifier (or MLPRegressor) and a fresh copy of this network "
        "(same starting weights), each trained on the same features with the same layers, "
        "learning rate, batch size and seed for the same number of epochs. " + experiments.SHARED_OBJECTIVE
    )
    epochs = st.number_input(
        "Epochs",
        1,
        experiments.MAX_RACE_EPOCHS,
        value=min(max(session.epoch, 100), experiments.MAX_RACE_EPOCHS),
        step=10,
        key="pg_compare_epochs",
    )
    if st.button("Train both", key="pg_compare_run"):
        with st.spinner("Training ours and scikit-learn's MLP…"):
            st.session_state.pg_compare = experiments.compare_with_sklearn(
                session, int(epochs), time_budget_s=20.0
            )
    result = st.session_state.get("pg_compare")
    if result is None:
        return
    metric = pg.metric_name(session.task)
    sides = [
        (
            "**Ours** (`core/`)",
            result.ours_boundary,
            result.ours_epochs,
            result.ours_test_metric,
            result.ours_seconds,
            "pg_compare_ours",
        ),
        (
            "**scikit-learn**",
            result.boundary,
            result.epochs,
            result.test_metric,
            result.seconds,
            "pg_compare_theirs",
        ),
    ]
    for column, (title, boundary, done, score, seconds, key) in zip(st.columns(2), sides):
        with column:
            st.markdown(f"{title}, {done} epochs")
            st.plotly_chart(
                figures.boundary_figure(boundary, session.dataset, False, config.discretize, height=320),
                config=dict(CHART_CONFIG),
                key=key,
            )
            c_score, c_time = st.columns(2)
            c_score.metric(f"Test {metric}", f"{score:.3f}" if math.isfinite(score) else "–")
            c_time.metric("Training time", f"{seconds:.2f} s")
    for note in result.notes:
        st.caption(f"ℹ️ {note}")


def race_panel(session: pg.PlaygroundSession, config: pg.PlaygroundConfig) -> None:
    st.caption(
        "The same data and starting weights, trained with each optimizer in turn-taking "
        "slices (at most 10 s), all at the page's learning rate."
    )
    c_opt, c_epochs = st.columns([3, 1])
    chosen = c_opt.multiselect(
        "Optimizers", pg.CHOICES["optimizer"], default=["sgd", "momentum", "adam"], key="pg_race_optimizers"
    )
    epochs = c_epochs.number_input("Epochs", 10, 2000, value=200, step=10, key="pg_race_epochs")
    if st.button("🏁 Start the race", key="pg_race_run", disabled=not chosen):
        with st.spinner("Racing…"):
            st.session_state.pg_race = experiments.optimizer_race(
                config,
                session.dataset,
                chosen,
                int(epochs),
                time_budget_s=10.0,
                data_token=session.data_token,
            )
    results = st.session_state.get("pg_race")
    if results:
        st.plotly_chart(figures.race_figure(results), config=dict(CHART_CONFIG))
        st.dataframe(
            [
                {
                    "optimizer": r.name,
                    "epochs": int(r.epochs[-1]) if r.epochs else 0,
                    "test loss": round(r.test_loss[-1], 4),
                    f"test {pg.metric_name(session.task)}": round(r.test_metric, 3),
                    "seconds": round(r.seconds, 2),
                    "stopped": r.stop_reason or "",
                }
                for r in results
            ],
            hide_index=True,
        )


def search_panel(session: pg.PlaygroundSession, config: pg.PlaygroundConfig) -> None:
    st.caption(
        "Each architecture trains for the same number of epochs within an equal share of "
        "the time budget, here on the server, in this request."
    )
    text = st.text_input(
        "Hidden layers to try (; between architectures)", "2; 4; 8; 4,4; 8,8; 16,16", key="pg_search_grid"
    )
    c_epochs, c_budget = st.columns(2)
    epochs = c_epochs.number_input("Epochs each", 10, 2000, value=150, step=10, key="pg_search_epochs")
    budget = c_budget.slider("Time budget (s)", 2, 20, 10, key="pg_search_budget")
    if st.button("🧪 Search", key="pg_search_run"):
        try:
            candidates = experiments.parse_candidates(text)
        except ValueError as error:
            plain_text.error(error)  # it quotes what was typed
        else:
            with st.spinner("Training every architecture…"):
                st.session_state.pg_search = experiments.architecture_search(
                    config,
                    session.dataset,
                    candidates,
                    int(epochs),
                    float(budget),
                    data_token=session.data_token,
                )
    rows = st.session_state.get("pg_search")
    if rows:
        metric = pg.metric_name(session.task)
        st.dataframe(
            [
                {
                    "hidden layers": ",".join(map(str, r.hidden)) or "none",
                    "parameters": r.parameters,
                    "epochs": r.epochs,
                    f"validation {metric}": round(r.val_metric, 3),
                    "validation loss": round(r.val_loss, 4),
                    "seconds": round(r.seconds, 2),
                    "note": r.note,
                }
                for r in rows
            ],
            hide_index=True,
        )
        best = rows[0].hidden
        st.caption(
            f"Ranked on a validation split ({pg.VALIDATION_SHARE:.0%} of the training points, "
            "not trained on): choosing by the test score would tune the network to the test set. "
            + (
                f"The winner on the test set, measured once: {metric} {rows[0].test_metric:.3f}."
                if math.isfinite(rows[0].test_metric)
                else "There is no test set: all your points train."
            )
        )
        st.button(
            f"Load the best ({','.join(map(str, best)) or 'no hidden layer'}) into the page",
            on_click=state.load_architecture,
            args=(widgets.architecture_values(config, best),),
            key="pg_search_load",
        )


def gif_panel(session: pg.PlaygroundSession, config: pg.PlaygroundConfig) -> None:
    st.caption(
        "A fresh copy of this network (same starting weights) trained from epoch 0; one "
        "frame of its decision boundary every few epochs."
    )
    c_epochs, c_frames = st.columns(2)
    epochs = c_epochs.number_input("Epochs", 10, 3000, value=300, step=10, key="pg_gif_epochs")
    frames = c_frames.slider("Frames", 5, 60, 30, key="pg_gif_frames")
    if st.button("🎞️ Make the GIF", key="pg_gif_run"):
        with st.spinner("Training and drawing frames…"):
            recording = experiments.boundary_frames(
                config,
                session.dataset,
                int(epochs),
                int(frames),
                time_budget_s=15.0,
                data_token=session.data_token,
            )
            st.session_state.pg_gif = training_gif.boundary_gif(recording)
    result = st.session_state.get("pg_gif")
    if result is not None:
        st.image(result.data, caption=f"{result.frames} frames, epochs 0–{result.epochs}", width=300)
        st.download_button(
            "⬇️ Download the GIF",
            result.data,
            "decision_boundary.gif",
            mime="image/gif",
            key="pg_gif_download",
        )
