"""The Playground's "📚 Runs" tab (issue 15, item 1): every run of this session kept (the last
10), the current one beside them, curves overlaid, a table with the differing settings
highlighted, Restore, CSV and JSON (app_pages/run_history_view.py draws it).

A run joins the history when it ends: ↺ Reset, or settings that build a new network
(state.py calls `remember`). Its record is small (core/playground/run_record.py): settings,
curves of at most 600 points, final scores, its link parameters for Restore.
"""

from __future__ import annotations

from app_pages import run_history_view
from core import playground as pg
from core.playground import run_record, widgets
from core.runs import RunRecord

KEY = "pg_runs"


def remember(session: pg.PlaygroundSession | None) -> None:
    """Keep a run that is about to be replaced or reset (None, or epoch 0: nothing to keep)."""
    record = run_record.record_of(session)
    if record is not None:
        run_history_view.history_in(KEY).add(record)


def _restore(record: RunRecord) -> None:
    """Callback: end the current run as ↺ Reset does (it is kept), then put the kept run's
    settings into the sidebar; the next rerun builds that network from epoch 0."""
    from app_pages.playground_parts import state  # state imports this module: import at use

    state.on_reset()
    state.set_widgets(widgets.widget_values(run_record.restored_config(record)))


def history_panel(session: pg.PlaygroundSession, config: pg.PlaygroundConfig) -> None:
    history = run_history_view.history_in(KEY)
    now = run_record.record_of(session, history.next_label())
    run_history_view.runs_view(history, now, "pg_runs", _restore, held_out=session.held_out)
