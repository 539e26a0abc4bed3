"""Home page: what the app is and where to start."""

import streamlit as st

st.title("🧠 Neural Playground")
st.markdown(
    """
Learn how neural networks really work by building and training them live.
Every number on these pages comes from a small neural-network engine written from scratch in
NumPy, short enough to read alongside the app: it is `core/engine/` in the source, and its
`__init__.py` lists its public names and the order in which to read its modules.
"""
)

left, right = st.columns(2)
with left:
    with st.container(border=True):
        st.subheader("🎛️ Playground")
        st.write(
            "Pick a 2-D data set, shape a network, press Play and watch the decision boundary "
            "and the loss curve move as it learns."
        )
        st.page_link("app_pages/playground.py", label="Open the Playground", icon="➡️")
    with st.container(border=True):
        st.subheader("🔢 MNIST")
        st.write(
            "Train a network on real handwritten digits (or Fashion-MNIST) and study its "
            "mistakes: confusion matrix, misread images, what the first layer learned."
        )
        st.page_link("app_pages/mnist.py", label="Train on MNIST", icon="➡️")
with right:
    with st.container(border=True):
        st.subheader("✏️ Draw")
        st.write(
            "Draw a digit with your mouse or finger; a network trained on MNIST reads it and "
            "shows how sure it is."
        )
        st.page_link("app_pages/draw.py", label="Draw a digit", icon="➡️")
    with st.container(border=True):
        st.subheader("📐 Learn")
        st.write(
            "The math made visible: a neuron, the forward pass, the loss, backpropagation and "
            "one update step, with the real numbers of a tiny network."
        )
        st.page_link("app_pages/learn.py", label="See the math", icon="➡️")
