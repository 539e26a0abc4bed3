"""User-supplied strings are shown as text: app_pages/plain_text.py, and the nginx/Streamlit settings."""

import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app_pages.plain_text import as_text

REPO = Path(__file__).resolve().parents[2]
PHISH = "[click](http://example.test/phish) ![i](http://example.test/x.png)"


def test_markdown_links_images_and_directives_are_escaped():
    assert (
        as_text(PHISH)
        == "\\[click\\]\\(\u2060http\\://example\\.test/phish\\) \\!\\[i\\]\\(\u2060http\\://example\\.test/x\\.png\\)"
    )  # U+2060 (word joiner, invisible) before each URL: no autolink (tests/e2e/test_markdown_echo.py)
    assert as_text("mail a@b.cd or www.x.org") == "mail a\\@\u2060b\\.cd or \u2060www\\.x\\.org"
    assert as_text("**b** _i_ `c` :red[x] :material/home: <b>&amp;") == (
        r"\*\*b\*\* \_i\_ \`c\` \:red\[x\] \:material/home\: \<b\>\&amp;"
    )
    assert as_text("5,000 rows; \"quoted\" 'x'?") == "5,000 rows; \"quoted\" 'x'?"
    assert as_text("line 1\nline 2") == "line 1  \nline 2"


def test_a_typed_layer_text_is_echoed_as_text_on_the_learn_page():
    at = AppTest.from_file(str(REPO / "app_pages" / "learn.py"), default_timeout=60).run()
    at.text_input(key="learn_sizes").set_value(PHISH).run()
    assert not at.exception
    assert at.error, "the bad sizes are reported"
    assert all("](http" not in e.value for e in at.error), [e.value for e in at.error]


def test_the_server_refuses_uploads_the_pages_refuse_and_caches_no_messages():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == 5  # core/data/csv_upload.py and core/vision/uploads.py: 5 MB
    assert config["global"]["minCachedMessageSize"] >= 10**12


def test_the_nginx_front_door_sends_security_headers_and_limits_request_rates():
    template = (REPO / "docker" / "nginx.conf.template").read_text()
    for header in ("X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy", "X-Frame-Options"):
        assert f"add_header {header} " in template
    assert "limit_req_zone $binary_remote_addr" in template and "limit_req zone=np_requests" in template
