"""The MNIST challenge a student started on the Classroom page, above the MNIST page's training:
its goal, what may change, the target, hints one at a time, "Check my network" and "Leave the
challenge".

The pieces the Playground's panel already has are reused from it (the hints, the last result,
leaving, which challenges the class has); what differs is the run: the check runs here, on the
server, on the page's own ImageTrainingRun (core/classroom/checks.py), with the challenge's
locked settings forced back first (`Challenge.locked`), so a widget outside the challenge cannot
count. A student who joined a class has the result sent to the class board through the store.
"""

from __future__ import annotations

import streamlit as st

from app_pages import plain_text
from app_pages.playground_parts.challenge_panel import (
    HINTS_KEY,
    RESULT_KEY,
    check_and_submit,
    leave,
    show_hints,
    show_last_result,
)
from app_pages.session_keys import CLASSROOM_CHALLENGE_KEY
from core import mnist
from core.classroom.challenges import BY_KEY, Challenge
from core.classroom.checks import may_change, target_text

MNIST_PAGE = "app_pages/mnist.py"
START_KEY = "mnist_challenge_start"  # a challenge the page should set itself up for on its next run
# The page's widget of each TrainingConfig field (the "Training images" slider's key depends on
# the data set, so it is looked up by the page, not here).
WIDGETS = {
    "hidden_layers": "mnist_hidden",
    "activation": "mnist_activation",
    "optimizer": "mnist_optimizer",
    "learning_rate": "mnist_lr",
    "batch_size": "mnist_batch",
    "epochs": "mnist_epochs",
    "augment": "mnist_augment",
}


def n_train_key(dataset) -> str:
    """The "Training images" slider's key: its range depends on the data set, so each data set
    gets its own slider."""
    return f"mnist_n_train_{dataset.name}_{dataset.n_train}"


def active_challenge() -> Challenge | None:
    """The MNIST challenge this session started, if any."""
    found = BY_KEY.get(str(st.session_state.get(CLASSROOM_CHALLENGE_KEY, "")))
    return found if found is not None and found.page == "mnist" else None


def start_challenge(challenge: Challenge) -> None:
    """Open the MNIST page on the challenge: its data set and its base settings (the page reads
    START_KEY on its next run, where its data loaders are). Any run there ends, as Start over."""
    session_state = st.session_state
    session_state[CLASSROOM_CHALLENGE_KEY] = challenge.key
    session_state.setdefault(HINTS_KEY, {})[challenge.key] = 0
    session_state.pop(RESULT_KEY, None)
    session_state[START_KEY] = challenge.key
    st.switch_page(MNIST_PAGE)


def widget_values(config: mnist.TrainingConfig) -> dict:
    """The page's widget values that show `config` (hidden layers as the text field writes them)."""
    hidden = ", ".join(str(size) for size in config.hidden_layers) or "none"
    values = {name: getattr(config, field) for field, name in WIDGETS.items()}
    values["mnist_hidden"] = hidden
    return values


def locked_widgets(challenge: Challenge | None) -> frozenset[str]:
    """The TrainingConfig fields whose widget the page disables: shown, but not the student's."""
    return frozenset() if challenge is None else frozenset(challenge.locked_fields)


def challenge_panel(challenge: Challenge, run: mnist.ImageTrainingRun | None) -> None:
    """The panel of the active challenge."""
    title = f"🏫 Challenge: {plain_text.as_text(challenge.title)}"
    with st.expander(title, expanded=True, key="classroom_challenge_panel"):
        st.text(challenge.goal)
        st.caption(plain_text.as_text(f"Target: {target_text(challenge)}. {may_change(challenge)}"))
        show_hints(challenge)
        buttons = st.container(horizontal=True)
        checkable = run is not None and run.started
        checked = buttons.button(
            "✅ Check my network",
            key="classroom_check",
            type="primary",
            disabled=not checkable,
            help=None if checkable else "Train first: the check measures your own trained network.",
        )
        buttons.button("Leave the challenge", key="classroom_leave", on_click=leave)
        buttons.page_link("app_pages/classroom.py", label="Back to the class", icon="🏫")
        if checked and checkable:
            st.session_state[RESULT_KEY] = (
                challenge.key,
                *check_and_submit(challenge, run, submitted_config(run.config)),
            )
        show_last_result(challenge)


def submitted_config(config: mnist.TrainingConfig) -> dict:
    """The run's settings as the board stores them (plain JSON values)."""
    return {
        "page": "mnist",
        "hidden_layers": list(config.hidden_layers),
        "activation": config.activation,
        "optimizer": config.optimizer,
        "learning_rate": config.learning_rate,
        "batch_size": config.batch_size,
        "epochs": config.epochs,
        "augment": config.augment,
    }
