"""The classroom schema's versioned migrations (Alembic, configured in code: no alembic.ini).

`upgrade(connection, revision)` brings a database to `revision` ("head" by default) inside the
caller's transaction, so the caller decides how concurrent starts are kept apart: the store runs
it inside SQLite's `BEGIN IMMEDIATE` (one writer at a time) or after a PostgreSQL advisory lock.
The revisions are in `versions/`, one file each, numbered in order ("0001", "0002", ...).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for these migrations; `env.py` runs them on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision in `versions/`."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration in versions/"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is at (None: no classroom schema yet)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to `revision` on `connection`, in its current transaction."""
    command.upgrade(alembic_config(connection), revision)
