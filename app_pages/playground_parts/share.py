"""The share tab: this configuration as a link, and a classroom link that hides some controls."""

from __future__ import annotations

import streamlit as st

from core import playground as pg


def share_panel(config: pg.PlaygroundConfig) -> None:
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
