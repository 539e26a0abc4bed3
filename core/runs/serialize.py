"""Runs to CSV (one row per run: configuration and final metrics) and JSON (everything), and
JSON back to runs with validation: a forged or damaged file is refused with one clear message."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence

from core.runs.record import CURVE_NAMES, RunRecord

FORMAT = "neural-playground-runs"
VERSION = 1
MAX_RUNS = 1000
MAX_POINTS = 100_000
MAX_TEXT = 10_000  # a restore value (the Playground's clicked points can make a long one)


class RunFileError(ValueError):
    """A runs JSON file that cannot be read back; the message says why."""


def to_csv(records: Sequence[RunRecord]) -> str:
    """Columns: label, page, then every configuration key (config.*) and final metric (final.*)."""
    config_keys = list(dict.fromkeys(key for record in records for key in record.config))
    final_keys = list(dict.fromkeys(key for record in records for key in record.final))
    header = ["label", "page", *(f"config.{k}" for k in config_keys), *(f"final.{k}" for k in final_keys)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for record in records:
        writer.writerow(
            [
                record.label,
                record.page,
                *(record.config.get(key, "") for key in config_keys),
                *(record.final.get(key, "") for key in final_keys),
            ]
        )
    return out.getvalue()


def _number(value: float) -> float | None:
    """JSON has no NaN: missing values (e.g. an empty test set) are written as null."""
    return None if value is None or not math.isfinite(value) else float(value)


def to_json(records: Sequence[RunRecord]) -> str:
    runs = [
        {
            "label": r.label,
            "page": r.page,
            "config": r.config,
            "curves": {k: [_number(v) for v in r.curves.get(k, [])] for k in CURVE_NAMES},
            "final": {k: _number(v) for k, v in r.final.items()},
            "extra": {k: [_number(v) for v in values] for k, values in r.extra.items()},
            "restore": r.restore,
        }
        for r in records
    ]
    return json.dumps({"format": FORMAT, "version": VERSION, "runs": runs}, indent=1)


def _floats(values, where: str) -> list[float]:
    if not isinstance(values, list) or len(values) > MAX_POINTS:
        raise RunFileError(f"{where} must be a list of at most {MAX_POINTS} numbers.")
    if not all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values):
        raise RunFileError(f"{where} must contain only numbers.")
    return [math.nan if v is None else float(v) for v in values]


def _run(item, n: int) -> RunRecord:
    where = f"run {n}"
    if not isinstance(item, dict):
        raise RunFileError(f"{where} is not an object.")
    label, page, config = item.get("label"), item.get("page"), item.get("config")
    if not isinstance(label, str) or not isinstance(page, str) or len(label) > 100 or len(page) > 100:
        raise RunFileError(f"{where}: label and page must be short texts.")
    plain = (str, int, float, bool)
    if not isinstance(config, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, plain)) for k, v in config.items()
    ):
        raise RunFileError(f"{where}: config must map names to plain values (text, numbers, true/false).")
    curves_in = item.get("curves")
    if not isinstance(curves_in, dict) or set(curves_in) != set(CURVE_NAMES):
        raise RunFileError(f"{where}: curves must have exactly {', '.join(CURVE_NAMES)}.")
    curves = {k: _floats(curves_in[k], f"{where} curve {k}") for k in CURVE_NAMES}
    if len({len(v) for v in curves.values()}) != 1:
        raise RunFileError(f"{where}: its curves have different lengths.")
    final_in, extra_in = item.get("final", {}), item.get("extra", {})
    if not isinstance(final_in, dict) or not isinstance(extra_in, dict):
        raise RunFileError(f"{where}: final and extra must be objects.")
    final = {str(k): _floats([v], f"{where} final {k}")[0] for k, v in final_in.items()}
    extra = {str(k): _floats(v, f"{where} extra {k}") for k, v in extra_in.items()}
    restore = item.get("restore", {})
    if not isinstance(restore, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_TEXT for k, v in restore.items()
    ):
        raise RunFileError(f"{where}: restore must map names to texts of at most {MAX_TEXT} characters.")
    return RunRecord(label, page, dict(config), curves, final, extra, dict(restore))


def from_json(text: str) -> list[RunRecord]:
    """The runs of a file written by to_json; RunFileError (one sentence) for anything else."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError, TypeError) as error:
        raise RunFileError(f"This is not a JSON file ({error}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RunFileError("This JSON file is not a Neural Playground runs file.")
    if data.get("version") != VERSION:
        version = data.get("version")
        raise RunFileError(f"Runs file version {version!r} is not supported (expected {VERSION}).")
    runs = data.get("runs")
    if not isinstance(runs, list) or len(runs) > MAX_RUNS:
        raise RunFileError(f"'runs' must be a list of at most {MAX_RUNS} runs.")
    return [_run(item, n) for n, item in enumerate(runs, start=1)]
