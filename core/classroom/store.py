"""The classroom store: classes, members and submissions in a real database (SQLAlchemy Core).

`Store.open()` connects (SQLite in the data folder by default, PostgreSQL when
$NEURAL_PLAYGROUND_DB_URL is set: see `database.py`) and brings the schema to the newest
migration. Nothing about a student is kept in this process: every call reads and writes the
database, so any worker (or container) can serve any student.

Every method returns frozen records (`records.py`), never rows, and every failure a student or
teacher can cause is a `ClassroomError` whose `message` can be shown as it is. A database that
cannot be reached raises `StoreUnavailable`, whatever the driver said.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import Engine, exc, func, select

from core.classroom import codes, names
from core.classroom.database import create_store_engine, database_url, guarded, migrate, writer
from core.classroom.queries import (
    Board,
    board_from_rows,
    class_id_for_code,
    class_id_for_teacher,
    class_info,
    results_table,
)
from core.classroom.records import (
    AuthoredChallenge,
    BadInputError,
    BadNameError,
    ClassClosedError,
    ClassInfo,
    Membership,
    NameTakenError,
    NotAMemberError,
    RateLimitedError,
    StoreUnavailable,
    Submission,
    UnknownChallengeError,
)
from core.classroom.schema import challenges, class_challenges, classes, members, submissions

SUBMISSIONS_PER_MINUTE = 20
CHALLENGES_MAX = 50
JOIN_CODE_ATTEMPTS = 8  # a clash is one in ~10^9 per class; eight in a row means something else

Clock = Callable[[], datetime]
T = TypeVar("T")


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


class Store:
    """One classroom database; safe to share between the threads of a process (a pool inside)."""

    def __init__(
        self,
        engine: Engine,
        *,
        submissions_per_minute: int = SUBMISSIONS_PER_MINUTE,
        clock: Clock | None = None,
    ):
        self._engine = engine
        # write transactions: SQLite takes its write lock at BEGIN (see database.py)
        self._writer = writer(engine)
        self.submissions_per_minute = submissions_per_minute
        self._clock = clock or (lambda: datetime.now(UTC))

    @classmethod
    @guarded
    def open(cls, url: str | None = None, data_dir: str | os.PathLike | None = None, **options) -> Store:
        """Connect (see `database_url`) and upgrade the schema to the newest migration."""
        store = cls(create_store_engine(database_url(url, data_dir)), **options)
        store.migrate()
        return store

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    @guarded
    def migrate(self) -> None:
        """Bring the schema to the head revision; concurrent callers run it one after the other."""
        migrate(self._engine)

    def close(self) -> None:
        """Close the pool's connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC).replace(tzinfo=None)  # naive UTC, see schema.py

    # -- classes ---------------------------------------------------------------------------

    @guarded
    def create_class(self, title: str, challenge_keys: Sequence[str]) -> tuple[ClassInfo, str]:
        """A new class with its challenges in order: its info (join code) and the teacher secret.

        The secret is returned this once (only its hash is stored): it is the teacher link.
        """
        title = self._clean(names.clean_title, title)
        keys = self._clean(names.challenge_keys, challenge_keys, CHALLENGES_MAX)
        for _attempt in range(JOIN_CODE_ATTEMPTS):
            secret = codes.new_secret()
            try:
                with self._writer.begin() as conn:
                    class_id = conn.execute(
                        classes.insert().returning(classes.c.id),
                        {
                            "join_code": codes.new_join_code(),
                            "teacher_secret_hash": codes.hash_secret(secret),
                            "title": title,
                            "created_at": self._now(),
                        },
                    ).scalar_one()
                    if keys:
                        conn.execute(
                            class_challenges.insert(),
                            [
                                {"class_id": class_id, "challenge_key": key, "position": i}
                                for i, key in enumerate(keys)
                            ],
                        )
                    return class_info(conn, class_id), secret
            except exc.IntegrityError:
                continue  # the join code was taken: draw another
        raise StoreUnavailable(detail="no free join code")

    @guarded
    def class_by_code(self, join_code: str) -> ClassInfo:
        """The class with this join code (as a student typed it), or UnknownCodeError."""
        with self._engine.connect() as conn:
            return class_info(conn, class_id_for_code(conn, join_code))

    @guarded
    def class_for_teacher(self, teacher_secret: str) -> ClassInfo:
        """The class this teacher secret opens, or UnknownTeacherError."""
        with self._engine.connect() as conn:
            return class_info(conn, class_id_for_teacher(conn, teacher_secret))

    @guarded
    def close_class(self, teacher_secret: str) -> ClassInfo:
        """Close the class: nobody joins or submits any more; the board and the export stay."""
        with self._writer.begin() as conn:
            class_id = class_id_for_teacher(conn, teacher_secret)
            conn.execute(
                classes.update()
                .where(classes.c.id == class_id, classes.c.closed_at.is_(None))
                .values(closed_at=self._now())
            )
            return class_info(conn, class_id)

    @guarded
    def author_challenge(self, teacher_secret: str, title: str, goal: str, spec: dict) -> AuthoredChallenge:
        """Add a challenge the teacher wrote (its spec: data, locked controls, target) to the class."""
        title = self._clean(names.clean_title, title)
        goal = self._clean(names.clean_text, goal)
        spec_json = self._clean(names.json_text, spec, "challenge")
        with self._writer.begin() as conn:
            class_id = class_id_for_teacher(conn, teacher_secret)
            count = conn.execute(
                select(func.count()).where(class_challenges.c.class_id == class_id)
            ).scalar_one()
            if count >= CHALLENGES_MAX:
                raise BadInputError(f"A class can have at most {CHALLENGES_MAX} challenges.")
            authored = conn.execute(
                select(func.count()).where(challenges.c.class_id == class_id)
            ).scalar_one()
            key = f"class{class_id}-{authored + 1}"
            conn.execute(
                challenges.insert(),
                {"class_id": class_id, "key": key, "title": title, "goal": goal, "spec_json": spec_json},
            )
            conn.execute(
                class_challenges.insert(), {"class_id": class_id, "challenge_key": key, "position": count}
            )
        return AuthoredChallenge(key=key, title=title, goal=goal, spec=json.loads(spec_json))

    @guarded
    def authored_challenges(self, join_code: str) -> tuple[AuthoredChallenge, ...]:
        """The challenges the class's teacher wrote, oldest first."""
        with self._engine.connect() as conn:
            class_id = class_id_for_code(conn, join_code)
            rows = conn.execute(
                select(challenges).where(challenges.c.class_id == class_id).order_by(challenges.c.id)
            ).all()
        return tuple(
            AuthoredChallenge(key=r.key, title=r.title, goal=r.goal, spec=json.loads(r.spec_json))
            for r in rows
        )

    # -- members ---------------------------------------------------------------------------

    @guarded
    def join(self, join_code: str, display_name: str) -> Membership:
        """Join the class under `display_name`: the member's id and token (the token is the seat)."""
        try:
            name = names.clean_display_name(display_name)
        except names.InvalidTextError as err:
            raise BadNameError(err.message) from err
        token = codes.new_secret()
        try:
            with self._writer.begin() as conn:
                class_id = class_id_for_code(conn, join_code)
                if conn.execute(select(classes.c.closed_at).where(classes.c.id == class_id)).scalar_one():
                    raise ClassClosedError()
                member_id = conn.execute(
                    members.insert().returning(members.c.id),
                    {
                        "class_id": class_id,
                        "display_name": name,
                        "name_key": names.name_key(name),
                        "member_token_hash": codes.hash_secret(token),
                        "joined_at": self._now(),
                    },
                ).scalar_one()
        except exc.IntegrityError as err:
            raise NameTakenError(name) from err
        return Membership(member_id=member_id, member_token=token, class_id=class_id, display_name=name)

    @guarded
    def seat_for_token(self, member_token: str) -> tuple[Membership, ClassInfo]:
        """The seat this member token holds (a student's rejoin link), found by the token's hash,
        and its class; NotAMemberError when no active member has it."""
        with self._engine.connect() as conn:
            member = conn.execute(
                select(members.c.id, members.c.class_id, members.c.display_name, members.c.removed_at).where(
                    members.c.member_token_hash == codes.hash_secret(str(member_token))
                )
            ).first()
            if member is None:
                raise NotAMemberError("This rejoin link is not valid: join the class again with its code.")
            if member.removed_at is not None:
                raise NotAMemberError("The teacher removed this name from the class.")
            membership = Membership(
                member_id=member.id,
                member_token=str(member_token),
                class_id=member.class_id,
                display_name=member.display_name,
            )
            return membership, class_info(conn, member.class_id)

    @guarded
    def remove_member(self, teacher_secret: str, member_id: int) -> None:
        """Remove a student from the board (their name becomes free; their token stops working)."""
        with self._writer.begin() as conn:
            class_id = class_id_for_teacher(conn, teacher_secret)
            found = conn.execute(
                members.update()
                .where(members.c.id == member_id, members.c.class_id == class_id)
                .where(members.c.removed_at.is_(None))
                .values(removed_at=self._now())
            )
            if found.rowcount == 0:
                known = conn.execute(
                    select(members.c.id).where(members.c.id == member_id, members.c.class_id == class_id)
                ).first()
                if known is None:
                    raise NotAMemberError("There is no such student in this class.")

    # -- submissions -----------------------------------------------------------------------

    @guarded
    def submit(
        self,
        member_token: str,
        challenge_key: str,
        score: float,
        solved: bool,
        parameters: int,
        epochs: int,
        config: dict,
    ) -> Submission:
        """Record a result the server computed, for the member whose token this is (and no other).

        At most `submissions_per_minute` per member, counted in the database: the limit holds
        however many workers or containers the member's requests reach.
        """
        score = self._clean(names.finite_score, score)
        if not isinstance(solved, bool):
            raise BadInputError("Solved must be true or false.")
        parameters = self._clean(names.whole_count, parameters, "parameter count")
        epochs = self._clean(names.whole_count, epochs, "epoch count")
        config_json = self._clean(names.json_text, config, "configuration")
        now = self._now()
        with self._writer.begin() as conn:
            # FOR UPDATE: on PostgreSQL two submissions of one member take turns, so both cannot
            # pass the rate limit's count together (SQLite's BEGIN IMMEDIATE already serialises)
            member = conn.execute(
                select(members.c.id, members.c.class_id, members.c.removed_at, classes.c.closed_at)
                .join(classes, classes.c.id == members.c.class_id)
                .where(members.c.member_token_hash == codes.hash_secret(str(member_token)))
                .with_for_update(of=members)
            ).first()
            if member is None:
                raise NotAMemberError("This seat is not known here: join the class again with its code.")
            if member.removed_at is not None:
                raise NotAMemberError("The teacher removed this name from the class.")
            if member.closed_at is not None:
                raise ClassClosedError()
            assigned = conn.execute(
                select(class_challenges.c.position).where(
                    class_challenges.c.class_id == member.class_id,
                    class_challenges.c.challenge_key == challenge_key,
                )
            ).first()
            if assigned is None:
                raise UnknownChallengeError(challenge_key)
            since = now - timedelta(minutes=1)
            recent = conn.execute(
                select(func.count()).where(
                    submissions.c.member_id == member.id, submissions.c.created_at > since
                )
            ).scalar_one()
            if recent >= self.submissions_per_minute:
                raise RateLimitedError(self.submissions_per_minute)
            submission_id = conn.execute(
                submissions.insert().returning(submissions.c.id),
                {
                    "class_id": member.class_id,
                    "member_id": member.id,
                    "challenge_key": challenge_key,
                    "score": score,
                    "solved": solved,
                    "parameters": parameters,
                    "epochs": epochs,
                    "config_json": config_json,
                    "created_at": now,
                },
            ).scalar_one()
        return Submission(
            id=submission_id,
            member_id=member.id,
            challenge_key=challenge_key,
            score=score,
            solved=solved,
            parameters=parameters,
            epochs=epochs,
            created_at=_aware(now),
        )

    @guarded
    def board(self, *, teacher_secret: str | None = None, join_code: str | None = None) -> Board:
        """The class board (by the teacher secret or the join code): each student's best per challenge."""
        if (teacher_secret is None) == (join_code is None):
            raise TypeError("board() takes exactly one of teacher_secret and join_code")
        with self._engine.connect() as conn, conn.begin():  # one snapshot for all the queries
            if teacher_secret is not None:
                class_id = class_id_for_teacher(conn, teacher_secret)
            else:
                class_id = class_id_for_code(conn, join_code)
            info = class_info(conn, class_id)
            return board_from_rows(conn, info)

    @guarded
    def results_csv(self, teacher_secret: str) -> str:
        """The board as CSV for a spreadsheet, one line per student and challenge."""
        return results_table(self.board(teacher_secret=teacher_secret))

    @guarded
    def submission_config(self, teacher_secret: str, submission_id: int) -> dict:
        """The configuration a submission of the teacher's class was trained with."""
        with self._engine.connect() as conn:
            class_id = class_id_for_teacher(conn, teacher_secret)
            text = conn.execute(
                select(submissions.c.config_json).where(
                    submissions.c.id == submission_id, submissions.c.class_id == class_id
                )
            ).scalar_one_or_none()
        if text is None:
            raise BadInputError("There is no such submission in this class.")
        return json.loads(text)

    # -- lookups ---------------------------------------------------------------------------

    @staticmethod
    def _clean(check: Callable[..., T], *args) -> T:
        """`check(*args)`, its InvalidTextError turned into the store's BadInputError."""
        try:
            return check(*args)
        except names.InvalidTextError as err:
            raise BadInputError(err.message) from err
