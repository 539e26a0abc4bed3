"""The Playground's Export tab through AppTest: three downloads, and the code shown is the network's."""

import numpy as np

from tests.pages.test_playground import open_page, session

EXPORT_TAB = "📦 Export"


def test_the_export_tab_offers_code_data_and_model():
    at = open_page(bs="250")
    session(at).train_epochs(5)
    at.session_state["pg_tab"] = EXPORT_TAB
    at.run()
    assert not at.exception and not at.error
    downloads = [element for element in at.get("download_button")]
    labels = [d.proto.label for d in downloads]
    assert labels == ["🐍 Python file (NumPy only)", "📄 Data set (CSV)", "💾 Model file (.npz)"]
    code = at.code[-1].value
    assert code.startswith('"""A neural network trained in Neural Playground')
    assert "trained 5 epoch(s)" in code
    # The code holds this network's first weight as written by NumPy's shortest float32 form.
    first = session(at).network.layers[0].weights[0, 0]
    assert np.format_float_positional(first, unique=True, trim="0") in code
    assert "epoch 5" in at.caption[-1].value or any("epoch 5" in c.value for c in at.caption)


def test_while_playing_the_caption_says_the_weights_are_those_of_the_click():
    at = open_page(bs="250")
    at.session_state["pg_tab"] = EXPORT_TAB
    at.run()
    assert not any("moment you click" in c.value for c in at.caption)
    at.session_state["pg_playing"] = True
    at.run()
    assert not at.exception
    assert any("moment you click" in c.value for c in at.caption)
    assert len(at.get("download_button")) == 3


def test_a_big_network_is_shown_without_its_big_arrays():
    at = open_page(layers="32,32")
    at.session_state["pg_tab"] = EXPORT_TAB
    at.run()
    assert not at.exception
    code = at.code[-1].value
    assert "W2 = ...  # 32 x 32 = 1,024 trained numbers: in the downloaded file" in code
    assert "W1 = np.array(" in code  # 2 x 32 = 64 numbers: shown
    assert any("downloaded file holds them all" in c.value for c in at.caption)
