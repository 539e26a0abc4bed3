"""One student's state, in st.session_state under keys starting with "pg_": the first visit, the
callbacks of the buttons, and the live session that follows the configuration."""

from __future__ import annotations

import uuid
from collections import deque

import streamlit as st

from app_pages import plain_text
from app_pages.playground_parts import W, history_panel, resources
from core import playground as pg
from core.data import DataError
from core.playground import widgets

# The "Your points" editor starts with two clusters, so that Play works at once.
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
RESULT_KEYS = ("pg_compare", "pg_race", "pg_search", "pg_gif")  # the experiment panels' results


def set_widgets(values: dict, only_missing: bool = False) -> None:
    """Put widget values (by widget name) into the widgets' keys, before they are drawn."""
    state = st.session_state
    for name, value in values.items():
        if not only_missing or W + name not in state:
            state[W + name] = value


def widget_state() -> dict:
    """The value of every control's widget now, by widget name."""
    state = st.session_state
    return {key[len(W) :]: state[key] for key in list(state.keys()) if key.startswith(W)}


def start(query: dict) -> pg.PlaygroundConfig:
    """The configuration in force at the start of a run. On the first visit of a session the
    link decides (validated; a forged link only warns). Widgets that were not on screen in the
    previous run (e.g. a newly added layer) get their values from the configuration."""
    state = st.session_state
    if "pg_config" not in state:
        first, url_warnings = pg.decode_query(query)
        state.pg_config = first
        state.pg_url_warnings = url_warnings
        state.pg_session_id = uuid.uuid4().hex
        state.pg_playing = False
        state.pg_drawn = list(first.points) or list(DEFAULT_POINTS)
        state.pg_ticks = deque(maxlen=30)  # (time, epoch) of recent updates, for the rate shown
        set_widgets(widgets.widget_values(first))
    set_widgets(widgets.widget_values(state.pg_config), only_missing=True)
    return state.pg_config


def stop_notice(session: pg.PlaygroundSession | None):
    """("warning" or "info", why) when training stopped by itself: it broke down (diverged, or the
    health checks found exploding weights, a dead layer, ...) or stopped early."""
    if session is None or not session.stopped:
        return None
    if not session.diverged:
        report = session.test_report()
        return ("info", f"{session.stop_reason} {report}" if report else session.stop_reason)
    text = f"**{session.stop_title}** {session.stop_reason}"
    if session.diagnosis is None:  # the engine's message says what to change, not which button
        text += " Then press ▶ Play again, or ↺ Reset to start again from the initial weights."
    return ("warning", text)


# ----------------------------------------------------------------------------- callbacks
def on_play() -> None:
    state = st.session_state
    session = state.get("pg_session")
    if session is not None:
        session.resume()  # after a divergence or early stop, Play continues
    state.pg_playing = True
    state.pg_notice = None
    state.pg_ticks = deque(maxlen=30)


def on_pause() -> None:
    state = st.session_state
    state.pg_playing = False
    resources.load_monitor().leave(state.pg_session_id)


def on_step() -> None:
    state = st.session_state
    session = state.get("pg_session")
    on_pause()
    if session is not None:
        session.train_epochs(1)
        state.pg_notice = stop_notice(session)


def on_reset() -> None:
    """Same seed, so the same starting weights: a clean rerun of the experiment."""
    on_pause()
    history_panel.remember(st.session_state.get("pg_session"))  # the run just ended joins the history
    st.session_state.pg_session = None
    st.session_state.pg_notice = None


def on_regenerate() -> None:
    state = st.session_state
    state[W + "seed"] = min(pg.MAX_SEED, int(state[W + "seed"]) + 1)


def load_architecture(values: dict) -> None:
    """Callback: pause and put these layer widget values into the sidebar (the next run rebuilds)."""
    on_pause()
    set_widgets(values)


# ----------------------------------------------------------------------------- the live session
def ensure_session(config: pg.PlaygroundConfig) -> pg.PlaygroundSession | None:
    """The student's live session for this config: kept (hyperparameters updated in place) while
    the structure is the same, rebuilt (seeded, paused) when data or network shape change.
    None, with the reason shown, when the data or the network cannot be built."""
    state = st.session_state
    try:
        return _ensure_session(config)
    except DataError as error:  # a bad CSV, too few points ...: say what is wrong, no traceback
        plain_text.error(error)  # CSV cells are quoted in it: shown as text, never as Markdown
    except ValueError as error:  # e.g. a network the engine refuses
        plain_text.error(f"Cannot build this network: {error}")
    state.pg_session = None
    state.pg_playing = False
    return None


def _ensure_session(config: pg.PlaygroundConfig) -> pg.PlaygroundSession:
    state = st.session_state
    token = state.get("pg_csv_token") if config.dataset == "csv" else None
    session = state.get("pg_session")
    if session is not None and session.key == pg.structure_key(config, token):
        session.update(config)
        return session
    dataset = resources.dataset(config, state.get("pg_csv_bytes"), token)
    session = pg.PlaygroundSession(config, dataset, token)
    history_panel.remember(state.get("pg_session"))  # the run it replaces joins the history
    if state.get("pg_session") is not None or state.get("pg_playing"):
        on_pause()  # a new network starts paused, at epoch 0, like TF Playground's reset
    state.pg_session = session
    state.pg_notice = None
    for key in RESULT_KEYS:
        state.pop(key, None)  # results of another network
    return session
