"""Neural Playground's core: everything that is not a page (never imports streamlit).

Start with `core.engine`, the from-scratch NumPy neural-network library; its `__init__` lists the
public API and the order to read it in. The other packages are the rooms built on it:
`data` (data sets and their validation), `vision` (digit images), `playground` (the Playground's
configuration, URL, live session, experiments and pacing), `mnist` (training and evaluating image
models), `figures` (Plotly and SVG charts); `lesson.py` computes the Learn page's numbers,
`estimators.py` wraps the engine for scikit-learn, `cli.py` is `python -m core`.
See docs/ARCHITECTURE.md.
"""

from core.engine.version import __version__

__all__ = ["__version__"]
