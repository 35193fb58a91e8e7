"""The classroom check: every notebook in real JupyterLab in headless Chromium.

For each notebook: open it, run all cells, wait until every cell has run, and fail on any error
output or any widget that did not render. Then, in every explorer, press → on a slider and pick
another dropdown value, and require the output's text and image to change without an error.
The time from the key press to the updated output is printed at the end of the run (measured,
never asserted). Screenshots go to build/screenshots/.

Needs Debian's Chromium at /usr/bin/chromium (never `playwright install`). Without it these tests
are skipped with the reason, unless REQUIRE_BROWSER=1 (as in CI), which makes that a failure.
"""

import shutil
from pathlib import Path

import pytest
from labserver import ROOT, running_lab

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


# `lab`, the server of notebooks/, and `browser` (Chromium) are fixtures in conftest.py.


@pytest.fixture(scope="module")
def fixture_lab(tmp_path_factory):
    """JupyterLab serving a copy of tests/fixtures: running a notebook in the page saves its widget
    state into the file, and the committed fixtures must stay as they are."""
    served = tmp_path_factory.mktemp("fixtures")
    shutil.copytree(FIXTURES, served, dirs_exist_ok=True)
    with running_lab(tmp_path_factory.mktemp("jupyter"), root_dir=served) as lab:
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


# Armed before an input: resolves when the explorer's image and its summary text have both
# changed (and the text no longer says "computing…"), with the time from the input event (key
# press or dropdown change) to that DOM change, then to the next animation frame, and to the
# moment a compute explorer said "computing…". Measured in
# the page by a MutationObserver, so no round trip of the test driver is counted.
ARM = r"""(index) => {
  const box = document.querySelectorAll('.lk-explorer')[index];
  const image = box.querySelector('img');
  const caption = box.querySelector('.widget-html');
  const before = {src: image.src, text: caption.innerText};
  const errors = '[data-mime-type="application/vnd.jupyter.stderr"]';
  const oldErrors = new Set(box.querySelectorAll(errors));
  window.lkMeasurement = new Promise(resolve => {
    let start = null, busy = null;
    const began = () => { if (start === null) start = performance.now(); };
    box.addEventListener('keydown', began, true);
    box.addEventListener('change', began, true);
    let finished = false;
    const finish = result => {
      if (finished) return;
      finished = true;
      observer.disconnect();
      clearTimeout(timer);
      box.removeEventListener('keydown', began, true);
      box.removeEventListener('change', began, true);
      resolve(result);
    };
    const check = () => {
      const error = [...box.querySelectorAll(errors)].find(e => !oldErrors.has(e));
      if (error) return finish({error: error.innerText.trim().split('\n').pop()});
      const text = caption.innerText;
      if (start !== null && busy === null && text.startsWith('computing')) busy = performance.now() - start;
      if (start !== null && image.src !== before.src && text !== before.text
          && !text.startsWith('computing')) {
        const dom = performance.now() - start;
        requestAnimationFrame(() => finish({dom, busy, frame: performance.now() - start, text}));
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(box, {subtree: true, childList: true, attributes: true, characterData: true});
    const timer = setTimeout(() => finish({timeout: true}), 60000);
  });
}"""

EXPLORER_NAME = r"""(index) => {
  const box = document.querySelectorAll('.lk-explorer')[index];
  const name = [...box.classList].find(
    c => c.startsWith('lk-') && !['lk-explorer', 'lk-compute'].includes(c));
  return {name: name.slice(3), compute: box.classList.contains('lk-compute')};
}"""

IMAGE_SCALE = r"""() => [...document.querySelectorAll('.lk-explorer img')].map(
  img => img.clientWidth / img.naturalWidth)"""


def interact(page, notebook, latencies):
    """In every explorer: move its first slider right, back, right and back, and pick the next
    dropdown value and the previous one again; time each in the page. Returns the problems seen."""
    problems = []
    for index in range(page.locator(".lk-explorer").count()):
        explorer = page.locator(".lk-explorer").nth(index)
        explorer.scroll_into_view_if_needed()
        about = page.evaluate(EXPLORER_NAME, index)
        slider = explorer.locator(".widget-slider .noUi-handle[role=slider]").first
        dropdown = explorer.locator(".widget-dropdown select").first
        # (action, the setting it leads to, input): settings seen before are remembered results
        inputs = [(f"slider {key[5:].lower()}", setting, key) for key, setting in
                  (("ArrowRight", "+1"), ("ArrowLeft", "0"), ("ArrowRight", "+1"), ("ArrowLeft", "0"))
                  ] if slider.count() else []
        if dropdown.count():
            current = dropdown.evaluate("select => select.selectedIndex")
            options = dropdown.locator("option").count()
            inputs += [("dropdown next", "next", (current + 1) % options), ("dropdown back", "0", current)]
        seen = {"0"}
        for action, setting, key_or_option in inputs:
            page.evaluate(ARM, index)
            if action.startswith("slider"):
                slider.focus()
                page.keyboard.press(key_or_option)
            else:
                dropdown.select_option(index=key_or_option)
            result = page.evaluate("() => window.lkMeasurement")
            if "dom" not in result:
                problems.append(f"explorer {index + 1} ({about['name']}), {action}: "
                                f"{result.get('error') or 'the image and text did not both change'}")
            latencies.append({"notebook": notebook, "explorer": about["name"], "compute": about["compute"],
                              "action": action, "new_setting": setting not in seen,
                              "ms": result.get("dom"), "frame_ms": result.get("frame"),
                              "busy_ms": result.get("busy")})
            seen.add(setting)
        page.wait_for_timeout(300)  # let a failing callback's traceback arrive
    scales = page.evaluate(IMAGE_SCALE)
    shrunk = [f"{scale:.2f}" for scale in scales if scale < 0.99]
    if shrunk:
        problems.append(f"explorer images shown smaller than drawn (scale {', '.join(shrunk)}): "
                        "text under 12 pt on screen")
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


def test_the_check_catches_a_failing_callback(browser, fixture_lab):
    # The fixture's callback raises for slider values above 5; it starts at 5.
    page, problems = open_and_run_all(browser, fixture_lab, "failing_widget.ipynb")
    try:
        assert not problems, f"the fixture should run cleanly before the slider moves: {problems}"
        problems = interact(page, "failing_widget.ipynb (fixture)", [])
        assert any("ValueError" in p and "slider value 6" in p for p in problems), problems
    finally:
        page.close()
