"""End-to-end: the Playground's network diagram in headless Chromium (issue 19, item 5).

The diagram is drawn on the live canvas, playing and paused: the inputs carry their feature names
(x₁, x₂, x₁², ...) and the output its label; the canvas's accessible label says them and every
layer's colour range. Hovering a neuron shows its map enlarged.
Screenshots at 1400 and 390 px go to artifacts/ for a human to look at.
"""

import re

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


DIAGRAM = 'canvas[aria-label^="network diagram"]'


@pytest.mark.parametrize("width", [1400, 390])
def test_diagram_labels_the_inputs(server, browser, width):
    page = open_playground(browser, server, width)
    canvas = page.locator(DIAGRAM)
    expect(canvas).to_have_attribute("aria-label", re.compile("x₁²"), timeout=30_000)
    label = canvas.get_attribute("aria-label")
    for text in ("x₁", "x₂", "x₁²", "x₂²", "output", "±1", "0 … 1"):
        assert text in label, (text, label)
    canvas.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"playground_diagram_paused_{width}.png"), full_page=False)
    # Hover a neuron: its map, enlarged, with its name and bias (issue 19, item 5).
    box = canvas.bounding_box()
    scale = box["width"] / int(canvas.evaluate("c => parseFloat(c.style.maxWidth)"))
    page.mouse.move(box["x"] + (48 + 15 + 104) * scale, box["y"] + 66 * scale)
    tip = page.locator(".np-live-tip")
    expect(tip).to_contain_text("H1.1", timeout=5_000)
    expect(tip).to_contain_text("bias")
    assert tip.locator("canvas.np-live-tip-map").bounding_box()["width"] >= 100
    page.screenshot(path=str(ARTIFACTS / f"playground_diagram_hover_{width}.png"), full_page=False)

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
