"""Run history panel (issue 15, item 1): being built."""

import streamlit as st

from core import playground as pg


def remember(session: pg.PlaygroundSession | None) -> None:
    """Keep a run that is about to be replaced or reset (None: nothing to keep)."""


def history_panel(session: pg.PlaygroundSession, config: pg.PlaygroundConfig) -> None:
    st.info("Run history: being built.")
