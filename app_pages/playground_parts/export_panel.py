"""Export panel (issue 15, item 5): being built."""

import streamlit as st

from core import playground as pg


def export_panel(session: pg.PlaygroundSession, config: pg.PlaygroundConfig) -> None:
    st.info("Export as code: being built.")
