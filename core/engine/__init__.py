"""The engine: a from-scratch NumPy neural-network library (imports nothing else of core)."""
