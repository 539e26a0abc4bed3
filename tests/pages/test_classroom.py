"""The Classroom page and the Playground's challenge panel through Streamlit's AppTest.

Each AppTest is one browser session; a teacher and two students are three of them, sharing one
SQLite file through $NEURAL_PLAYGROUND_DB_URL as the sessions of a real server share the store.
AppTest does not run the board's 2 s timer, but the board's fragment also runs in every full run,
so a run of the teacher's page reads the board afresh.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app_pages.plain_text import as_text
from core.classroom.challenges import challenge
from core.classroom.schema import challenges as challenges_table
from core.classroom.store import Store
from core.playground.config import PlaygroundConfig
from core.playground.url import encode_query, query_string

st_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = st_testing.AppTest

REPO = Path(__file__).resolve().parents[2]
XSS_NAME = "<img src=x onerror=alert(1)>"
MARKDOWN_NAME = "**bold** [x](http://e.test)"


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
    monkeypatch.setenv("NEURAL_PLAYGROUND_DB_URL", url)
    return url


def no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_classroom(**query) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/classroom.py").run()
    no_exception(at)
    return at


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def text_input(at, label: str):
    return next(t for t in at.text_input if t.label == label)


def create_class(title: str, keys: list[str]) -> tuple[AppTest, str]:
    """A teacher creates a class on the page: (their AppTest, the teacher secret in the link)."""
    at = open_classroom()
    text_input(at, "Class title").input(title)
    for key in keys:
        at.checkbox(key=f"classroom_pick_{key}").check()
    button(at, "Create the class").click().run()
    no_exception(at)
    secret = at.query_params["teacher"]
    return at, secret[0] if isinstance(secret, list) else secret


def join(code: str, name: str) -> AppTest:
    at = open_classroom()
    text_input(at, "Join code").input(code)
    text_input(at, "Your name on the board").input(name)
    button(at, "Join").click().run()
    no_exception(at)
    return at


def join_code(store: Store, secret: str) -> str:
    return store.class_for_teacher(secret).join_code


def shown(markdown_source: str) -> str:
    """What plain_text's escaped Markdown source displays (each backslash escape resolved)."""
    return re.sub(r"\\(.)", r"\1", markdown_source).replace("\u2060", "")


def errors(at) -> list[str]:
    return [shown(e.value) for e in at.error]


def captions(at) -> list[str]:
    return [shown(c.value) for c in at.caption]


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def summary_line(at) -> str:
    """The board's first line: '2 students · <challenge>: 1 solved · ...'."""
    return next(c for c in captions(at) if " solved" in c)


def boards(at) -> list:
    """The board's tables (DataFrames), in the class's order."""
    return [df.value for df in at.dataframe]


# ----------------------------------------------------------------------------- teacher and students
def test_create_join_and_the_board_shows_both_students(db_url):
    teacher, secret = create_class("Class 4B", ["diverge", "plane-linear"])
    assert teacher.header[0].value == "Class 4B"
    assert "keep it private" in " ".join(m.value for m in teacher.markdown)
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    assert any(code in h.proto.body for h in teacher.get("html")), "the join code is shown big"
    assert any(f"/classroom?teacher={secret}" in c.value for c in teacher.code)

    ada, bob = join(code, "Ada"), join(code, "Bob")
    assert "You are on the board as: Ada" in texts(ada)
    assert "You are on the board as: Bob" in texts(bob)
    assert [b.label for b in ada.button].count("▶ Start") == 2

    teacher.run()
    no_exception(teacher)
    assert summary_line(teacher) == "2 students · Make it blow up: 0 solved · A plane is linear: 0 solved"
    assert f"or open /classroom?code={code}" in captions(teacher)
    assert [s.value for s in teacher.subheader][:2] == ["Make it blow up", "A plane is linear"]


def test_wrong_code_closed_class_taken_and_bad_names_are_plain_messages(db_url):
    teacher, secret = create_class("Closing soon", ["diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    assert errors(join("ZZZZZZ", "Ada")) == ["No class has the join code ZZZZZZ. Check it with your teacher."]
    assert "6 letters and digits" in errors(join("k7", "Ada"))[0]
    join(code, "Ada")
    assert errors(join(code, "ada")) == ['"ada" is already taken in this class: pick another name.']
    assert "display name" in errors(join(code, "   "))[0]

    with Store.open(db_url) as store:
        store.close_class(secret)
    assert errors(join(code, "Cleo")) == [
        "This class is closed: it takes no new names or results. Ask your teacher."
    ]
    teacher.run()
    assert "This class is closed" in teacher.warning[0].value


@pytest.mark.parametrize("name", [XSS_NAME, MARKDOWN_NAME])
def test_names_are_shown_literally(db_url, name):
    teacher, secret = create_class(name, ["diverge"])  # a title is typed text too
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = join(code, name)
    assert f"You are on the board as: {name}" in texts(student)  # st.text: never Markdown or HTML
    # Markdown elements get the text with every markup character escaped (app_pages/plain_text.py;
    # tests/e2e/test_classroom.py looks at what Chromium shows)
    assert student.header[0].value == as_text(name) and shown(as_text(name)) == name
    taken = join(code, name).error[0].value
    assert taken == as_text(f'"{name}" is already taken in this class: pick another name.')


def test_a_wrong_teacher_link_says_so(db_url):
    at = open_classroom(teacher="not-a-secret")
    assert errors(at) == ["This teacher link is not valid. Use the link you got when you created the class."]


def test_the_database_down_is_a_message(tmp_path, monkeypatch):
    # A directory where the SQLite file should be: the store cannot open it.
    (tmp_path / "db").mkdir()
    monkeypatch.setenv("NEURAL_PLAYGROUND_DB_URL", f"sqlite:///{tmp_path / 'db'}")
    at = join("K7QX3M", "Ada")
    assert errors(at) and "cannot be reached" in errors(at)[0]


# ----------------------------------------------------------------------------- the challenge panel
W = "pg_w_"


def start(student: AppTest, key: str) -> AppTest:
    """Press the challenge's Start: the student lands on the Playground with its panel."""
    student.button(key=f"classroom_start_{key}").click().run()
    no_exception(student)
    assert student.title[0].value.endswith("Playground")
    # AppTest runs the page it was last switched to (the script's st.switch_page happened within
    # that one run): stay on the Playground, as the browser does
    student.switch_page("app_pages/playground.py")
    return student


def test_start_locks_the_playground_and_a_solved_check_reaches_the_board(db_url):
    teacher, secret = create_class("Linear", ["plane-linear", "diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = start(join(code, "Ada"), "plane-linear")
    plane = challenge("plane-linear")
    config = student.session_state["pg_config"]
    assert config == plane.locked(config) and config.dataset == "plane"
    assert set(config.hide) == set(plane.hidden_controls)  # the locked controls are not drawn
    assert student.query_params["ds"] in ("plane", ["plane"])
    assert [e.label for e in student.expander] == ["🏫 Challenge: A plane is linear"]

    # Not solved with the default hidden layers: the panel says what is unmet; nothing is solved
    student.session_state["pg_session"].train_epochs(200)
    student.button(key="classroom_check").click().run()
    assert "needs hidden layers = 0" in shown(student.warning[0].value)

    # The known solution (tests/classroom/test_challenges.py): no hidden layer, 200 epochs
    student.number_input(key=W + "layers").set_value(0).run()
    student.session_state["pg_session"].train_epochs(200)
    student.button(key="classroom_check").click().run()
    no_exception(student)
    assert shown(student.success[0].value).startswith(
        "Solved! Test R² ≥ 0.98 and hidden layers = 0 (test R²: 0.9"
    )
    assert "Sent to the board of Linear as Ada." in captions(student)

    teacher.run()
    plane_board = boards(teacher)[0]
    assert list(plane_board["Student"]) == ["Ada"] and list(plane_board["Solved"]) == ["✓"]
    assert plane_board["Best score"][0] >= 0.98 and list(plane_board["Epochs"]) == [200]
    assert list(plane_board["Attempts"]) == [2]  # the unsolved check was sent too
    # the class keeps the order of the page's list, whatever order they were ticked in
    assert summary_line(teacher) == "1 student · Make it blow up: 0 solved · A plane is linear: 1 solved"

    # Back on the Classroom page the student sees their own best result
    student.switch_page("app_pages/classroom.py").run()
    assert any(
        c.startswith("Your best result (test R²): 0.9") and "(✓ solved), 3 parameters, 2 attempts" in c
        for c in captions(student)
    ), captions(student)

    assert list(boards(student)[0]["Student"]) == ["Ada"]  # the class board, to compare

    # The teacher opens Ada's configuration in their own Playground
    teacher.selectbox(key="classroom_open_pick").select_index(0).run()
    link = next(b for b in teacher.get("link_button")).proto.url
    assert link.startswith("/playground?ds=plane&") and "layers=0" in link


def test_hints_open_one_at_a_time_and_leaving_shows_every_control(db_url):
    teacher, secret = create_class("Hints", ["diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = start(join(code, "Ada"), "diverge")
    hints = challenge("diverge").hints
    student.button(key="classroom_hint").click().run()
    assert [shown(i.value) for i in student.info if i.value.startswith("Hint")] == [f"Hint 1: {hints[0]}"]
    assert student.button(key="classroom_hint").label == "💡 Show a hint (2 of 2)"
    student.button(key="classroom_hint").click().run()
    assert len([i for i in student.info if i.value.startswith("Hint")]) == 2
    assert not [b for b in student.button if b.key == "classroom_hint"]  # all open

    student.button(key="classroom_leave").click().run()
    no_exception(student)
    assert student.session_state["pg_config"].hide == ()
    assert not [b for b in student.button if b.key == "classroom_check"]


def test_a_changed_locked_setting_is_put_back(db_url):
    teacher, secret = create_class("Locks", ["diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = start(join(code, "Ada"), "diverge")
    base = challenge("diverge").base
    student.session_state[W + "noise"] = 0.9  # a hidden, locked control, changed behind its back
    student.run()
    no_exception(student)
    assert "noise" in shown(student.warning[0].value) and "put back" in shown(student.warning[0].value)
    assert student.session_state["pg_config"].noise == base.noise
    assert student.session_state["pg_session"].config.noise == base.noise


def test_the_rate_limit_is_a_plain_message(db_url):
    teacher, secret = create_class("Flood", ["diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = start(join(code, "Ada"), "diverge")
    student.session_state["pg_session"].train_epochs(5)
    for _ in range(20):  # the store's limit: 20 results a minute
        student.button(key="classroom_check").click().run()
    assert not errors(student)
    student.button(key="classroom_check").click().run()
    assert errors(student) == ["Slow down: at most 20 results a minute can be sent. Try again shortly."]


def test_the_teacher_removes_a_name_exports_and_closes(db_url):
    teacher, secret = create_class("Tools", ["diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    ada, bob = join(code, "Ada"), join(code, "=HYPERLINK(1)")
    start(ada, "diverge").session_state["pg_session"].train_epochs(3)
    ada.button(key="classroom_check").click().run()
    teacher.run()
    assert summary_line(teacher) == "2 students · Make it blow up: 0 solved"
    csv_button = teacher.get("download_button")[0].proto
    assert csv_button.label == "⬇️ Download the results (CSV)"

    teacher.selectbox(key="classroom_remove_pick").select("=HYPERLINK(1)").run()
    teacher.button(key="classroom_remove").click().run()
    no_exception(teacher)
    assert summary_line(teacher) == "1 student · Make it blow up: 0 solved"
    assert shown(teacher.success[0].value) == "Removed =HYPERLINK(1): their results are off the board."
    bob.run()
    assert any("removed this name" in w.value for w in bob.warning)

    teacher.button(key="classroom_close").click().run()
    assert "This class is closed" in teacher.warning[0].value
    ada.button(key="classroom_check").click().run()
    assert errors(ada) == ["This class is closed: it takes no new names or results. Ask your teacher."]
    with Store.open(db_url) as store:
        lines = store.results_csv(secret).splitlines()
    assert lines[0].startswith("challenge,student,solved") and lines[1].startswith("diverge,Ada,no,")


def test_the_wall_screen_is_large_text_without_the_tools(db_url):
    teacher, secret = create_class("Wall", ["diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = start(join(code, XSS_NAME), "diverge")
    student.session_state["pg_session"].train_epochs(2)
    student.button(key="classroom_check").click().run()
    teacher.toggle(key="classroom_wall").set_value(True).run()
    no_exception(teacher)
    assert not teacher.dataframe and not teacher.get("download_button")
    tables = [h.proto.body for h in teacher.get("html") if h.proto.body.startswith("<table")]
    assert len(tables) == 1
    assert "<td>&lt;img src=x onerror=alert(1)&gt;</td><td></td><td>105</td><td>2</td>" in tables[0]
    assert "Training broke down" not in tables[0]  # a yes-or-no target: "Solved" says it


def test_a_lost_database_shows_a_message_and_the_run_survives(db_url, tmp_path, monkeypatch):
    teacher, secret = create_class("Outage", ["diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    student = start(join(code, "Ada"), "diverge")
    run = student.session_state["pg_session"]
    run.train_epochs(4)
    (tmp_path / "gone").mkdir()  # the database moves somewhere it cannot be opened
    monkeypatch.setenv("NEURAL_PLAYGROUND_DB_URL", f"sqlite:///{tmp_path / 'gone'}")
    student.button(key="classroom_check").click().run()
    no_exception(student)
    assert errors(student) and errors(student)[0].startswith("The class database cannot be reached")
    assert student.session_state["pg_session"] is run and run.epoch == 4  # the local run is kept
    assert "Not yet" in shown(student.warning[0].value)  # checked on the server all the same


# ----------------------------------------------------------------------------- authored challenges
XOR_LINEAR = PlaygroundConfig(dataset="xor", n_samples=300, noise=0.1, seed=3, hidden=(), activations=())


def author(teacher: AppTest, title: str, source: str, link: str = "", controls=(), threshold=0.9) -> AppTest:
    """The teacher writes a challenge in the Tools' form (target: test accuracy >=, the defaults)."""
    teacher.radio(key="classroom_author_source").set_value(source)
    teacher.text_input(key="classroom_author_link").input(link)
    teacher.text_input(key="classroom_author_title").input(title)
    teacher.text_area(key="classroom_author_goal").input("Solve XOR: a straight line will not do.")
    teacher.multiselect(key="classroom_author_editable").set_value(list(controls))
    teacher.number_input(key="classroom_author_threshold").set_value(threshold)
    teacher.text_area(key="classroom_author_hints").input("One straight line cannot split XOR.")
    button(teacher, "Add the challenge to the class").click().run()
    no_exception(teacher)
    return teacher


def test_a_challenge_authored_from_the_playground_is_started_solved_and_on_the_board(db_url):
    teacher, secret = create_class("Authors", ["diverge"])
    # the teacher sets up XOR with no hidden layer on their own Playground, in this session
    teacher.switch_page("app_pages/playground.py").run()
    teacher.selectbox(key=W + "dataset").set_value("xor").run()
    teacher.number_input(key=W + "layers").set_value(0).run()
    assert "teacher" not in teacher.query_params  # the Playground's link replaced the address
    teacher.switch_page("app_pages/classroom.py").run()  # the sidebar's link: no teacher= in it
    no_exception(teacher)
    assert teacher.header[0].value == "Authors"  # back on the board: the session kept the link
    assert teacher.query_params["teacher"] in (secret, [secret])  # and the address shows it again
    base = teacher.session_state["pg_config"]
    assert (base.dataset, base.hidden) == ("xor", ())
    author(
        teacher,
        "XOR needs a layer",
        "My current Playground configuration",
        controls=["hidden layers and activations"],
    )
    assert (
        shown(teacher.success[0].value)
        == "Added the challenge “XOR needs a layer”: your students can start it now."
    )
    assert [s.value for s in teacher.subheader][:2] == ["Make it blow up", "XOR needs a layer"]
    with Store.open(db_url) as store:
        code = join_code(store, secret)
        key = store.class_by_code(code).challenge_keys[1]

    student = join(code, "Ada")
    assert "Solve XOR: a straight line will not do." in texts(student)
    assert any(
        "Target: test accuracy ≥ 0.9. You may change the activations and the hidden layers" in c
        for c in captions(student)
    )
    start(student, key)
    assert [e.label for e in student.expander][0] == "🏫 Challenge: XOR needs a layer"
    config = student.session_state["pg_config"]
    assert (config.dataset, config.seed, config.hidden) == ("xor", base.seed, ())
    assert "layers" not in config.hide and "noise" in config.hide  # the data is locked and hidden

    student.session_state["pg_session"].train_epochs(100)
    student.button(key="classroom_check").click().run()
    assert "needs test accuracy ≥ 0.9" in shown(student.warning[0].value)  # linear: XOR unsolved

    student.number_input(key=W + "layers").set_value(1).run()
    student.number_input(key=W + "units_0").set_value(8).run()
    student.selectbox(key=W + "act_0").set_value("relu").run()
    no_exception(student)
    assert student.session_state["pg_config"].hidden == (8,)
    student.session_state["pg_session"].train_epochs(400)
    student.button(key="classroom_check").click().run()
    no_exception(student)
    assert shown(student.success[0].value).startswith("Solved! Test accuracy ≥ 0.9 (test accuracy: 0.9")
    assert "Sent to the board of Authors as Ada." in captions(student)

    teacher.run()
    (xor_board,) = boards(teacher)  # "Make it blow up" has no results yet: no table
    assert list(xor_board["Student"]) == ["Ada"] and list(xor_board["Solved"]) == ["✓"]
    assert xor_board["Best score"][0] >= 0.9 and list(xor_board["Attempts"]) == [2]
    assert summary_line(teacher) == "1 student · Make it blow up: 0 solved · XOR needs a layer: 1 solved"


def test_authoring_from_a_link_and_bad_or_tampered_specs_are_refused(db_url):
    teacher, secret = create_class("Links", ["diverge"])
    author(teacher, "Broken", "A Playground link", link="https://x.test/playground?ds=moons&noise=9")
    assert "This link has problems" in errors(teacher)[0]
    author(teacher, "Uploaded", "A Playground link", link="/playground?ds=csv")
    assert "generated data set" in errors(teacher)[0]
    link = "http://localhost:8501/playground" + query_string(encode_query(XOR_LINEAR))
    author(teacher, "From a link", "A Playground link", link=link, controls=["learning rate"])
    assert not errors(teacher)
    with Store.open(db_url) as store:
        info = store.class_for_teacher(secret)
        (authored,) = store.authored_challenges(info.join_code)
        assert authored.spec["config"]["ds"] == "xor" and authored.spec["editable"] == ["learning_rate"]
        # someone edits the row in the database: a locked control is unlocked by hand
        tampered = {**authored.spec, "editable": ["learning_rate", "seed"]}
        with store._engine.begin() as conn:  # noqa: SLF001 (a test reaching past the store on purpose)
            conn.execute(
                challenges_table.update().where(challenges_table.c.key == authored.key),
                {"spec_json": json.dumps(tampered)},
            )
    student = join(info.join_code, "Ada")
    warning = next(shown(w.value) for w in student.warning if "cannot be used" in w.value)
    assert warning.startswith(
        "The challenge “From a link” cannot be used: A student cannot be allowed to change seed"
    )
    assert not [b for b in student.button if b.key == f"classroom_start_{authored.key}"]
    assert [b.key for b in student.button if b.label == "▶ Start"] == ["classroom_start_diverge"]
    teacher.run()
    assert any(shown(w.value) == warning for w in teacher.warning)  # the teacher is told too


# ----------------------------------------------------------------------------- rejoin
def test_the_rejoin_link_restores_the_seat_after_a_reload(db_url):
    teacher, secret = create_class("Reload", ["diverge"])
    with Store.open(db_url) as store:
        code = join_code(store, secret)
    ada = join(code, "Ada")
    token = ada.query_params["seat"]
    token = token[0] if isinstance(token, list) else token
    assert any(c.value == f"/classroom?seat={token}" for c in ada.code)  # shown, in its expander
    assert "anyone with it can send results under your name" in " ".join(captions(ada))

    reloaded = open_classroom(seat=token)  # a new session: the reload
    assert "You are on the board as: Ada" in texts(reloaded)
    assert reloaded.session_state["classroom_seat"].membership.member_token == token
    start(reloaded, "diverge").session_state["pg_session"].train_epochs(3)
    reloaded.button(key="classroom_check").click().run()
    assert "Sent to the board of Reload as Ada." in captions(reloaded)  # the same seat sends

    stranger = open_classroom(seat="forged-token")
    assert errors(stranger) == ["This rejoin link is not valid: join the class again with its code."]
    assert [b.label for b in stranger.button if b.label == "Join"] == ["Join"]


def test_the_teacher_opens_an_mnist_submission_on_their_mnist_page(db_url):
    from app_pages.mnist_parts.challenge_panel import submitted_config
    from core.mnist import TrainingConfig
    from core.mnist.url import settings_from_query

    teacher, secret = create_class("Digits", ["digits-linear"])
    with Store.open(db_url) as store:
        seat = store.join(join_code(store, secret), "Ada")
        config = TrainingConfig(hidden_layers=(), learning_rate=0.01, batch_size=32, epochs=20)
        store.submit(seat.member_token, "digits-linear", 0.93, True, 650, 20, submitted_config(config))
    teacher.run()
    teacher.selectbox(key="classroom_open_pick").select_index(0).run()
    no_exception(teacher)
    button = next(b for b in teacher.get("link_button")).proto
    assert button.label == "Open in my MNIST page ↗"
    path, _, query = button.url.partition("?")
    assert path == "/mnist"
    read = settings_from_query(dict(part.split("=", 1) for part in query.split("&")))
    assert read.warnings == [] and read.config == config and read.dataset == "digits-8x8"
