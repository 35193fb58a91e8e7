"""The classroom check: every notebook in real JupyterLab in headless Chromium.

For each notebook: open it, run all cells, wait until every cell has run, and fail on any error
output or any widget that did not render. Then, in every explorer, press → on a slider and pick
another dropdown value, and require the output's text and image to change without an error.
The time from the key press to the updated output is printed at the end of the run (measured,
never asserted). Screenshots go to build/screenshots/.

Needs Debian's Chromium at /usr/bin/chromium (never `playwright install`). Without it these tests
are skipped with the reason, unless REQUIRE_BROWSER=1 (as in CI), which makes that a failure.
"""

import os
import shutil
import time
from pathlib import Path

import pytest
from labserver import ROOT, running_lab

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "build" / "screenshots"
FIXTURES = ROOT / "tests" / "fixtures"

KERNEL_IDLE = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
      && panel.sessionContext.session.kernel;
  return !!kernel && panel.context.isReady && kernel.connectionStatus === 'connected'
      && kernel.status === 'idle';
}"""

# Done when the kernel is idle and every code cell has an execution count, or a cell failed
# (run-all stops at an error, so later cells never get a count).
ALL_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(cell => cell.model.type === 'code');
  const failed = cells.some(cell => cell.model.outputs.toJSON().some(o => o.output_type === 'error'));
  return kernel.status === 'idle' && (failed || cells.every(cell => cell.model.executionCount !== null));
}"""

PROBLEMS = r"""() => {
  const problems = [];
  const panel = window.jupyterapp.shell.currentWidget;
  panel.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    if (cell.model.executionCount === null) problems.push(`cell ${i + 1} did not run`);
    for (const o of cell.model.outputs.toJSON()) {
      if (o.output_type === 'error') problems.push(`cell ${i + 1}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr') problems.push(`cell ${i + 1} stderr: ${o.text}`);
    }
  });
  const node = panel.node;
  node.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach(
    el => problems.push(`error shown: ${el.innerText.trim().split('\n').pop()}`));  // "ValueError: …"
  // MathJax draws a formula it cannot typeset as an <mjx-merror> ("Math input error", or the TeX
  // error); an untypeset formula would still show its $…$ source.
  node.querySelectorAll('mjx-merror').forEach(el => {
    const cell = el.closest('.jp-Cell');
    const index = panel.content.widgets.findIndex(widget => widget.node === cell);
    const message = el.getAttribute('data-mjx-error') || el.textContent;
    problems.push(`MathJax error in cell ${index + 1}: ${message}`);
  });
  node.querySelectorAll('.jp-RenderedMarkdown').forEach(el => {
    if (!el.querySelector('mjx-merror') && /Math input error|Math Processing Error/.test(el.innerText))
      problems.push(`MathJax error: ${el.innerText.slice(0, 200)}`);
  });
  node.querySelectorAll('[data-mime-type="application/vnd.jupyter.widget-view+json"]').forEach(el => {
    if (!el.querySelector('.jupyter-widgets') || /Error displaying widget|Loading widget/.test(el.innerText))
      problems.push(`widget not rendered: ${el.innerText.slice(0, 200)}`);
  });
  return problems;
}"""


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium) for the browser tests"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with running_lab(tmp_path_factory.mktemp("jupyter")) as lab:
        yield lab


@pytest.fixture(scope="module")
def fixture_lab(tmp_path_factory):
    with running_lab(tmp_path_factory.mktemp("jupyter"), root_dir=FIXTURES) as lab:
        yield lab


def open_and_run_all(browser, lab, notebook):
    """Open a notebook in JupyterLab, run all cells; returns the page and the problems seen."""
    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    page.goto(lab.url(f"/lab/tree/{notebook}") + "&reset", wait_until="domcontentloaded")
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(500)  # let the kernel go busy before waiting for idle
    page.wait_for_function(ALL_RUN, timeout=120_000, polling=250)
    page.wait_for_timeout(500)  # widget views render after the kernel reply
    return page, page.evaluate(PROBLEMS)


def output_of(explorer):
    """(text, image source) of an explorer's output area."""
    output = explorer.locator(":scope > .widget-output")
    image = output.locator("img")
    source = image.first.get_attribute("src") if image.count() else None
    return output.inner_text(), source


def wait_for_change(explorer, before, timeout=30.0):
    """Seconds until the output's text and image both differ from `before` (None: never, or an
    error appeared instead)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if explorer.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count():
            return None
        text, image = output_of(explorer)
        if text != before[0] and image is not None and image != before[1]:
            return time.perf_counter() - start
        explorer.page.wait_for_timeout(20)
    return None


def interact(page, notebook, latencies):
    """Move a slider and change a dropdown in every explorer; return the problems seen."""
    problems = []
    explorers = page.locator(".widget-vbox:has(> .widget-output)")
    if explorers.count() == 0:
        return problems
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        slider = explorer.locator(".widget-slider .noUi-handle[role=slider]").first
        if slider.count():
            before = output_of(explorer)
            slider.focus()
            page.keyboard.press("ArrowRight")
            seconds = wait_for_change(explorer, before)
            latencies.append((notebook, f"explorer {i + 1} slider →", seconds))
            if seconds is None:
                problems.append(f"explorer {i + 1}: the output did not change after moving a slider")
        dropdown = explorer.locator(".widget-dropdown select").first
        if dropdown.count():
            before = output_of(explorer)
            options = dropdown.locator("option").all_inner_texts()
            current = dropdown.evaluate("select => select.selectedIndex")
            dropdown.select_option(index=(current + 1) % len(options))
            seconds = wait_for_change(explorer, before)
            latencies.append((notebook, f"explorer {i + 1} dropdown", seconds))
            if seconds is None:
                problems.append(f"explorer {i + 1}: the output did not change after a new dropdown value")
        page.wait_for_timeout(300)  # let a failing callback's traceback arrive
    problems += page.evaluate(PROBLEMS)
    return problems


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_responds_in_jupyterlab(browser, lab, notebook, latencies):
    page, problems = open_and_run_all(browser, lab, notebook)
    try:
        assert not problems, f"{notebook} after run all: {problems}"
        problems = interact(page, notebook, latencies)
        assert not problems, f"{notebook} after moving its controls: {problems}"
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{Path(notebook).stem}.png")
        page.close()


def test_the_check_catches_a_formula_mathjax_cannot_typeset(browser, fixture_lab):
    page, problems = open_and_run_all(browser, fixture_lab, "math_error.ipynb")
    try:
        math = sorted(p for p in problems if "MathJax" in p)
        # Cell 2: a control character ("Math input error"); cell 3: a TeX error; cell 4 is fine.
        assert [p[:len("MathJax error in cell 2")] for p in math] == [
            "MathJax error in cell 2", "MathJax error in cell 3"], problems
        assert "Extra close brace" in math[1], math
    finally:
        page.close()


def test_the_check_catches_a_failing_callback(browser, fixture_lab, latencies):
    # The fixture's callback raises for slider values above 5; it starts at 5.
    page, problems = open_and_run_all(browser, fixture_lab, "failing_widget.ipynb")
    try:
        assert not problems, f"the fixture should run cleanly before the slider moves: {problems}"
        problems = interact(page, "failing_widget.ipynb (fixture)", latencies)
        assert any("ValueError" in p and "slider value 6" in p for p in problems), problems
    finally:
        page.close()
