"""End-to-end: the Playground's network diagram in headless Chromium (issue 19, item 5).

Paused, the diagram is a Plotly figure: the inputs carry their feature names (x₁, x₂, x₁², ...)
and the output its label, as text the browser draws. Playing, it is an SVG picture (an <img>
with a data URI): the same labels and every layer's colour range are inside that SVG.
Screenshots at 1400 and 390 px go to artifacts/ for a human to look at.
"""

import base64

import pytest

from tests.e2e.browser_support import ARTIFACTS, browser_marks, running_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks

QUERY = "?ds=circles&feat=x1,x2,x1sq,x2sq&epu=10"


@pytest.fixture(scope="module")
def server():
    with running_app("playground_diagram_server.log") as (url, _process):
        yield url


def open_playground(browser, base, width):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(f"{base}/playground{QUERY}", wait_until="domcontentloaded")
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=60_000)
    return page


def diagram_texts(page) -> list[str]:
    """The texts Plotly drew in the diagram (the figure with the most layout images)."""
    return page.evaluate(
        """() => {
        const plots = [...document.querySelectorAll('.js-plotly-plot')];
        const diagram = plots.find(p => p.querySelectorAll('.layer-above image, image').length > 4);
        return diagram ? [...diagram.querySelectorAll('text')].map(t => t.textContent) : [];
    }"""
    )


@pytest.mark.parametrize("width", [1400, 390])
def test_diagram_labels_the_inputs(server, browser, width):
    page = open_playground(browser, server, width)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot text')]
               .some(t => t.textContent === 'x₁²')""",
        timeout=30_000,
    )
    texts = diagram_texts(page)
    for label in ("x₁", "x₂", "x₁²", "x₂²", "output"):
        assert label in texts, (label, texts)
    diagram = page.locator(".js-plotly-plot").filter(has_text="x₁²").first
    diagram.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"playground_diagram_paused_{width}.png"), full_page=False)

    if width == 1400:  # the live SVG view carries the same labels and the layers' scales
        page.get_by_role("button", name="▶ Play").click()
        # Redrawn on every update (the element is replaced): read it in one evaluate.
        expect(page.locator('img[alt="network diagram"]')).to_be_visible(timeout=40_000)
        page.wait_for_timeout(1500)
        src = page.evaluate(
            """() => { const img = document.querySelector('img[alt="network diagram"]');
                       img.scrollIntoView({block: 'center'}); return img.src; }"""
        )
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"playground_diagram_live_{width}.png"), full_page=False)
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        for label in ("x₁", "x₂", "x₁²", "x₂²", "output", "±1", "0 … 1"):
            assert label in svg, label
        page.get_by_role("button", name="⏸ Pause").click()
        expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=30_000)
    page.close()
