"""The classroom store as a page sees it: one Store per server process and database, and every
call to it wrapped so that a failure is a plain message on the page, never a traceback.

The Store (core/classroom/store.py) is a read-only shared object: it holds an engine with its
connection pool and nothing about any student, so `st.cache_resource` may hand the same one to
every session of the process. What belongs to one student (their seat's token, the challenge
they started) lives in st.session_state only (`Seat` below, under session_keys' keys).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from app_pages import plain_text
from app_pages.session_keys import CLASSROOM_SEAT_KEY
from core.classroom.database import database_url
from core.classroom.records import ClassroomError, Membership, StoreUnavailable
from core.classroom.store import Store

T = TypeVar("T")
LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Seat:
    """A student's place in a class, kept in their session: the store's membership (its token is
    the only proof of the seat) and the join code the student typed (to read the class again)."""

    membership: Membership
    join_code: str
    class_title: str


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    # Keyed by the URL, so a test (or a server) that points at another database gets its own
    # Store. A StoreUnavailable is not cached: the next run tries to connect again.
    return Store.open(url)


def store() -> Store:
    """The process's Store for the configured database (raises StoreUnavailable)."""
    return _open_store(database_url())


def attempt(action: Callable[[Store], T]) -> T | None:
    """`action(store)`, or None with the reason shown as plain text: a ClassroomError's message
    (wrong code, closed class, name taken, the database down...). Whatever the student did on
    the other pages (their Playground run) lives in their session and is not touched."""
    try:
        return action(store())
    except ClassroomError as error:
        if isinstance(error, StoreUnavailable):
            LOG.warning("classroom database unavailable: %s", error.detail)  # for the operator
        plain_text.error(error.message)
    return None


def seat() -> Seat | None:
    """The student's seat in this session, if they joined a class."""
    found = st.session_state.get(CLASSROOM_SEAT_KEY)
    return found if isinstance(found, Seat) else None


def take_seat(new_seat: Seat | None) -> None:
    if new_seat is None:
        st.session_state.pop(CLASSROOM_SEAT_KEY, None)
    else:
        st.session_state[CLASSROOM_SEAT_KEY] = new_seat
