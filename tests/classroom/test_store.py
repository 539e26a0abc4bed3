"""The classroom store against SQLite and a real PostgreSQL: classes, joining, submitting, the board.

Every test runs on both backends (the `store` and `db_url` fixtures of conftest.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from core.classroom import codes
from core.classroom.database import DB_URL_ENV_VAR, SQLITE_FILENAME, create_store_engine, database_url
from core.classroom.records import (
    BadInputError,
    BadNameError,
    ClassClosedError,
    NameTakenError,
    NotAMemberError,
    RateLimitedError,
    StoreUnavailable,
    UnknownChallengeError,
    UnknownCodeError,
    UnknownTeacherError,
)
from core.classroom.store import Store

CONFIG = {"dataset": "xor", "hidden": [4], "learning_rate": 0.03}


class FakeClock:
    """A clock the test moves by hand, so that the rate limit's minute takes no time."""

    def __init__(self):
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _rows(db_url: str, sql: str) -> list[tuple]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _submit(store, member, key="xor", score=0.5, solved=False, parameters=10, epochs=100, config=CONFIG):
    return store.submit(member.member_token, key, score, solved, parameters, epochs, config)


def test_a_class_gets_a_join_code_and_a_teacher_secret(store):
    info, secret = store.create_class("  Maths 3B ", ["xor", "spiral", "mnist-50k"])
    assert info.title == "Maths 3B" and info.challenge_keys == ("xor", "spiral", "mnist-50k")
    assert codes.normalize_join_code(info.join_code) == info.join_code and not info.is_closed
    assert info.created_at.tzinfo is UTC and abs(info.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert len(secret) >= 43
    typed = f"  {info.join_code[:3].lower()}-{info.join_code[3:].lower()} "
    assert store.class_by_code(typed) == info
    assert store.class_for_teacher(secret) == info
    other, other_secret = store.create_class("Maths 3C", ["xor"])
    assert other.join_code != info.join_code and other_secret != secret
    assert store.class_for_teacher(other_secret).title == "Maths 3C"


def test_secrets_and_tokens_are_stored_only_hashed(store, db_url):
    info, secret = store.create_class("Physics", ["xor"])
    member = store.join(info.join_code, "Anna")
    stored = _rows(db_url, "SELECT teacher_secret_hash FROM classes")[0][0]
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    assert _rows(db_url, "SELECT member_token_hash FROM members")[0][0] == codes.hash_secret(
        member.member_token
    )
    everything = " ".join(
        str(cell)
        for table in ("classes", "members", "class_challenges")
        for row in _rows(db_url, f"SELECT * FROM {table}")
        for cell in row
    )
    assert secret not in everything and member.member_token not in everything


def test_wrong_codes_and_links_get_clear_messages(store):
    store.create_class("Biology", ["xor"])
    with pytest.raises(UnknownCodeError, match="No class has the join code ZZZZZZ"):
        store.class_by_code("zzzzzz")
    with pytest.raises(UnknownCodeError, match="6 letters and digits"):
        store.join("abc", "Anna")
    with pytest.raises(UnknownTeacherError, match="teacher link is not valid"):
        store.class_for_teacher("not-a-secret")
    with pytest.raises(UnknownTeacherError):
        store.close_class("not-a-secret")


def test_bad_class_input_is_refused(store):
    with pytest.raises(BadInputError, match="title is empty"):
        store.create_class("   ", ["xor"])
    with pytest.raises(BadInputError, match="once"):
        store.create_class("Art", ["xor", "xor"])
    with pytest.raises(BadInputError, match="at most 50"):
        store.create_class("Art", [f"c{i}" for i in range(51)])


def test_joining_trims_names_and_keeps_them_unique_ignoring_case(store):
    info, secret = store.create_class("Chemistry", ["xor"])
    anna = store.join(info.join_code, "  Anna ")
    assert anna.display_name == "Anna" and anna.class_id == info.id
    for same in ("anna", "ANNA", " Ａｎｎａ "):
        with pytest.raises(NameTakenError, match="already taken"):
            store.join(info.join_code, same)
    markup = store.join(info.join_code, "<img src=x onerror=alert(1)>")
    other_class, _ = store.create_class("Chemistry B", ["xor"])
    assert store.join(other_class.join_code, "Anna").member_id != anna.member_id  # names are per class
    board = store.board(teacher_secret=secret)
    assert [m.display_name for m in board.members] == ["Anna", "<img src=x onerror=alert(1)>"]
    assert board.members[1].id == markup.member_id


@pytest.mark.parametrize(
    ("name", "words"), [("", "empty"), ("x" * 33, "at most 32"), ("A\u202eB", r"U\+202E")]
)
def test_bad_names_are_refused_with_the_reason(store, name, words):
    info, _ = store.create_class("History", ["xor"])
    with pytest.raises(BadNameError, match=words):
        store.join(info.join_code, name)


def test_a_closed_class_takes_no_names_or_results_but_keeps_its_board(store):
    info, secret = store.create_class("Geography", ["xor"])
    anna = store.join(info.join_code, "Anna")
    _submit(store, anna, score=0.75)
    closed = store.close_class(secret)
    assert closed.is_closed and store.class_by_code(info.join_code).is_closed
    assert store.close_class(secret).closed_at == closed.closed_at  # closing twice keeps the first time
    with pytest.raises(ClassClosedError, match="closed"):
        store.join(info.join_code, "Ben")
    with pytest.raises(ClassClosedError):
        _submit(store, anna)
    assert store.board(join_code=info.join_code).challenges[0].entries[0].score == 0.75


def test_a_removed_student_leaves_the_board_and_frees_the_name(store):
    info, secret = store.create_class("Music", ["xor"])
    anna, ben = store.join(info.join_code, "Anna"), store.join(info.join_code, "Ben")
    _submit(store, anna, score=0.9)
    _submit(store, ben, score=0.8)
    store.remove_member(secret, anna.member_id)
    store.remove_member(secret, anna.member_id)  # twice is harmless
    board = store.board(teacher_secret=secret)
    assert [e.display_name for e in board.challenges[0].entries] == ["Ben"]
    assert [m.display_name for m in board.members] == ["Ben"]
    with pytest.raises(NotAMemberError, match="removed"):
        _submit(store, anna)
    new_anna = store.join(info.join_code, "anna")
    assert new_anna.member_id != anna.member_id
    other, other_secret = store.create_class("Music B", ["xor"])
    with pytest.raises(NotAMemberError, match="no such student"):
        store.remove_member(other_secret, ben.member_id)  # a teacher removes only their own students


def test_a_token_submits_only_for_its_own_member(store):
    info, secret = store.create_class("Maths", ["xor", "spiral"])
    anna, ben = store.join(info.join_code, "Anna"), store.join(info.join_code, "Ben")
    sent = _submit(store, anna, score=0.97, solved=True, parameters=17, epochs=250)
    assert sent.member_id == anna.member_id and sent.score == 0.97 and sent.epochs == 250
    entries = store.board(teacher_secret=secret).challenges[0].entries
    assert [(e.display_name, e.score) for e in entries] == [("Anna", 0.97)]
    with pytest.raises(NotAMemberError, match="join the class again"):
        store.submit("forged-" + ben.member_token, "xor", 1.0, True, 1, 1, {})
    with pytest.raises(UnknownChallengeError, match="not one of this class"):
        _submit(store, ben, key="mnist-50k")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("score", float("nan"), "finite"),
        ("score", "0.9", "finite"),
        ("solved", 1, "true or false"),
        ("parameters", -1, "parameter count"),
        ("epochs", True, "epoch count"),
        ("config", {"x": object()}, "cannot be saved"),
    ],
)
def test_bad_results_are_refused(store, field, value, words):
    info, _ = store.create_class("Maths", ["xor"])
    anna = store.join(info.join_code, "Anna")
    with pytest.raises(BadInputError, match=words):
        _submit(store, anna, **{field: value})


def test_the_rate_limit_is_counted_in_the_database(db_url):
    clock = FakeClock()
    first = Store.open(db_url, submissions_per_minute=3, clock=clock)
    second = Store.open(db_url, submissions_per_minute=3, clock=clock)  # another worker process
    try:
        info, _ = first.create_class("Maths", ["xor"])
        anna, ben = first.join(info.join_code, "Anna"), first.join(info.join_code, "Ben")
        _submit(first, anna)
        _submit(second, anna)
        clock.now += timedelta(seconds=30)
        _submit(first, anna)
        with pytest.raises(RateLimitedError, match="at most 3 results a minute"):
            _submit(second, anna)
        _submit(second, ben)  # the limit is per student
        clock.now += timedelta(seconds=31)  # the first two are now over a minute old
        _submit(second, anna)
        _submit(first, anna)
        with pytest.raises(RateLimitedError):
            _submit(first, anna)
        assert first.board(join_code=info.join_code).challenges[0].entries[0].attempts == 5
    finally:
        first.close()
        second.close()


def test_the_board_shows_each_students_best_result(store):
    info, secret = store.create_class("Maths", ["xor", "spiral"])
    anna, ben, cleo = (store.join(info.join_code, n) for n in ("Anna", "Ben", "Cleo"))
    _submit(store, anna, score=0.99, solved=False, parameters=5)  # higher score, not solved
    _submit(store, anna, score=0.96, solved=True, parameters=30, epochs=400)
    _submit(store, anna, score=0.96, solved=True, parameters=20, epochs=300)  # same score, fewer parameters
    _submit(store, ben, score=0.98, solved=True, parameters=50, epochs=90)
    _submit(store, cleo, score=0.4)
    _submit(store, cleo, key="spiral", score=0.95, solved=True, parameters=100, epochs=1000)
    board = store.board(teacher_secret=secret)
    assert board.info == info and [c.challenge_key for c in board.challenges] == ["xor", "spiral"]
    xor, spiral = board.challenges
    assert [(e.display_name, e.score, e.solved, e.parameters, e.epochs, e.attempts) for e in xor.entries] == [
        ("Ben", 0.98, True, 50, 90, 1),
        ("Anna", 0.96, True, 20, 300, 3),
        ("Cleo", 0.4, False, 10, 100, 1),
    ]
    assert xor.solved_count == 2 and spiral.solved_count == 1
    assert [e.display_name for e in spiral.entries] == ["Cleo"]
    assert store.board(join_code=info.join_code) == board
    best_anna = xor.entries[1]
    assert best_anna.submitted_at.tzinfo is UTC
    assert store.submission_config(secret, best_anna.submission_id) == CONFIG
    _, other_secret = store.create_class("Other", ["xor"])
    with pytest.raises(BadInputError, match="no such submission"):
        store.submission_config(other_secret, best_anna.submission_id)  # not this teacher's class
    with pytest.raises(TypeError):
        store.board()


def test_results_csv_is_a_spreadsheet_without_formulas(store):
    info, secret = store.create_class("Maths", ["xor"])
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", 'Anna, "the" best']
    for i, name in enumerate(names):
        member = store.join(info.join_code, name)
        _submit(store, member, score=0.5 + i / 10, solved=i % 2 == 0, parameters=10 + i, epochs=i)
    rows = list(csv.reader(io.StringIO(store.results_csv(secret))))
    assert rows[0] == [
        "challenge",
        "student",
        "solved",
        "best_score",
        "parameters",
        "epochs",
        "submitted_at",
        "attempts",
    ]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {'\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", 'Anna, "the" best'}
    assert by_name['Anna, "the" best'][2:6] == ["yes", "0.9", "14", "4"]
    assert by_name["'-2"][2:6] == ["yes", "0.7", "12", "2"]
    assert all(not row[1].startswith(("=", "+", "-", "@")) for row in rows[1:])
    with pytest.raises(UnknownTeacherError):
        store.results_csv(info.join_code)  # the join code is not the teacher link


def test_a_teacher_authors_a_challenge_students_can_submit_to(store):
    info, secret = store.create_class("Maths", ["xor"])
    spec = {"dataset": "circle", "locked": ["dataset"], "metric": "test_accuracy", "threshold": 0.9}
    made = store.author_challenge(secret, "Circle, two neurons", "Separate the circle with 2 neurons.", spec)
    assert made.key == f"class{info.id}-1" and made.spec == spec
    assert store.class_by_code(info.join_code).challenge_keys == ("xor", made.key)
    assert store.authored_challenges(info.join_code) == (made,)
    anna = store.join(info.join_code, "Anna")
    _submit(store, anna, key=made.key, score=0.93, solved=True)
    assert store.board(join_code=info.join_code).challenges[1].entries[0].solved
    with pytest.raises(BadInputError, match="text is empty"):
        store.author_challenge(secret, "Empty", " ", spec)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(DB_URL_ENV_VAR, raising=False)
    monkeypatch.setenv("NEURAL_PLAYGROUND_DATA", str(tmp_path / "data"))
    assert database_url() == f"sqlite:///{tmp_path / 'data' / SQLITE_FILENAME}"
    with Store.open() as opened:
        assert opened.dialect == "sqlite"
        opened.create_class("Maths", ["xor"])
    assert (tmp_path / "data" / SQLITE_FILENAME).is_file()
    monkeypatch.setenv(DB_URL_ENV_VAR, "postgresql+psycopg://u@db.example/classroom")
    assert database_url() == "postgresql+psycopg://u@db.example/classroom"
    assert database_url(data_dir=tmp_path).startswith("postgresql")  # the URL wins over the folder
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_database_that_cannot_be_reached_raises_store_unavailable(tmp_path):
    with pytest.raises(StoreUnavailable, match="cannot be reached") as caught:
        Store.open("postgresql+psycopg://postgres@127.0.0.1:9/nothing")  # port 9: nobody listens
    assert caught.value.detail  # the driver's reason, kept for the log
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StoreUnavailable):
        Store.open(data_dir=tmp_path / "a-file" / "below")


def test_postgres_connections_the_server_dropped_are_replaced(postgres_server):
    name = postgres_server.create_database()
    try:
        with Store.open(postgres_server.url(name)) as opened:
            info, _ = opened.create_class("Maths", ["xor"])
            postgres_server.admin(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            )
            assert opened.join(info.join_code, "Anna").display_name == "Anna"
    finally:
        postgres_server.drop_database(name)
