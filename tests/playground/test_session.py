"""The Playground's logic without Streamlit (core/playground): config, validation, URL, budget,
curves and the live session."""

import ast
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import playground as pg
from core.data import FEATURES, DataError, parse_csv
from core.playground import DEFAULT, PlaygroundConfig, PlaygroundSession, decode_query, encode_query


def session_for(**changes) -> PlaygroundSession:
    config = replace(DEFAULT, **changes)
    return PlaygroundSession(config, pg.make_data(config))


# ----------------------------------------------------------------------------- config & validation
def test_default_config_is_valid_and_has_a_help_text_per_control():
    clean, warnings = pg.validate(DEFAULT)
    assert clean == DEFAULT and warnings == []
    for name in (
        "dataset",
        "n_samples",
        "noise",
        "test_ratio",
        "seed",
        "features",
        "hidden",
        "activations",
        "init",
        "head",
        "learning_rate",
        "optimizer",
        "batch_size",
        "epochs_per_update",
        "l1",
        "l2",
        "dropout",
        "schedule",
        "early_stopping",
        "show_test",
        "discretize",
    ):
        assert pg.HELP[name], name
        assert name in pg.URL_KEYS


def test_validate_clamps_and_explains():
    bad = replace(
        DEFAULT,
        n_samples=10**6,
        noise=-1.0,
        seed=-5,
        hidden=(300,) * 10,
        activations=("bogus",),
        learning_rate=0.05,
        batch_size=0,
        dropout=2.0,
        features=("x9",),
        optimizer="nope",
        epochs_per_update=10_000,
    )
    clean, warnings = pg.validate(bad)
    assert clean.n_samples == 5000 and clean.noise == 0.0 and clean.seed == 0
    # 10 x 300 -> 8 layers (the maximum) x 256 (the widest), then scaled down to the size budget
    assert len(clean.hidden) == 8 and len(set(clean.hidden)) == 1 and clean.hidden[0] < 256
    assert pg.network_cost(2, clean.hidden) <= pg.MAX_NETWORK_COST
    assert clean.activations == ("tanh",) * 8
    assert clean.learning_rate == 0.03  # nearest on the log scale
    assert clean.batch_size == 1 and clean.dropout == 0.9 and clean.epochs_per_update == 500
    assert clean.features == ("x1", "x2") and clean.optimizer == DEFAULT.optimizer
    assert len(warnings) >= 10
    assert pg.validate(clean) == (clean, [])  # validating twice changes nothing


def test_network_budget_keeps_what_fits_and_narrows_what_was_just_changed():
    fits = replace(DEFAULT, hidden=(256,), activations=("tanh",))
    assert pg.validate(fits) == (fits, [])  # one layer of 256 fits
    for n_in, hidden in [
        (2, (256,) * 8),
        (7, (256,) * 8),
        (7, (256,)),
        (2, (64, 64, 64)),
        (7, (1, 256, 256, 1)),
        (2, (19,) * 8),
    ]:
        fitted = pg.fit_network_budget(n_in, hidden)
        assert pg.network_cost(n_in, fitted) <= pg.MAX_NETWORK_COST
        assert len(fitted) == len(hidden) and min(fitted) >= 1
        # as big as possible: one more neuron in every layer would not fit (unless unchanged)
        if fitted != hidden:
            assert pg.network_cost(n_in, [h + 1 for h in fitted]) > pg.MAX_NETWORK_COST
    # the student widened layer 2 of 48 x 48: that layer is narrowed, layer 1 stays
    before = replace(DEFAULT, hidden=(48, 48), activations=("tanh", "tanh"))
    after = replace(before, hidden=(48, 200))
    clean, warnings = pg.validate(after, previous=before)
    assert clean.hidden[0] == 48 and 48 <= clean.hidden[1] < 200
    assert pg.network_cost(2, clean.hidden) <= pg.MAX_NETWORK_COST
    assert pg.network_cost(2, (48, clean.hidden[1] + 1)) > pg.MAX_NETWORK_COST
    assert len(warnings) == 1 and "network size" in warnings[0] and "48 × 200" in warnings[0]
    # a new layer (copied from the one before) is the one narrowed
    grown = replace(before, hidden=(48, 48, 48), activations=("tanh",) * 3)
    clean, _ = pg.validate(grown, previous=before)
    assert clean.hidden[:2] == (48, 48) and clean.hidden[2] < 48
    # more input features make the same layers too big: all of them shrink alike
    wide = replace(DEFAULT, hidden=(256,), activations=("tanh",))
    assert pg.validate(wide)[1] == []
    clean, warnings = pg.validate(replace(wide, features=FEATURES), previous=wide)
    assert 200 < clean.hidden[0] < 256 and warnings


def test_classes_option_follows_the_dataset():
    assert pg.validate(replace(DEFAULT, dataset="spiral", classes=9))[0].classes == 4
    assert pg.validate(replace(DEFAULT, dataset="blobs", classes=1))[0].classes == 2
    assert pg.validate(replace(DEFAULT, dataset="moons", classes=3))[0].classes is None


# ----------------------------------------------------------------------------- URL
def test_url_round_trip_of_the_default():
    query = encode_query(DEFAULT)
    assert query["ds"] == "moons" and query["layers"] == "8,8" and query["lr"] == "0.03"
    assert decode_query(query) == (DEFAULT, [])
    assert decode_query({}) == (DEFAULT, [])


def test_url_example_from_the_issue():
    config, warnings = decode_query(
        {
            "ds": "moons",
            "n": "500",
            "noise": "0.2",
            "seed": "1",
            "layers": "8,8",
            "act": "tanh,tanh",
            "lr": "0.03",
            "opt": "sgd",
            "bs": "10",
            "hide": "dataset,noise",
        }
    )
    assert warnings == []
    assert config.hidden == (8, 8) and config.hide == ("dataset", "noise")
    assert pg.query_string(encode_query(config)).startswith("?ds=moons&n=500&noise=0.2")


valid_configs = st.builds(
    PlaygroundConfig,
    dataset=st.sampled_from(pg.DATA_SOURCES),
    n_samples=st.integers(50, 5000),
    noise=st.sampled_from([round(0.05 * k, 2) for k in range(21)]),
    test_ratio=st.sampled_from([round(0.1 + 0.05 * k, 2) for k in range(17)]),
    seed=st.integers(0, pg.MAX_SEED),
    features=st.lists(st.sampled_from(FEATURES), min_size=1, unique=True).map(
        lambda fs: tuple(f for f in FEATURES if f in fs)
    ),
    hidden=st.lists(st.integers(1, 256), max_size=8).map(tuple),
    learning_rate=st.sampled_from(pg.LEARNING_RATES),
    optimizer=st.sampled_from(pg.CHOICES["optimizer"]),
    batch_size=st.integers(1, 512),
    epochs_per_update=st.integers(1, 500),
    l1=st.sampled_from(pg.REGULARIZATION_RATES),
    l2=st.sampled_from(pg.REGULARIZATION_RATES),
    dropout=st.sampled_from([round(0.05 * k, 2) for k in range(19)]),
    schedule=st.sampled_from(pg.CHOICES["schedule"]),
    early_stopping=st.booleans(),
    patience=st.integers(1, 1000),
    show_test=st.booleans(),
    discretize=st.booleans(),
    init=st.sampled_from(pg.CHOICES["init"]),
    head=st.sampled_from(pg.HEADS),
    hide=st.lists(st.sampled_from(pg.HIDEABLE), unique=True, max_size=5).map(tuple),
).map(lambda c: replace(c, activations=("relu",) * len(c.hidden)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_configs)
def test_url_round_trip_of_any_valid_config(config):
    config = pg.validate(config)[0]
    decoded, warnings = decode_query(encode_query(config))
    assert warnings == []
    assert decoded == config


def test_clicked_points_travel_in_the_link():
    points = ((1.25, -2.5, 0.0), (3.0, 4.0, 1.0), (-1.0, 1.0, 1.0), (2.0, 2.0, 0.0))
    config = pg.validate(replace(DEFAULT, dataset="points", points=points))[0]
    decoded, warnings = decode_query(encode_query(config))
    assert warnings == [] and decoded.points == points


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(list(pg.FIELD_FOR_KEY) + ["zzz", "", "lr "]),
        st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3)),
        max_size=12,
    )
)
def test_forged_links_never_crash(params):
    config, warnings = decode_query(params)
    assert isinstance(warnings, list)
    assert pg.validate(config) == (config, [])  # whatever came in, the result is valid


@pytest.mark.parametrize(
    "params, check",
    [
        ({"lr": "1e9"}, lambda c: c.learning_rate == 10.0),
        ({"lr": "-1"}, lambda c: c.learning_rate == 1e-5),
        ({"lr": "nan"}, lambda c: c.learning_rate == DEFAULT.learning_rate),
        ({"n": "abc"}, lambda c: c.n_samples == DEFAULT.n_samples),
        ({"n": "800.0"}, lambda c: c.n_samples == 800),
        ({"layers": "4,x"}, lambda c: c.hidden == DEFAULT.hidden),
        ({"layers": "0"}, lambda c: c.hidden == () and c.activations == ()),
        ({"layers": "3,5", "act": "relu"}, lambda c: c.activations == ("relu", "relu")),
        ({"feat": "x1sq,x2sq,bogus"}, lambda c: c.features == ("x1^2", "x2^2")),
        ({"feat": ""}, lambda c: c.features == ("x1", "x2")),
        ({"ds": ["circles", "xor"]}, lambda c: c.dataset == "xor"),
        ({"ds": "../../etc/passwd"}, lambda c: c.dataset == DEFAULT.dataset),
        ({"es": "maybe"}, lambda c: c.early_stopping is False),
        ({"pts": "1:2"}, lambda c: c.points == ()),
        ({"seed": "9" * 40}, lambda c: c.seed == pg.MAX_SEED),
        ({"layers": "8," * 3000}, lambda c: c.hidden == DEFAULT.hidden),
    ],
)
def test_forged_values_are_replaced_with_a_warning(params, check):
    config, warnings = decode_query(params)
    assert check(config), config
    if params not in (
        {"n": "800.0"},
        {"layers": "0"},
        {"layers": "3,5", "act": "relu"},
        {"ds": ["circles", "xor"]},
    ):
        assert warnings, params


def test_link_layers_are_read_as_everywhere_else():
    """The link's layer list goes through core.data.parse_layer_sizes, the one layer parser."""
    assert decode_query({"layers": "3-4"}) == (replace(DEFAULT, hidden=(3, 4)), [])
    assert decode_query({"layers": "none"})[0].hidden == ()
    config, warnings = decode_query({"layers": "0,4"})  # a layer of 0 neurons: refused, not guessed
    assert config.hidden == DEFAULT.hidden and any("layers" in w for w in warnings)


def test_unknown_parameters_are_ignored_with_a_warning():
    config, warnings = decode_query({"foo": "1", "ds": "xor"})
    assert config.dataset == "xor" and any("foo" in w for w in warnings)


def test_share_link():
    link = pg.share_link(DEFAULT, "http://host/playground", hide=("noise", "dataset"))
    assert link.startswith("http://host/playground?ds=moons&") and "hide=noise,dataset" in link
    assert pg.share_link(DEFAULT, None).startswith("?ds=moons")


# ----------------------------------------------------------------------------- structure vs hyper
def test_structure_key_separates_rebuilds_from_live_changes():
    key = pg.structure_key(DEFAULT)
    for field, value in [
        ("learning_rate", 0.1),
        ("optimizer", "adam"),
        ("batch_size", 32),
        ("l1", 0.001),
        ("l2", 0.01),
        ("dropout", 0.2),
        ("schedule", "cosine"),
        ("schedule_every", 30),
        ("patience", 5),
        ("epochs_per_update", 50),
        ("show_test", True),
    ]:
        assert pg.structure_key(replace(DEFAULT, **{field: value})) == key, field
    for field, value in [
        ("dataset", "xor"),
        ("n_samples", 300),
        ("noise", 0.3),
        ("seed", 2),
        ("test_ratio", 0.3),
        ("features", ("x1",)),
        ("hidden", (4,)),
        ("activations", ("relu", "tanh")),
        ("init", "he"),
        ("head", "softmax_ce"),
        ("early_stopping", True),  # it sets a validation split aside: other points train
    ]:
        assert pg.structure_key(replace(DEFAULT, **{field: value})) != key, field


# ----------------------------------------------------------------------------- session
def test_same_config_same_data_and_same_starting_weights():
    a, b = session_for(), session_for()
    np.testing.assert_array_equal(a.dataset.X_train, b.dataset.X_train)
    np.testing.assert_array_equal(a.network.params, b.network.params)
    c = session_for(seed=2)
    assert not np.array_equal(a.network.params, c.network.params)
    a.train_epochs(3)
    b.train_epochs(3)
    np.testing.assert_array_equal(a.network.params, b.network.params)  # same shuffles too


def test_training_advances_and_the_curves_start_at_epoch_zero():
    session = session_for()
    assert session.epoch == 0 and session.latest.epoch == 0
    initial = session.latest.test_loss
    records = session.train(200, max_epochs=50)
    assert 1 <= len(records) <= 50 and session.epoch == len(records)
    curves = session.curves.arrays()
    assert curves["epoch"][0] == 0 and curves["epoch"][-1] == session.epoch
    session.train(2000, max_epochs=400)
    assert session.latest.test_loss < initial  # moons: the test loss falls
    assert session.latest.test_metric > 0.85


def test_hyperparameters_change_in_place():
    session = session_for()
    session.train_epochs(5)
    weights = session.network.params.copy()
    changed = session.update(
        replace(
            session.config,
            learning_rate=0.1,
            optimizer="adam",
            batch_size=10_000,
            l1=0.001,
            l2=0.01,
            dropout=0.1,
            schedule="exponential",
            patience=7,
        )
    )
    hp = session.trainer.hp
    assert (hp.learning_rate, hp.optimizer, hp.l1, hp.l2, hp.dropout, hp.schedule) == (
        0.1,
        "adam",
        0.001,
        0.01,
        0.1,
        "exponential",
    )
    assert hp.batch_size == session.dataset.n_train  # capped by the data
    assert session.trainer.patience == 7
    assert session.epoch == 5
    np.testing.assert_array_equal(session.network.params, weights)
    assert {"learning_rate", "optimizer", "patience"} <= set(changed)
    with pytest.raises(ValueError):
        session.update(replace(session.config, hidden=(3,), activations=("tanh",)))


@pytest.mark.parametrize(
    "dataset, task",
    [
        ("moons", "binary"),
        ("blobs", "multiclass"),
        ("spiral", "binary"),
        ("plane", "regression"),
        ("multi_gaussian", "regression"),
        ("circles", "binary"),
        ("xor", "binary"),
        ("gaussians", "binary"),
    ],
)
def test_every_dataset_builds_and_draws(dataset, task):
    session = session_for(dataset=dataset, features=("x1", "x2", "x1^2"), hidden=(5,), activations=("relu",))
    assert session.task == task
    session.train(30, max_epochs=3)
    boundary = session.boundary(50)
    assert boundary.values.shape == (50, 50) and boundary.values.dtype == np.float32
    assert np.isfinite(boundary.values).all()
    if task == "multiclass":
        assert boundary.classes.dtype == np.uint8 and boundary.classes.max() < session.n_outputs
    maps = session.neuron_maps(16)
    assert [m.shape[0] for m in maps] == [3, 5, session.n_outputs]
    assert all(m.shape[1:] == (16, 16) for m in maps)


def test_heads_follow_the_problem():
    assert session_for(head="softmax_ce").n_outputs == 2  # 2-class softmax is allowed
    session = session_for(dataset="plane", head="sigmoid_bce")
    assert session.head == "linear_mse" and "does not fit" in session.head_note
    assert session_for(dataset="blobs", classes=5).n_outputs == 5


def test_diagram_shows_at_most_twelve_neurons_per_layer():
    session = session_for(hidden=(40, 3), activations=("tanh", "tanh"))
    maps = session.neuron_maps(8)
    assert [m.shape[0] for m in maps] == [2, 12, 3, 1]
    assert len(session.column_names()[1]) == 40


def test_neuron_detail_and_editing_a_weight():
    session = session_for()
    detail = session.neuron_detail(0, 3, resolution=20)
    assert detail["map"].shape == (20, 20) and len(detail["weights"]) == 2
    assert detail["inputs"] == ["x₁", "x₂"] and detail["name"] == "H1.4"
    before = session.boundary(20).values.copy()
    session.set_weight(0, 1, 3, 5.0)
    session.set_bias(0, 3, -2.0)
    assert session.network.layers[0].weights[1, 3] == 5.0
    assert session.network.params[session.network.layers[0].weights.size + 3] == -2.0  # the view
    assert not np.allclose(session.boundary(20).values, before)
    for bad in (math.nan, math.inf, 1e6):
        with pytest.raises(ValueError):
            session.set_weight(0, 0, 0, bad)
    with pytest.raises(ValueError):
        session.neuron_detail(9, 0)


def test_divergence_pauses_with_a_clear_message():
    session = session_for(dataset="plane", learning_rate=10.0)
    session.train(200, max_epochs=100)
    assert session.stopped and session.diverged
    assert "learning rate" in session.stop_reason and "lower it" in session.stop_reason
    assert np.isfinite(session.network.params).all()  # last good weights restored
    assert session.train(50, 10) == []  # stays paused until resumed
    session.update(replace(session.config, learning_rate=0.001))
    session.resume()
    assert session.train(100, max_epochs=3)


def test_long_runs_stay_small():
    curves = pg.CurveHistory(max_points=600)
    curves.add(pg.EpochScores(k, 1.0 / k, 0.5, 1.0 / k, 0.5) for k in range(1, 100_001))
    assert len(curves) <= 600 and curves.last.epoch == 100_000
    arrays = curves.arrays(300)
    assert len(arrays["epoch"]) <= 301 and arrays["epoch"][-1] == 100_000
    assert arrays["epoch"].dtype == np.float32
    assert np.all(np.diff(arrays["epoch"]) > 0)

    session = session_for(batch_size=250)  # one mini-batch per epoch: quick epochs
    for _ in range(5):
        session.train_epochs(500)  # whole epochs, not a time slice: the same on any machine
    assert session.epoch == 2500 > 2 * pg.HISTORY_KEEP
    assert pg.HISTORY_KEEP <= len(session.trainer.history) <= 2 * pg.HISTORY_KEEP  # trimmed, not emptied
    assert session.trainer.history[-1].epoch == session.curves.last.epoch == 2500


def test_the_engines_held_out_set_is_the_playgrounds_test_set():
    from core.engine.trainer import EpochRecord

    scores = pg.EpochScores.of(EpochRecord(7, 0.5, 0.9, 0.25, 0.75, 0.1, (), 1.0))
    assert scores == pg.EpochScores(7, 0.5, 0.9, 0.25, 0.75)
    assert scores.row() == (7, 0.5, 0.25, 0.9, 0.75)  # in the order of CurveHistory.COLUMNS
    empty = pg.EpochScores.of(EpochRecord(1, 0.5, 0.9, None, None, 0.1, (), 1.0))
    assert math.isnan(empty.test_loss) and math.isnan(empty.test_metric)
    session = session_for()
    assert session.train_epochs(2)[-1] == session.latest and session.latest.epoch == 2


def test_decimate_indices():
    assert list(pg.decimate_indices(5, 300)) == [0, 1, 2, 3, 4]
    index = pg.decimate_indices(10_000, 300)
    assert len(index) <= 300 and index[0] == 0 and index[-1] == 9_999


def test_grid_resolution_adapts_to_the_network_size():
    assert pg.grid_resolution([2, 8, 8, 1]) == 100
    biggest = [7] + [256] * 8 + [1]
    r = pg.grid_resolution(biggest)
    assert r == pg.MIN_LIVE_GRID
    assert pg.grid_resolution([2, 64, 64, 1]) < 100


def test_every_allowed_network_draws_the_full_grid_live():
    """The budget is set so that the live picture never needs the coarse grid: the grid of any
    allowed network (cost <= MAX_NETWORK_COST) fits the live work budget at 100 x 100 (the time
    itself is measured by benchmarks/playground_grid.py, not in a test)."""
    for n_in, hidden in [(2, (256,)), (7, (213,)), (2, (14,) * 8), (2, (56, 56))]:
        assert pg.network_cost(n_in, hidden) <= pg.MAX_NETWORK_COST
        assert pg.grid_resolution([n_in, *hidden, 1]) == pg.GRID_SIZE


def test_data_sources():
    points = pg.make_data(
        replace(DEFAULT, dataset="points", points=((0, 0, 0), (1, 1, 0), (3, 3, 1), (4, 4, 1)))
    )
    assert points.n_train + points.n_test == 4
    with pytest.raises(DataError):
        pg.make_data(replace(DEFAULT, dataset="points", points=((0, 0, 0),)))
    with pytest.raises(DataError):
        pg.make_data(replace(DEFAULT, dataset="csv"))
    csv = parse_csv(b"x1,x2,label\n" + b"".join(f"{k},{k % 7},{k % 2}\n".encode() for k in range(40)))
    config = replace(DEFAULT, dataset="csv")
    session = PlaygroundSession(config, pg.make_data(config, csv), data_token="abc")
    x_lo, x_hi, y_lo, y_hi = session.extent
    assert x_lo < 0 < 39 < x_hi and y_lo < 0 < 6 < y_hi  # the data's own range, with a margin
    assert pg.structure_key(config, "abc") != pg.structure_key(config, "def")


def test_no_module_level_mutable_state():
    """Per-user state lives in st.session_state; module constants are read-only."""
    import importlib
    import pkgutil

    import core.figures

    modules = [
        importlib.import_module(info.name)
        for package in (pg, core.figures)
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    ]
    assert {"core.playground.experiments.race", "core.figures.palette"} <= {m.__name__ for m in modules}
    for module in modules:
        tree = ast.parse(Path(module.__file__).read_text())
        assigned = {
            target.id
            for node in tree.body
            if isinstance(node, (ast.Assign, ast.AnnAssign))
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name) and not target.id.startswith("__")
        }
        for name in assigned:  # names this module defines (imports are the engine's business)
            value = getattr(module, name)
            assert not isinstance(value, (list, dict, set, bytearray)), f"{module.__name__}.{name}"
            if isinstance(value, np.ndarray):
                assert not value.flags.writeable, f"{module.__name__}.{name}"


# ----------------------------------------------------------------------------- the numbers shown
def test_editing_a_weight_measures_the_scores_again():
    session = session_for()
    session.train_epochs(5)
    trained = session.latest
    assert trained.epoch == 5 and session.shown_note is None
    session.set_weight(0, 0, 0, 5.0)
    loss, metric = session.trainer.evaluate(session.X_test, session.dataset.y_test)
    train_loss, _ = session.trainer.evaluate(session.X_train, session.dataset.y_train)
    now = session.latest
    assert now.epoch == 5 and now.test_loss == pytest.approx(loss) and now.test_metric == metric
    assert now.train_loss == pytest.approx(train_loss)
    assert abs(now.test_loss - trained.test_loss) > 0.01  # the edit changed the loss
    assert "edited by hand" in session.shown_note
    # The curves end at the edited network: a vertical step at epoch 5.
    curves = session.curves.arrays()
    assert list(curves["epoch"][-2:]) == [5, 5]
    assert curves["test_loss"][-1] == pytest.approx(now.test_loss)
    assert curves["test_loss"][-2] == pytest.approx(trained.test_loss)
    session.set_bias(0, 0, -1.0)
    assert session.latest.test_loss == pytest.approx(
        session.trainer.evaluate(session.X_test, session.dataset.y_test)[0]
    )
    # Training again: the scores are the new epoch's, and no note.
    scores = session.train_epochs(1)
    assert session.latest == scores[-1] and session.latest.epoch == 6 and session.shown_note is None


EARLY_STOPPING = dict(
    n_samples=100,
    noise=0.3,
    hidden=(16, 16),
    activations=("tanh", "tanh"),
    optimizer="adam",
    learning_rate=0.03,
    early_stopping=True,
    patience=20,
)


def test_after_early_stopping_the_scores_are_the_restored_weights():
    session = session_for(**EARLY_STOPPING)
    while not session.stopped:
        session.train(60_000, max_epochs=10)
    assert session.epoch == 23 and "Restored the weights of epoch 3" in session.stop_reason
    records = {r.epoch: r for r in session.trainer.history}
    shown, best, last = session.latest, records[3], records[23]
    assert shown.epoch == 3
    # the validation split's loss (the test_* slot holds the watched split): 0.746, not epoch 23's 0.894
    assert shown.test_loss == pytest.approx(best.val_loss, rel=1e-6)
    assert shown.test_metric == best.val_metric and shown.train_loss == pytest.approx(best.train_loss)
    assert abs(shown.test_loss - last.val_loss) > 0.1
    assert (
        session.shown_note
        == "Epoch 23 trained; the numbers and pictures show the restored weights of epoch 3."
    )
    # Pressing Play again trains on from the restored weights: the scores are the epoch's again.
    session.resume()
    session.train(60_000, max_epochs=1)
    assert session.latest.epoch == 24 and session.shown_note is None


def test_names_on_screen_are_words():
    session = session_for(activations=("leaky_relu", "relu"))
    assert session.layer_choices()[0][1] == "Hidden layer 1 (8 neurons, leaky ReLU)"
    assert session.neuron_detail(1, 0, resolution=10)["activation"] == "ReLU"
    assert pg.HEAD_LABELS and set(pg.config.HEAD_TEXT) == set(pg.HEADS) - {"auto"}
    assert "_" not in " ".join(pg.config.HEAD_TEXT.values())


# ----------------------------------------------------------------------------- clicked points
def test_a_click_adds_a_point_of_the_chosen_class_and_a_click_on_a_point_removes_the_nearest():
    drawn = [(1.0, 1.0, 0), (-2.0, 3.0, 1)]
    assert pg.click_points(drawn, 4.123, -4.987, 2, on_point=False, max_points=10) == "added"
    assert drawn[-1] == (4.12, -4.99, 2)  # kept to 2 decimals, as the link carries them
    assert pg.click_points(drawn, -1.9, 3.1, 0, on_point=True, max_points=10) == "removed"
    assert drawn == [(1.0, 1.0, 0), (4.12, -4.99, 2)]


def test_clicks_outside_the_plane_or_past_the_limit_change_nothing():
    drawn = [(0.0, 0.0, 0)]
    assert pg.click_points(drawn, 7.0, 0.0, 1, on_point=False, max_points=10) is None
    assert pg.click_points(drawn, float("nan"), 0.0, 1, on_point=False, max_points=10) is None
    assert pg.click_points(drawn, 1.0, 1.0, 1, on_point=False, max_points=1) is None
    assert pg.click_points([], 1.0, 1.0, 1, on_point=True, max_points=5) is None
    assert drawn == [(0.0, 0.0, 0)]
