"""The class board the teacher projects: per challenge, each student's best result, live.

The board is a fragment re-run by the browser every BOARD_REFRESH_S seconds; each run is one
read of the store (`Store.board`: one query for the whole class), so a board costs the same
however many students send results. Names are shown in `st.dataframe` cells, which are text
(drawn on a canvas, never parsed as Markdown or HTML), and the tables sort by any column.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import streamlit as st

from app_pages import plain_text
from app_pages.classroom_parts import authoring, store_access
from core.classroom.challenges import BY_KEY, METRICS, Challenge
from core.classroom.checks import YES_NO_METRICS
from core.classroom.records import Board, ChallengeBoard

BOARD_REFRESH_S = 2
SOLVED_MARK = "✓"

# A wall screen is read from the back of the room: large type, no sidebar, no teacher tools.
WALL_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMain"] h1 { font-size: 3.2rem; }
[data-testid="stMain"] h3 { font-size: 2.2rem; }
[data-testid="stMain"] h2 { font-size: 2.6rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.5rem; }
table.classroom-wall { width: 100%; border-collapse: collapse; font-size: 1.9rem; }
table.classroom-wall th { text-align: left; font-size: 1.3rem; opacity: 0.7; padding: 0.3rem 0.8rem; }
table.classroom-wall td { padding: 0.45rem 0.8rem; border-top: 1px solid rgba(128, 128, 128, 0.3);
  overflow-wrap: anywhere; }
</style>"""
WALL_HIDDEN = ("Attempts", "When (UTC)")  # the room reads names and results, not the log


def challenge_title(key: str, challenges: Mapping[str, Challenge] = BY_KEY) -> str:
    found = challenges.get(key)
    return found.title if found is not None else key


def score_label(key: str, challenges: Mapping[str, Challenge] = BY_KEY) -> str:
    """What the score column holds for this challenge: "best test accuracy", or for a yes-or-no
    target "training broke down (1 = yes)"."""
    found = challenges.get(key)
    if found is None:
        return "best score"
    if found.target.metric in YES_NO_METRICS:
        return f"{METRICS[found.target.metric]} (1 = yes)"
    return f"best {METRICS[found.target.metric]}"


def table(challenge_board: ChallengeBoard, challenges: Mapping[str, Challenge] = BY_KEY) -> dict[str, list]:
    """The columns of one challenge's table, best first (the store's order). A yes-or-no target
    (did training break down?) has no score column: "Solved" says it all."""
    entries = challenge_board.entries
    columns = {
        "Student": [e.display_name for e in entries],
        "Best score": [e.score if math.isfinite(e.score) else None for e in entries],
        "Solved": [SOLVED_MARK if e.solved else "" for e in entries],
        "Parameters": [e.parameters for e in entries],
        "Epochs": [e.epochs for e in entries],
        "Attempts": [e.attempts for e in entries],
        "When (UTC)": [e.submitted_at.strftime("%H:%M:%S") for e in entries],
    }
    found = challenges.get(challenge_board.challenge_key)
    if found is not None and found.target.metric in YES_NO_METRICS:
        del columns["Best score"]
    return columns


def wall_table(columns: dict[str, list], score_title: str) -> str:
    """The table as HTML for the wall screen: large type, every cell escaped (names are text)."""

    def cell(name: str, value) -> str:
        if value is None:
            return "–"
        if name == "Best score":
            return f"{value:.3f}"
        if name == "Parameters":
            return f"{value:,}"
        return html.escape(str(value))

    names = [name for name in columns if name not in WALL_HIDDEN]
    head = "".join(f"<th>{html.escape(score_title if n == 'Best score' else n)}</th>" for n in names)
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell(n, columns[n][i])}</td>" for n in names) + "</tr>"
        for i in range(len(columns["Student"]))
    )
    return f'<table class="classroom-wall"><tr>{head}</tr>{rows}</table>'


def summary(board: Board, challenges: Mapping[str, Challenge] = BY_KEY) -> str:
    """'12 students · Untangle the spiral: 3 solved · ...'"""
    parts = [f"{len(board.members)} student{'s' if len(board.members) != 1 else ''}"]
    parts += [
        f"{challenge_title(c.challenge_key, challenges)}: {c.solved_count} solved" for c in board.challenges
    ]
    return " · ".join(parts)


def live_board(teacher_secret: str, wall: bool) -> None:
    """The board, refreshed every BOARD_REFRESH_S seconds while the page is open."""
    if wall:
        st.html(WALL_CSS)
    _board_fragment(teacher_secret, wall)


@st.fragment(run_every=BOARD_REFRESH_S)
def _board_fragment(teacher_secret: str, wall: bool) -> None:
    def read(store):
        current = store.board(teacher_secret=teacher_secret)
        return current, authoring.playable(store, current.info.join_code)[0]

    found = store_access.attempt(read)
    if found is None:
        return  # the reason is on the page; the next tick tries again
    current, challenges = found
    draw_tables(current, wall, challenges=challenges)


def draw_tables(
    board: Board,
    wall: bool = False,
    key_prefix: str = "classroom_board",
    challenges: Mapping[str, Challenge] = BY_KEY,
) -> None:
    """The summary line, then each challenge's title and table (HTML in large type on a wall)."""
    st.caption(plain_text.as_text(summary(board, challenges)))
    if not board.challenges:
        st.info("This class has no challenges.")
    for challenge_board in board.challenges:
        key = challenge_board.challenge_key
        st.subheader(plain_text.as_text(challenge_title(key, challenges)))
        if not challenge_board.entries:
            st.caption("No results yet.")
            continue
        columns = table(challenge_board, challenges)
        if wall:
            st.html(wall_table(columns, score_label(key, challenges).capitalize()))
            continue
        st.dataframe(
            columns,
            hide_index=True,
            width="stretch",
            key=f"{key_prefix}_{key}",  # a stable identity: the sorting a teacher chose survives a refresh
            column_config={
                "Best score": st.column_config.NumberColumn(
                    score_label(key, challenges).capitalize(),
                    format="%.3f",
                    help="The student's best result.",
                ),
                "Student": st.column_config.TextColumn("Student", width="large"),
                "Solved": st.column_config.TextColumn("Solved", width="small"),
                "Parameters": st.column_config.NumberColumn("Parameters", format="localized"),
            },
        )
