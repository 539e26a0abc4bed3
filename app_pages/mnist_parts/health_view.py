"""MNIST training health (issue 15, item 2): being built."""

from core import mnist


def health_view(run: mnist.ImageTrainingRun, playing: bool) -> None:
    """Drawn inside the live training fragment, under the curves."""
