"""Downloads named after the run (core.engine.model_io.model_file_name, used by the MNIST and Draw pages)."""

import datetime

from core.engine.model_io import model_file_name, score_tag

DAY = datetime.date(2026, 12, 3)


def test_the_name_says_data_set_layers_accuracy_and_date():
    name = model_file_name("mnist", [784, 256, 128, 10], score_tag("accuracy", 0.9731), DAY)
    assert name == "mnist-784-256-128-10-acc97.3-2026-12-03.npz"


def test_fashion_and_taught_models_and_no_score():
    assert model_file_name("fashion-mnist", [784, 10], None, DAY) == "fashion-mnist-784-10-2026-12-03.npz"
    taught = model_file_name("mnist-taught", (784, 64, 10), None, DAY)
    assert taught == "mnist-taught-784-64-10-2026-12-03.npz"
    assert score_tag("accuracy", float("nan")) is None


def test_only_safe_characters_and_a_bounded_length():
    name = model_file_name('../../etc/passwd "x"\n', [784, 10], "acc50.0", DAY)
    assert "/" not in name and " " not in name and '"' not in name and "\n" not in name
    assert name.endswith("-784-10-acc50.0-2026-12-03.npz")
    assert len(model_file_name("m" * 500, [784, 10], None, DAY)) <= 124


def test_today_is_the_default_date():
    assert model_file_name("mnist", [784, 10]).endswith(f"{datetime.date.today().isoformat()}.npz")
