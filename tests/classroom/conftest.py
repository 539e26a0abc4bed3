"""Fixtures of the classroom store's tests: a fresh database per test, SQLite or PostgreSQL.

`db_url` is parametrised over both backends, so every store test runs against each. The
PostgreSQL server is started once per session (tests/classroom/postgres_server.py) and each
test gets its own database in it; where no PostgreSQL programs are installed the PostgreSQL
cases skip, saying so.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.classroom.store import Store
from tests.classroom.postgres_server import PostgresServer, find_bin_dir

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin or PATH)")
    server = PostgresServer(bin_dir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """The URL of a fresh, empty database (no schema yet) of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def store(db_url) -> Iterator[Store]:
    """A Store on a fresh database of each backend, schema at head."""
    opened = Store.open(db_url)
    try:
        yield opened
    finally:
        opened.close()
