"""Issue 20, items 3 and 5 on the Playground page (AppTest): a forged link's values are text, and one."""

from tests.pages.test_playground import open_page as open_playground

PHISH = "[click](http://example.test/phish) ![i](http://example.test/x.png) **bold**"


def test_a_forged_link_value_is_shown_as_text_not_markdown():
    at = open_playground(ds=PHISH, act=PHISH)
    bodies = [w.value for w in at.warning]
    assert bodies, "the forged values are reported"
    assert not any("](http" in body or "**bold" in body for body in bodies), bodies
    assert any("\\]\\(\u2060http\\://example\\.test/phish\\)" in body for body in bodies)  # U+2060: no link


def test_a_link_with_2400_unknown_features_shows_one_warning_box():
    at = open_playground(feat=",".join(f"f{i}" for i in range(2400))[:5000])
    assert len([w for w in at.warning if "unknown feature" in w.value]) == 1
