"""Neural Playground: entry point.

Sets the page config and the navigation over the pages in pages/. The pages folder is not
auto-discovered (st.navigation replaces that), so every page is listed here explicitly.
"""

import streamlit as st

st.set_page_config(page_title="Neural Playground", page_icon="🧠", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/playground.py", title="Playground", icon="🎛️"),
    st.Page("pages/learn.py", title="Learn", icon="📐"),
    st.Page("pages/mnist.py", title="MNIST", icon="🔢"),
    st.Page("pages/draw.py", title="Draw", icon="✏️"),
]

st.navigation(PAGES).run()
