"""Load a saved model on the MNIST page (issue 16, item 3): being built."""


def load_panel(dataset) -> None:
    """Drawn between the settings and the training section."""
