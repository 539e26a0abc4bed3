"""The classroom database's engine: which database, SQLite set up for concurrent writers, outages.

By default the database is the SQLite file `classroom.sqlite3` in the data folder
($NEURAL_PLAYGROUND_DATA, the folder the downloads use), which the Streamlit workers of one
container share; with $NEURAL_PLAYGROUND_DB_URL set (`postgresql+psycopg://user:pw@host/db`) it
is PostgreSQL, which several containers share.

SQLite is set up for several writing processes: WAL (readers never wait for the writer), a busy
timeout (a writer waits its turn instead of failing with "database is locked"), foreign keys on,
and write transactions opened with `BEGIN IMMEDIATE` (`writer(engine)`). The last matters: a
transaction that reads first and writes later (the rate limit counts, then inserts) would take
its write lock late, and SQLite refuses that upgrade at once, busy timeout or not, when another
writer got in between.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, func, select
from sqlalchemy.engine import Connection, make_url

from core.classroom.migrations import current_revision, head_revision, upgrade
from core.classroom.records import StoreUnavailable
from core.data.download import default_cache_dir

DB_URL_ENV_VAR = "NEURAL_PLAYGROUND_DB_URL"
SQLITE_FILENAME = "classroom.sqlite3"
BUSY_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 5  # PostgreSQL: how long a connection attempt may take before "unavailable"
# pg_advisory_xact_lock key that serialises schema upgrades across processes ("NPCL" in ASCII)
MIGRATION_LOCK_KEY = 0x4E50434C
SQLITE_BEGIN_OPTION = "classroom_sqlite_begin"  # execution option: DEFERRED (default) or IMMEDIATE


def database_url(url: str | None = None, data_dir: str | os.PathLike | None = None) -> str:
    """The database to use: `url`, else $NEURAL_PLAYGROUND_DB_URL, else the SQLite file in `data_dir`
    (by default the data folder)."""
    url = url or os.environ.get(DB_URL_ENV_VAR) or None
    if url:
        return url
    folder = Path(data_dir) if data_dir is not None else default_cache_dir()
    return f"sqlite:///{folder / SQLITE_FILENAME}"


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Python's sqlite3 would open transactions itself, lazily and DEFERRED; _sqlite_begin does it
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    _set_wal(cursor)
    cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable at checkpoints, never corrupt
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _set_wal(cursor) -> None:
    """WAL mode, retried: switching a new file to WAL needs a moment alone with it, and SQLite
    answers "database is locked" at once (without its busy timeout) to the processes that open
    the same new file at that moment (seen in CI: three workers starting together)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def create_store_engine(url: str) -> Engine:
    """An engine for `url`, set up as the module's docstring says."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # pre-ping: a connection the server dropped (restart, failover) is replaced, not reported
    return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def writer(engine: Engine) -> Engine:
    """`engine` for write transactions: on SQLite they take the write lock at BEGIN."""
    return engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})


def migrate(engine: Engine) -> None:
    """Bring the schema to the head revision; processes that start together run it in turn.

    On SQLite the whole upgrade is one `BEGIN IMMEDIATE` transaction (DDL is transactional
    there); on PostgreSQL a transaction-scoped advisory lock comes first. Either way the second
    process reads the revision only after the first committed, and finds nothing to do.
    """
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
        if current_revision(conn) != head_revision():
            upgrade(conn)


def guarded(method):
    """Decorator: the driver's connection failures become the one StoreUnavailable."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except exc.IntegrityError:
            raise  # a broken constraint the caller did not expect is a bug, not an outage
        except (exc.DBAPIError, exc.TimeoutError, OSError) as err:
            detail = str(err).splitlines()[0] if str(err) else repr(err)
            raise StoreUnavailable(detail=detail) from err

    return wrapper
