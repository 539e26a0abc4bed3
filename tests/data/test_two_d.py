"""Tests for the 2-D toy data sets: core/data/generators.py, two_d.py, labels.py."""

import numpy as np
import pytest

from core.data import DATASETS, DataError, Dataset2D, from_points, make_dataset
from core.data import generators as gen

CLASSIFICATION = [name for name, spec in DATASETS.items() if spec.task != "regression"]
REGRESSION = [name for name, spec in DATASETS.items() if spec.task == "regression"]


def all_points(ds):
    return np.concatenate([ds.X_train, ds.X_test]), np.concatenate([ds.y_train, ds.y_test])


def raw(generator, n=2000, noise=0.0, seed=0, **options):
    """Call a generator directly (no split), so points stay in generation order."""
    return generator(np.random.default_rng(seed), n, noise, **options)


# ---------------------------------------------------------------- registry and Dataset2D


def test_registry_lists_the_expected_data_sets_with_one_line_descriptions():
    assert set(DATASETS) == {
        "circles",
        "xor",
        "gaussians",
        "spiral",
        "moons",
        "blobs",
        "plane",
        "multi_gaussian",
    }
    for name, spec in DATASETS.items():
        assert spec.task in ("binary", "multiclass", "regression"), name
        assert spec.description and "\n" not in spec.description, name
    assert DATASETS["plane"].task == DATASETS["multi_gaussian"].task == "regression"
    blobs, spiral = DATASETS["blobs"].options["n_classes"], DATASETS["spiral"].options["arms"]
    assert (blobs.low, blobs.high, blobs.default) == (2, 6, 3)
    assert (spiral.low, spiral.high, spiral.default) == (2, 4, 2)


@pytest.mark.parametrize("name", list(DATASETS))
def test_shapes_dtypes_split_and_params(name):
    ds = make_dataset(name, n_samples=300, noise=0.2, seed=3, test_ratio=0.3)
    assert isinstance(ds, Dataset2D) and ds.name == name
    assert ds.X_train.dtype == np.float32 and ds.X_test.dtype == np.float32
    assert ds.X_train.shape[1] == 2 and ds.X_test.shape[1] == 2
    assert ds.n_train + ds.n_test == 300
    assert abs(ds.n_test - 90) <= ds.n_classes  # 30 % held out (rounded per class)
    assert len(ds.y_train) == ds.n_train and len(ds.y_test) == ds.n_test
    if ds.task == "regression":
        assert ds.y_train.dtype == np.float32 and ds.n_classes == 0 and ds.class_names == ()
        _, y = all_points(ds)
        assert y.min() >= -1 and y.max() <= 1
    else:
        assert ds.y_train.dtype == np.int64
        assert ds.n_classes == len(ds.class_names) >= 2
        assert set(np.unique(ds.y_train)) == set(range(ds.n_classes))
        assert set(np.unique(ds.y_test)) == set(range(ds.n_classes))
    assert ds.params["generator"] == name and ds.params["n_samples"] == 300
    assert ds.params["noise"] == 0.2 and ds.params["seed"] == 3 and ds.params["test_ratio"] == 0.3


def test_arrays_are_read_only():
    ds = make_dataset("moons", n_samples=100)
    with pytest.raises(ValueError):
        ds.X_train[0, 0] = 1.0
    with pytest.raises(ValueError):
        ds.y_test[0] = 1


@pytest.mark.parametrize("name", list(DATASETS))
def test_same_seed_same_data_other_seed_other_data(name):
    a = make_dataset(name, n_samples=200, noise=0.3, seed=7)
    b = make_dataset(name, n_samples=200, noise=0.3, seed=7)
    c = make_dataset(name, n_samples=200, noise=0.3, seed=8)
    for field in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.X_train, c.X_train)


@pytest.mark.parametrize("name", ["gaussians", "spiral", "moons", "circles", "blobs"])
def test_generators_with_fixed_class_sizes_are_exactly_balanced(name):
    # (circles is balanced by construction at noise 0; noise then flips some labels)
    _, y = raw(DATASETS[name].generator, n=501, noise=0.0)
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1 and counts.sum() == 501


def test_xor_classes_are_roughly_balanced():
    _, y = raw(gen.xor, n=4000, noise=0.0)
    assert 0.45 < y.mean() < 0.55


def test_stratified_split_keeps_class_shares():
    ds = make_dataset("blobs", n_samples=600, noise=0.1, seed=0, test_ratio=0.25, n_classes=4)
    np.testing.assert_array_equal(np.bincount(ds.y_test), [38, 38, 38, 38])  # round(150 * 0.25)
    np.testing.assert_array_equal(np.bincount(ds.y_train), [112, 112, 112, 112])
    # the parts are shuffled, not sorted by class
    assert np.any(np.diff(ds.y_train) < 0)


def test_train_and_test_points_do_not_overlap_and_cover_all_points():
    ds = make_dataset("plane", n_samples=400, noise=0.0, seed=2)
    X, _ = raw(gen.plane, n=400, seed=2)  # same generator draws as make_dataset
    together = np.concatenate([ds.X_train, ds.X_test])

    def key(A):  # one sortable number per point, to compare the two sets of points
        return np.sort(A[:, 0] * 1000 + A[:, 1])

    np.testing.assert_allclose(key(together), key(X.astype(np.float32)), rtol=1e-6)


# ---------------------------------------------------------------- TF Playground semantics


def test_circles_without_noise_follow_the_rule_exactly():
    X, y = raw(gen.circles, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_array_equal(y, (r < 2.5).astype(int))
    assert np.all((r < 2.5) | ((r >= 3.5) & (r <= 5.0)))  # gap between disc and ring
    assert np.all(r <= 5.0)


def test_circles_noise_flips_labels_only_near_the_boundary():
    noise = 0.1
    X, y = raw(gen.circles, noise=noise)
    wrong = y != gen.circle_label(X)
    assert 0 < wrong.sum() < 0.2 * len(y)
    r = np.hypot(X[:, 0], X[:, 1])
    # the label is taken at a point moved by at most 5*noise in x and in y
    assert np.all(np.abs(r[wrong] - 2.5) <= 5 * noise * np.sqrt(2))


def test_circles_label_rule_values():
    np.testing.assert_array_equal(
        gen.circle_label(np.array([[0, 0], [2.4, 0], [0, -2.6], [3, 3]])), [1, 1, 0, 0]
    )


def test_xor_without_noise_follows_the_rule_and_keeps_the_padding():
    X, y = raw(gen.xor, noise=0.0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] >= 0).astype(int))
    assert np.abs(X).min() >= 0.3 and np.abs(X).max() <= 5.3
    # the 0.3 padding means tiny noise (moves < 0.3) cannot flip any label
    X_small, y_small = raw(gen.xor, noise=0.05)
    np.testing.assert_array_equal(y_small, gen.xor_label(X_small))


def test_xor_noise_flips_labels_only_near_the_axes():
    noise = 0.2
    X, y = raw(gen.xor, noise=noise)
    wrong = y != gen.xor_label(X)
    assert 0 < wrong.sum() < 0.3 * len(y)
    assert np.all(np.abs(X[wrong]).min(axis=1) <= 5 * noise)


def test_gaussians_centres_and_spread_grow_with_noise():
    stds = []
    for noise in (0.0, 0.25, 0.5):
        X, y = raw(gen.gaussians, n=4000, noise=noise)
        np.testing.assert_allclose(X[y == 1].mean(axis=0), [2, 2], atol=0.15)
        np.testing.assert_allclose(X[y == 0].mean(axis=0), [-2, -2], atol=0.15)
        stds.append(X[y == 1].std())
    # variance 0.5 + 7*noise as in TF Playground: 0.5, 2.25, 4
    np.testing.assert_allclose(stds, np.sqrt([0.5, 2.25, 4.0]), rtol=0.06)


def test_spiral_without_noise_lies_on_the_arms():
    X, y = raw(gen.spiral, n=400, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[:200], np.arange(200) / 200 * 5)  # radius grows along the arm
    np.testing.assert_allclose(X[200:], -X[:200], atol=1e-12)  # arm 2 = arm 1 rotated by 180°
    np.testing.assert_array_equal(y, np.repeat([0, 1], 200))


def test_spiral_jitter_is_bounded_by_noise_and_grows_with_it():
    clean, _ = raw(gen.spiral, n=1000, noise=0.0, seed=5)
    mean_jitter = []
    for noise in (0.1, 0.4):
        noisy, _ = raw(gen.spiral, n=1000, noise=noise, seed=5)
        jitter = np.abs(noisy - clean)
        assert jitter.max() <= noise
        mean_jitter.append(jitter.mean())
    np.testing.assert_allclose(mean_jitter, [0.05, 0.2], rtol=0.1)  # uniform(-n, n): mean |.| = n/2


def test_spiral_arms_option_gives_one_class_per_arm():
    ds = make_dataset("spiral", n_samples=600, noise=0.0, arms=4)
    assert ds.task == "multiclass" and ds.n_classes == 4
    np.testing.assert_array_equal(np.bincount(ds.y_train) + np.bincount(ds.y_test), [150] * 4)


def test_plane_target_rule_and_noise():
    np.testing.assert_allclose(
        gen.plane_target(np.array([[1.0, 2.0], [-3.0, -1.0], [6.0, 6.0]])), [0.3, -0.4, 1.0]
    )
    X, t = raw(gen.plane, noise=0.0)
    np.testing.assert_allclose(t, gen.plane_target(X))
    assert np.abs(X).max() <= 6
    X, t = raw(gen.plane, noise=0.2)
    error = np.abs(t - gen.plane_target(X))
    assert error.max() <= 2 * 6 * 0.2 / 10 + 1e-12 and error.mean() > 0.02


def test_multi_gaussian_target_values():
    points = np.array([[0, 2.5], [-4, 2.5], [4, -2.5], [1, 2.5], [0, 0], [-6, 6], [2, 2.5]])
    np.testing.assert_allclose(gen.multi_gaussian_target(points), [-1, 1, -1, -0.5, 0, 0, 0])
    X, t = raw(gen.multi_gaussian, noise=0.0)
    np.testing.assert_allclose(t, gen.multi_gaussian_target(X))
    assert t.min() < -0.9 and t.max() > 0.9


def test_moons_and_blobs_are_scaled_into_the_box():
    X, y = raw(gen.moons, noise=0.0)
    assert np.abs(X).max() <= 6.0 and set(y) == {0, 1}
    for k in range(2, 7):
        X, y = raw(gen.blobs, n=600, noise=0.0, n_classes=k)
        means = np.array([X[y == c].mean(axis=0) for c in range(k)])
        np.testing.assert_allclose(means, gen.blob_centres(k), atol=0.1)
        assert np.abs(X).max() < 6.0
    np.testing.assert_allclose(gen.blob_centres(2), [[0, 3.5], [0, -3.5]], atol=1e-12)


def test_blobs_spread_grows_with_noise():
    X0, y0 = raw(gen.blobs, n=3000, noise=0.0)
    X1, y1 = raw(gen.blobs, n=3000, noise=1.0)

    def within(X, y):  # the mean spread of the points around their own class's centre
        return np.mean([X[y == c].std(axis=0).mean() for c in range(3)])

    # cluster std = 0.3 + 1.7 * noise
    np.testing.assert_allclose([within(X0, y0), within(X1, y1)], [0.3, 2.0], rtol=0.08)


# ---------------------------------------------------------------- parameter validation


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "nope"}, r"unknown data set 'nope'; choose one of: circles, xor"),
        ({"name": "moons", "n_samples": 49}, r"n_samples must be a whole number from 50 to 5000; got 49"),
        ({"name": "moons", "n_samples": 5001}, r"from 50 to 5000; got 5001"),
        ({"name": "moons", "n_samples": 100.5}, r"n_samples must be a whole number .*got 100.5"),
        ({"name": "moons", "n_samples": True}, r"n_samples must be a whole number .*got True"),
        ({"name": "moons", "noise": -0.1}, r"noise must be a number from 0.0 to 1.0; got -0.1"),
        ({"name": "moons", "noise": float("nan")}, r"noise must be a number from 0.0 to 1.0; got nan"),
        ({"name": "moons", "noise": "high"}, r"noise must be a number .*got 'high'"),
        ({"name": "moons", "test_ratio": 0.05}, r"test_ratio must be a number from 0.1 to 0.9; got 0.05"),
        ({"name": "moons", "seed": -3}, r"seed must be a whole number >= 0; got -3"),
        ({"name": "blobs", "n_classes": 7}, r"n_classes must be a whole number from 2 to 6; got 7"),
        ({"name": "blobs", "n_classes": 1}, r"n_classes must be a whole number from 2 to 6; got 1"),
        ({"name": "spiral", "arms": 5}, r"arms must be a whole number from 2 to 4; got 5"),
        ({"name": "moons", "arms": 3}, r"data set 'moons' has no option 'arms'; its options: none"),
        (
            {"name": "spiral", "n_classes": 3},
            r"data set 'spiral' has no option 'n_classes'; its options: arms",
        ),
    ],
)
def test_bad_parameters_are_refused_with_clear_messages(kwargs, message):
    with pytest.raises(DataError, match=message):
        make_dataset(**kwargs)


def test_data_error_is_a_value_error():
    with pytest.raises(ValueError):
        make_dataset("moons", noise=3)


def test_boundary_values_are_accepted():
    assert make_dataset("xor", n_samples=50, noise=0.0, test_ratio=0.1).n_test == 5
    assert make_dataset("xor", n_samples=5000, noise=1.0, test_ratio=0.9).n_test == 4500


# ---------------------------------------------------------------- from_points (click to add)


def test_from_points_with_integer_labels_is_classification_with_remapped_classes():
    points = [(0.1 * i, -0.2 * i, -1 if i % 2 else 1) for i in range(20)]
    ds = from_points(points, seed=1, test_ratio=0.5)
    assert ds.task == "binary" and ds.class_names == ("-1", "1") and ds.n_classes == 2
    np.testing.assert_array_equal(np.bincount(ds.y_test), [5, 5])
    X, y = all_points(ds)
    # label -1 -> class 0, label 1 -> class 1; the odd i were labelled -1
    i = np.rint(X[:, 0] / 0.1).astype(int)
    np.testing.assert_array_equal(y, (i % 2 == 0).astype(int))
    np.testing.assert_allclose(X[:, 1], -0.2 * i, atol=1e-6)


def test_from_points_three_classes_and_regression():
    pts = [(i, i, i % 3) for i in range(9)]
    ds = from_points(pts)
    assert ds.task == "multiclass" and ds.class_names == ("0", "1", "2")
    reg = from_points([(i, -i, 0.25 * i) for i in range(8)], test_ratio=0.25)
    assert reg.task == "regression" and reg.y_train.dtype == np.float32 and reg.n_test == 2
    X, y = all_points(reg)
    np.testing.assert_allclose(y, 0.25 * X[:, 0])


@pytest.mark.parametrize(
    "points, message",
    [
        ([], r"need from 4 to 5000 points; got 0"),
        ([(0, 0, 0), (1, 1, 1), (2, 2, 0)], r"need from 4 to 5000 points; got 3"),
        ([(0, 0, 1)] * 6, r"found only 1 class \(label 1\)"),
        ([(0, 0, 0)] * 5 + [(1, 1, 1)], r"class '1' has only 1 sample; every class needs at least 2"),
        ([(0, 0, 0), (1, 1)], r"points must be a list of \(x, y, label\) triples"),
        ([(0, 0, 0, 0)] * 4, r"triples; got an array of shape \(4, 4\)"),
        ([(0, "a", 0)] * 4, r"points must be a list of \(x, y, label\) triples of numbers"),
        ([(0, 0, 0), (1, float("inf"), 1), (0, 0, 0), (1, 1, 1)], r"point 2 .* is not finite"),
        ([(i, i, i) for i in range(24)], r"found 24 different labels; at most 10 classes"),
    ],
)
def test_from_points_refusals(points, message):
    with pytest.raises(DataError, match=message):
        from_points(points)


# ---------------------------------------------------------------- container invariants


def test_extreme_noise_with_few_samples_still_makes_a_data_set():
    # at noise 1 only ~15 % of circle points keep label 1; small data sets must still split
    for seed in range(30):
        ds = make_dataset("circles", n_samples=50, noise=1.0, seed=seed)
        assert ds.n_train + ds.n_test == 50 and ds.n_classes == 2


def test_dataset2d_checks_shapes_and_does_not_freeze_the_callers_arrays():
    X = np.zeros((4, 2), dtype=np.float32)
    y = np.array([0, 1, 0, 1])
    ds = Dataset2D(X, y, X, y, "binary", 2, ("a", "b"), "mine")
    X[0, 0] = 5.0  # the caller's array stays writable, and the data set does not change
    assert ds.X_train[0, 0] == 0.0
    expected = r"X_train must have shape \(n, 2\) and y_train shape \(n,\); got \(4, 3\)"
    with pytest.raises(DataError, match=expected):
        Dataset2D(np.zeros((4, 3)), y, X, y, "binary", 2, ("a", "b"), "bad")
    with pytest.raises(DataError, match=r"task must be one of"):
        Dataset2D(X, y, X, y, "clustering", 2, ("a", "b"), "bad")
    with pytest.raises(DataError, match=r"n_classes \(3\) must equal the number of class names \(2\)"):
        Dataset2D(X, y, X, y, "multiclass", 3, ("a", "b"), "bad")
