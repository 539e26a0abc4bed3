"""End-to-end: the Playground's network diagram in headless Chromium (issue 19, item 5).

Paused, the diagram is a Plotly figure: the inputs carry their feature names (x₁, x₂, x₁², ...)
and the output its label, as text the browser draws. Playing, it is drawn on the live canvas,
whose accessible label says the same labels and every layer's colour range.
Screenshots at 1400 and 390 px go to artifacts/ for a human to look at.
"""

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

    if width == 1400:  # the live canvas carries the same labels and the layers' scales
        page.get_by_role("button", name="▶ Play").click()
        canvas = page.locator('canvas[aria-label^="network diagram"]')
        expect(canvas).to_be_visible(timeout=40_000)
        page.wait_for_function("window.__npLiveFrames > 5", timeout=30_000)
        canvas.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"playground_diagram_live_{width}.png"), full_page=False)
        label = canvas.get_attribute("aria-label")
        for text in ("x₁", "x₂", "x₁²", "x₂²", "output", "±1", "0 … 1"):
            assert text in label, (text, label)
        # Drawn, not blank: the diagram's pixels vary (maps, weights).
        spread = canvas.evaluate(
            """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                      const s = new Set();
                      for (let i = 0; i < d.length; i += 4 * 97) s.add(d[i] + ',' + d[i + 2]);
                      return s.size; }"""
        )
        assert spread > 20, spread
        page.get_by_role("button", name="⏸ Pause").click()
        expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=30_000)
    page.close()
