"""The student's side of the Classroom page: join with the code on the board and a display name,
see the class's challenges and one's own best results, and start a challenge on the Playground.

Everything a student typed or another student chose (their names) is shown as text: `st.text`
or app_pages/plain_text.py, never as Markdown or HTML.
"""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from app_pages import plain_text
from app_pages.classroom_parts import authoring, board, store_access, teacher
from app_pages.mnist_parts import challenge_panel as mnist_challenge_panel
from app_pages.playground_parts import challenge_panel
from app_pages.session_keys import CLASSROOM_CHALLENGE_KEY
from core.classroom.challenges import METRICS, Challenge
from core.classroom.checks import format_value, may_change, target_text
from core.classroom.records import Board

CODE_PARAM = "code"  # /classroom?code=K7QX3M fills the join code in
SEAT_PARAM = "seat"  # /classroom?seat=<member token>: the student's private rejoin link


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
    # The page's address becomes the rejoin link: a reload keeps the seat (the token lives in
    # the session, which a reload ends)
    st.query_params.pop(CODE_PARAM, None)
    st.query_params[SEAT_PARAM] = membership.member_token
    st.rerun()


def rejoin(token: str) -> store_access.Seat | None:
    """The seat a rejoin link (/classroom?seat=<token>) holds, now this session's; None, with
    the reason shown, when the link is not (or no longer) valid."""
    found = store_access.attempt(lambda store: store.seat_for_token(token))
    if found is None:
        st.query_params.pop(SEAT_PARAM, None)  # a dead link: the join form shows, without it
        return None
    membership, info = found
    restored = store_access.Seat(membership, info.join_code, info.title)
    store_access.take_seat(restored)
    return restored


def class_view(seat: store_access.Seat) -> None:
    """The class's challenges, with the student's own best result for each."""
    found = store_access.attempt(
        lambda store: (store.board(join_code=seat.join_code), *authoring.playable(store, seat.join_code))
    )
    st.header(plain_text.as_text(seat.class_title))
    st.text(f"You are on the board as: {seat.membership.display_name}")
    _rejoin_link(seat)
    if found is None:
        _leave_button()
        return
    current, challenges, refused = found
    if current.info.is_closed:
        st.warning("This class is closed: it takes no new results. Your results stay on the board.")
    if seat.membership.member_id not in {m.id for m in current.members}:
        st.warning("Your teacher removed this name from the class: join again to send results.")
    mine = _my_results(current, seat.membership.member_id)
    for key in current.info.challenge_keys:
        challenge = challenges.get(key)
        with st.container(border=True):
            if challenge is None:  # an authored spec that did not load, or a key this app lacks
                st.markdown(f"**{plain_text.as_text(key)}**")
                plain_text.warning(
                    refused.get(key, "This challenge is not available on this version of the app.")
                )
                continue
            _challenge_card(challenge, mine.get(key))
    with st.expander("🏆 The class board"):
        board.draw_tables(current, key_prefix="classroom_student_board", challenges=challenges)
    _leave_button()


def _rejoin_link(seat: store_access.Seat) -> None:
    with st.expander("🔑 Your rejoin link (private)"):
        st.caption(
            "Open it to come back to this seat after a reload or on another device. Keep it to "
            "yourself: anyone with it can send results under your name."
        )
        link = f"{teacher.page_address('classroom')}?{SEAT_PARAM}={quote(seat.membership.member_token)}"
        st.code(link, language=None, wrap_lines=True)


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
    elif st.button("▶ Open the MNIST page", key=f"classroom_start_{challenge.key}", type="primary"):
        mnist_challenge_panel.start_challenge(challenge)  # switches to the MNIST page


def _leave_button() -> None:
    if st.button("Leave the class", key="classroom_leave_class"):
        store_access.take_seat(None)
        st.query_params.pop(SEAT_PARAM, None)
        st.session_state.pop(CLASSROOM_CHALLENGE_KEY, None)
        st.rerun()
