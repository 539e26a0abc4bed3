"""End-to-end: the Playground teaches the right lessons (issue 19, items 2 and 4).

In headless Chromium against `streamlit run app.py`:
- Item 2: a cosine schedule with a period of 20 epochs restarts instead of freezing at 0 (it used
  to reach 0 at epoch 200 and stay there); the learning rate in use is shown live, equal to the
  engine's rate at the shown epoch; the schedule's controls are on screen.
- Item 4: with early stopping on, the page trains on 80 % of the training points, watches a
  validation split and says so; the test set is reported once, after the stop.
Screenshots (desktop and 390 px) go to artifacts/ for a human to look at.
"""

import pytest

from core import playground as pg
from core.engine.schedules import learning_rate_at
from core.playground import PlaygroundSession
from tests.e2e.browser_support import ARTIFACTS, browser_marks, running_app
from tests.e2e.test_playground_honest import (
    EARLY_STOP_CONFIG,
    EARLY_STOP_QUERY,
    assert_no_crash,
    epoch,
    metric_value,
    open_playground,
    screenshot,
)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks


@pytest.fixture(scope="module")
def server():
    with running_app("playground_lessons_server.log") as (url, process):
        yield url


def test_cosine_restarts_and_the_rate_in_use_is_shown(server, browser):
    page = open_playground(browser, server, "?ds=moons&sched=cosine&severy=20&lr=0.1&epu=5")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("spinbutton", name="Period N (epochs)")).to_have_value("20")
    expect(metric_value(page, "Learning rate")).to_have_text("0.1")
    page.get_by_role("button", name="▶ Play").click()
    for _ in range(120):  # up to a minute for 70 epochs
        if epoch(page) > 70:
            break
        page.wait_for_timeout(500)
    page.get_by_role("button", name="⏸ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(800)
    shown_epoch = epoch(page)
    expected = learning_rate_at("cosine", 0.1, shown_epoch, period=20, restart=True)
    assert shown_epoch > 70
    assert metric_value(page, "Learning rate").inner_text() == f"{expected:.3g}"
    # Past the period the rate is not stuck at 0: over the last 20 epochs it came back to 0.1.
    assert max(learning_rate_at("cosine", 0.1, e, period=20, restart=True) for e in range(50, 70)) > 0.09
    assert_no_crash(page)
    screenshot(page, "lessons_cosine.png", 1400)


def test_early_stopping_watches_a_validation_split_and_reports_the_test_set(server, browser):
    session = PlaygroundSession(EARLY_STOP_CONFIG, pg.make_data(EARLY_STOP_CONFIG))
    while not session.stopped:
        session.train_epochs(10)
    page = open_playground(browser, server, EARLY_STOP_QUERY)
    main = page.get_by_test_id("stMain")
    expect(
        main.get_by_text("50 training (40 trained on, 10 for validation) / 50 test points")
    ).to_be_visible()
    expect(metric_value(page, "Validation loss")).to_be_visible()
    assert page.get_by_test_id("stMetric").filter(has_text="Test loss").count() == 0
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_text("Early stopping at epoch").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(800)
    assert epoch(page) == session.epoch
    text = main.inner_text()
    assert session.test_report() in text, text
    assert "which early stopping never saw" in text
    assert_no_crash(page)
    screenshot(page, "lessons_early_stopping.png", 1400)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "lessons_early_stopping_390.png"))


def test_the_architecture_search_says_it_ranks_on_validation(server, browser):
    page = open_playground(browser, server, "?ds=moons")
    page.get_by_role("tab", name="🧪 Architecture search").click()
    page.get_by_role("spinbutton", name="Epochs each").fill("20")
    page.get_by_role("spinbutton", name="Epochs each").press("Enter")
    page.wait_for_timeout(600)
    page.get_by_role("button", name="🧪 Search").click()
    expect(page.get_by_text("Ranked on a validation split")).to_be_visible(timeout=60_000)
    headers = " ".join(page.get_by_test_id("stDataFrame").all_inner_texts())
    assert "test" not in headers.lower().replace("test set", "")
    assert_no_crash(page)


def test_same_starting_weights_show_the_symmetry(server, browser):
    page = open_playground(browser, server, "?ds=moons&init=same&opt=adam")
    page.get_by_role("button", name="▶ Play").click()
    for _ in range(60):
        if epoch(page) > 20:
            break
        page.wait_for_timeout(500)
    page.get_by_role("button", name="⏸ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=15_000)
    note = page.get_by_text("every neuron of hidden layers 1 (8 neurons), 2 (8 neurons) is still identical")
    expect(note).to_be_visible(timeout=10_000)
    assert_no_crash(page)
    screenshot(page, "lessons_symmetry.png", 1400)


# ----------------------------------------------------------------------------- item 6: points
PLANE_CANVAS = 'canvas[aria-label^="decision boundary"]'


def plane_position(page, x: float, y: float) -> tuple[float, float]:
    """The page pixel of plane coordinates (x, y) on the live canvas's plane ([-6, 6] on both
    axes): the canvas is 398 logical px wide, the plane 360 px from (30, 6)."""
    box = page.locator(PLANE_CANVAS).bounding_box()
    scale = box["width"] / 398
    return (box["x"] + (30 + (x + 6) / 12 * 360) * scale, box["y"] + (6 + (6 - y) / 12 * 360) * scale)


def click_plane(page, x: float, y: float) -> None:
    page.mouse.click(*plane_position(page, x, y))


def points_caption(page):
    return page.get_by_text("all of them training points")


def test_points_are_added_and_removed_on_the_plane_itself(server, browser):
    page = open_playground(browser, server, "?ds=points")
    expect(points_caption(page)).to_contain_text("8 points")
    assert page.get_by_text("Your points: click the plane").count() == 0  # no separate editor chart
    page.locator(PLANE_CANVAS).wait_for()
    page.wait_for_function("document.querySelector('.np-live') || true")
    page.wait_for_timeout(500)
    click_plane(page, 4.0, -4.0)
    expect(points_caption(page)).to_contain_text("9 points", timeout=15_000)
    assert "0 test points" in page.get_by_test_id("stMain").inner_text()  # every point trains
    expect(metric_value(page, "Test loss")).to_have_text("–")
    click_plane(page, 3.0, 3.0)  # on a point: removes it
    expect(points_caption(page)).to_contain_text("8 points", timeout=15_000)
    assert_no_crash(page)
    screenshot(page, "lessons_points.png", 1400)


def test_one_tap_on_a_phone_adds_one_point(server, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    page.goto(f"{server}/playground?ds=points", wait_until="domcontentloaded")
    expect(points_caption(page)).to_contain_text("8 points", timeout=30_000)
    page.locator(PLANE_CANVAS).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.touchscreen.tap(*plane_position(page, -4.0, 4.0))
    expect(points_caption(page)).to_contain_text("9 points", timeout=15_000)
    page.wait_for_timeout(1500)
    expect(points_caption(page)).to_contain_text("9 points")  # one tap, one point
    page.screenshot(path=str(ARTIFACTS / "lessons_points_phone_390.png"))
    assert_no_crash(page)
    context.close()


# ----------------------------------------------------------------------------- item 8: phone
def in_view(page, locator, height: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_on_a_phone_the_main_controls_and_the_plane_are_in_view_together(server, browser):
    page = open_playground(browser, server, "?ds=moons", viewport=(390, 844))
    page.wait_for_timeout(1500)
    play = page.get_by_role("button", name="▶ Play")
    rate = page.get_by_test_id("stMain").get_by_test_id("stSlider").filter(has_text="Learning rate")
    data = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="Data set")
    for control in (
        play,
        page.get_by_role("button", name="⏭ Step"),
        page.get_by_role("button", name="↺ Reset"),
    ):
        assert in_view(page, control, 844)
    assert in_view(page, rate, 844) and in_view(page, data, 844)
    page.screenshot(path=str(ARTIFACTS / "lessons_phone_bar_390_paused.png"))
    paused_plane = page.locator(PLANE_CANVAS).bounding_box()
    assert paused_plane["y"] + paused_plane["height"] / 2 <= 844, paused_plane  # half in view
    play.click()
    expect(page.get_by_role("button", name="⏸ Pause")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(2000)
    plane = page.locator(PLANE_CANVAS).bounding_box()
    assert plane["y"] + plane["height"] / 2 <= 844, plane
    # The same canvas playing and paused: no layout jump (within a pixel).
    assert abs(plane["y"] - paused_plane["y"]) <= 1 and abs(plane["height"] - paused_plane["height"]) <= 1
    assert in_view(page, page.get_by_role("button", name="⏸ Pause"), 844) and in_view(page, rate, 844)
    page.screenshot(path=str(ARTIFACTS / "lessons_phone_bar_390.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    assert_no_crash(page)


# ----------------------------------------------------------------------------- item 7: words
# Text cut by its box (an ellipsis or a clip). The feature pills are left out: their sub- and
# superscript glyphs (x₁, x₁²) overhang their box by a pixel without being cut.
TRUNCATED = """() => [...document.querySelectorAll(
    'button p, [data-testid=stWidgetLabel] p, [data-testid=stMetricLabel] p, [data-testid=stTab] p')]
  .filter(e => e.offsetParent !== null && !e.closest("[data-testid=stButtonGroup]")
    && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText)"""


@pytest.mark.parametrize("width", [1400, 390])
def test_no_truncated_labels(server, browser, width):
    page = open_playground(browser, server, "?ds=spiral", viewport=(width, 900))
    page.wait_for_timeout(1500)
    assert page.evaluate(TRUNCATED) == []
    if width == 390:  # the sidebar's labels too, with the drawer open
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_timeout(800)
        assert page.evaluate(TRUNCATED) == []
