"""Training health panel (issue 15, item 2): being built."""

import streamlit as st

from core import playground as pg


def health_panel(session: pg.PlaygroundSession, playing: bool) -> None:
    st.info("Training health: being built.")
