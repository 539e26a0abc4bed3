"""The run history's tab, shared by the Playground and the MNIST page: the kept runs and the
current one, their curves overlaid, a table with the settings that differ highlighted, Restore per
run, and the runs as CSV and JSON.

The pages keep their runs (a core.runs.RunHistory in st.session_state) and say how a run's
settings are put back (`on_restore`, a button callback); everything else is here.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.figures import run_history as figures
from core.runs import RunHistory, RunRecord, differences, to_csv, to_json

HIGHLIGHT = "background-color: #FFF1C2"  # a differing setting's column
RESTORE_COLUMNS = 5
DEFAULT_OVERLAY = 5  # runs overlaid at first: the newest ones


def history_in(key: str) -> RunHistory:
    """This session's run history under `key` (made on first use)."""
    if key not in st.session_state:
        st.session_state[key] = RunHistory()
    return st.session_state[key]


def runs_table(records: list[RunRecord]):
    """One row per run: its label, its settings (as text, so that a column may mix numbers and
    "none"), its final scores; the columns of settings that differ between runs highlighted and
    first. Returns (the styled table, the differing columns)."""
    rows = [
        {"run": r.label, **{k: "" if v is None else str(v) for k, v in r.config.items()}, **r.final}
        for r in records
    ]
    frame = pd.DataFrame(rows).set_index("run")
    differing = [key for key in differences(records) if key in frame.columns]
    # What differs first, then the scores, then the settings all runs share: the highlighted
    # columns are in view without scrolling, even on a phone.
    scores = [key for key in dict.fromkeys(k for r in records for k in r.final) if key not in differing]
    frame = frame[differing + scores + [c for c in frame.columns if c not in differing and c not in scores]]
    numbers = {key: "{:.4g}" for r in records for key in r.final}
    return frame.style.format(numbers, na_rep="–").map(lambda _: HIGHLIGHT, subset=differing), differing


def runs_view(
    history: RunHistory,
    now: RunRecord | None,
    key: str,
    on_restore: Callable[[RunRecord], None],
    held_out: str = "test",
    robustness: bool = False,
) -> None:
    """The tab. `now` is the run being trained (shown, not yet kept), labelled
    `history.next_label()`; `key` prefixes the widgets' keys; `robustness` adds the MNIST
    robustness overlay."""
    kept = list(history.records)
    records = kept + ([now] if now is not None else [])
    if not records:
        st.info(
            "No runs yet. Train a network: each run is kept here when you start another one "
            f"(↺ Reset, or new settings), the last {history.capacity}."
        )
        return
    # The run being trained is labelled as it will be kept ("Run 3"), so a choice made while it
    # trains still holds once it is kept; it is shown as "Run 3 (now)".
    shown_as = {r.label: f"{r.label} (now)" if r is now else r.label for r in records}
    records = [r if r is not now else r.relabelled(shown_as[r.label]) for r in records]
    labels = list(shown_as)
    chosen = st.multiselect(
        "Runs to overlay",
        labels,
        default=labels[-DEFAULT_OVERLAY:],
        format_func=shown_as.get,
        # A new run resets the choice to the newest ones (an unchanged list keeps the student's).
        key=f"{key}_overlay_{labels[0]}_{labels[-1]}",  # the runs are numbered in a row
        help="Pick the runs whose curves are drawn together.",
    )
    shown = [r for r, label in zip(records, labels) if label in chosen]
    if shown:
        st.plotly_chart(figures.runs_curves_figure(shown, held_out), key=f"{key}_curves")
        st.caption(f"Solid: training set; dashed: {held_out} set. One colour per run.")
    if robustness:
        measured = [r for r in shown if figures.has_robustness(r)]
        if measured:
            st.plotly_chart(figures.runs_robustness_figure(measured), key=f"{key}_robustness")
        st.caption(
            f"Robustness measured for {len(measured)} of the {len(shown)} runs shown: open the "
            "Robustness tab before you start the next run to keep its curves."
        )
    table, differing = runs_table(records)
    st.dataframe(table, key=f"{key}_table")
    if len(records) > 1:
        st.caption(
            "Highlighted, the settings that differ: "
            + (", ".join(differing) if differing else "none (the same settings every time)")
            + "."
        )
    if kept:
        st.markdown("**Restore a run's settings** (training pauses; the run now is kept first):")
        for start in range(0, len(kept), RESTORE_COLUMNS):
            columns = st.columns(RESTORE_COLUMNS)
            for column, record in zip(columns, kept[start : start + RESTORE_COLUMNS]):
                column.button(
                    f"↩ {record.label}",
                    key=f"{key}_restore_{record.label}",
                    on_click=on_restore,
                    args=(record,),
                    width="stretch",
                )
    c1, c2 = st.columns(2)
    c1.download_button(
        "⬇ Runs as CSV", to_csv(records), "runs.csv", "text/csv", key=f"{key}_csv", on_click="ignore"
    )
    c2.download_button(
        "⬇ Runs as JSON (with curves)",
        to_json(records),
        "runs.json",
        "application/json",
        key=f"{key}_json",
        on_click="ignore",
    )
