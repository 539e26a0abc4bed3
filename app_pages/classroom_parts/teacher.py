"""The teacher's side of the Classroom page: create a class, then run it from the teacher link
(`/classroom?teacher=<secret>`): the join code, the live board, write a challenge (authoring.py),
close the class, remove a name, export the results, open a student's configuration in one's own
Playground.

The secret is the teacher's only key to the class (the store keeps only its hash). It travels in
the teacher link's query, so it survives a reload and opens the class on another computer.
"""

from __future__ import annotations

import html
from urllib.parse import quote

import streamlit as st

from app_pages import plain_text
from app_pages.classroom_parts import authoring, board, store_access
from core import playground as pg
from core.classroom.challenges import BUILT_IN
from core.classroom.checks import target_text
from core.classroom.records import ClassInfo
from core.mnist import url as mnist_url

TEACHER_PARAM = "teacher"
# The teacher link's secret, kept for this session once it opened the class: the sidebar's
# page links drop the query, and a teacher who went to the Playground comes back to the board.
TEACHER_SESSION_KEY = "classroom_teacher_secret"
WALL_KEY = "classroom_wall"
NOTICE_KEY = authoring.NOTICE_KEY  # what the last tool did, shown once after the rerun
CODE_HTML = (
    # six characters read from the back of the room, and still on one line on a phone
    '<div data-testid="classroom-join-code" style="font-size:clamp(2.4rem, 9vw, 4rem);'
    'font-weight:700;letter-spacing:0.3em;font-family:monospace;line-height:1.1">{code}</div>'
)


def page_address(page: str) -> str:
    """The address of another page of the app as the browser sees it (works under a base path)."""
    here = getattr(st.context, "url", None) or ""
    base = here.rsplit("/", 1)[0] if "/" in here.split("://", 1)[-1] else here
    return f"{base}/{page}"


# ----------------------------------------------------------------------------- create
def create_class_form() -> None:
    """Title and challenges; on success the page becomes the teacher link."""
    with st.form("classroom_create"):
        title = st.text_input("Class title", max_chars=120, placeholder="e.g. 4B, Thursday")
        st.markdown("**Challenges** (students see them in this order)")
        chosen = []
        for challenge in BUILT_IN:
            where = "Playground" if challenge.page == "playground" else "MNIST page"
            picked = st.checkbox(
                f"{challenge.title} ({where})",
                key=f"classroom_pick_{challenge.key}",
                help=f"Target: {target_text(challenge)}",
            )
            st.caption(plain_text.as_text(challenge.goal))
            if picked:
                chosen.append(challenge.key)
        submitted = st.form_submit_button("Create the class", type="primary")
    if not submitted:
        return
    if not chosen:
        st.error("Pick at least one challenge.")
        return
    created = store_access.attempt(lambda store: store.create_class(title, chosen))
    if created is None:
        return
    _info, secret = created
    st.query_params[TEACHER_PARAM] = secret  # the page is now the teacher link
    st.rerun()


# ----------------------------------------------------------------------------- the class
def teacher_view(secret: str) -> None:
    info = store_access.attempt(lambda store: store.class_for_teacher(secret))
    if info is None:
        st.session_state.pop(TEACHER_SESSION_KEY, None)
        st.page_link("app_pages/classroom.py", label="Create a new class instead", icon="🏫")
        return
    st.session_state[TEACHER_SESSION_KEY] = secret
    wall = st.toggle(
        "Wall screen",
        key=WALL_KEY,
        help="Large type for a projector; hides the tools. Go full screen (F11) too: the address "
        "bar holds your teacher link.",
    )
    st.header(plain_text.as_text(info.title))
    if info.is_closed:
        st.warning("This class is closed: it takes no new names or results. The board stays.")
    left, right = st.columns(2) if not wall else (st.container(), None)
    with left:
        st.markdown("Join code: go to the **Classroom** page and type")
        st.html(CODE_HTML.format(code=html.escape(info.join_code)))
        st.caption(plain_text.as_text(f"or open {page_address('classroom')}?code={info.join_code}"))
    if right is not None:
        with right:
            st.markdown("**Your teacher link**: keep it private, it opens this board and its tools.")
            link = f"{page_address('classroom')}?{TEACHER_PARAM}={quote(secret)}"
            st.code(link, language=None, wrap_lines=True)
    board.live_board(secret, wall)
    if not wall:
        _tools(secret, info)


def _tools(secret: str, info: ClassInfo) -> None:
    st.divider()
    st.subheader("Tools")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        plain_text.success(notice)
    results = store_access.attempt(lambda store: store.results_csv(secret))
    if results is not None:
        st.download_button(
            "⬇️ Download the results (CSV)",
            results,
            file_name=f"class-{info.join_code}-results.csv",
            mime="text/csv",
            on_click="ignore",
            key="classroom_csv",
        )
    if not info.is_closed:
        authoring.authoring_form(secret)
    found = store_access.attempt(
        lambda store: (store.board(teacher_secret=secret), *authoring.playable(store, info.join_code))
    )
    if found is None:
        return
    current, challenges, refused = found
    for message in refused.values():  # students see the same message in place of the challenge
        plain_text.warning(message)
    _open_submission(secret, current, challenges)
    _remove_name(secret, current)
    if not info.is_closed:
        with st.popover("Close the class"):
            st.write("Students can no longer join or send results; the board and the export stay.")
            if st.button("Close it now", key="classroom_close", type="primary"):
                if store_access.attempt(lambda store: store.close_class(secret)) is not None:
                    st.rerun()


def _open_submission(secret: str, current, challenges) -> None:
    """A student's best configuration, as a link that opens it in the teacher's own Playground
    (or MNIST page, for an MNIST challenge)."""
    # one best result per student and challenge, so the labels are unique
    choices = {
        f"{board.challenge_title(c.challenge_key, challenges)}: {e.display_name}"
        f" ({'solved' if e.solved else 'not solved'}, {e.score:.3g})": (e.submission_id, c.challenge_key)
        for c in current.challenges
        for e in c.entries
    }
    if not choices:
        return
    picked = st.selectbox(
        "Open a student's configuration in your Playground or MNIST page",
        list(choices),
        index=None,
        placeholder="Pick a result",
        key="classroom_open_pick",
    )
    if picked is None:
        return
    submission_id, challenge_key = choices[picked]
    stored = store_access.attempt(lambda store: store.submission_config(secret, submission_id))
    if stored is None:
        return
    # Read back through the link decoders, which validate every value, then written again:
    # the link holds only what the page itself would write.
    if stored.get("page") == "mnist":
        challenge = challenges.get(challenge_key)
        settings = mnist_url.settings_from_query(mnist_url.query_from_values(stored))
        dataset = challenge.image_dataset if challenge is not None else None
        link = page_address("mnist") + pg.query_string(mnist_url.settings_query(settings.config, dataset))
        st.link_button("Open in my MNIST page ↗", link)
        return
    config, _warnings = pg.decode_query(stored)
    link = page_address("playground") + pg.query_string(pg.encode_query(config))
    st.link_button("Open in my Playground ↗", link)


def _remove_name(secret: str, current) -> None:
    # display names are unique in a class (ignoring case), so a name picks one student
    members = {m.display_name: m.id for m in current.members}
    if not members:
        return
    with st.popover("Remove a name"):
        picked = st.selectbox("Student", list(members), index=None, key="classroom_remove_pick")
        if st.button("Remove from the class", key="classroom_remove", disabled=picked is None):
            removed = store_access.attempt(lambda store: store.remove_member(secret, members[picked]) or True)
            if removed is None:
                return
            st.session_state[NOTICE_KEY] = f"Removed {picked}: their results are off the board."
            st.rerun()  # the board above is redrawn without them
