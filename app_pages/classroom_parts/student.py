"""The student's side of the Classroom page: join with the code on the board and a display name,
see the class's challenges and one's own best results, and start a challenge on the Playground.

Everything a student typed or another student chose (their names) is shown as text: `st.text`
or app_pages/plain_text.py, never as Markdown or HTML.
"""

from __future__ import annotations

import streamlit as st

from app_pages import plain_text
from app_pages.classroom_parts import board, store_access
from app_pages.playground_parts import challenge_panel
from app_pages.session_keys import CLASSROOM_CHALLENGE_KEY
from core.classroom.challenges import BY_KEY, METRICS, Challenge
from core.classroom.checks import format_value, may_change, target_text
from core.classroom.records import Board

CODE_PARAM = "code"  # /classroom?code=K7QX3M fills the join code in


def join_form() -> None:
    with st.form("classroom_join"):
        code = st.text_input(
            "Join code",
            max_chars=20,
            value=str(st.query_params.get(CODE_PARAM, ""))[:20],
            placeholder="K7QX3M",
        )
        name = st.text_input("Your name on the board", max_chars=60, placeholder="e.g. Ada")
        submitted = st.form_submit_button("Join", type="primary")
    if not submitted:
        return
    joined = store_access.attempt(lambda store: (store.join(code, name), store.class_by_code(code)))
    if joined is None:
        return
    membership, info = joined
    store_access.take_seat(store_access.Seat(membership, info.join_code, info.title))
    st.rerun()


def class_view(seat: store_access.Seat) -> None:
    """The class's challenges, with the student's own best result for each."""
    current = store_access.attempt(lambda store: store.board(join_code=seat.join_code))
    st.header(plain_text.as_text(seat.class_title))
    st.text(f"You are on the board as: {seat.membership.display_name}")
    if current is None:
        _leave_button()
        return
    if current.info.is_closed:
        st.warning("This class is closed: it takes no new results. Your results stay on the board.")
    if seat.membership.member_id not in {m.id for m in current.members}:
        st.warning("Your teacher removed this name from the class: join again to send results.")
    mine = _my_results(current, seat.membership.member_id)
    for key in current.info.challenge_keys:
        challenge = BY_KEY.get(key)
        with st.container(border=True):
            if challenge is None:  # written by the teacher: not yet playable from this page
                st.markdown(f"**{plain_text.as_text(key)}**")
                st.caption("This challenge is not available on this version of the app.")
                continue
            _challenge_card(challenge, mine.get(key))
    with st.expander("🏆 The class board"):
        board.draw_tables(current, key_prefix="classroom_student_board")
    _leave_button()


def _my_results(current: Board, member_id: int) -> dict:
    return {
        c.challenge_key: entry
        for c in current.challenges
        for entry in c.entries
        if entry.member_id == member_id
    }


def _challenge_card(challenge: Challenge, best) -> None:
    st.markdown(f"**{plain_text.as_text(challenge.title)}**")
    st.text(challenge.goal)
    st.caption(plain_text.as_text(f"Target: {target_text(challenge)}. {may_change(challenge)}"))
    if best is not None:
        verdict = "✓ solved" if best.solved else "not solved yet"
        metric = challenge.target.metric
        st.caption(
            plain_text.as_text(
                f"Your best result ({METRICS[metric]}): {format_value(best.score, metric)} ({verdict}), "
                f"{best.parameters:,} parameters, {best.attempts} attempt{'s' if best.attempts != 1 else ''}."
            )
        )
    if challenge.page == "playground":
        if st.button("▶ Start", key=f"classroom_start_{challenge.key}", type="primary"):
            challenge_panel.start_challenge(challenge)  # switches to the Playground
    else:
        # The MNIST page does not run challenges yet: the task and the target are here, and the
        # result is not checked or sent to the board.
        st.page_link("app_pages/mnist.py", label="Open the MNIST page", icon="🔢")
        st.caption("Train there to reach the target; MNIST results are not sent to the board yet.")


def _leave_button() -> None:
    if st.button("Leave the class", key="classroom_leave_class"):
        store_access.take_seat(None)
        st.session_state.pop(CLASSROOM_CHALLENGE_KEY, None)
        st.rerun()
