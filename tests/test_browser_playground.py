"""Notebook 10's playground, driven in real JupyterLab in headless Chromium: step, run, rewind,
A/B, a point added by a click and a pasted setting, each checked through what the page prints
(the step count, the number of points and the weights' checksum under each plane)."""

import re
from pathlib import Path

import pytest
from test_browser import PROBLEMS, SCREENSHOTS, open_and_run_all

NOTEBOOK = "10_playground.ipynb"

# "step 3 · loss 0.61 · accuracy 84% · 120 points · weights 1a2b3c4d5e (start 6f7a8b9c0d)"
STATUS = re.compile(r"step (\d+) .* (\d+) points · weights (\w+) \(start (\w+)\)")


def status(page, panel="a"):
    """(steps, points, weights checksum, start checksum) printed under plane A or B."""
    text = page.locator(f".lk-playground .lk-status-{panel}").inner_text()
    match = STATUS.search(text)
    assert match, f"panel {panel} prints {text!r}"
    steps, points, weights, start = match.groups()
    return int(steps), int(points), weights, start


def wait_for(page, what, panel="a", timeout=60_000):
    """Wait until panel's status text matches the regular expression `what`."""
    page.wait_for_function(
        """([selector, pattern]) => {
             const el = document.querySelector(selector);
             return el && new RegExp(pattern).test(el.innerText);
           }""",
        arg=[f".lk-playground .lk-status-{panel}", what], timeout=timeout, polling=100)


def control(page, label, kind):
    """The input of the playground's control called `label` (a slider's readout, a select)."""
    return page.locator(f".lk-playground .widget-{kind}:has(label:text-is('{label}'))").first


@pytest.fixture
def page(browser, lab):
    page, problems = open_and_run_all(browser, lab, NOTEBOOK)
    try:
        assert not problems, f"{NOTEBOOK} after run all: {problems}"
        yield page
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{Path(NOTEBOOK).stem}_driven.png")
        page.close()


# Resolves with the time from the input to the change of `watched` (and of plane A's image when
# `image`), then one animation frame: measured in the page, like test_browser's explorers.
TIME_INPUT = r"""([act, watched, image]) => new Promise(resolve => {
  const root = document.querySelector('.lk-playground');
  const box = root.querySelector(watched), plane = root.querySelector('.lk-plane-a');
  const before = {text: box.innerText, src: plane.src};
  const start = performance.now();
  const done = () => box.innerText !== before.text && (!image || plane.src !== before.src);
  const observer = new MutationObserver(() => {
    if (done()) { observer.disconnect(); requestAnimationFrame(() => resolve(performance.now() - start)); }
  });
  observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
  if (act === 'step') root.querySelector('.lk-step').click();
  else {
    const select = root.querySelector('.lk-layer select');
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    select.dispatchEvent(new Event('change', {bubbles: true}));
  }
})"""


def test_the_playground_answers_within_its_budgets(page, latencies):
    """A step trains and redraws (a compute input); choosing a layer's numbers only redraws text
    (a draw input). Printed in the latency table, never asserted."""
    page.locator(".lk-playground").scroll_into_view_if_needed()
    for _ in range(4):
        ms = page.evaluate(TIME_INPUT, ["step", ".lk-status-a", True])
        latencies.append({"notebook": NOTEBOOK, "explorer": "playground step", "compute": True,
                          "ms": ms, "new_setting": True, "busy_ms": None})
    for _ in range(4):
        ms = page.evaluate(TIME_INPUT, ["layer", ".lk-numbers", False])
        latencies.append({"notebook": NOTEBOOK, "explorer": "playground layer numbers", "compute": False,
                          "ms": ms, "new_setting": False, "busy_ms": None})
    assert not page.evaluate(PROBLEMS)


def test_the_playground_steps_runs_rewinds_compares_and_takes_points_and_settings(page):
    page.locator(".lk-playground").scroll_into_view_if_needed()
    steps, points, weights, start = status(page)
    assert steps == 0 and weights == start

    page.locator(".lk-playground .lk-step").click()  # one more point on the loss curve
    wait_for(page, r"step 1 ")
    assert status(page)[2] != start

    page.locator(".lk-playground .lk-steps-n input").fill("20")
    page.locator(".lk-playground .lk-steps-n input").press("Enter")
    page.locator(".lk-playground .lk-run").click()  # N more
    wait_for(page, r"step 21 ")
    page.wait_for_function("() => document.querySelector('.lk-playground .lk-message').innerText"
                           ".includes('ran 20 steps')", timeout=30_000)

    page.locator(".lk-playground .lk-rewind").click()
    wait_for(page, r"step 0 ")
    assert status(page)[2] == start, "rewind did not give back the initial weights"

    page.locator(".lk-playground .lk-ab-text input").fill("activation=relu")
    page.locator(".lk-playground .lk-ab").click()
    wait_for(page, r"step 0 ", panel="b")
    assert status(page, "b")[2:] == (start, start), "A/B: B does not start from A's weights"
    same = f"The same: the {points} points, 2 classes, seed 0, the same initial weights"
    page.wait_for_function("(same) => document.querySelector('.lk-playground .lk-message').innerText"
                           ".includes(same)", arg=same, timeout=30_000)  # the message comes last
    page.locator(".lk-playground .lk-step").click()
    wait_for(page, r"step 1 ", panel="b")
    wait_for(page, r"step 1 ", panel="a")

    page.locator(".lk-playground .lk-plane-a").click(position={"x": 200, "y": 200})
    wait_for(page, rf" {points + 1} points")
    wait_for(page, rf" {points + 1} points", panel="b")  # B shares A's points (its caption comes second)

    pasted = "depth=5;width=6;activation=relu;init=he;lr=0.05"
    page.locator(".lk-playground .lk-setting input").fill(pasted)
    page.locator(".lk-playground .lk-apply").click()
    page.wait_for_function("() => document.querySelector('.lk-playground .lk-message').innerText"
                           ".includes('setting applied')", timeout=30_000)
    assert control(page, "depth", "slider").locator(".widget-readout").inner_text() == "5"
    assert control(page, "width", "slider").locator(".widget-readout").inner_text() == "6"
    assert control(page, "activation", "dropdown").locator("select").input_value() == "relu"
    assert control(page, "init", "dropdown").locator("select").input_value() == "he"
    steps, _, weights, start = status(page)
    assert steps == 0 and weights == start
    assert "⚠" not in page.locator(".lk-playground .lk-message").inner_text()
    assert not page.evaluate(PROBLEMS)
