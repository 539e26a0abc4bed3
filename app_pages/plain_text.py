"""Show user-supplied strings (paths, CSV cells, file names, class names, link values) as text.

Streamlit renders the body of st.error / st.warning / st.info / st.success / st.caption as
Markdown, so a typed `[click](http://x)` or `![i](http://x/i.png)` would become a live link or an
image fetched from any server. `as_text` backslash-escapes every punctuation character Markdown,
GitHub's autolinks ("http://", "www.", "a@b.c"), HTML entities or Streamlit's own `:colour[...]`,
`:material/...:` and `:emoji:` directives act on (CommonMark shows an escaped punctuation
character literally); commas, quotes and the like stay as they are, so messages read normally.

Escapes do not stop GitHub's autolinks, though: the frontend finds "http://...", "www...." and
"a@b.c" in the text *after* the escapes are resolved, and links them whenever the character
before is a space, punctuation or the start. So a WORD JOINER (U+2060, invisible, zero width)
goes right before each URL start and right after each "@": the text reads the same, and is no
link (tests/e2e/test_markdown_echo.py checks it in Chromium).
"""

from __future__ import annotations

import re

import streamlit as st

_MARKUP = "\\`*_{}[]()#+-.!|<>~:$=&@^"
_ESCAPES = str.maketrans({char: "\\" + char for char in _MARKUP})
_WORD_JOINER = "\u2060"
_URL_START = re.compile(r"(?i)(?=https?://|www\.)")


def as_text(message) -> str:
    """`message` as Markdown source that displays as the plain text itself (line breaks kept)."""
    text = _URL_START.sub(_WORD_JOINER, str(message)).replace("@", "@" + _WORD_JOINER)
    lines = text.translate(_ESCAPES).splitlines() or [""]
    return "  \n".join(lines)  # two spaces + newline: a Markdown line break


def error(message) -> None:
    st.error(as_text(message))


def warning(message, icon=None) -> None:
    st.warning(as_text(message), icon=icon)


def info(message) -> None:
    st.info(as_text(message))


def success(message) -> None:
    st.success(as_text(message))
