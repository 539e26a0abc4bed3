"""The frontend's cache of the server's messages, as the protocol client must keep it.

Streamlit sends a large cacheable message once; while the client lists its hash in every rerun
request, the server sends a small `ref_hash` instead. A client that forgot a message would get
a reference it cannot resolve, so this one keeps them exactly as the 1.67 frontend does.
"""

from __future__ import annotations

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


class MessageCache:
    """The frontend's ForwardMsg cache: cacheable messages by hash, dropped after
    `max_age` script runs without use. Their hashes go back in every rerun request, and the
    server then sends a small `ref_hash` message instead of the whole message."""

    def __init__(self) -> None:
        self.max_age = 2
        self.runs = 0
        self._entries: dict[str, tuple[bytes, int]] = {}

    def add(self, msg: ForwardMsg, raw: bytes) -> None:
        if msg.metadata.cacheable and msg.hash:
            self._entries[msg.hash] = (raw, self.runs)

    def get(self, ref: str) -> bytes | None:
        entry = self._entries.get(ref)
        if entry is None:
            return None
        self._entries[ref] = (entry[0], self.runs)
        return entry[0]

    def script_finished(self) -> None:
        self.runs += 1
        old = [h for h, (_, used) in self._entries.items() if self.runs - used > self.max_age]
        for h in old:
            del self._entries[h]

    def hashes(self) -> list[str]:
        return list(self._entries)
