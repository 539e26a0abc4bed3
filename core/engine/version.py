"""The engine's version, written into every saved model file (see model_io)."""

__version__ = "0.1.0"
