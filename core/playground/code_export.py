"""Export a trained Playground network: as a standalone Python file, as the data set's CSV, as a model file.

The Python file needs only NumPy. It holds the trained weights inline and the whole forward pass
written out, so a student can read, run and change the network outside the app:

    features = expand(x1, x2)            # the Playground's input features (x1, x1², sin x1, ...)
    a = f(a @ W + b)                     # each hidden layer; W has shape (inputs, neurons)
    output = head(a @ W_out + b_out)     # sigmoid, softmax or the identity

Weights are written with NumPy's shortest float32 representation (`format_float_positional`,
`unique=True`), which reads back to exactly the same float32 numbers; the file then computes in
float64, so its predictions match the app's float32 ones to about 1e-7.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import re
from types import MappingProxyType

import numpy as np

from core.data import Dataset2D
from core.engine.model_io import SavedModel, model_file_name, model_to_bytes
from core.engine.network import Network

# The Python expression of each input feature (core/data/features.py), on the columns x1 and x2.
FEATURE_CODE = MappingProxyType(
    {
        "x1": "x1",
        "x2": "x2",
        "x1^2": "x1 * x1",
        "x2^2": "x2 * x2",
        "x1*x2": "x1 * x2",
        "sin(x1)": "np.sin(x1)",
        "sin(x2)": "np.sin(x2)",
    }
)

# Each activation as one line of NumPy (core/engine/activations.py computes the same functions).
ACTIVATION_CODE = MappingProxyType(
    {
        "relu": ("relu", "return np.maximum(z, 0.0)  # max(0, z)"),
        "leaky_relu": ("leaky_relu", "return np.maximum(z, 0.01 * z)  # z if z > 0 else 0.01 z"),
        "tanh": ("tanh", "return np.tanh(z)"),
        "sigmoid": ("sigmoid", "return 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))  # 1 / (1 + e^-z)"),
        "linear": ("identity", "return z"),
    }
)

HEAD_CODE = MappingProxyType(
    {
        "sigmoid": "sigmoid(z)  # P(class 1)",
        "softmax": "softmax(z)  # one probability per class",
        "linear": "z  # the predicted value",
        "exp": "np.exp(z)  # the predicted rate",
    }
)


def _array_literal(values: np.ndarray, indent: str) -> str:
    """A float32 array as a nested Python list, one row per line, digits that round-trip exactly."""
    values = np.asarray(values, dtype=np.float32)

    def number(v) -> str:
        return np.format_float_positional(v, unique=True, trim="0")

    if values.ndim == 1:
        return "[" + ", ".join(number(v) for v in values) + "]"
    rows = [indent + "    [" + ", ".join(number(v) for v in row) + "]," for row in values]
    return "[\n" + "\n".join(rows) + "\n" + indent + "]"


def export_python(
    network: Network,
    features,
    class_names=(),
    dataset_name: str = "the Playground",
    epoch: int = 0,
    metric: str = "",
    date: _dt.date | None = None,
    shown_numbers: int | None = None,
) -> str:
    """The source of a standalone Python file that computes `network`'s output from raw (x1, x2).

    With `shown_numbers`, an array of more numbers is written as `...` (a preview for the page: a
    network of 8 x 256 neurons has half a million weights, 6 MB of text).
    """
    features = list(features)
    unknown = [name for name in features if name not in FEATURE_CODE]
    if unknown:
        raise ValueError(f"unknown input feature {unknown[0]!r}")
    if len(features) != network.n_inputs:
        raise ValueError(f"the network has {network.n_inputs} inputs but {len(features)} features were given")
    date = date or _dt.date.today()
    score = f"; {_plain(metric)}" if metric else ""
    activations = network.activation_names  # hidden layers only
    output = network.head.output_name
    sizes = layer_sizes(network)
    task = network.head.task
    lines = [
        '"""A neural network trained in Neural Playground, exported as plain NumPy.',
        "",
        f"Data set: {_plain(dataset_name)}; trained {epoch} epoch(s){score}; exported {date.isoformat()}.",
        f"Layers: {' -> '.join(str(s) for s in sizes)} "
        f"(hidden layers: {_activation_text(activations)}; output: {output}).",
        "",
        "Each layer computes z = a @ W + b: a holds one row per point, W has one row per input and",
        "one column per neuron, and b (one number per neuron) is added to every row (broadcasting).",
        "A hidden layer then passes a = f(z) on to the next; the last layer's z goes through the head.",
        "",
        "Run it:  python this_file.py points.csv   (rows of x1,x2; a header row is skipped)",
        '"""',
        "",
        "import sys",
        "",
        "import numpy as np",
        "",
        f"FEATURES = {json.dumps(features)}  # the network's inputs, computed from x1 and x2",
        f"CLASS_NAMES = {json.dumps([str(name) for name in class_names])}",
        "",
        "# The trained weights (float32 values, written so they read back exactly).",
    ]
    for index, layer in enumerate(network.layers, 1):
        for name, values in ((f"W{index}", layer.weights), (f"b{index}", layer.bias)):
            if shown_numbers is not None and values.size > shown_numbers:
                shape = " x ".join(str(n) for n in values.shape)
                lines.append(
                    f"{name} = ...  # {shape} = {values.size:,} trained numbers: in the downloaded file"
                )
            else:
                lines.append(f"{name} = np.array({_array_literal(values, '')}, dtype=np.float32)")
    lines += ["", ""]
    used = sorted(set(activations) | ({"sigmoid"} if output == "sigmoid" else set()))
    for name in used:
        function, body = ACTIVATION_CODE[name]
        lines += [f"def {function}(z):", f"    {body}", "", ""]
    if output == "softmax":
        lines += [
            "def softmax(z):",
            "    e = np.exp(z - z.max(axis=1, keepdims=True))  # minus the max: no overflow",
            "    return e / e.sum(axis=1, keepdims=True)",
            "",
            "",
        ]
    lines += [
        "def input_features(points):",
        '    """(n, 2) raw points -> (n, k) the network\'s input features."""',
        "    x1, x2 = points[:, 0], points[:, 1]",
        "    return np.column_stack([" + ", ".join(FEATURE_CODE[name] for name in features) + "])",
        "",
        "",
        "def predict_output(points):",
        '    """The network\'s output for (n, 2) points: ' + _output_meaning(task) + '"""',
        "    a = input_features(np.asarray(points, dtype=np.float64))",
    ]
    last = len(network.layers)
    for index in range(1, last):
        function = ACTIVATION_CODE[activations[index - 1]][0]
        lines.append(f"    a = {function}(a @ W{index} + b{index})  # hidden layer {index}")
    lines += [
        f"    z = a @ W{last} + b{last}  # the output layer",
        f"    return {HEAD_CODE[output]}",
        "",
        "",
        "def predict(points):",
        '    """' + _predict_meaning(task) + '"""',
        "    output = predict_output(points)",
        f"    {_predict_body(task)}",
        "",
        "",
        "def read_points(lines):",
        '    """x1,x2 rows of CSV text -> (n, 2) points (skips blank lines, # comments, a header)."""',
        '    rows = [line.replace(";", ",").split(",")[:2] for line in lines]',
        '    rows = [row for row in rows if row[0].strip() and not row[0].lstrip().startswith("#")]',
        "    try:",
        "        float(rows[0][0])",
        "    except (IndexError, ValueError):",
        "        rows = rows[1:]  # a header row such as x1,x2 (or no rows at all)",
        "    return np.array(rows, dtype=np.float64).reshape(-1, 2)",
        "",
        "",
        'if __name__ == "__main__":',
        "    if len(sys.argv) > 1:",
        "        with open(sys.argv[1]) as source:",
        "            points = read_points(source.readlines())",
        "    else:",
        "        points = read_points(sys.stdin.readlines())",
        "    for point, output, label in zip(points, predict_output(points), predict(points)):",
        '        values = ",".join(repr(float(v)) for v in output)',
        '        print(f"{float(point[0])!r},{float(point[1])!r},{values},{label}")',
    ]
    return "\n".join(lines) + "\n"


def _activation_text(activations) -> str:
    """ "none", "tanh" (every hidden layer) or "relu, tanh" (layer by layer)."""
    if not activations:
        return "none"
    return activations[0] if len(set(activations)) == 1 else ", ".join(activations)


def _plain(text) -> str:
    """`text` made safe inside the file's docstring (a data set's name may come from an uploaded file)."""
    text = "".join(c if c.isprintable() else " " for c in str(text))
    return text.replace("\\", "/").replace('"', "'")[:200]


def _output_meaning(task: str) -> str:
    return {
        "binary": "one column, P(class 1).",
        "multiclass": "one column per class, the probabilities.",
        "multilabel": "one column per label, its probability.",
    }.get(task, "the predicted value(s).")


def _predict_meaning(task: str) -> str:
    if task == "binary":
        return "The class of each point: 1 where P(class 1) > 0.5, else 0."
    if task == "multiclass":
        return "The class of each point: the one with the highest probability."
    if task == "multilabel":
        return "Each label: 1 where its probability > 0.5."
    return "The predicted value of each point."


def _predict_body(task: str) -> str:
    if task == "binary":
        return "return (output[:, 0] > 0.5).astype(int)"
    if task == "multiclass":
        return "return output.argmax(axis=1)"
    if task == "multilabel":
        return "return (output > 0.5).astype(int)"
    return "return output[:, 0] if output.shape[1] == 1 else output"


def dataset_csv(dataset: Dataset2D) -> bytes:
    """The data set as the CSV the Playground's "Upload CSV" reads back: x1, x2, label (or target),
    training points first, then the test points; comment lines say which rows are which."""
    out = io.StringIO()
    label = "target" if dataset.task == "regression" else "label"
    out.write(
        f"# {dataset.name}: {dataset.n_train} training points, then {len(dataset.y_test)} test points\n"
    )
    if dataset.task != "regression":
        names = ", ".join(f"{k} = {name}" for k, name in enumerate(dataset.class_names))
        out.write(f"# labels: {names}\n")
    out.write(f"x1,x2,{label}\n")
    for X, y in ((dataset.X_train, dataset.y_train), (dataset.X_test, dataset.y_test)):
        for (x1, x2), value in zip(np.asarray(X, dtype=np.float64), np.asarray(y).reshape(-1)):
            cell = repr(float(value)) if dataset.task == "regression" else str(int(value))
            out.write(f"{float(x1)!r},{float(x2)!r},{cell}\n")
    return out.getvalue().encode("utf-8")


def playground_model(network: Network, features, dataset: Dataset2D, epoch: int, scores: dict) -> SavedModel:
    """The network as an engine model file (core/engine/model_io.py): its inputs are the features."""
    class_names = [] if dataset.task == "regression" else list(dataset.class_names)
    return SavedModel(
        network=network.copy(),
        class_names=class_names,
        input_shape=[len(list(features))],
        provenance={
            "dataset": dataset.name,
            "features": list(features),
            "epochs": int(epoch),
            **{key: round(float(value), 5) for key, value in scores.items() if np.isfinite(value)},
            "trained_with": "Neural Playground Playground page",
        },
    )


def layer_sizes(network: Network) -> list[int]:
    return [int(n) for n in network.layer_sizes]


def model_file_name_for(network: Network, dataset: Dataset2D, score=None) -> str:
    """The model file's name: data set, layer sizes, score (e.g. "acc97.3") and date."""
    return model_file_name(dataset.name, layer_sizes(network), score)


def data_file_name(dataset: Dataset2D) -> str:
    """The data set CSV's name, e.g. "moons-data.csv" (the name made safe the same way)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", str(dataset.name)).strip("._-")[:80]
    return f"{safe or 'dataset'}-data.csv"


def model_download(network: Network, features, dataset: Dataset2D, epoch: int, scores: dict, score=None):
    """(file name, bytes) of the model file, named after the run (`score`: e.g. "acc97.3")."""
    model = playground_model(network, features, dataset, epoch, scores)
    return model_file_name_for(network, dataset, score), model_to_bytes(model)
