"""End-to-end: the Playground's numbers describe the network on screen (issue 19, items 1, 3, 7).

In headless Chromium against `streamlit run app.py`:
- "I broke it": a learning rate of 10 (from the link, or dragged while playing) must not crash
  any panel; training pauses by itself with a message naming what happened and what to try.
- After editing a weight, the shown test loss is the edited network's (computed here, in the
  test, from the same seeded configuration through core).
- After early stopping, the shown loss and accuracy are those of the restored weights.
- No internal names or server captions on a student's screen.
Screenshots (desktop and 390 px) go to artifacts/ for a human to look at.
"""

import re
from dataclasses import replace

import pytest

from core import playground as pg
from core.playground import DEFAULT, PlaygroundSession
from tests.e2e.browser_support import ARTIFACTS, browser_marks, running_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = browser_marks

CRASH_TEXT = "This app has encountered an error"
# A small noisy moons with a wide network overfits fast: early stopping (patience 20, watching a
# validation split of 20 % of the training points) stops at epoch 23 and restores epoch 3, whose
# validation loss (0.746) is far from epoch 23's (0.894).
EARLY_STOP_QUERY = "?ds=moons&n=100&noise=0.3&layers=16,16&act=tanh,tanh&opt=adam&lr=0.03&es=1&pat=20"
EARLY_STOP_CONFIG = replace(
    DEFAULT,
    n_samples=100,
    noise=0.3,
    hidden=(16, 16),
    activations=("tanh", "tanh"),
    optimizer="adam",
    learning_rate=0.03,
    early_stopping=True,
    patience=20,
)


@pytest.fixture(scope="module")
def server():
    with running_app("playground_honest_server.log") as (url, process):
        yield url


def open_playground(browser, base, query="", viewport=(1400, 1000)):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.goto(f"{base}/playground{query}", wait_until="domcontentloaded")
    expect(metric_value(page, "Epoch")).to_have_text("0", timeout=30_000)
    return page


def metric_value(page, label):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue").first


def epoch(page) -> int:
    return int(metric_value(page, "Epoch").inner_text().replace(",", ""))


def assert_no_crash(page) -> None:
    assert page.get_by_text(CRASH_TEXT).count() == 0, "the page shows a crash"
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id(
        "stException"
    ).first.inner_text()


def alerts(page) -> str:
    return " ".join(page.get_by_test_id("stAlert").all_inner_texts())


def wait_paused(page, seconds: float) -> bool:
    """True once training paused by itself (the Play button is back) within `seconds`."""
    try:
        expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=seconds * 1000)
        return True
    except AssertionError:
        return False


def screenshot(page, name: str, width: int) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to it."""
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(int(height) + 40, 800), 6000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / name))


def pause_and_check_the_explanation(page, name: str) -> None:
    """Whether training paused by itself or not, press Pause if needed: nothing may crash, and a
    message must say what happened and what to try."""
    if not wait_paused(page, 6):
        page.get_by_role("button", name="⏸ Pause").click()
        expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(1500)  # the paused page draws every panel, the Neuron tab included
    screenshot(page, f"{name}.png", 1400)
    assert_no_crash(page)
    expect(page.get_by_role("tab", name="🔍 Neuron")).to_be_visible()
    text = alerts(page)
    assert "Training paused" in text, text
    causes = ("exploding", "dead", "diverged", "far above", "no gradient reaches")
    assert any(cause in text for cause in causes), text
    assert "learning rate" in text, text


# ----------------------------------------------------------------------------- item 1: I broke it
def test_learning_rate_10_from_the_link_pauses_with_an_explanation(server, browser):
    """Moons, ReLU, lr 10: the first epoch blows the weights up (one weight of the inspector's
    default neuron becomes 1,746.8, beyond its old ±1,000 box) and the second layer's ReLUs die."""
    page = open_playground(browser, server, "?ds=moons&act=relu,relu&lr=10")
    page.get_by_role("button", name="▶ Play").click()
    pause_and_check_the_explanation(page, "honest_lr10_link")
    text = alerts(page)
    assert "Reset" in text, text
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "honest_lr10_phone_390x844.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


def test_learning_rate_dragged_to_10_while_playing_pauses_with_an_explanation(server, browser):
    page = open_playground(browser, server, "?ds=moons&act=relu,relu")
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="⏸ Pause")).to_be_visible(timeout=15_000)
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=stMetricValue]'); "
        "return v && v.innerText !== '0'; }",
        timeout=15_000,
    )
    # The learning-rate slider to its last value (10), with the keyboard, while training runs.
    thumb = page.get_by_test_id("stSlider").filter(has_text="Learning rate").locator("input[type=range]")
    thumb.focus()
    thumb.press("End")
    expect(thumb).to_have_attribute("aria-valuetext", "10", timeout=5_000)
    pause_and_check_the_explanation(page, "honest_lr10_dragged")


# ----------------------------------------------------------------------------- item 3: stale numbers
def test_editing_a_weight_updates_the_shown_loss(server, browser):
    page = open_playground(browser, server, "?ds=moons")
    before = metric_value(page, "Test loss").inner_text()
    # The same seeded run in core, with the same edit: the loss the page must show after it.
    session = PlaygroundSession(DEFAULT, pg.make_data(DEFAULT))
    session.set_weight(0, 0, 0, 5.0)
    expected_loss, expected_metric = session.trainer.evaluate(session.X_test, session.dataset.y_test)
    assert f"{expected_loss:.3f}" != before  # the edit changes the loss at 3 decimals

    box = page.get_by_label("New weight")
    box.fill("5")
    box.press("Enter")
    page.wait_for_timeout(800)
    page.get_by_role("button", name="Set weight").click()
    expect(metric_value(page, "Test loss")).to_have_text(f"{expected_loss:.3f}", timeout=10_000)
    expect(metric_value(page, "Test accuracy")).to_have_text(f"{expected_metric:.3f}")
    assert_no_crash(page)
    screenshot(page, "honest_weight_edited.png", 1400)


def test_early_stopping_shows_the_restored_weights_numbers(server, browser):
    session = PlaygroundSession(EARLY_STOP_CONFIG, pg.make_data(EARLY_STOP_CONFIG))
    while not session.stopped:
        session.train_epochs(10)
    records = {r.epoch: r for r in session.trainer.history}
    stopped_at, best = session.epoch, 3
    assert f"Restored the weights of epoch {best}" in session.stop_reason  # the case described above
    restored, last = records[best], records[stopped_at]
    assert f"{restored.val_loss:.3f}" != f"{last.val_loss:.3f}"

    page = open_playground(browser, server, EARLY_STOP_QUERY)
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_text("Early stopping at epoch").first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible()
    page.wait_for_timeout(800)
    assert epoch(page) == stopped_at
    assert metric_value(page, "Validation loss").inner_text() == f"{restored.val_loss:.3f}"
    assert metric_value(page, "Validation accuracy").inner_text() == f"{restored.val_metric:.3f}"
    assert metric_value(page, "Train loss").inner_text() == f"{restored.train_loss:.3f}"
    assert f"restored weights of epoch {best}" in page.get_by_test_id("stMain").inner_text()
    assert_no_crash(page)
    screenshot(page, "honest_early_stopping.png", 1400)


# ----------------------------------------------------------------------------- item 7: words
def test_no_internal_names_or_server_captions(server, browser):
    page = open_playground(browser, server, "?ds=moons")
    main = page.get_by_test_id("stMain")
    text = main.inner_text()
    assert "sigmoid_bce" not in text and "sigmoid + cross-entropy" in text, text
    # Epoch 0: no empty loss chart, a line saying where the curves will be (drawn on the canvas,
    # and in its accessible label).
    curves = page.locator('canvas[aria-label^="loss and accuracy curves"]')
    expect(curves).to_have_attribute("aria-label", re.compile("The loss curves start with the first epoch"))
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="⏸ Pause")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(2500)
    text = main.inner_text()
    assert "student(s) training on this server" not in text, text
    assert "ms of training per update" not in text, text
    page.get_by_role("button", name="⏸ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=15_000)
