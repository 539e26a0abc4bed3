"""Neural Playground's engine: a from-scratch NumPy neural-network library (no streamlit here)."""

__version__ = "0.1.0"
