"""Play / Pause, Step, Reset, what the run is (data, task, size), and why training stopped.

The buttons are OUTSIDE the live fragment: pressing one runs the whole page, which registers the
fragment with a timer (playing) or without one (paused)."""

from __future__ import annotations

from types import MappingProxyType

import streamlit as st

from app_pages.playground_parts import state
from core import playground as pg
from core.playground.config import HEAD_TEXT

TASK_TEXT = MappingProxyType(
    {
        "binary": "binary classification",
        "multiclass": "multi-class classification",
        "regression": "regression",
    }
)


def toolbar(session: pg.PlaygroundSession | None, playing: bool, notice, buttons) -> None:
    """The buttons (in the container `buttons`, a horizontal one that wraps on a phone instead
    of stacking one button per row) and captions for `session` (None: nothing can be trained);
    `notice` is the ("warning" or "info", text) of the last stop, if any."""
    if playing:
        buttons.button(
            "⏸ Pause",
            on_click=state.on_pause,
            type="primary",
            width=110,
            key="pg_pause",
            help="Stop training (the weights stay).",
        )
    else:
        buttons.button(
            "▶ Play",
            on_click=state.on_play,
            type="primary",
            width=110,
            key="pg_play",
            disabled=session is None,
            help="Train continuously.",
        )
    buttons.button(
        "⏭ Step",
        on_click=state.on_step,
        width=100,
        key="pg_step",
        disabled=session is None,
        help="Train exactly one epoch, then pause.",
    )
    buttons.button(
        "↺ Reset",
        on_click=state.on_reset,
        width=100,
        key="pg_reset",
        help="Back to epoch 0 with the same starting weights (same seed).",
    )
    if session is not None:
        held = (
            f" ({session.trainer.n_train} trained on, {len(session.y_held)} for validation)"
            if session.held_out == "validation"
            else ""
        )
        st.caption(
            f"{session.dataset.n_train} training{held} / {session.dataset.n_test} test points · "
            f"{TASK_TEXT[session.task]} · output: {HEAD_TEXT[session.head]} · "
            f"{session.network.n_params:,} parameters"
        )
        if session.head_note:
            st.info(session.head_note)
    if notice:
        kind, text = notice
        if kind == "warning":
            st.warning(text, icon="⚠️")
        else:
            st.info(text, icon="⏹️")
