"""Neural Playground: entry point.

Sets the page config and the navigation over the pages in app_pages/, every page listed here
explicitly. The folder is deliberately NOT named `pages/`: Streamlit 1.67 still switches to its
legacy multipage mode when a `pages/` folder sits next to the entry script, and then a deep link
(/playground?...) opened first on a fresh server runs that page alone, without this file, until
some session has loaded `/`. With another name, st.navigation is the only way in.
"""

import streamlit as st

from core.runtime import collect_garbage_every, limit_blas_threads

st.set_page_config(page_title="Neural Playground", page_icon="🧠", layout="wide")


@st.cache_resource
def one_blas_thread_per_process() -> bool:
    """Once per server process: NumPy's OpenBLAS threads spin-wait on the small matrices of live
    training and slow every session down; a server's parallelism comes from serving many
    sessions at once (see core/runtime.py)."""
    return limit_blas_threads(1)


one_blas_thread_per_process()


@st.cache_resource
def garbage_collector_per_process() -> str:
    """Once per server process: with Streamlit's per-rerun collection off (runner.postScriptGC,
    which cost ~130 ms a rerun), closed sessions are freed by one full collection every 10 s
    instead (see core/runtime.py)."""
    return collect_garbage_every(10.0).name


garbage_collector_per_process()

PAGES = [
    st.Page("app_pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("app_pages/playground.py", title="Playground", icon="🎛️"),
    st.Page("app_pages/learn.py", title="Learn", icon="📐"),
    st.Page("app_pages/mnist.py", title="MNIST", icon="🔢"),
    st.Page("app_pages/draw.py", title="Draw", icon="✏️"),
    st.Page("app_pages/classroom.py", title="Classroom", icon="🏫"),
]

st.navigation(PAGES).run()
