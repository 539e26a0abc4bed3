"""What every simulated student shares: the measurement window, the start signal, the Play control.

The protocol clients (protocol.py) and the browser students (browser.py) of one load run share
one `Coordinator`: each marks itself ready once its page has loaded, then all press Play together
when `go` is set, and updates count only inside the `window`.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

_ICON_OR_PUNCT = re.compile(r":material/[a-z_]+:|[^\w\s]", re.UNICODE)


def label_matches(label: str, wanted: str) -> bool:
    """'Play', '▶ Play', ':material/play_arrow: Play' match 'Play'; 'Playground' does not."""
    text = _ICON_OR_PUNCT.sub(" ", label or "").split()
    return [w.lower() for w in text] == [w.lower() for w in wanted.split()] if text else False


@dataclass
class Window:
    """The measurement window shared by every client (monotonic seconds)."""

    start: float = float("inf")
    end: float = float("inf")

    def open(self, now: float) -> bool:
        return self.start <= now < self.end


@dataclass
class Coordinator:
    """Lets every student press Play at the same moment."""

    expected: int
    ready: int = 0
    all_ready: asyncio.Event = field(default_factory=asyncio.Event)
    go: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    window: Window = field(default_factory=Window)

    def mark_ready(self) -> None:
        self.ready += 1
        if self.ready >= self.expected:
            self.all_ready.set()
