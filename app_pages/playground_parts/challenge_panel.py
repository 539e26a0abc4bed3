"""The challenge a student started on the Classroom page, above the Playground's plane: its goal,
what may change, the target, hints one at a time, "Check my network" and "Leave the challenge".

The check runs here, on the server, on the student's own PlaygroundSession (core/classroom/
checks.py): the browser sends nothing but the click. Before anything is checked the
configuration is locked again (`Challenge.locked`), so a control outside the challenge, or a
link edited by hand, cannot count. A student who joined a class has the result sent to the
class board through the store, which also enforces the rate limit.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from app_pages import plain_text
from app_pages.classroom_parts import store_access
from app_pages.playground_parts import W, resources, state
from app_pages.session_keys import CLASSROOM_CHALLENGE_KEY
from core import playground as pg
from core.classroom.challenges import BY_KEY, Challenge
from core.classroom.checks import ChallengeResult, check, may_change, target_text
from core.playground import widgets

PLAYGROUND_PAGE = "app_pages/playground.py"
HINTS_KEY = "classroom_hints_shown"  # {challenge key: how many hints are open}
RESULT_KEY = "classroom_last_check"  # (challenge key, ChallengeResult, what the board said)
RELOCKED_KEY = "classroom_relocked"  # the locked fields put back in the previous run
RELOCK_TRIED_KEY = "classroom_relock_tried"  # the configuration the last re-lock asked for
# A challenge the teacher wrote, as loaded (and checked) from the class's database at Start.
AUTHORED_KEY = "classroom_authored_challenge"


def active_challenge() -> Challenge | None:
    """The Playground challenge this session started, if any."""
    key = str(st.session_state.get(CLASSROOM_CHALLENGE_KEY, ""))
    found = BY_KEY.get(key)
    authored = st.session_state.get(AUTHORED_KEY)
    if found is None and isinstance(authored, Challenge) and authored.key == key:
        found = authored
    return found if found is not None and found.page == "playground" else None


def start_challenge(challenge: Challenge) -> None:
    """Open the Playground on the challenge's locked base configuration, its locked controls
    hidden. The Playground reads a link only on a session's first visit, so the student's
    previous Playground state is set aside first (their run there ends, as a Reset would)."""
    session_state = st.session_state
    if "pg_session_id" in session_state:
        resources.load_monitor().leave(session_state.pg_session_id)
    for key in ("pg_config", "pg_session", "pg_notice", *state.RESULT_KEYS):
        session_state.pop(key, None)
    session_state.pg_playing = False
    session_state[CLASSROOM_CHALLENGE_KEY] = challenge.key
    if challenge.key in BY_KEY:
        session_state.pop(AUTHORED_KEY, None)
    else:
        session_state[AUTHORED_KEY] = challenge
    session_state.setdefault(HINTS_KEY, {})[challenge.key] = 0
    session_state.pop(RESULT_KEY, None)
    query = pg.encode_query(replace(challenge.base, hide=challenge.hidden_controls))
    st.switch_page(PLAYGROUND_PAGE, query_params=query)


def challenge_panel(session: pg.PlaygroundSession | None, config: pg.PlaygroundConfig) -> None:
    """The panel of the active challenge (nothing when none is active)."""
    challenge = active_challenge()
    if challenge is None:
        return
    _relock(challenge, config)
    # An expander, open at first: on a phone the student folds it away to see the plane
    title = f"🏫 Challenge: {plain_text.as_text(challenge.title)}"
    with st.expander(title, expanded=True, key="classroom_challenge_panel"):
        st.text(challenge.goal)
        st.caption(plain_text.as_text(f"Target: {target_text(challenge)}. {may_change(challenge)}"))
        relocked = st.session_state.pop(RELOCKED_KEY, None)
        if relocked:
            plain_text.warning(
                f"This configuration changed settings the challenge locks ({', '.join(relocked)}): "
                "they were put back to the challenge's values and the network starts again.",
                icon="🔒",
            )
        show_hints(challenge)
        buttons = st.container(horizontal=True)
        checked = buttons.button(
            "✅ Check my network", key="classroom_check", type="primary", disabled=session is None
        )
        buttons.button("Leave the challenge", key="classroom_leave", on_click=leave)
        buttons.page_link("app_pages/classroom.py", label="Back to the class", icon="🏫")
        if checked and session is not None:
            outcome = check_and_submit(challenge, session, pg.encode_query(session.config))
            st.session_state[RESULT_KEY] = (challenge.key, *outcome)
        show_last_result(challenge)


def _relock(challenge: Challenge, config: pg.PlaygroundConfig) -> None:
    """Put the locked fields back when the configuration strays from them, and start again.

    The sidebar's widgets were drawn in this run, so their values can only change in the next
    one: their keys are dropped (the Playground refills them from `pg_config`) and the page reruns."""
    locked = challenge.locked(config)
    session_state = st.session_state
    if locked == config:
        session_state.pop(RELOCK_TRIED_KEY, None)
        return
    if session_state.get(RELOCK_TRIED_KEY) == locked:
        return  # tried once and the controls could not show it: never rerun in a loop (the check rejects)
    session_state[RELOCK_TRIED_KEY] = locked
    session_state[RELOCKED_KEY] = challenge.tampered_fields(config) or ("values out of range",)
    for name in widgets.widget_values(locked):
        session_state.pop(W + name, None)
    state.on_reset()  # a network trained with unlocked settings is not the challenge's
    session_state.pg_config = locked
    st.rerun()


def show_hints(challenge: Challenge) -> None:
    shown = st.session_state.setdefault(HINTS_KEY, {}).get(challenge.key, 0)
    for number, hint in enumerate(challenge.hints[:shown], start=1):
        plain_text.info(f"Hint {number}: {hint}")
    if shown < len(challenge.hints):
        st.button(
            f"💡 Show a hint ({shown + 1} of {len(challenge.hints)})",
            key="classroom_hint",
            on_click=_open_hint,
            args=(challenge.key,),
        )


def _open_hint(key: str) -> None:
    hints = st.session_state.setdefault(HINTS_KEY, {})
    hints[key] = hints.get(key, 0) + 1


def leave() -> None:
    """Callback: the challenge ends; every control shows again (the configuration stays)."""
    session_state = st.session_state
    session_state.pop(CLASSROOM_CHALLENGE_KEY, None)
    session_state.pop(RESULT_KEY, None)
    if "pg_config" in session_state:
        session_state.pg_config = replace(session_state.pg_config, hide=())


def check_and_submit(challenge: Challenge, run, config: dict) -> tuple[ChallengeResult, str]:
    """Check the page's own run (a Playground session or an MNIST run) on the server; send it,
    with `config` (its settings as the board keeps them), to the class board when the student
    has a seat. Returns the result and what became of the submission (a sentence, or "")."""
    result = check(challenge, run)
    seat = store_access.seat()
    if seat is None or result.rejected:
        return result, ""
    if challenge.key not in class_challenges(seat):
        return result, "This challenge is not one of your class's, so the board does not show it."
    sent = store_access.attempt(
        lambda store: store.submit(
            seat.membership.member_token,
            challenge.key,
            float(result.score),
            bool(result.solved),
            int(result.parameters),
            int(result.epochs),
            config,
        )
    )
    if sent is None:
        return result, ""  # the reason (rate limit, closed class, database down) is on the page
    return result, f"Sent to the board of {seat.class_title} as {seat.membership.display_name}."


def class_challenges(seat: store_access.Seat) -> tuple[str, ...]:
    info = store_access.attempt(lambda store: store.class_by_code(seat.join_code))
    return () if info is None else info.challenge_keys


def show_last_result(challenge: Challenge) -> None:
    last = st.session_state.get(RESULT_KEY)
    if not last or last[0] != challenge.key:
        return
    _, result, sent = last
    if result.solved:
        what = result.message.removeprefix("Solved: ")  # "training broke down (105 parameters, ...)."
        st.success(plain_text.as_text(f"Solved! {what[:1].upper()}{what[1:]}"), icon="🎉")
    else:
        plain_text.warning(result.message)
    if sent:
        st.caption(plain_text.as_text(sent))
