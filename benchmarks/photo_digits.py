"""Photos of handwriting read by the shipped model, per condition, before and after the photo
clean-up: `python -m benchmarks.photo_digits [--per-condition N] [--data-dir DIR] [--json]`.

The digits are real MNIST digits the shipped model never saw: the 1,000 images it held out as its
test set (a stratified 20 % of ../shared/data/mnist-5k, seed 0, exactly as `python -m core train`
split them; 100 per class). The file is sorted by class, so "the last 1,000 images" would be only
8s and 9s, and 80 % of any other slice was training data. core.vision.synthetic_photos renders
each as dark ink on paper under each condition (seeded).

"before" is the preprocessing as it was (core.vision.digits.preprocess_drawn_digit: background
from the border's median, ink by brighter versus darker mass) and "after" is
core.vision.digits.preprocess_digit (lighting normalisation and clean-up for photos). A result
judged empty counts as wrong and is also counted on its own ("empty"). The drawn proxy is the
held-out MNIST images themselves, white on black as the Draw page's canvas gives them, plus the
drawn fixtures of tests/vision/test_prediction.py: they must be read exactly as before.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from core.data.mnist import load_mnist
from core.vision.digits import preprocess_digit, preprocess_drawn_digit
from core.vision.prediction import predict_digit
from core.vision.shipped_model import load_shipped_model
from core.vision.synthetic_photos import CONDITIONS, render_photos

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist-5k"
TARGET_HARDEST = 0.90


def held_out_digits(data_dir=DEFAULT_DATA_DIR) -> tuple[np.ndarray, np.ndarray]:
    """(images (1000, 28, 28) uint8, labels) of the shipped model's held-out test set."""
    dataset = load_mnist(data_dir=data_dir, download=False, test_ratio=0.2, seed=0)
    return dataset.X_test, dataset.y_test


def balanced_subset(labels: np.ndarray, n: int) -> np.ndarray:
    """Indices of n digits, the same number of each class (as near as n allows), in a fixed order."""
    order = np.argsort(labels, kind="stable")
    per_class = np.bincount(labels)
    ranks = np.arange(labels.size) - np.repeat(np.cumsum(per_class) - per_class, per_class)
    picked = order[np.argsort(ranks, kind="stable")][:n]  # round-robin over the classes
    return np.sort(picked)


def score(model, images, labels, preprocess) -> dict:
    """Accuracy of `model` on `images` through `preprocess`, and how many were judged empty
    (an empty result is never a guess, so it counts as wrong)."""
    digits = [preprocess(image) for image in images]
    empty = np.array([digit.is_empty for digit in digits])
    pixels = np.stack([digit.pixels for digit in digits]) * np.float32(255.0)
    predictions = model.network.predict(model.prepare_input(pixels))
    correct = (predictions == labels) & ~empty
    return {"accuracy": float(correct.mean()), "empty": int(empty.sum()), "n": int(labels.size)}


def run(per_condition: int, data_dir, seed: int = 0) -> dict:
    model = load_shipped_model()
    images, labels = held_out_digits(data_dir)
    chosen = balanced_subset(labels, per_condition)
    digits, truth = images[chosen], labels[chosen]
    rows = {}
    for condition in CONDITIONS:
        started = time.perf_counter()
        photos = render_photos(digits, condition, seed)
        before = score(model, photos, truth, preprocess_drawn_digit)
        after = score(model, photos, truth, preprocess_digit)
        rows[condition] = {"before": before, "after": after, "seconds": time.perf_counter() - started}
    drawn = {
        "before": score(model, images, labels, preprocess_drawn_digit),
        "after": score(model, images, labels, preprocess_digit),
    }
    # The ceiling: the same digits as the canvas would give them (no photo at all).
    same_digits = score(model, digits, truth, preprocess_digit)
    return {
        "conditions": rows,
        "drawn": drawn,
        "same_digits_drawn": same_digits,
        "fixtures": drawn_fixtures(model),
    }


def drawn_fixtures(model) -> dict:
    """The drawn digits of tests/vision/test_prediction.py: read the same before and after?"""
    from tests.vision.test_prediction import DRAWINGS, canvas

    same = {}
    for label, drawing in DRAWINGS.items():
        image = canvas(drawing)
        old, new = predict_digit(model, image), preprocess_digit(image)
        same[label] = {
            "predicted": old.predicted_class,
            "identical_pixels": bool(np.array_equal(preprocess_drawn_digit(image).pixels, new.pixels)),
        }
    return same


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-condition", type=int, default=200, help="photos per condition (1-1000)")
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="the mnist-5k IDX folder")
    parser.add_argument("--seed", type=int, default=0, help="seed of the rendered photos")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.per_condition <= 1000:
        parser.error("--per-condition must be 1 to 1000")
    results = run(args.per_condition, args.data_dir, args.seed)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    n = args.per_condition
    print(f"Shipped model, {n} held-out MNIST digits per condition rendered as photos (seed {args.seed})")
    print("| condition | before | after | judged empty before / after |\n| --- | --- | --- | --- |")
    for condition, row in results["conditions"].items():
        b, a = row["before"], row["after"]
        print(f"| {condition} | {b['accuracy']:.1%} | {a['accuracy']:.1%} | {b['empty']} / {a['empty']} |")
    d = results["drawn"]
    print(
        f"| drawn proxy (1,000 held-out MNIST images, white on black) | {d['before']['accuracy']:.1%} "
        f"| {d['after']['accuracy']:.1%} | {d['before']['empty']} / {d['after']['empty']} |"
    )
    ceiling = results["same_digits_drawn"]["accuracy"]
    print(f"the same {n} digits as drawings (white on black, no photo): {ceiling:.1%}")
    for label, fixture in results["fixtures"].items():
        same = fixture["identical_pixels"]
        print(f"drawn fixture {label}: read as {fixture['predicted']}, identical pixels: {same}")
    hardest = results["conditions"]["hardest"]["after"]["accuracy"]
    verdict = "met" if hardest >= TARGET_HARDEST else "MISSED"
    print(f"hardest: {hardest:.1%} (target {TARGET_HARDEST:.0%}: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
