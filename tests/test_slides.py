"""`make slides`: a notebook as reveal.js slides in Voilà, with live widgets and nothing from a CDN.

The browser test serves notebook 04 as `make slides NB=04` does, goes to the slide with the depth
explorer, moves its slider with the keyboard, and requires the figure to change, the slideshow to
stay on that slide, the formulas to be typeset without a MathJax error, and no request to leave the
machine.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from labserver import ROOT, free_port
from offline import record_requests_leaving

sys.path.insert(0, str(ROOT / "tools"))
import slides

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_cell_has_the_slide_type_of_the_rule(path):
    notebook = nbformat.read(path, as_version=4)
    marked = slides.mark_slides(notebook)
    assert [c.source for c in marked.cells] == [c.source for c in notebook.cells], (
        "a markdown cell holds two `##` sections: run `python tools/slides.py --mark`")
    assert [c.metadata.get("slideshow") for c in notebook.cells] == [
        c.metadata["slideshow"] for c in marked.cells], "run `python tools/slides.py --mark`"


def test_one_slide_per_section():
    cell = nbformat.v4.new_markdown_cell("## 前向傳遞\ntext\n\n## 倒傳遞\nmore")
    code = nbformat.v4.new_code_cell("import numpy as np")
    notebook = slides.mark_slides(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"), cell, nbformat.v4.new_markdown_cell("### sub"), code]))
    assert [c.source.split("\n")[0] for c in notebook.cells] == [
        "# Title", "## 前向傳遞", "## 倒傳遞", "### sub", "import numpy as np"]
    assert [c.metadata.slideshow.slide_type for c in notebook.cells] == [
        "slide", "slide", "slide", "subslide", "skip"]
    assert len({c.id for c in notebook.cells}) == 5


def test_a_notebook_is_found_by_its_number():
    assert slides.find_notebook("4").name.startswith("04_")
    assert slides.find_notebook("04") == slides.find_notebook(str(slides.find_notebook("04")))
    with pytest.raises(SystemExit, match="no notebook numbered 42; the notebooks are 00, 01"):
        slides.find_notebook("42")
    with pytest.raises(SystemExit, match="a notebook number like 04"):
        slides.find_notebook("relu")


def test_the_template_adds_no_network_address():
    """The only addresses in the template are those of the links it removes from Voilà's."""
    for name in ("index.html.j2", "conf.json"):
        for line in (ROOT / "tools" / "slides" / name).read_text().splitlines():
            assert "http" not in line or "| replace('<link" in line, line


@contextlib.contextmanager
def running_slides(notebook, home):
    try:
        slides.prepare()
    except OSError as error:  # reveal.js is fetched once from npm
        if os.environ.get("REQUIRE_BROWSER") == "1":
            raise
        pytest.skip(f"reveal.js could not be fetched for the slides: {error}")
    port = free_port()
    command, env = slides.voila_command(notebook, port, open_browser=False)
    env = dict(env, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    log = open(home / "voila.log", "w")
    server = subprocess.Popen(command, cwd=notebook.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "voila/static/reveal.js", timeout=5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Voilà did not start: {(home / 'voila.log').read_text()[-3000:]}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


PRESENT_HOLDS_EXPLORER = """() => {
  const present = [...document.querySelectorAll('.reveal .slides section.present')].pop();
  return !!present && present.contains(document.querySelector('.lk-explorer'));
}"""


def test_slideshow_with_a_live_slider(browser, tmp_path):
    notebook = tmp_path / "04.ipynb"
    shutil.copyfile(slides.find_notebook("04"), notebook)
    with running_slides(notebook, tmp_path) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        outside = record_requests_leaving(context, (url, "blob:", "data:"))
        page = context.new_page()
        page.goto(url, timeout=120_000)
        page.wait_for_function(
            "() => document.querySelectorAll('.lk-explorer .widget-slider .noUi-handle').length > 0",
            timeout=120_000)
        sections = page.evaluate("() => document.querySelectorAll('.reveal .slides section').length")
        assert sections >= 8, f"only {sections} slides"

        for _ in range(sections):  # "n" is reveal.js's "next slide", across vertical slides too
            if page.evaluate(PRESENT_HOLDS_EXPLORER):
                break
            page.keyboard.press("n")
            page.wait_for_timeout(200)
        assert page.evaluate(PRESENT_HOLDS_EXPLORER), "no slide shows the depth explorer"

        image = "() => document.querySelector('.lk-explorer img').src"
        readout = "() => document.querySelector('.lk-explorer .widget-readout').innerText"
        before, depth = page.evaluate(image), page.evaluate(readout)
        page.locator(".lk-explorer .widget-slider .noUi-handle[role=slider]").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"(before) => ({image})() !== before", arg=before, timeout=60_000)
        assert int(page.evaluate(readout)) == int(depth) + 1
        assert page.evaluate(PRESENT_HOLDS_EXPLORER), "the arrow key turned the slide"

        typeset = page.evaluate("() => document.querySelectorAll('mjx-container').length")
        errors = page.evaluate("() => [...document.querySelectorAll('mjx-merror')].map(e => e.textContent)")
        assert typeset > 20 and not errors, (typeset, errors)
        mathjax_error = "() => /Math input error|Math Processing Error/.test(document.body.innerText)"
        assert not page.evaluate(mathjax_error)
        assert outside == [], f"requests left the machine: {outside}"
        page.screenshot(path=ROOT / "build" / "screenshots" / "slides_04.png")
        context.close()
