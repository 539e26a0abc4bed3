"""core/mnist/config.py: the settings of an image training run and their limits."""

import pytest

from core.data import DataError
from core.mnist import MAX_HIDDEN_LAYERS, ImageTrainingError, TrainingConfig, train_image_choice


@pytest.mark.parametrize(
    "text, expected",
    [("128", (128,)), (" 256, 128 ", (256, 128)), ("", ()), ("none", ()), ("64-32", (64, 32))],
)
def test_hidden_layers_typed_as_text(text, expected):
    assert TrainingConfig.from_text(text).hidden_layers == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("12a", "hidden layer sizes must be whole numbers"),
        ("0,5", "each hidden layer needs 1 to 1024 neurons; got 0"),
        ("5000", "each hidden layer needs 1 to 1024 neurons; got 5000"),
        ("1,1,1,1,1", f"at most {MAX_HIDDEN_LAYERS} hidden layers; got 5"),
    ],
)
def test_hidden_layers_text_is_refused_with_a_clear_message(text, message):
    with pytest.raises(DataError, match=message):
        TrainingConfig.from_text(text)


def test_config_is_validated_and_comparable():
    assert TrainingConfig(hidden_layers=[64]) == TrainingConfig(hidden_layers=(64,))
    assert TrainingConfig(hidden_layers=[64]) != TrainingConfig(hidden_layers=(64,), epochs=6)
    for bad, message in (
        (dict(activation="swish"), "activation must be one of"),
        (dict(optimizer="lbfgs"), "optimizer must be one of"),
        (dict(epochs=0), "epochs must be 1 to 100; got 0"),
        (dict(n_train=5), "at least 20 training images; got 5"),
    ):
        with pytest.raises(ImageTrainingError, match=message):
            TrainingConfig(**bad)


def test_config_from_text_parses_the_hidden_layers():
    config = TrainingConfig.from_text("256, 128", epochs=3, augment=True)
    assert config == TrainingConfig(hidden_layers=(256, 128), epochs=3, augment=True)
    with pytest.raises(ValueError, match="whole numbers"):
        TrainingConfig.from_text("12x")


@pytest.mark.parametrize(
    "n_available, choice",
    [
        (60_000, (100, 60_000, 10_000, 100)),
        (100_000, (100, 60_000, 10_000, 100)),  # never more than MNIST's 60,000
        (4_000, (100, 4_000, 4_000, 100)),
        (180, (100, 180, 180, 10)),
        (100, None),  # nothing to choose: every image is used
    ],
)
def test_the_training_images_slider(n_available, choice):
    assert train_image_choice(n_available) == choice


def test_a_restored_image_count_is_moved_into_the_sliders_range():
    choice = train_image_choice(1_000)  # the slider: SLIDER_MIN_IMAGES .. 1,000
    assert choice.clamp(60_000) == 1_000  # a run of the full MNIST, restored on a smaller set
    assert choice.clamp(1) == choice.low
    assert choice.clamp(500) == 500
