"""Issue 20, items 1-3: the MNIST page's folder box cannot probe the server's disk or inject Markdown."""

import pytest
from streamlit.testing.v1 import AppTest

from core.data.errors import DataError
from core.mnist import local_folders
from tests.paths import REPO_ROOT

PAGE = str(REPO_ROOT / "app_pages" / "mnist.py")
PROBES = ["/etc", "/root", "/proc/self", "~", "../../../../etc", "/", "/tmp", "/nonexistent/abc"]
MARKDOWN_PATH = "[click](http://example.test/phish) ![i](http://example.test/x.png)"


@pytest.fixture
def roots(tmp_path, monkeypatch):
    (tmp_path / "classdata" / "mnist").mkdir(parents=True)
    monkeypatch.setenv(local_folders.DATA_ROOTS_ENV_VAR, str(tmp_path / "classdata"))
    return [tmp_path / "classdata"]


def _type_folder(text: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.radio(key="mnist_source").set_value("Local folder").run()
    at.text_input(key="mnist_folder").set_value(text).run()
    at.button(key="mnist_load_folder").click().run()
    return at


def _page_text(at) -> str:
    parts = [
        e.value
        for kind in ("error", "warning", "info", "success", "caption", "markdown")
        for e in at.get(kind)
    ]
    return "\n".join(parts)


def test_every_probe_outside_the_data_roots_gets_the_same_answer(roots):
    answers = set()
    for probe in PROBES:
        at = _type_folder(probe)
        assert not at.exception, probe
        assert len(at.error) == 1, probe
        answers.add(at.error[0].value)
        assert at.session_state["mnist_dataset"] is None
    assert len(answers) == 1, answers  # exists or not, readable or not: nothing to tell apart
    (answer,) = answers
    assert "only from its data folders" in answer
    assert "/etc" not in answer and "no training files" not in answer and "/root" not in answer


def test_the_page_never_shows_a_server_path(roots, tmp_path):
    at = _type_folder(str(roots[0] / "mnist"))  # inside the root, but holds no IDX files
    assert not at.exception
    text = _page_text(at)
    assert "no training files in" in at.error[0].value
    assert str(tmp_path) not in text
    assert "data folders" in text  # the page says which folders may be loaded


def test_a_symlink_out_of_a_data_root_is_refused(roots):
    (roots[0] / "escape").symlink_to("/etc")
    with pytest.raises(DataError, match="only from its data folders"):
        local_folders.resolve_local_folder(str(roots[0] / "escape"), REPO_ROOT, roots)


def test_a_5000_character_path_is_a_clear_message(roots):
    at = _type_folder("a/" * 2500)
    assert not at.exception
    assert "5,000 characters long" in at.error[0].value


def test_a_markdown_path_is_not_rendered_as_a_link_or_image(roots):
    at = _type_folder(MARKDOWN_PATH)
    assert not at.exception
    assert "](http" not in _page_text(at)


def test_the_data_roots_default_to_the_cache_the_bundled_data_and_the_shared_data(monkeypatch, tmp_path):
    monkeypatch.delenv(local_folders.DATA_ROOTS_ENV_VAR, raising=False)
    monkeypatch.setenv("NEURAL_PLAYGROUND_DATA", str(tmp_path / "cache"))
    app = tmp_path / "app"
    assert local_folders.data_roots(app) == [tmp_path / "cache", app / "data", tmp_path / "shared" / "data"]


def test_the_suggested_folder_is_shown_relative_to_the_app(roots):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.radio(key="mnist_source").set_value("Local folder").run()
    suggested = at.text_input(key="mnist_folder").value
    assert not suggested.startswith("/"), suggested
