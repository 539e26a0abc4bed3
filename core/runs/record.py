"""`RunRecord`: what is kept of one run, small and made of plain values (no network, no data)."""

from __future__ import annotations

from dataclasses import dataclass, field

PlainValue = str | int | float | bool | None
CURVE_NAMES = ("epoch", "train_loss", "test_loss", "train_metric", "test_metric")


@dataclass(frozen=True)
class RunRecord:
    """One run: its label ("Run 3"), the page it came from, its configuration as a flat dict of
    plain values, its curves (CURVE_NAMES, lists of equal length), final metrics and optional
    extra curves (e.g. MNIST robustness: {"robustness_noise": [...], "robustness_accuracy": [...]})
    and `restore`, what the page needs to put the run's settings back (texts only: the Playground's
    link parameters, the MNIST page's widget values written as text)."""

    label: str
    page: str
    config: dict[str, PlainValue]
    curves: dict[str, list[float]]
    final: dict[str, float] = field(default_factory=dict)
    extra: dict[str, list[float]] = field(default_factory=dict)
    restore: dict[str, str] = field(default_factory=dict)

    def relabelled(self, label: str) -> RunRecord:
        return RunRecord(
            label, self.page, dict(self.config), self.curves, dict(self.final), self.extra, dict(self.restore)
        )
