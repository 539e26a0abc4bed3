"""The MNIST page's "Runs" result tab (issue 15, item 1): the runs of this session (the last 10)
and the current one, loss and accuracy overlaid, the robustness curves of the runs that measured
them, a table with the differing settings highlighted, Restore, CSV and JSON
(app_pages/run_history_view.py draws it; core/mnist/run_record.py makes the records).

A run joins the history when Start over or new settings end it (app_pages/mnist.py calls `keep`).
"""

from __future__ import annotations

import streamlit as st

from app_pages import plain_text, run_history_view
from app_pages.mnist_parts import challenge_panel
from core import mnist
from core.mnist import run_record
from core.runs import RunRecord

KEY = "mnist_runs"


def keep(run: mnist.ImageTrainingRun | None) -> None:
    """Keep a run that is about to be replaced (None, or no epoch trained: nothing to keep)."""
    record = run_record.record_of(run)
    if record is not None:
        run_history_view.history_in(KEY).add(record)


def _restore(record: RunRecord) -> None:
    """Callback: end the current run as Start over does (it is kept), then put the kept run's
    settings into the widgets."""
    state = st.session_state
    try:
        config = run_record.restored_config(record)
    except (KeyError, ValueError) as error:  # ImageTrainingError is a ValueError
        state.mnist_restore_error = f"Cannot restore {record.label}: {error}"
        return
    keep(state.get("mnist_run"))
    state.mnist_run = None
    state.mnist_playing = False
    state.update(challenge_panel.widget_values(config))
    dataset = state.get("mnist_dataset")
    choice = None if dataset is None else mnist.train_image_choice(dataset.n_train)
    if choice is not None:  # within the slider's range: the run may be of another data set
        state[challenge_panel.n_train_key(dataset)] = choice.clamp(config.n_train)


def runs_tab(run: mnist.ImageTrainingRun) -> None:
    error = st.session_state.pop("mnist_restore_error", None)
    if error:
        plain_text.error(error)
    history = run_history_view.history_in(KEY)
    now = run_record.record_of(run, history.next_label())
    run_history_view.runs_view(history, now, "mnist_runs", _restore, held_out="validation", robustness=True)
