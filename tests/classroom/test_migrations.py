"""The schema's migrations: a database of revision 0001 upgrades with its rows intact; head = schema.py.

Run against SQLite and PostgreSQL (the `db_url` fixture).
"""

from __future__ import annotations

import threading
from datetime import datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from core.classroom import codes
from core.classroom.database import create_store_engine, writer
from core.classroom.migrations import current_revision, head_revision, upgrade
from core.classroom.schema import metadata
from core.classroom.store import Store

OLD_SECRET = "teacher-secret-of-an-old-class"
OLD_TOKEN = "member-token-of-an-old-student"


def _make_revision_0001_database(db_url: str) -> None:
    """A database as revision 0001 left it, with a class, a student and two results."""
    engine = create_store_engine(db_url)
    try:
        with writer(engine).begin() as conn:
            upgrade(conn, "0001")
        with writer(engine).begin() as conn:
            assert current_revision(conn) == "0001"
            assert "epochs" not in {c["name"] for c in inspect(conn).get_columns("submissions")}
            when = datetime(2026, 11, 30, 10, 0)
            conn.execute(
                text(
                    "INSERT INTO classes (id, join_code, teacher_secret_hash, title, created_at) "
                    "VALUES (1, 'K7QX3M', :secret, 'Old class', :when)"
                ),
                {"secret": codes.hash_secret(OLD_SECRET), "when": when},
            )
            conn.execute(text("INSERT INTO class_challenges VALUES (1, 'xor', 0)"))
            conn.execute(
                text(
                    "INSERT INTO members "
                    "(id, class_id, display_name, name_key, member_token_hash, joined_at) "
                    "VALUES (1, 1, 'Anna', 'anna', :token, :when)"
                ),
                {"token": codes.hash_secret(OLD_TOKEN), "when": when},
            )
            for sub_id, score, solved in ((1, 0.7, False), (2, 0.96, True)):
                conn.execute(
                    text(
                        "INSERT INTO submissions (id, class_id, member_id, challenge_key, score, solved, "
                        "parameters, config_json, created_at) "
                        "VALUES (:id, 1, 1, 'xor', :score, :solved, 17, '{\"hidden\": [4]}', :when)"
                    ),
                    {"id": sub_id, "score": score, "solved": solved, "when": when},
                )
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequences past them
                for table in ("classes", "members", "submissions"):
                    conn.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    finally:
        engine.dispose()


def test_a_revision_0001_database_upgrades_with_its_rows_intact(db_url):
    _make_revision_0001_database(db_url)
    with Store.open(db_url) as store:  # opening upgrades to the head
        engine = create_store_engine(db_url)
        try:
            with engine.connect() as conn:
                assert current_revision(conn) == head_revision() == "0002"
                rows = conn.execute(
                    text("SELECT id, score, solved, epochs FROM submissions ORDER BY id")
                ).all()
            assert [tuple(r) for r in rows] == [(1, 0.7, False, None), (2, 0.96, True, None)]
        finally:
            engine.dispose()
        info = store.class_for_teacher(OLD_SECRET)
        assert (info.join_code, info.title, info.challenge_keys) == ("K7QX3M", "Old class", ("xor",))
        (entry,) = store.board(join_code="k7qx3m").challenges[0].entries
        assert (entry.display_name, entry.score, entry.solved, entry.epochs, entry.attempts) == (
            "Anna",
            0.96,
            True,
            None,
            2,
        )
        assert store.submission_config(OLD_SECRET, entry.submission_id) == {"hidden": [4]}
        # the old student's token still works, and the new column takes the epochs
        store.submit(OLD_TOKEN, "xor", 0.99, True, 9, 420, {"hidden": [3]})
        ben = store.join("K7QX3M", "Ben")
        assert ben.member_id == 2
        best = store.board(teacher_secret=OLD_SECRET).challenges[0].entries[0]
        assert (best.display_name, best.score, best.epochs, best.attempts) == ("Anna", 0.99, 420, 3)


def test_the_head_revision_builds_exactly_the_tables_of_schema_py(db_url):
    with Store.open(db_url):
        pass
    engine = create_store_engine(db_url)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert differences == []
    assert tables == {
        "alembic_version",
        "classes",
        "challenges",
        "class_challenges",
        "members",
        "submissions",
    }


def test_opening_an_up_to_date_database_changes_nothing(db_url):
    with Store.open(db_url) as store:
        info, secret = store.create_class("Maths", ["xor"])
        store.join(info.join_code, "Anna")
    with Store.open(db_url) as again:
        assert again.class_for_teacher(secret) == info
        assert [m.display_name for m in again.board(teacher_secret=secret).members] == ["Anna"]


def test_stores_opening_a_fresh_database_together_migrate_it_once(db_url):
    """Eight threads open one empty database at the same moment (the lock: BEGIN IMMEDIATE on
    SQLite, an advisory lock on PostgreSQL): every one succeeds, the schema is built once."""
    start, errors, stores = threading.Barrier(8), [], []

    def open_store():
        start.wait()
        try:
            stores.append(Store.open(db_url))
        except Exception as err:  # noqa: BLE001 (collected: the assert below names any error)
            errors.append(repr(err))

    threads = [threading.Thread(target=open_store) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == [] and len(stores) == 8
        engine = create_store_engine(db_url)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
                    "0002"
                ]
        finally:
            engine.dispose()
        info, _ = stores[3].create_class("Maths", ["xor"])
        assert stores[5].class_by_code(info.join_code) == info
    finally:
        for store in stores:
            store.close()
