"""Issue 20, items 3 and 5 on the Playground page (AppTest): a forged link's values are text, and one."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
PHISH = "[click](http://example.test/phish) ![i](http://example.test/x.png) **bold**"


def open_playground(**query) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/playground.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_forged_link_value_is_shown_as_text_not_markdown():
    at = open_playground(ds=PHISH, act=PHISH)
    bodies = [w.value for w in at.warning]
    assert bodies, "the forged values are reported"
    assert not any("](http" in body or "**bold" in body for body in bodies), bodies
    assert any(r"\]\(http\://example\.test/phish\)" in body for body in bodies)


def test_a_link_with_2400_unknown_features_shows_one_warning_box():
    at = open_playground(feat=",".join(f"f{i}" for i in range(2400))[:5000])
    assert len([w for w in at.warning if "unknown feature" in w.value]) == 1
