"""Issue 20, item 3, in real Chromium: text a user controls is shown as text, never as Markdown.

A forged Playground link whose values are a Markdown link and a Markdown image, and the MNIST
page's folder box typed with the same: the page must render no <a> to the link's server and no
<img> from it, show the text literally where it shows it at all, and the browser must not
request anything from that server (requests to it are intercepted and recorded, never sent:
the name does not resolve anyway, so a request is the only evidence).
"""

import urllib.parse

import pytest

from tests.e2e.browser_support import ARTIFACTS, browser_marks, running_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks
LINK = "[click](http://example.test/phish)"
IMAGE = "![i](http://example.test/x.png)"
MARKDOWN = f"{LINK} {IMAGE} **bold**"
EVIL_HOST = "example.test"
INVISIBLE_JOINER = "\u2060"

# tests/security/test_forged_links.py: ds (the data set) and act (the activation) are echoed in
# the Playground's "not a known value" warnings.
ECHOING_KEYS = ("ds", "act")


@pytest.fixture(scope="module")
def server():
    with running_app("markdown_echo_server.log") as (url, process):
        yield url


def _recording_page(browser):
    """A page whose requests to example.test are recorded and aborted."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requested = []

    def block(route):
        requested.append(route.request.url)
        route.abort()

    page.route(f"**://{EVIL_HOST}/**", block)
    page.route(f"**://*.{EVIL_HOST}/**", block)
    return page, requested


def _evil_elements(page) -> dict:
    """Counts of <a> pointing at, and <img>/<source> loading from, example.test; and <strong>
    holding the forged **bold** text."""
    # By host name: the app's own page links carry the forged query string, example.test and all.
    return page.evaluate(
        """host => {
            const on = url => { try { return new URL(url, location.href).hostname.endsWith(host); }
                                catch (e) { return false; } };
            const sources = el => [el.src, el.getAttribute('href'), ...(el.srcset || '').split(/[ ,]+/)];
            return {
                links: [...document.querySelectorAll('a[href]')].filter(a => on(a.href)).length,
                images: [...document.querySelectorAll('img, source, image')]
                    .filter(el => sources(el).some(u => u && on(u))).length,
                bold: [...document.querySelectorAll('strong, b')].filter(b => b.innerText === 'bold').length,
            };
        }""",
        EVIL_HOST,
    )


def test_a_forged_playground_link_shows_its_markdown_as_text(browser, server):
    page, requested = _recording_page(browser)
    query = urllib.parse.urlencode({key: MARKDOWN for key in ECHOING_KEYS})
    page.goto(f"{server}/playground?{query}", wait_until="domcontentloaded")
    # the warning that names the forged value: the page has run and echoed it
    alerts = page.locator("[data-testid=stAlert]")
    expect(alerts.filter(has_text="example.test/phish").first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name="⏭ Step")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1_000)  # any image the Markdown would load is requested by now
    # app_pages/plain_text.py puts an invisible WORD JOINER before each URL: what a person reads is
    # the text without it.
    text = "\n".join(alerts.all_inner_texts()).replace(INVISIBLE_JOINER, "")
    assert LINK in text and IMAGE in text and "**bold**" in text, text  # literally, every character
    assert _evil_elements(page) == {"links": 0, "images": 0, "bold": 0}
    assert requested == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "markdown_echo_playground.png"))
    page.close()


def test_the_mnist_folder_box_never_renders_a_typed_markdown_path(browser, server):
    page, requested = _recording_page(browser)
    page.goto(f"{server}/mnist", wait_until="domcontentloaded")
    page.get_by_text("Local folder", exact=True).click(timeout=60_000)
    box = page.get_by_role("textbox", name="Folder with the IDX files")
    box.fill(MARKDOWN)
    box.press("Enter")
    page.wait_for_timeout(500)  # the rerun that stores the typed value
    page.get_by_role("button", name="Load folder").click()
    refusal = page.locator("[data-testid=stAlert]").filter(has_text="data folders")
    expect(refusal.first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1_000)
    assert box.input_value() == MARKDOWN  # typed and kept literally, the box is not re-rendered
    body = page.inner_text("body").replace(INVISIBLE_JOINER, "")
    assert "](http" not in body.replace(LINK, "").replace(IMAGE, "")  # no half-rendered Markdown
    answer = refusal.first.inner_text().replace(INVISIBLE_JOINER, "")
    if EVIL_HOST in answer:  # if the answer echoes the path at all: as text
        assert LINK in answer
    assert _evil_elements(page) == {"links": 0, "images": 0, "bold": 0}
    assert requested == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "markdown_echo_mnist.png"))
    page.close()


def test_the_recorder_sees_a_request_to_the_blocked_host(browser, server):
    # Without this, `requested == []` above could hold because the route never matched.
    page, requested = _recording_page(browser)
    page.goto(f"{server}/playground", wait_until="domcontentloaded")
    page.evaluate("host => { const i = new Image(); i.src = 'http://' + host + '/x.png'; }", EVIL_HOST)
    page.wait_for_timeout(1_000)
    assert requested == [f"http://{EVIL_HOST}/x.png"]
    page.close()
