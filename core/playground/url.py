"""The whole Playground configuration as short URL query parameters
(ds=moons&n=500&noise=0.2&seed=1&layers=8,8&act=tanh,tanh&lr=0.03...).

A forged or broken link never crashes the page: unknown parameters are ignored, bad values
replaced or clamped, and every change is reported in a list of warnings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from core.data import parse_layer_sizes
from core.playground.config import (
    DEFAULT,
    FEATURE_CODES,
    FEATURE_FOR_CODE,
    FIELD_FOR_KEY,
    MAX_PARAM_LENGTH,
    MAX_URL_POINTS,
    PlaygroundConfig,
)
from core.playground.validation import validate

# ----------------------------------------------------------------------------- URL
MAX_LINK_PARAMETERS = 60  # about twice the parameters a link made by the app has
MAX_LINK_CHARACTERS = 4 * MAX_PARAM_LENGTH
MAX_LINK_WARNINGS = 12  # kinds of problem; a real mistake in a link makes one or two
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|-?\d+(\.\d+)?(e-?\d+)?")


def _fmt(value: float) -> str:
    return f"{value:g}"


def encode_query(config: PlaygroundConfig) -> dict[str, str]:
    """The config as URL query parameters (str -> str), short and human-readable."""
    c = config
    query = {
        "ds": c.dataset,
        "n": str(c.n_samples),
        "noise": _fmt(c.noise),
        "test": _fmt(c.test_ratio),
        "seed": str(c.seed),
        "feat": ",".join(FEATURE_CODES[f] for f in c.features),
        "layers": ",".join(map(str, c.hidden)) if c.hidden else "0",
        "act": ",".join(c.activations) if c.activations else "",
        "init": c.init,
        "head": c.head,
        "lr": _fmt(c.learning_rate),
        "opt": c.optimizer,
        "bs": str(c.batch_size),
        "epu": str(c.epochs_per_update),
        "l1": _fmt(c.l1),
        "l2": _fmt(c.l2),
        "drop": _fmt(c.dropout),
        "sched": c.schedule,
        "severy": str(c.schedule_every),
        "srate": _fmt(c.schedule_rate),
        "es": "1" if c.early_stopping else "0",
        "pat": str(c.patience),
        "showtest": "1" if c.show_test else "0",
        "disc": "1" if c.discretize else "0",
    }
    if not c.activations:
        del query["act"]
    if c.classes is not None:
        query["k"] = str(c.classes)
    if c.dataset == "points" and 0 < len(c.points) <= MAX_URL_POINTS:
        query["pts"] = ";".join(f"{x:.2f}:{y:.2f}:{_fmt(round(label, 3))}" for x, y, label in c.points)
    if c.hide:
        query["hide"] = ",".join(c.hide)
    return query


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{text!r} is not a yes/no value")


def _parse_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parse_points(text: str) -> tuple:
    points = []
    for item in text.split(";"):
        if item.strip():
            parts = item.split(":")
            if len(parts) != 3:
                raise ValueError(f"point {item!r} is not x:y:label")
            points.append(tuple(float(p) for p in parts))
    return tuple(points)


_PARSERS = MappingProxyType(
    {
        "dataset": str,
        "n_samples": int,
        "noise": float,
        "test_ratio": float,
        "seed": int,
        "classes": int,
        "learning_rate": float,
        "optimizer": str,
        "batch_size": int,
        "epochs_per_update": int,
        "l1": float,
        "l2": float,
        "dropout": float,
        "schedule": str,
        "schedule_every": int,
        "schedule_rate": float,
        "early_stopping": _parse_bool,
        "patience": int,
        "show_test": _parse_bool,
        "discretize": _parse_bool,
        "init": str,
        "head": str,
        "features": lambda t: tuple(FEATURE_FOR_CODE.get(code, code) for code in _parse_list(t)),
        "hidden": parse_layer_sizes,  # '8,8', '0' or 'none'; `validate` clamps the sizes
        "activations": lambda t: tuple(_parse_list(t)),
        "points": _parse_points,
        "hide": lambda t: tuple(_parse_list(t)),
    }
)


def _int_or_float(parser):
    """int() of '8.0' fails; accept whole-number floats in links (some tools rewrite them)."""

    def parse(text):
        try:
            return parser(text)
        except ValueError:
            value = float(text)
            if not value.is_integer():
                raise
            return int(value)

    return parse


def decode_query(params: Mapping) -> tuple[PlaygroundConfig, list[str]]:
    """Read a config from URL query parameters (what st.query_params gives: str, or a list of str
    for repeated keys, the last one wins). Never raises: anything unusable is ignored or clamped,
    and described in the returned warnings."""
    warnings: list[str] = []
    values: dict = {}
    params, cut = _cut_link(dict(params))
    for key, raw in params.items():
        if isinstance(raw, (list, tuple)):
            raw = raw[-1] if raw else ""
        text = str(raw)
        name = FIELD_FOR_KEY.get(str(key))
        if name is None:
            warnings.append(f"Ignored unknown link parameter {str(key)[:40]!r}.")
            continue
        if len(text) > MAX_PARAM_LENGTH:
            warnings.append(f"Ignored link parameter {key!r}: longer than {MAX_PARAM_LENGTH} characters.")
            continue
        parser = _PARSERS[name]
        if parser is int:
            parser = _int_or_float(int)
        try:
            values[name] = parser(text)
        except (ValueError, TypeError, OverflowError):
            warnings.append(f"Ignored link parameter {key}={text[:40]!r}: not a valid value.")
    # A link that names its layers but not their activations gets tanh for each.
    if "hidden" in values and "activations" not in values:
        values["activations"] = ("tanh",) * len(values["hidden"])
    if "activations" in values and len(values["activations"]) == 1 and "hidden" in values:
        values["activations"] = values["activations"] * len(values["hidden"])  # act=relu: all layers
    config, more = validate(replace(DEFAULT, **values))
    return config, summarize_warnings(cut + warnings + more)


def _cut_link(params: dict) -> tuple[dict, list[str]]:
    """At most MAX_LINK_PARAMETERS parameters and MAX_LINK_CHARACTERS characters are read."""
    kept, total = {}, 0
    for key, raw in params.items():
        total += len(str(key)) + len(str(raw))
        if len(kept) >= MAX_LINK_PARAMETERS or total > MAX_LINK_CHARACTERS:
            return kept, [
                f"This link is too long ({len(params):,} parameters); only its first {len(kept)} "
                "were read. Copy the link again from the app to share it."
            ]
        kept[key] = raw
    return kept, []


def summarize_warnings(warnings: list[str]) -> list[str]:
    """One warning per kind (a forged link can hold thousands of the same problem), at most
    MAX_LINK_WARNINGS in all. Two warnings are of a kind when they differ only in quoted values."""
    kinds: dict[str, list[str]] = {}
    for warning in warnings:
        kinds.setdefault(_QUOTED.sub("…", warning), []).append(warning)
    lines = [
        group[0] if len(group) == 1 else f"{group[0]} (and {len(group) - 1:,} more like it)"
        for group in kinds.values()
    ]
    if len(lines) > MAX_LINK_WARNINGS:
        extra = len(lines) - MAX_LINK_WARNINGS + 1
        lines = lines[: MAX_LINK_WARNINGS - 1] + [f"… and {extra:,} more kinds of problem in this link."]
    return lines


def query_string(query: Mapping[str, str]) -> str:
    """'?ds=moons&n=500...' with commas, colons and semicolons left readable."""
    from urllib.parse import urlencode

    return "?" + urlencode(dict(query), safe=",:;")


def share_link(config: PlaygroundConfig, base_url: str | None, hide=()) -> str:
    """A link that opens the page with this config; `hide` adds a classroom hide list."""
    query = encode_query(replace(config, hide=tuple(hide)))
    return (base_url or "") + query_string(query)
