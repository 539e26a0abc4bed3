"""What one server process shares between its students: the load monitor and the data cache."""

from __future__ import annotations

import streamlit as st

from core import playground as pg
from core.data import Dataset2D, parse_csv
from core.playground import pacing


@st.cache_resource
def load_monitor() -> pacing.LoadMonitor:
    """The ONE shared mutable object: how many students are training on this server right now
    and what an update costs. Pacing needs the server-wide view (no session can see the others);
    it holds no user data and is thread-safe (core/playground/pacing.py)."""
    # Every session is paced from the server-wide average cost of an update (one level for all
    # the students of a process: the total is what must fit). Averaged over ~20 updates: a
    # single update's cost jumps with GIL contention, and every level change costs a full run.
    return pacing.LoadMonitor(ema_alpha=0.05)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_data(key: tuple, _config: pg.PlaygroundConfig, _csv: bytes | None) -> Dataset2D:
    # Cached across users by `key` alone, core's data_key: everything the data set depends on
    # (the arguments starting with "_" are not hashed; the key says all they decide).
    uploaded = None if _csv is None else parse_csv(_csv, seed=_config.seed, test_ratio=_config.test_ratio)
    return pg.make_data(_config, uploaded)


def dataset(config: pg.PlaygroundConfig, csv: bytes | None, csv_token: str | None) -> Dataset2D:
    """The data set of `config` (core's make_data), cached: the same data key gives the same data.
    `csv` is the uploaded file (for the "csv" data set), `csv_token` its digest."""
    if config.dataset != "csv":
        csv = csv_token = None
    return _cached_data(pg.data_key(config, csv_token), config, csv)
