"""What the classroom store hands out: frozen records, and the errors a person can cause.

Records are plain frozen dataclasses (never database rows), so a page can keep one in
`st.session_state` and nothing it does changes the database. Every error is a `ClassroomError`
whose `message` is written for the student or teacher who caused it and can be shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class ClassroomError(Exception):
    """A classroom action that cannot be done; `message` says why, for the person who tried."""

    default_message = "That did not work."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class StoreUnavailable(ClassroomError):  # noqa: N818 (the issue's name for it)
    """The database cannot be reached (down, unreachable, locked past the timeout, no disk)."""

    default_message = (
        "The class database cannot be reached right now. Your work on this page is kept; "
        "try again in a moment."
    )

    def __init__(self, message: str | None = None, *, detail: str = ""):
        super().__init__(message)
        self.detail = detail  # the driver's words, for the server's log, not for the page


class BadInputError(ClassroomError):
    """A value that cannot be stored (a title too long, a configuration that is not JSON...)."""


class BadNameError(BadInputError):
    """A display name that cannot be used (empty, too long, control characters)."""


class UnknownCodeError(ClassroomError):
    """No class has this join code (or what was typed cannot be a join code)."""

    def __init__(self, code: object, *, malformed: bool = False):
        if malformed:
            message = "A join code has 6 letters and digits, like K7QX3M. Check the code on the board."
        else:
            message = f"No class has the join code {code}. Check it with your teacher."
        super().__init__(message)


class ClassClosedError(ClassroomError):
    default_message = "This class is closed: it takes no new names or results. Ask your teacher."


class NameTakenError(ClassroomError):
    """Another student of the class already uses this display name (names ignore case)."""

    def __init__(self, name: str):
        super().__init__(f'"{name}" is already taken in this class: pick another name.')


class UnknownTeacherError(ClassroomError):
    default_message = "This teacher link is not valid. Use the link you got when you created the class."


class NotAMemberError(ClassroomError):
    default_message = "This name is not (or no longer) in the class: join again with the class code."


class UnknownChallengeError(ClassroomError):
    def __init__(self, key: str):
        super().__init__(f"The challenge {key!r} is not one of this class's challenges.")


class RateLimitedError(ClassroomError):
    def __init__(self, per_minute: int):
        super().__init__(f"Slow down: at most {per_minute} results a minute can be sent. Try again shortly.")


@dataclass(frozen=True)
class ClassInfo:
    id: int
    join_code: str
    title: str
    created_at: datetime
    closed_at: datetime | None
    challenge_keys: tuple[str, ...]

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class Membership:
    """A student's seat: `member_token` is the only proof of it (keep it in the session)."""

    member_id: int
    member_token: str
    class_id: int
    display_name: str


@dataclass(frozen=True)
class AuthoredChallenge:
    key: str
    title: str
    goal: str
    spec: dict


@dataclass(frozen=True)
class Submission:
    id: int
    member_id: int
    challenge_key: str
    score: float
    solved: bool
    parameters: int
    epochs: int | None
    created_at: datetime


@dataclass(frozen=True)
class BoardEntry:
    """One student's best submission for one challenge, and how many they sent."""

    member_id: int
    display_name: str
    submission_id: int
    score: float
    solved: bool
    parameters: int
    epochs: int | None  # None for a result sent before the store recorded epochs
    submitted_at: datetime
    attempts: int


@dataclass(frozen=True)
class ChallengeBoard:
    challenge_key: str
    entries: tuple[BoardEntry, ...]  # best first: solved, then score, then fewer parameters

    @property
    def solved_count(self) -> int:
        return sum(entry.solved for entry in self.entries)


@dataclass(frozen=True)
class Member:
    id: int
    display_name: str
    joined_at: datetime


@dataclass(frozen=True)
class Board:
    info: ClassInfo
    members: tuple[Member, ...]  # the active students, in the order they joined
    challenges: tuple[ChallengeBoard, ...]  # in the class's order
