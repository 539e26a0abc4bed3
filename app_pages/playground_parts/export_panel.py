"""The Export tab: the trained network as a standalone NumPy file, the data set as CSV, the model file.

The files are built by core/playground/code_export.py when a button is clicked (`data` is a function
and `on_click="ignore"`: no rerun, training goes on), so while the network trains each download
holds the weights of the moment of its click; the code shown below is the one of this page run.
"""

import math

import streamlit as st

from core import playground as pg
from core.engine.model_io import score_tag
from core.playground import code_export
from core.playground.session import metric_name


def _score(session: pg.PlaygroundSession) -> tuple[str, float, str]:
    """(metric name, held-out value (training value before any test score), its text)."""
    latest = session.latest
    metric = metric_name(session.task)
    held = latest.test_metric if not math.isnan(latest.test_metric) else latest.train_metric
    if math.isnan(held):
        return metric, held, "not trained yet"
    shown = f"accuracy {held:.1%}" if metric == "accuracy" else f"R² {held:.3f}"
    return metric, held, f"{session.held_out} {shown}"


# The page shows arrays of up to this many numbers (a 16 x 16 layer); bigger ones are "..." there.
SHOWN_NUMBERS = 256


def _python_file(session: pg.PlaygroundSession, features: list[str], shown_numbers: int | None = None) -> str:
    _, _, shown = _score(session)
    dataset = session.dataset
    network = session.network.copy()  # one consistent snapshot, even while the fragment trains
    return code_export.export_python(
        network,
        features,
        dataset.class_names,
        dataset.name,
        session.epoch,
        shown,
        shown_numbers=shown_numbers,
    )


def _model_file(session: pg.PlaygroundSession, features: list[str]) -> bytes:
    metric, held, _ = _score(session)
    key = f"{session.held_out}_{'accuracy' if metric == 'accuracy' else 'r2'}"
    scores = {"train_loss": session.latest.train_loss, key: held}
    _, data = code_export.model_download(
        session.network.copy(), features, session.dataset, session.epoch, scores
    )
    return data


def export_panel(session: pg.PlaygroundSession, config: pg.PlaygroundConfig) -> None:
    features = list(config.features)
    metric, held, shown = _score(session)
    model_name = code_export.model_file_name_for(session.network, session.dataset, score_tag(metric, held))
    playing = bool(st.session_state.get("pg_playing"))
    st.caption(
        f"The network of epoch {session.epoch} ({shown}) as a Python file that needs only NumPy, "
        "the data set as CSV and the engine's model file."
        + (" It is training: each download holds the weights of the moment you click it." if playing else "")
    )
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "🐍 Python file (NumPy only)",
        data=lambda: _python_file(session, features),
        file_name=model_name.removesuffix(".npz") + ".py",
        mime="text/x-python",
        on_click="ignore",
        key="pg_export_code",
        help="The weights inline and the forward pass written out: `python file.py points.csv` "
        "prints each point's x1, x2, output(s) and class.",
    )
    c2.download_button(
        "📄 Data set (CSV)",
        data=lambda: code_export.dataset_csv(session.dataset),
        file_name=code_export.data_file_name(session.dataset),
        mime="text/csv",
        on_click="ignore",
        key="pg_export_data",
        help="x1, x2 and the label (or target) of every point, training points first. Upload it "
        "again with the data set 'Upload CSV'.",
    )
    c3.download_button(
        "💾 Model file (.npz)",
        data=lambda: _model_file(session, features),
        file_name=model_name,
        mime="application/octet-stream",
        on_click="ignore",
        key="pg_export_model",
        help="The engine's model file (no pickle): load it with core.engine.model_io.load_model; "
        "its inputs are the features named in its metadata.",
    )
    with st.expander("Show the Python file", expanded=False):
        st.code(_python_file(session, features, SHOWN_NUMBERS), language="python", line_numbers=True)
        if any(layer.weights.size > SHOWN_NUMBERS for layer in session.network.layers):
            st.caption(
                f"Arrays of more than {SHOWN_NUMBERS} numbers are `...` here; "
                "the downloaded file holds them all."
            )
