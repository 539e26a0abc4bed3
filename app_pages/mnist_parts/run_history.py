"""MNIST run history (issue 15, item 1): being built."""

import streamlit as st

from core import mnist


def keep(run: mnist.ImageTrainingRun | None) -> None:
    """Keep a run that is about to be replaced (None: nothing to keep)."""


def runs_tab(run: mnist.ImageTrainingRun) -> None:
    st.info("Run history: being built.")
