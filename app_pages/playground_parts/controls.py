"""The sidebar: every control of the Playground (except those a classroom link hides), and the
configuration they describe (read back through core/playground/widgets.py, then validated)."""

from __future__ import annotations

import streamlit as st

from app_pages.playground_parts import W, state
from core import playground as pg
from core.data import DATASETS, FEATURE_LABELS, FEATURES
from core.engine.schedules import SCHEDULES
from core.playground import widgets
from core.playground.config import ACTIVATION_LABELS, INIT_LABELS, OPTIMIZER_LABELS


def sidebar_controls(old: pg.PlaygroundConfig, drawn_points, bar) -> pg.PlaygroundConfig:
    """Draw the controls (except hidden ones) and return the valid config they describe.
    `old` is the config in force before this run; `drawn_points` the points clicked so far.
    `bar` is the control bar above the plane: the data set and the learning rate are there, next
    to Play, so that on a phone they stay in reach with the plane in view (not only in the
    sidebar's drawer, which covers the plot)."""
    session_state = st.session_state
    sb = st.sidebar
    h = pg.HELP

    def shown(name: str) -> bool:
        return name not in old.hide

    # Widths narrowed to fit the size budget in the previous run: widgets take them now, before
    # they are drawn (Streamlit forbids changing a widget's value after it is drawn in a run).
    state.set_widgets(session_state.pop("pg_units_fix", {}))
    if any(shown(n) for n in ("dataset", "n_samples", "noise", "test_ratio", "seed", "classes")):
        sb.subheader("Data")
    if shown("dataset"):
        bar.selectbox(
            "Data set",
            pg.DATA_SOURCES,
            key=W + "dataset",
            help=h["dataset"],
            format_func=lambda n: pg.DATA_SOURCE_LABELS.get(n, n),
            width=150,
        )
    dataset = session_state.get(W + "dataset", old.dataset)
    if dataset in DATASETS and shown("dataset"):
        sb.caption(DATASETS[dataset].description)
    state.set_widgets(widgets.values_for_new_dataset(dataset, old))
    option = pg.dataset_option(dataset)
    if option is not None and shown("classes"):
        sb.number_input(
            option[1].description.capitalize(),
            option[1].low,
            option[1].high,
            step=1,
            key=W + "classes",
            help=h["classes"],
        )
    generated = dataset in DATASETS
    if generated and shown("n_samples"):
        sb.slider(
            "Samples",
            pg.RANGES["n_samples"][0],
            pg.RANGES["n_samples"][1],
            step=10,
            key=W + "n_samples",
            help=h["n_samples"],
        )
    if generated and shown("noise"):
        sb.slider("Noise", 0.0, 1.0, step=pg.STEP, key=W + "noise", help=h["noise"])
    if dataset == "csv" and shown("dataset"):
        upload = sb.file_uploader(
            "CSV file (x1, x2, label)",
            type=["csv", "txt", "tsv"],
            key="pg_csv_file",
            help="Three columns: x1, x2 and a class label "
            "(whole numbers) or a target value (regression); header optional.",
        )
        if upload is not None:
            data = upload.getvalue()
            session_state.pg_csv_bytes, session_state.pg_csv_token = data, pg.file_token(data)
    if shown("test_ratio") and dataset != "points":  # clicked points all train: no test share
        sb.slider("Test share", 0.1, 0.9, step=pg.STEP, key=W + "test_ratio", help=h["test_ratio"])
    if shown("seed") or shown("regenerate"):
        c_seed, c_regen = sb.columns([1, 1], vertical_alignment="bottom")
        if shown("seed"):
            c_seed.number_input("Seed", 0, pg.MAX_SEED, step=1, key=W + "seed", help=h["seed"])
        if shown("regenerate"):
            c_regen.button(
                "🎲 New data",  # short: "Regenerate" was cut to "Rege…" in half the sidebar
                on_click=state.on_regenerate,
                help=h["regenerate"],
                key="pg_regenerate",
                width="stretch",
            )

    if shown("features"):
        sb.subheader("Features")
        sb.pills(
            "Inputs fed to the network",
            FEATURES,
            selection_mode="multi",
            key=W + "features",
            format_func=lambda f: FEATURE_LABELS.get(f, f),
            help=h["features"],
        )

    if any(shown(n) for n in ("hidden", "activations", "init", "head")):
        sb.subheader("Network")
    _layer_controls(sb, shown, len(old.hidden))
    if shown("init"):
        sb.selectbox(
            "Initialization",
            pg.CHOICES["init"],
            key=W + "init",
            help=h["init"],
            format_func=lambda n: INIT_LABELS.get(n, n),
        )
    if shown("head"):
        sb.selectbox(
            "Output head", pg.HEADS, key=W + "head", help=h["head"], format_func=lambda n: pg.HEAD_LABELS[n]
        )

    _training_controls(sb, shown, bar)

    if shown("show_test") or shown("discretize"):
        sb.subheader("View")
    if shown("show_test"):
        sb.toggle("Show test data", key=W + "show_test", help=h["show_test"])
    if shown("discretize"):
        sb.toggle("Discretize output", key=W + "discretize", help=h["discretize"])

    candidate = widgets.config_from_widgets(state.widget_state(), old, points=drawn_points)
    clean, problems = pg.validate(candidate, previous=old)
    narrowed = widgets.narrowed_widths(candidate, clean)
    if narrowed:
        # Over the size budget: the widgets show the narrowed widths from the next run on.
        session_state.pg_units_fix = narrowed
        session_state.pg_budget_notice = [p for p in problems if p.startswith("network size")]
        st.rerun()
    budget_notice = session_state.pop("pg_budget_notice", [])
    for problem in budget_notice:  # the widget changed by itself: say why where it is seen
        st.toast(problem, icon="📏", duration="long")
    for problem in problems + budget_notice:  # e.g. no feature selected
        sb.caption(f"⚠️ {problem}")
    return clean


def _layer_controls(sb, shown, layers_before: int) -> None:
    """The number of hidden layers, then each layer's width and activation."""
    session_state = st.session_state
    h = pg.HELP
    if shown("hidden"):
        sb.number_input("Hidden layers", 0, pg.MAX_HIDDEN_LAYERS, step=1, key=W + "layers", help=h["hidden"])
    n_layers = int(session_state.get(W + "layers", layers_before))
    state.set_widgets(widgets.new_layer_values(state.widget_state(), n_layers))  # like the layer before
    if not (shown("hidden") or shown("activations")):
        return
    for i in range(n_layers):
        c_units, c_act = sb.columns(2)
        if shown("hidden"):
            c_units.number_input(
                f"Layer {i + 1} neurons",
                1,
                pg.MAX_NEURONS,
                step=1,
                key=W + widgets.units_key(i),
                help=h["neurons"],
            )
        if shown("activations"):
            c_act.selectbox(
                f"Layer {i + 1} activation",
                pg.CHOICES["activations"],
                key=W + widgets.activation_key(i),
                help=h["activations"],
                format_func=lambda n: ACTIVATION_LABELS.get(n, n),
            )


def _training_controls(sb, shown, bar) -> None:
    """Learning rate, optimizer, batch size, epochs per update, regularization, schedule, early
    stopping."""
    session_state = st.session_state
    h = pg.HELP
    sb.subheader("Training")
    if shown("learning_rate"):
        bar.select_slider(
            "Learning rate",
            pg.LEARNING_RATES,
            key=W + "learning_rate",
            format_func=lambda v: f"{v:g}",
            help=h["learning_rate"],
            width=180,
        )
    if shown("optimizer"):
        sb.selectbox(
            "Optimizer",
            pg.CHOICES["optimizer"],
            key=W + "optimizer",
            help=h["optimizer"],
            format_func=lambda n: OPTIMIZER_LABELS.get(n, n),
        )
    c_bs, c_epu = sb.columns(2)
    if shown("batch_size"):
        c_bs.number_input(
            "Batch size", 1, pg.MAX_BATCH_SIZE, step=1, key=W + "batch_size", help=h["batch_size"]
        )
    if shown("epochs_per_update"):
        c_epu.number_input(
            "Epochs / update",
            1,
            pg.MAX_EPOCHS_PER_UPDATE,
            step=1,
            key=W + "epochs_per_update",
            help=h["epochs_per_update"],
        )
    if shown("l1"):
        sb.select_slider(
            "L1 rate", pg.REGULARIZATION_RATES, key=W + "l1", format_func=lambda v: f"{v:g}", help=h["l1"]
        )
    if shown("l2"):
        sb.select_slider(
            "L2 rate", pg.REGULARIZATION_RATES, key=W + "l2", format_func=lambda v: f"{v:g}", help=h["l2"]
        )
    if shown("dropout"):
        sb.slider("Dropout", 0.0, pg.MAX_DROPOUT, step=pg.STEP, key=W + "dropout", help=h["dropout"])
    if shown("schedule"):
        sb.selectbox("Learning-rate schedule", tuple(SCHEDULES), key=W + "schedule", help=h["schedule"])
        schedule = session_state.get(W + "schedule", "constant")
        if schedule != "constant":
            c_every, c_rate = sb.columns(2)
            c_every.number_input(
                "Period N (epochs)",
                1,
                pg.MAX_SCHEDULE_EVERY,
                step=10,
                key=W + "schedule_every",
                help=h["schedule_every"],
            )
            if schedule != "cosine":
                c_rate.number_input(
                    "Factor every N",
                    0.01,
                    1.0,
                    step=0.05,
                    format="%.2f",
                    key=W + "schedule_rate",
                    help=h["schedule_rate"],
                )
    if shown("early_stopping"):
        # A row of its own: in half the sidebar the label was cut to "Early …".
        sb.toggle("Early stopping", key=W + "early_stopping", help=h["early_stopping"])
        if session_state.get(W + "early_stopping"):
            sb.number_input("Patience", 1, pg.MAX_PATIENCE, step=1, key=W + "patience", help=h["patience"])
