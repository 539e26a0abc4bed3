"""1-D function fitting panel (issue 15, item 4): being built."""

import streamlit as st

from core import playground as pg


def fit1d_panel(config: pg.PlaygroundConfig) -> None:
    st.info("1-D fitting: being built.")
