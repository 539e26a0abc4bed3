"""`RunHistory`, the last N runs of one session, and `differences` between runs' configurations."""

from __future__ import annotations

from collections.abc import Sequence

from core.runs.record import RunRecord


class RunHistory:
    """Keeps the last `capacity` (>= 10) runs, numbered "Run 1", "Run 2", ... in the order they
    were added; the numbering continues when old runs are dropped."""

    def __init__(self, capacity: int = 10):
        if capacity < 10:
            raise ValueError("a run history keeps at least 10 runs")
        self.capacity = int(capacity)
        self.count = 0
        self.records: list[RunRecord] = []

    def __len__(self) -> int:
        return len(self.records)

    def next_label(self) -> str:
        return f"Run {self.count + 1}"

    def add(self, record: RunRecord) -> RunRecord:
        """Number the record, keep it, drop the oldest beyond capacity; returns the numbered record."""
        self.count += 1
        numbered = record.relabelled(f"Run {self.count}")
        self.records = [*self.records, numbered][-self.capacity :]
        return numbered

    def find(self, label: str) -> RunRecord | None:
        return next((record for record in self.records if record.label == label), None)


def differences(records: Sequence[RunRecord]) -> list[str]:
    """The configuration keys whose values are not the same in all records (missing counts as
    a value of its own), in first-seen order."""
    keys = list(dict.fromkeys(key for record in records for key in record.config))
    missing = object()
    return [key for key in keys if len({repr(record.config.get(key, missing)) for record in records}) > 1]
