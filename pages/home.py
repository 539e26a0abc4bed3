"""Home page: what the app is and where to start."""

import streamlit as st

st.title("🧠 Neural Playground")
st.markdown(
    """
Learn how neural networks really work by building and training them live.
Every number on these pages comes from a small neural-network engine written from scratch in NumPy
(`core/`), which you can read alongside the app.
"""
)
