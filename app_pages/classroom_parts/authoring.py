"""Challenges the teacher writes: the authoring form on the teacher link's view, and the class's
playable challenges (the built-in ones and the authored ones, each authored spec checked on load).

The teacher starts from a Playground link they paste or from their own Playground configuration
in this session (st.session_state["pg_config"]), picks what students may change (everything else,
and always the data, is locked), the target and its threshold. The spec is written and read by
core/classroom/authored.py; a spec that does not load (edited in the database, an older app) is
shown as a message in place of the challenge, never started.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

import streamlit as st

from app_pages import plain_text
from app_pages.classroom_parts import store_access
from core.classroom.authored import (
    EDITABLE_CONTROLS,
    HINTS_MAX,
    TARGET_METRICS,
    AuthoredSpecError,
    authored_spec,
    challenge_from_spec,
)
from core.classroom.challenges import BY_KEY, COMPARISONS, METRICS, Challenge
from core.classroom.checks import SYMBOLS
from core.classroom.store import Store
from core.playground.url import decode_query

NOTICE_KEY = "classroom_teacher_notice"  # shared with teacher.py: what the last tool did
FROM_SESSION = "My current Playground configuration"
FROM_LINK = "A Playground link"
LINK_MAX = 6000


def playable(store: Store, join_code: str) -> tuple[dict[str, Challenge], dict[str, str]]:
    """The challenges a class can use, by key (built-in and authored), and the authored ones that
    were refused on load, with why."""
    found: dict[str, Challenge] = dict(BY_KEY)
    refused: dict[str, str] = {}
    for authored in store.authored_challenges(join_code):
        try:
            found[authored.key] = challenge_from_spec(
                authored.key, authored.title, authored.goal, authored.spec
            )
        except AuthoredSpecError as error:
            refused[authored.key] = f"The challenge “{authored.title}” cannot be used: {error.message}"
    return found, refused


def config_from_link(link: str):
    """The Playground configuration a pasted link holds; AuthoredSpecError when it holds none, or
    when the link decoder had to correct it."""
    link = link.strip()
    if not link:
        raise AuthoredSpecError("Paste a Playground link (copy it with the Playground's 🔗 Share button).")
    if len(link) > LINK_MAX:
        raise AuthoredSpecError(
            f"This link is longer than {LINK_MAX:,} characters: it is not a Playground link."
        )
    query = urlsplit(link if "?" in link else "?" + link).query
    params = {key: values[-1] for key, values in parse_qs(query, keep_blank_values=True).items()}
    if not params:
        raise AuthoredSpecError("This link holds no Playground settings (nothing after the “?”).")
    config, warnings = decode_query(params)
    if warnings:
        raise AuthoredSpecError("This link has problems: " + " ".join(warnings))
    return config


def authoring_form(secret: str) -> None:
    """The form that writes a challenge into the teacher's class."""
    own = st.session_state.get("pg_config")
    sources = [FROM_SESSION, FROM_LINK] if own is not None else [FROM_LINK]
    with st.expander("✏️ Write a challenge from a Playground configuration"):
        with st.form("classroom_author"):
            source = st.radio("Start from", sources, key="classroom_author_source", horizontal=True)
            link = st.text_input(
                "Playground link (if you start from a link)", key="classroom_author_link", max_chars=LINK_MAX
            )
            title = st.text_input("Title", key="classroom_author_title", max_chars=120)
            goal = st.text_area("Goal (one sentence)", key="classroom_author_goal", max_chars=600)
            controls = st.multiselect(
                "What students may change (everything else, and the data, is locked)",
                list(EDITABLE_CONTROLS),
                key="classroom_author_editable",
            )
            left, middle, right = st.columns(3)
            metric = left.selectbox(
                "Target", TARGET_METRICS, format_func=METRICS.get, key="classroom_author_metric"
            )
            comparison = middle.selectbox(
                "Comparison", list(COMPARISONS), format_func=SYMBOLS.get, key="classroom_author_comparison"
            )
            threshold = right.number_input(
                "Threshold", value=0.9, format="%g", key="classroom_author_threshold"
            )
            hints = st.text_area(
                f"Hints, one a line (at most {HINTS_MAX}; opened one at a time)", key="classroom_author_hints"
            )
            submitted = st.form_submit_button("Add the challenge to the class", type="primary")
    if not submitted:
        return
    try:
        config = own if source == FROM_SESSION else config_from_link(link)
        editable = [name for control in controls for name in EDITABLE_CONTROLS[control]]
        hint_lines = [line for line in hints.splitlines() if line.strip()]
        spec = authored_spec(config, editable, metric, comparison, float(threshold), hint_lines)
    except AuthoredSpecError as error:
        plain_text.error(error.message)
        return
    added = store_access.attempt(lambda store: store.author_challenge(secret, title, goal, spec))
    if added is None:
        return
    st.session_state[NOTICE_KEY] = f"Added the challenge “{added.title}”: your students can start it now."
    st.rerun()


def title_of(key: str, challenges: Mapping[str, Challenge]) -> str:
    found = challenges.get(key)
    return found.title if found is not None else key
