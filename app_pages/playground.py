"""Playground: pick a 2-D data set, shape a network, press Play and watch it learn.

Widgets and layout only. The logic is in core/: the configuration, URL sharing and the live
session in core/playground/session.py, the charts in core/figures/playground.py, the experiments in
core/playground/experiments.py, the pacing of live updates in core/playground/pacing.py.

How the page stays live: the charts that move (epoch counter, decision boundary, loss curves,
network diagram) are drawn by `live_view`, a fragment re-run by a browser timer
(`st.fragment(run_every=...)`). Play and Pause are buttons OUTSIDE the fragment whose callbacks
set `playing` in session_state; the following full run registers the fragment with a timer
(playing) or without one (paused). Each timer tick trains a time-budgeted slice of epochs on the
core trainer, then redraws. When training stops by itself (divergence, early stopping) the
fragment triggers a full run, which stops the timer and shows the message.

State: everything about a student (config, data, network, trainer, playing flag, experiment
results) is in st.session_state under keys starting with "pg_". The only object shared between
users is the LoadMonitor (st.cache_resource) that counts training sessions for pacing.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from dataclasses import replace
from types import MappingProxyType

import streamlit as st

from core.data import DATASETS, FEATURE_LABELS, FEATURES, DataError, make_dataset, parse_csv
from core.engine.schedules import SCHEDULES
from core.figures import playground as figures
from core.playground import experiments, pacing
from core.playground import session as pg

state = st.session_state
W = "pg_w_"  # widget keys: W + config field name
DEFAULT_POINTS = (
    (-3.0, -3.0, 0),
    (-4.0, -2.0, 0),
    (-2.0, -4.0, 0),
    (-3.5, -3.5, 0),
    (3.0, 3.0, 1),
    (4.0, 2.0, 1),
    (2.0, 4.0, 1),
    (3.5, 3.5, 1),
)
CHART_CONFIG = MappingProxyType({"displayModeBar": False})  # read-only, like every constant


# ----------------------------------------------------------------------------- shared resources
@st.cache_resource
def load_monitor() -> pacing.LoadMonitor:
    """The ONE shared mutable object: how many students are training on this server right now
    and what an update costs. Pacing needs the server-wide view (no session can see the others);
    it holds no user data and is thread-safe (core/playground/pacing.py)."""
    # Every session is paced from the server-wide average cost of an update (one level for all
    # the students of a process: the total is what must fit). Averaged over ~20 updates: a
    # single update's cost jumps with GIL contention, and every level change costs a full run.
    return pacing.LoadMonitor(ema_alpha=0.05)


@st.cache_data(max_entries=64, show_spinner=False)
def generated_dataset(kwargs: tuple):
    """make_dataset is pure (same arguments, same data): cache it across users."""
    return make_dataset(**dict(kwargs))


@st.cache_data(max_entries=8, show_spinner=False)
def uploaded_dataset(data: bytes, seed: int, test_ratio: float):
    return parse_csv(data, seed=seed, test_ratio=test_ratio)


monitor = load_monitor()


# ----------------------------------------------------------------------------- state helpers
def _seed_widgets(config: pg.PlaygroundConfig, only_missing: bool) -> None:
    """Put config values into widget keys (first visit: from the URL; later: for widgets that
    were not on screen in the previous run, e.g. a newly added layer)."""
    values = {
        name: getattr(config, name)
        for name in pg.config_fields()
        if name not in ("hidden", "activations", "points", "hide", "classes")
    }
    values["features"] = list(config.features)
    values["layers"] = len(config.hidden)
    option = pg.dataset_option(config.dataset)
    values["classes"] = config.classes if config.classes is not None else (option[1].default if option else 3)
    for i, (units, act) in enumerate(zip(config.hidden, config.activations)):
        values[f"units_{i}"] = units
        values[f"act_{i}"] = act
    for name, value in values.items():
        if not only_missing or W + name not in state:
            state[W + name] = value


if "pg_config" not in state:
    # First visit of this session: the link decides (validated; a forged link only warns).
    first, url_warnings = pg.decode_query(st.query_params.to_dict())
    state.pg_config = first
    state.pg_url_warnings = url_warnings
    state.pg_session_id = uuid.uuid4().hex
    state.pg_playing = False
    state.pg_drawn = list(first.points) or list(DEFAULT_POINTS)
    state.pg_ticks = deque(maxlen=30)  # (time, epoch) of recent updates, for the rate shown
    _seed_widgets(first, only_missing=False)
_seed_widgets(state.pg_config, only_missing=True)
config: pg.PlaygroundConfig = state.pg_config
hidden_controls = set(config.hide)


def shown(name: str) -> bool:
    return name not in hidden_controls


# ----------------------------------------------------------------------------- callbacks
def _session():
    return state.get("pg_session")


def on_play() -> None:
    session = _session()
    if session is not None:
        session.resume()  # after a divergence or early stop, Play continues
    state.pg_playing = True
    state.pg_notice = None
    state.pg_ticks = deque(maxlen=30)


def on_pause() -> None:
    state.pg_playing = False
    monitor.leave(state.pg_session_id)


def on_step() -> None:
    session = _session()
    on_pause()
    if session is not None:
        session.step(1)
        state.pg_notice = _notice(session)


def on_reset() -> None:
    """Same seed, so the same starting weights: a clean rerun of the experiment."""
    on_pause()
    state.pg_session = None
    state.pg_notice = None


def on_regenerate() -> None:
    state[W + "seed"] = min(pg.MAX_SEED, int(state[W + "seed"]) + 1)


def _notice(session):
    if session is None or not session.stopped:
        return None
    return ("warning" if session.diverged else "info", session.stop_reason)


# ----------------------------------------------------------------------------- sidebar controls
def sidebar_controls(old: pg.PlaygroundConfig) -> pg.PlaygroundConfig:
    """Draw the controls (except hidden ones) and return the config they describe."""
    sb = st.sidebar
    h = pg.HELP
    # Widths narrowed to fit the size budget in the previous run: widgets take them now, before
    # they are drawn (Streamlit forbids changing a widget's value after it is drawn in a run).
    for i, units in enumerate(state.pop("pg_units_fix", ())):
        state[W + f"units_{i}"] = units
    if any(shown(n) for n in ("dataset", "n_samples", "noise", "test_ratio", "seed", "classes")):
        sb.subheader("Data")
    if shown("dataset"):
        sb.selectbox(
            "Data set",
            pg.DATA_SOURCES,
            key=W + "dataset",
            help=h["dataset"],
            format_func=lambda n: pg.DATA_SOURCE_LABELS.get(n, n),
        )
    dataset = state.get(W + "dataset", old.dataset)
    if dataset in DATASETS and shown("dataset"):
        sb.caption(DATASETS[dataset].description)
    option = pg.dataset_option(dataset)
    if dataset != old.dataset and option is not None:
        state[W + "classes"] = option[1].default  # a new data set starts with its own default
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
            state.pg_csv_bytes, state.pg_csv_token = data, pg.file_token(data)
    if shown("test_ratio"):
        sb.slider("Test share", 0.1, 0.9, step=pg.STEP, key=W + "test_ratio", help=h["test_ratio"])
    if shown("seed") or shown("regenerate"):
        c_seed, c_regen = sb.columns([3, 2], vertical_alignment="bottom")
        if shown("seed"):
            c_seed.number_input("Seed", 0, pg.MAX_SEED, step=1, key=W + "seed", help=h["seed"])
        if shown("regenerate"):
            c_regen.button(
                "🎲 Regenerate",
                on_click=on_regenerate,
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
    if shown("hidden"):
        sb.number_input("Hidden layers", 0, pg.MAX_HIDDEN_LAYERS, step=1, key=W + "layers", help=h["hidden"])
    n_layers = int(state.get(W + "layers", len(old.hidden)))
    hidden, activations = [], []
    for i in range(n_layers):
        # New layers start like the previous one (same width and activation).
        if W + f"units_{i}" not in state:
            state[W + f"units_{i}"] = hidden[-1] if hidden else 4
        if W + f"act_{i}" not in state:
            state[W + f"act_{i}"] = activations[-1] if activations else "tanh"
        if shown("hidden") or shown("activations"):
            c_units, c_act = sb.columns(2)
            if shown("hidden"):
                c_units.number_input(
                    f"Layer {i + 1} neurons",
                    1,
                    pg.MAX_NEURONS,
                    step=1,
                    key=W + f"units_{i}",
                    help=h["neurons"],
                )
            if shown("activations"):
                c_act.selectbox(
                    f"Layer {i + 1} activation",
                    pg.CHOICES["activations"],
                    key=W + f"act_{i}",
                    help=h["activations"],
                )
        hidden.append(int(state[W + f"units_{i}"]))
        activations.append(state[W + f"act_{i}"])
    if shown("init"):
        sb.selectbox("Initialization", pg.CHOICES["init"], key=W + "init", help=h["init"])
    if shown("head"):
        sb.selectbox(
            "Output head", pg.HEADS, key=W + "head", help=h["head"], format_func=lambda n: pg.HEAD_LABELS[n]
        )

    sb.subheader("Training")
    if shown("learning_rate"):
        sb.select_slider(
            "Learning rate",
            pg.LEARNING_RATES,
            key=W + "learning_rate",
            format_func=lambda v: f"{v:g}",
            help=h["learning_rate"],
        )
    if shown("optimizer"):
        sb.selectbox("Optimizer", pg.CHOICES["optimizer"], key=W + "optimizer", help=h["optimizer"])
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
    if shown("early_stopping"):
        c_es, c_pat = sb.columns(2, vertical_alignment="bottom")
        c_es.toggle("Early stopping", key=W + "early_stopping", help=h["early_stopping"])
        if state.get(W + "early_stopping"):
            c_pat.number_input("Patience", 1, pg.MAX_PATIENCE, step=1, key=W + "patience", help=h["patience"])

    if shown("show_test") or shown("discretize"):
        sb.subheader("View")
    if shown("show_test"):
        sb.toggle("Show test data", key=W + "show_test", help=h["show_test"])
    if shown("discretize"):
        sb.toggle("Discretize output", key=W + "discretize", help=h["discretize"])

    def value(name):
        return state.get(W + name, getattr(old, name))

    classes = None
    if option is not None:
        classes = int(value("classes")) if W + "classes" in state else old.classes
    candidate = replace(
        old,
        dataset=dataset,
        n_samples=int(value("n_samples")),
        noise=float(value("noise")),
        test_ratio=float(value("test_ratio")),
        seed=int(value("seed")),
        classes=classes,
        features=tuple(value("features") or ()),
        hidden=tuple(hidden),
        activations=tuple(activations),
        init=value("init"),
        head=value("head"),
        learning_rate=float(value("learning_rate")),
        optimizer=value("optimizer"),
        batch_size=int(value("batch_size")),
        epochs_per_update=int(value("epochs_per_update")),
        l1=float(value("l1")),
        l2=float(value("l2")),
        dropout=float(value("dropout")),
        schedule=value("schedule"),
        early_stopping=bool(value("early_stopping")),
        patience=int(value("patience")),
        show_test=bool(value("show_test")),
        discretize=bool(value("discretize")),
        points=tuple(state.pg_drawn) if dataset == "points" else (),
    )
    clean, problems = pg.validate(candidate, previous=old)
    if clean.hidden != candidate.hidden and len(clean.hidden) == len(hidden):
        # Over the size budget: the widgets show the narrowed widths from the next run on.
        state.pg_units_fix = clean.hidden
        state.pg_budget_notice = [p for p in problems if p.startswith("network size")]
        st.rerun()
    budget_notice = state.pop("pg_budget_notice", [])
    for problem in budget_notice:  # the widget changed by itself: say why where it is seen
        st.toast(problem, icon="📏", duration="long")
    for problem in problems + budget_notice:  # e.g. no feature selected
        sb.caption(f"⚠️ {problem}")
    return clean


# ----------------------------------------------------------------------------- data & session
def load_dataset(config: pg.PlaygroundConfig):
    if config.dataset == "csv":
        data = state.get("pg_csv_bytes")
        if data is None:
            raise DataError(
                "upload a CSV file (columns x1, x2, label) in the sidebar to train on your own data."
            )
        return uploaded_dataset(data, config.seed, config.test_ratio)
    if config.dataset == "points":
        return pg.make_data(config)
    return generated_dataset(tuple(sorted(pg.dataset_kwargs(config).items())))


def ensure_session(config: pg.PlaygroundConfig):
    """The student's live session for this config: kept (hyperparameters updated in place) while
    the structure is the same, rebuilt (seeded, paused) when data or network shape change."""
    token = state.get("pg_csv_token") if config.dataset == "csv" else None
    session = _session()
    if session is not None and session.key == pg.structure_key(config, token):
        session.update(config)
        return session
    dataset = load_dataset(config)
    session = pg.PlaygroundSession(config, dataset, token)
    if state.get("pg_session") is not None or state.get("pg_playing"):
        on_pause()  # a new network starts paused, at epoch 0, like TF Playground's reset
    state.pg_session = session
    state.pg_notice = None
    for key in ("pg_compare", "pg_race", "pg_search", "pg_gif"):
        state.pop(key, None)  # results of another network
    return session


# ----------------------------------------------------------------------------- page
config = sidebar_controls(config)
state.pg_config = config
query = pg.encode_query(config)
if st.query_params.to_dict() != query:
    st.query_params.from_dict(query)  # the URL always describes the page: copy it to share

st.title("🎛️ Playground")
st.caption(
    "Pick a data set, shape the network in the sidebar, press **Play** and watch it learn. "
    "Everything is computed live by the NumPy engine in `core/`."
)
for warning in state.get("pg_url_warnings", []):
    st.warning(f"Link: {warning}", icon="🔗")
state.pg_url_warnings = []  # shown once

if config.dataset == "points":
    with st.expander("✏️ Your points: click the plane to add one", expanded=True):

        def on_point_click():
            chart = state.get("pg_points_chart")
            points = chart["selection"]["points"] if chart else []
            label = state.get("pg_point_label", 0)
            for point in points:
                if point.get("curve_number", 0) == 0 and len(state.pg_drawn) < pg.N_SAMPLES_MAX:
                    state.pg_drawn.append((round(float(point["x"]), 2), round(float(point["y"]), 2), label))

        def on_undo():
            if state.pg_drawn:
                state.pg_drawn.pop()

        c_label, c_undo, c_clear = st.columns([3, 1, 1], vertical_alignment="bottom")
        c_label.segmented_control(
            "Next point's class",
            [0, 1, 2],
            key="pg_point_label",
            format_func=lambda c: f"class {c}",
            default=0,
        )
        c_undo.button("↩️ Undo", on_click=on_undo, width="stretch", key="pg_points_undo")
        c_clear.button(
            "🗑️ Clear", on_click=lambda: state.pg_drawn.clear(), width="stretch", key="pg_points_clear"
        )
        st.plotly_chart(
            figures.points_editor_figure(state.pg_drawn),
            key="pg_points_chart",
            on_select=on_point_click,
            selection_mode="points",
            config=dict(CHART_CONFIG),
        )
        st.caption(
            f"{len(state.pg_drawn)} points. At least 2 per class are needed; half of them "
            "are held out as test points."
        )

try:
    session = ensure_session(config)
except DataError as error:  # a bad CSV, too few points ...: say what is wrong, no traceback
    st.error(str(error))
    session = None
    state.pg_session = None
    state.pg_playing = False
except ValueError as error:  # e.g. a network the engine refuses
    st.error(f"Cannot build this network: {error}")
    session = None
    state.pg_session = None
    state.pg_playing = False

playing = bool(state.get("pg_playing")) and session is not None
sid = state.pg_session_id

# Play / Pause, Step, Reset: outside the live fragment, so pressing them starts or stops its timer.
# A horizontal container wraps on a phone instead of stacking one button per row.
buttons = st.container(horizontal=True, vertical_alignment="center")
if playing:
    buttons.button(
        "⏸ Pause",
        on_click=on_pause,
        type="primary",
        width=110,
        key="pg_pause",
        help="Stop training (the weights stay).",
    )
else:
    buttons.button(
        "▶ Play",
        on_click=on_play,
        type="primary",
        width=110,
        key="pg_play",
        disabled=session is None,
        help="Train continuously.",
    )
buttons.button(
    "⏭ Step",
    on_click=on_step,
    width=100,
    key="pg_step",
    disabled=session is None,
    help="Train exactly one epoch, then pause.",
)
buttons.button(
    "↺ Reset",
    on_click=on_reset,
    width=100,
    key="pg_reset",
    help="Back to epoch 0 with the same starting weights (same seed).",
)
if session is not None:
    task_text = {
        "binary": "binary classification",
        "multiclass": "multi-class classification",
        "regression": "regression",
    }[session.task]
    buttons.caption(
        f"{session.dataset.n_train} training / {session.dataset.n_test} test points · "
        f"{task_text} · output: {session.head} · "
        f"{session.network.n_params:,} parameters"
    )
    if session.head_note:
        st.info(session.head_note)

notice = state.get("pg_notice")
if notice:
    kind, text = notice
    if kind == "warning":
        st.warning(
            f"**Training paused: it diverged.** {text} You can also press ↺ Reset to start "
            "again from the initial weights.",
            icon="⚠️",
        )
    else:
        st.info(text, icon="⏹️")

plan = (
    monitor.plan(sid, config.epochs_per_update, interval_in_force=state.get("pg_interval"))
    if playing
    else None
)
state.pg_interval = plan.interval_s if plan else None
state.pg_full_run_at = time.monotonic()


@st.fragment(run_every=plan.interval_s if plan else None)
def live_view():
    """One live update: train a time-budgeted slice (when playing), then redraw."""
    # What an update costs, for pacing: from its CPU and wall time (pacing.update_cost says why).
    started, started_cpu = time.perf_counter(), time.thread_time()
    session = _session()
    if session is None:
        return
    cfg = state.pg_config
    live = bool(state.get("pg_playing"))
    train_s = 0.0
    if live:
        tick_plan = monitor.plan(sid, cfg.epochs_per_update, interval_in_force=state.get("pg_interval"))
        t0, t0_cpu = time.perf_counter(), time.thread_time()
        session.train(tick_plan.budget_ms, tick_plan.max_epochs)
        train_s = pacing.update_cost(time.thread_time() - t0_cpu, time.perf_counter() - t0)
        state.pg_ticks.append((time.perf_counter(), session.epoch))
        if session.stopped:  # diverged or stopped early: pause, and say why (full run)
            state.pg_playing = False
            monitor.leave(sid)
            state.pg_notice = _notice(session)
            st.rerun(scope="app")
        interval = state.get("pg_interval") or tick_plan.interval_s
        # The load changed: a full run re-registers the timer with the new interval (the browser
        # keeps a fragment's timer until the fragment is registered again). Each change costs a
        # full run and restarts the timer, so a level holds for 15 s (the load wobbles), unless
        # the server now wants updates at least twice as far apart: when a whole class presses
        # Play at once, the first sessions planned for an empty server and must back off within
        # 2 s before they swamp it.
        since = time.monotonic() - state.get("pg_full_run_at", 0.0)
        urgent = tick_plan.interval_s >= 2 * interval and since > 2.0
        if tick_plan.interval_s != interval and (urgent or since > 15.0):
            st.rerun(scope="app")

    latest = session.latest
    metric = pg.metric_name(session.task)
    # Wrapping row: one line on a desktop, two or three short lines on a phone. As few elements
    # as possible: every element of a live update is one more message for the server to send.
    row = st.container(horizontal=True, gap="medium")
    row.metric("Epoch", f"{session.epoch:,}", width=130)
    row.metric("Train loss", f"{latest.train_loss:.3f}", width=130)
    row.metric("Test loss", f"{latest.val_loss:.3f}", width=130)
    row.metric(f"Test {metric}", f"{latest.val_metric:.3f}", width=130)
    ticks = state.get("pg_ticks") or ()
    if live and len(ticks) >= 2 and ticks[-1][0] > ticks[0][0]:
        span = ticks[-1][0] - ticks[0][0]
        row.metric(
            "Updates / s",
            f"{(len(ticks) - 1) / span:.1f}",
            width=130,
            help=f"{(ticks[-1][1] - ticks[0][1]) / span:,.0f} epochs per second. "
            "Redraws adapt to the server's load: with more students training, "
            "updates are rarer and each one trains more epochs.",
        )
    else:
        row.metric("Updates / s", "–", help="Shown while training.", width=130)

    # Live: light SVG pictures (an <img> the browser decodes at once, no blinking); paused: the
    # interactive Plotly figures (hover for values).
    resolution = session.live_resolution() if live else pg.GRID_SIZE
    boundary = session.boundary(resolution)
    curves = session.curves.arrays()
    left, right = st.columns([4, 5])
    with left:
        if live:
            st.html(
                figures.svg_image_html(
                    figures.svg_boundary(boundary, session.dataset, cfg.show_test, cfg.discretize),
                    420,
                    "decision boundary with the training points",
                )
                + figures.svg_image_html(
                    figures.svg_curves(curves, session.task), 460, "loss and accuracy curves"
                )
            )
        else:
            st.plotly_chart(
                figures.boundary_figure(boundary, session.dataset, cfg.show_test, cfg.discretize, height=380),
                config=dict(CHART_CONFIG),
            )
            st.plotly_chart(
                figures.curves_figure(curves, session.task, height=240), config=dict(CHART_CONFIG)
            )
    with right:
        if shown("diagram"):
            maps = session.neuron_maps(resolution=min(24, resolution))
            titles = (
                ["Input"]
                + [f"Hidden {i + 1}<br>{n} {a}" for i, (n, a) in enumerate(zip(cfg.hidden, cfg.activations))]
                + ["Output"]
            )
            selected = state.get("pg_selected")
            selected = (selected[0] + 1, selected[1]) if selected else None
            args = (
                maps,
                session.column_names(),
                session.network.weights,
                session.network.biases,
                titles,
                selected,
            )
            legend = (
                "Each square: that neuron's output over the plane (blue +, orange −). "
                "Lines: weights (blue +, orange −, thicker = larger |w|)."
            )
            if live:  # picture and legend in one element (one message per update, not two)
                st.html(
                    figures.svg_image_html(figures.svg_network(*args), 560, "network diagram")
                    + figures.caption_html(legend)
                )
            else:
                st.plotly_chart(figures.network_figure(*args), config=dict(CHART_CONFIG))
                st.caption(legend + " Hover for values.")
    if live:
        st.caption(
            f"⚡ {monitor.active_sessions()} student(s) training on this server · "
            f"update every {tick_plan.interval_s:.2f} s · {tick_plan.budget_ms:.0f} ms of "
            f"training per update (up to {tick_plan.max_epochs} epochs)"
        )
        cost = pacing.update_cost(time.thread_time() - started_cpu, time.perf_counter() - started)
        monitor.record_update(cost, train_s)


if session is not None:
    live_view()


# ----------------------------------------------------------------------------- panels
def neuron_panel(session) -> None:
    choices = session.layer_choices()
    c_layer, c_neuron = st.columns(2)
    layer = c_layer.selectbox(
        "Layer", [i for i, _ in choices], key="pg_inspect_layer", format_func=lambda i: dict(choices)[i]
    )
    names = session.column_names()[layer + 1]
    neuron = c_neuron.selectbox(
        "Neuron", list(range(len(names))), key="pg_inspect_neuron", format_func=lambda j: names[j]
    )
    state.pg_selected = (layer, neuron)
    resolution = session.live_resolution() if playing else pg.GRID_SIZE
    detail = session.neuron_detail(layer, neuron, resolution)
    c_map, c_edit = st.columns([3, 2])
    c_map.plotly_chart(
        figures.neuron_figure(
            detail["map"], detail["extent"], f"{detail['name']} ({detail['activation']})", session.dataset
        ),
        config=dict(CHART_CONFIG),
    )
    with c_edit:
        st.metric("Bias", f"{detail['bias']:+.4f}")
        st.dataframe(
            {"from": detail["inputs"], "weight": detail["weights"].round(4)},
            hide_index=True,
            height=min(300, 38 + 35 * len(detail["inputs"])),
        )
        if playing:
            st.caption("Pause to edit weights.")
        source = st.selectbox(
            "Edit the weight from",
            list(range(len(detail["inputs"]))),
            format_func=lambda i: detail["inputs"][i],
            key="pg_edit_source",
            disabled=playing,
        )
        # The key includes the current value: after an edit (or more training) the box shows
        # the weight as it is now, not what was typed before.
        current = float(detail["weights"][source])
        key = f"pg_edit_w_{layer}_{neuron}_{source}_{current:.6g}"
        st.number_input(
            "New weight",
            -pg.MAX_WEIGHT,
            pg.MAX_WEIGHT,
            value=current,
            step=0.1,
            format="%.4f",
            key=key,
            disabled=playing,
        )

        def set_weight():
            session.set_weight(layer, source, neuron, state[key])

        bias_key = f"pg_edit_b_{layer}_{neuron}_{detail['bias']:.6g}"

        def set_bias():
            session.set_bias(layer, neuron, state[bias_key])

        st.button("Set weight", on_click=set_weight, disabled=playing, key="pg_set_weight")
        st.number_input(
            "New bias",
            -pg.MAX_WEIGHT,
            pg.MAX_WEIGHT,
            value=float(detail["bias"]),
            step=0.1,
            format="%.4f",
            key=bias_key,
            disabled=playing,
        )
        st.button("Set bias", on_click=set_bias, disabled=playing, key="pg_set_bias")


def compare_panel(session) -> None:
    st.caption(
        "scikit-learn's MLPClassifier (or MLPRegressor) and a fresh copy of this network "
        "(same starting weights), each trained on the same features with the same layers, "
        "learning rate, batch size and seed for the same number of epochs."
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
            state.pg_compare = experiments.compare_with_sklearn(session, int(epochs), time_budget_s=20.0)
    result = state.get("pg_compare")
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
            c_score.metric(f"Test {metric}", f"{score:.3f}")
            c_time.metric("Training time", f"{seconds:.2f} s")
    for note in result.notes:
        st.caption(f"ℹ️ {note}")


def race_panel(session) -> None:
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
            state.pg_race = experiments.optimizer_race(
                config,
                session.dataset,
                chosen,
                int(epochs),
                time_budget_s=10.0,
                data_token=session.data_token,
            )
    results = state.get("pg_race")
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


def search_panel(session) -> None:
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
            st.error(str(error))
        else:
            with st.spinner("Training every architecture…"):
                state.pg_search = experiments.architecture_search(
                    config,
                    session.dataset,
                    candidates,
                    int(epochs),
                    float(budget),
                    data_token=session.data_token,
                )
    rows = state.get("pg_search")
    if rows:
        metric = pg.metric_name(session.task)
        st.dataframe(
            [
                {
                    "hidden layers": ",".join(map(str, r.hidden)) or "none",
                    "parameters": r.parameters,
                    "epochs": r.epochs,
                    f"test {metric}": round(r.test_metric, 3),
                    "test loss": round(r.test_loss, 4),
                    "seconds": round(r.seconds, 2),
                    "note": r.note,
                }
                for r in rows
            ],
            hide_index=True,
        )
        best = rows[0].hidden

        def load_best():
            on_pause()
            state[W + "layers"] = len(best)
            activation = config.activations[0] if config.activations else "tanh"
            for i, units in enumerate(best):
                state[W + f"units_{i}"] = units
                state[W + f"act_{i}"] = activation

        st.button(
            f"Load the best ({','.join(map(str, best)) or 'no hidden layer'}) into the page",
            on_click=load_best,
            key="pg_search_load",
        )


def gif_panel(session) -> None:
    st.caption(
        "A fresh copy of this network (same starting weights) trained from epoch 0; one "
        "frame of its decision boundary every few epochs."
    )
    c_epochs, c_frames = st.columns(2)
    epochs = c_epochs.number_input("Epochs", 10, 3000, value=300, step=10, key="pg_gif_epochs")
    frames = c_frames.slider("Frames", 5, 60, 30, key="pg_gif_frames")
    if st.button("🎞️ Make the GIF", key="pg_gif_run"):
        with st.spinner("Training and drawing frames…"):
            state.pg_gif = experiments.boundary_gif(
                config,
                session.dataset,
                int(epochs),
                int(frames),
                time_budget_s=15.0,
                data_token=session.data_token,
            )
    result = state.get("pg_gif")
    if result is not None:
        st.image(result.data, caption=f"{result.frames} frames, epochs 0–{result.epochs}", width=300)
        st.download_button(
            "⬇️ Download the GIF",
            result.data,
            "decision_boundary.gif",
            mime="image/gif",
            key="pg_gif_download",
        )


def share_panel() -> None:
    base = None
    try:
        base = st.context.url  # the page's address in the student's browser (no query)
    except AttributeError:
        base = None
    st.markdown("**This configuration** (data, seed, network and training settings):")
    st.code(pg.share_link(config, base, hide=config.hide), language=None, wrap_lines=True)
    st.markdown("**Classroom link**: the same, with some controls hidden for students.")
    chosen = st.multiselect(
        "Hide",
        pg.HIDEABLE,
        default=list(config.hide),
        key="pg_share_hide",
        format_func=lambda n: n.replace("_", " "),
    )
    st.code(pg.share_link(config, base, hide=chosen), language=None, wrap_lines=True)


if session is not None:
    panels = [
        ("inspector", "🔍 Neuron"),
        ("compare", "⚖️ vs scikit-learn"),
        ("race", "🏁 Optimizer race"),
        ("search", "🧪 Architecture search"),
        ("gif", "🎞️ GIF"),
        ("share", "🔗 Share"),
    ]
    panels = [(name, label) for name, label in panels if shown(name)]
    if panels:
        tabs = st.tabs([label for _, label in panels])
        for tab, (name, _) in zip(tabs, panels):
            with tab:
                if name == "inspector":
                    neuron_panel(session)
                elif name == "compare":
                    compare_panel(session)
                elif name == "race":
                    race_panel(session)
                elif name == "search":
                    search_panel(session)
                elif name == "gif":
                    gif_panel(session)
                else:
                    share_panel()
