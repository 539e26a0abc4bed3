"""The store's read queries: a class by its join code or teacher secret, and its board.

The board is each active student's best submission per challenge.

"Best" is one rule everywhere (board, CSV): a solved result before an unsolved one, then the
higher score, then fewer parameters, then the earlier one. The database picks it with a window
function (ROW_NUMBER per member and challenge, which SQLite 3.25+ and PostgreSQL both have) over
the `ix_submissions_board` index, so the board is one query however many results a class sends.

The CSV export guards against spreadsheet formula injection: a text cell that starts with
= + - @ (or a tab or carriage return) gets a leading apostrophe, so a student named
"=HYPERLINK(...)" is shown as text by Excel or LibreOffice, never run.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from core.classroom import codes
from core.classroom.records import (
    Board,
    BoardEntry,
    ChallengeBoard,
    ClassInfo,
    Member,
    UnknownCodeError,
    UnknownTeacherError,
)
from core.classroom.schema import class_challenges, classes, members, submissions

CSV_COLUMNS = (
    "challenge",
    "student",
    "solved",
    "best_score",
    "parameters",
    "epochs",
    "submitted_at",
    "attempts",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def class_id_for_code(conn: Connection, join_code: str) -> int:
    """The id of the class with this join code (as a student typed it), or UnknownCodeError."""
    code = codes.normalize_join_code(join_code)
    if code is None:
        raise UnknownCodeError(join_code, malformed=True)
    class_id = conn.execute(select(classes.c.id).where(classes.c.join_code == code)).scalar_one_or_none()
    if class_id is None:
        raise UnknownCodeError(code)
    return class_id


def class_id_for_teacher(conn: Connection, teacher_secret: str) -> int:
    """The id of the class this teacher secret opens, or UnknownTeacherError."""
    class_id = conn.execute(
        select(classes.c.id).where(classes.c.teacher_secret_hash == codes.hash_secret(str(teacher_secret)))
    ).scalar_one_or_none()
    if class_id is None:
        raise UnknownTeacherError()
    return class_id


def class_info(conn: Connection, class_id: int) -> ClassInfo:
    """The class `class_id` with its challenge keys in order."""
    row = conn.execute(select(classes).where(classes.c.id == class_id)).one()
    keys = (
        conn.execute(
            select(class_challenges.c.challenge_key)
            .where(class_challenges.c.class_id == class_id)
            .order_by(class_challenges.c.position)
        )
        .scalars()
        .all()
    )
    return ClassInfo(
        id=row.id,
        join_code=row.join_code,
        title=row.title,
        created_at=row.created_at.replace(tzinfo=UTC),
        closed_at=row.closed_at and row.closed_at.replace(tzinfo=UTC),
        challenge_keys=tuple(keys),
    )


def best_first_order():
    """The ORDER BY that puts a member's best submission first (see the module docstring)."""
    s = submissions.c
    return (s.solved.desc(), s.score.desc(), s.parameters.asc(), s.created_at.asc(), s.id.asc())


def board_from_rows(conn: Connection, info: ClassInfo) -> Board:
    """The board of class `info`, read on `conn`."""
    s = submissions.c
    per_member = (s.member_id, s.challenge_key)
    ranked = (
        select(
            s.id,
            s.member_id,
            s.challenge_key,
            s.score,
            s.solved,
            s.parameters,
            s.epochs,
            s.created_at,
            func.row_number().over(partition_by=per_member, order_by=best_first_order()).label("rank"),
            func.count().over(partition_by=per_member).label("attempts"),
        )
        .where(s.class_id == info.id)
        .subquery()
    )
    best = conn.execute(
        select(ranked, members.c.display_name)
        .join(members, members.c.id == ranked.c.member_id)
        .where(ranked.c.rank == 1, members.c.removed_at.is_(None))
    ).all()
    by_challenge: dict[str, list[BoardEntry]] = {key: [] for key in info.challenge_keys}
    for row in best:
        if row.challenge_key in by_challenge:
            by_challenge[row.challenge_key].append(
                BoardEntry(
                    member_id=row.member_id,
                    display_name=row.display_name,
                    submission_id=row.id,
                    score=row.score,
                    solved=bool(row.solved),
                    parameters=row.parameters,
                    epochs=row.epochs,
                    submitted_at=row.created_at.replace(tzinfo=UTC),
                    attempts=row.attempts,
                )
            )
    for entries in by_challenge.values():
        entries.sort(key=lambda e: (not e.solved, -e.score, e.parameters, e.submitted_at, e.submission_id))
    roster = conn.execute(
        select(members.c.id, members.c.display_name, members.c.joined_at)
        .where(members.c.class_id == info.id, members.c.removed_at.is_(None))
        .order_by(members.c.id)
    ).all()
    return Board(
        info=info,
        members=tuple(
            Member(id=r.id, display_name=r.display_name, joined_at=r.joined_at.replace(tzinfo=UTC))
            for r in roster
        ),
        challenges=tuple(ChallengeBoard(key, tuple(entries)) for key, entries in by_challenge.items()),
    )


def spreadsheet_safe(cell: str) -> str:
    """`cell`, with a leading apostrophe if a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def results_table(board: Board) -> str:
    """The board as CSV text: a header, then one line per student and challenge, best first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for challenge in board.challenges:
        for e in challenge.entries:
            writer.writerow(
                [
                    spreadsheet_safe(challenge.challenge_key),
                    spreadsheet_safe(e.display_name),
                    "yes" if e.solved else "no",
                    repr(e.score),
                    e.parameters,
                    "" if e.epochs is None else e.epochs,
                    e.submitted_at.isoformat(timespec="seconds"),
                    e.attempts,
                ]
            )
    return out.getvalue()
