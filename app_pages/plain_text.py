"""Show user-supplied strings (paths, CSV cells, file names, class names, link values) as text.

Streamlit renders the body of st.error / st.warning / st.info / st.success / st.caption as
Markdown, so a typed `[click](http://x)` or `![i](http://x/i.png)` would become a live link or an
image fetched from any server. `as_text` backslash-escapes every punctuation character Markdown,
GitHub's autolinks ("http://", "www.", "a@b.c"), HTML entities or Streamlit's own `:colour[...]`,
`:material/...:` and `:emoji:` directives act on (CommonMark shows an escaped punctuation
character literally); commas, quotes and the like stay as they are, so messages read normally.
"""

from __future__ import annotations

import streamlit as st

_MARKUP = "\\`*_{}[]()#+-.!|<>~:$=&@^"
_ESCAPES = str.maketrans({char: "\\" + char for char in _MARKUP})


def as_text(message) -> str:
    """`message` as Markdown source that displays as the plain text itself (line breaks kept)."""
    lines = str(message).translate(_ESCAPES).splitlines() or [""]
    return "  \n".join(lines)  # two spaces + newline: a Markdown line break


def error(message) -> None:
    st.error(as_text(message))


def warning(message, icon=None) -> None:
    st.warning(as_text(message), icon=icon)


def info(message) -> None:
    st.info(as_text(message))


def success(message) -> None:
    st.success(as_text(message))
