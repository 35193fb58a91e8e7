"""`make handout`: the static pages are complete and ask nothing of the network.

The unit tests build a small notebook here (a formula with _ and *, a PNG, a saved explorer).
The browser test builds the page of notebooks/04, opens it from file:// in Chromium offline, with
every request that is not a file aborted and recorded, and checks what a student sees: every
figure drawn, every formula typeset as MathML, no $…$ left. It uses the `browser` fixture of
conftest.py, as test_browser.py does: skipped without Chromium unless REQUIRE_BROWSER=1.
"""

import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from offline import record_requests_leaving

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import handout  # noqa: E402

# A 1×1 PNG.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
PROSE = r"""# A small page

The loss $L = \tfrac{1}{2}\sum_i (y_i - \hat{y}_i)^2$ has $x_1$ and $x_2$ in it, $a*b*c$ and
$c * d$ too, and a norm $\|g\|_2$; see [the docs](https://example.org/docs) or [the next page](next.ipynb).

$$\text{running\_mean} \leftarrow 0.9\,\text{running\_mean} + 0.1\,\boldsymbol{\mu}_B$$
"""


def model(name, **state):
    return {"model_name": name, "model_module": "@jupyter-widgets/controls",
            "model_module_version": "2.0.0", "state": state}


def explorer_state():
    """An explorer as ipywidgets saves it: a row of controls, its figure, its text, its Output."""
    image = model("ImageModel", format="png")
    image["buffers"] = [{"path": ["value"], "encoding": "base64", "data": PNG}]
    return {
        "view": model("VBoxModel", children=["IPY_MODEL_row", "IPY_MODEL_image", "IPY_MODEL_text",
                                             "IPY_MODEL_out"]),
        "row": model("HBoxModel", children=["IPY_MODEL_depth", "IPY_MODEL_act", "IPY_MODEL_rate"]),
        "depth": model("IntSliderModel", description="depth", value=20, readout_format="d"),
        "act": model("DropdownModel", description="activation", _options_labels=["relu", "sigmoid"],
                     index=1),
        "rate": model("FloatLogSliderModel", description="learning rate α", value=0.03,
                      readout_format=".3g"),
        "image": image,
        "text": model("HTMLModel", value="loss 0.25 → 0.01"),
        "out": model("OutputModel", outputs=[
            {"output_type": "stream", "name": "stdout", "text": "diverged at step 7\n"},
            {"output_type": "display_data", "metadata": {},
             "data": {"image/png": PNG, "text/plain": "<Figure>"}},
        ]),
    }


def small_notebook(*markdown):
    figure = new_code_cell("plot()", execution_count=1, outputs=[
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure size 640x480>"}),
    ])
    view = new_code_cell("explorer()", execution_count=2, outputs=[
        new_output("execute_result", execution_count=2, data={
            handout.WIDGET_VIEW: {"model_id": "view", "version_major": 2, "version_minor": 0},
            "text/plain": "VBox(children=(HBox(…"})])
    exercise = new_code_cell("def answer():\n    ### BEGIN SOLUTION\n    return 'the secret answer'\n"
                             "    ### END SOLUTION\n", execution_count=3)
    notebook = new_notebook(cells=[*(new_markdown_cell(m) for m in markdown or [PROSE]),
                                   figure, view, exercise])
    notebook.metadata.widgets = {handout.WIDGET_STATE: {"version_major": 2, "version_minor": 0,
                                                        "state": explorer_state()}}
    return notebook


class Page(HTMLParser):
    """What a page shows (its text, outside <style>) and every address it names."""

    def __init__(self, text):
        super().__init__()
        self.text, self.images, self.addresses, self.scripts, self.styles = [], [], [], 0, []
        self.in_style = False
        self.feed(text)
        self.text = " ".join(self.text)

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self.in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data"):
                self.addresses.append((tag, name, value))
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        (self.styles if self.in_style else self.text).append(data)


def build_one(tmp_path, notebook, name="small.ipynb"):
    path = tmp_path / name
    nbformat.write(notebook, path)
    [(page, counts)] = handout.build([path], tmp_path / "handout")
    return page.read_text(encoding="utf-8"), counts


def test_a_page_has_mathml_figures_and_the_saved_explorer(tmp_path):
    text, counts = build_one(tmp_path, small_notebook())
    page = Page(text)
    assert counts == {"figures": 1, "widget_figures": 2, "formulas": 7}
    assert text.count("<math ") == 7 and "<merror" not in text
    # _ and * stayed TeX: subscripts, not <em>; \_ inside \text is an underscore.
    assert "<msub><mi>x</mi><mn>1</mn></msub>" in text and "<em>" not in text
    assert "<mtext>running_mean</mtext>" in text
    assert "$" not in page.text
    assert len(page.images) == 3 and all(src.startswith("data:image/png;base64,") for src in page.images)
    assert "depth = 20 · activation = sigmoid · learning rate α = 0.03" in page.text
    assert "loss 0.25 → 0.01" in page.text and "diverged at step 7" in page.text
    assert 'href="next.html"' in text  # a link to a notebook goes to its page
    index = (tmp_path / "handout" / "index.html").read_text(encoding="utf-8")
    assert '<a href="small.html">A small page</a>' in index


def test_the_page_is_the_student_edition(tmp_path):
    text, _ = build_one(tmp_path, small_notebook())
    assert "NotImplementedError" in text and "the secret answer" not in text


def test_a_page_asks_nothing_of_the_network(tmp_path):
    text, _ = build_one(tmp_path, small_notebook())
    page = Page(text)
    assert page.scripts == 0
    remote = [(tag, name, value) for tag, name, value in page.addresses
              if value.startswith(("http://", "https://", "//")) and not (tag == "a" and name == "href")]
    assert remote == []
    assert ("a", "href", "https://example.org/docs") in page.addresses  # links in the prose stay
    styles = " ".join(page.styles)
    assert "@import" not in styles and not any(f"url({q}http" in styles for q in ("", "'", '"'))


@pytest.mark.parametrize("formula, reason", [
    (r"\frac{1}{2", "unbalanced braces"),
    (r"\foo x", r"does not know \foo"),
    (r"x^", "MissingSuperScriptOrSubscriptError"),
    (r"a & b", "an & outside"),
])
def test_a_formula_that_does_not_convert_stops_the_build_naming_it(tmp_path, formula, reason):
    notebook = small_notebook("# Fine\n\n$x_1$", f"Then ${formula}$ here.")
    path = tmp_path / "broken.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(SystemExit) as stopped:
        handout.main([str(path), "--out", str(tmp_path / "handout")])
    message = str(stopped.value)
    assert "broken.ipynb, cell 2" in message and f"${formula}$" in message and reason in message
    assert not (tmp_path / "handout" / "broken.html").exists()


def test_bold_symbols_become_unicode_bold_letters():
    # Chromium's MathML ignores mathvariant="bold"; the letters themselves are bold.
    delta, ab = handout.to_mathml(r"\boldsymbol{\delta}"), handout.to_mathml(r"\mathbf{ab}")
    assert "<mi>𝜹</mi>" in delta and "<mi>𝐚</mi><mi>𝐛</mi>" in ab
    assert "mathvariant" not in delta + ab


def figures_in(notebook):
    """Figures a student edition shows: PNG outputs, and the saved figures of widget views."""
    student = handout.student_edition(notebook)
    outputs = sum("image/png" in output.get("data", {}) for cell in student.cells
                  for output in cell.get("outputs", []))
    state = notebook.metadata.widgets[handout.WIDGET_STATE]["state"]
    saved = sum(m["model_name"] == "ImageModel" and bool(m.get("buffers")) for m in state.values())
    return outputs, saved


# Run in the page: what a student would see go wrong.
PAGE_CHECKS = r"""() => {
  const boxes = [...document.querySelectorAll('math')].map(m => m.getBoundingClientRect());
  const rawFormulas = [];
  document.querySelectorAll('.jp-MarkdownCell, .handout-widget').forEach((cell, i) => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('code, pre').forEach(code => code.remove());
    const raw = copy.textContent.match(/\$[^$]+\$/);
    if (raw) rawFormulas.push(`block ${i}: ${raw[0].slice(0, 80)}`);
  });
  return {
    imageWidths: [...document.images].map(img => img.naturalWidth),
    formulas: boxes.length,
    emptyFormulas: boxes.filter(box => !(box.width > 0 && box.height > 0)).length,
    errors: document.querySelectorAll('merror').length,
    rawFormulas,
  };
}"""


def look_offline(browser, path, screenshot=False):
    """Open `path` from file:// with the network off; every request that is not for a file is
    aborted and recorded. Returns (the addresses asked for, PAGE_CHECKS' findings)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    context.set_offline(True)
    attempted = record_requests_leaving(context, ("file:", "data:"))
    page = context.new_page()
    page.on("request", lambda request: request.url.startswith(("file:", "data:"))
            or attempted.append(request.url))
    try:
        page.goto(path.as_uri(), wait_until="load")
        seen = page.evaluate(PAGE_CHECKS)
        if screenshot:
            screenshots = ROOT / "build" / "screenshots"
            screenshots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=screenshots / f"handout_{path.stem}.png")
    finally:
        context.close()
    return sorted(set(attempted)), seen


def test_the_offline_check_sees_a_request_a_broken_figure_and_raw_tex(browser, tmp_path):
    path = tmp_path / "bad.html"
    path.write_text('<!doctype html><html><body><div class="jp-MarkdownCell"><p>see $x_1$</p></div>'
                    '<img src="https://example.org/figure.png"><img src="missing.png"></body></html>',
                    encoding="utf-8")
    attempted, seen = look_offline(browser, path)
    assert attempted == ["https://example.org/figure.png"]
    assert seen["imageWidths"] == [0, 0] and seen["rawFormulas"] == ["block 0: $x_1$"]


def test_a_real_page_shows_everything_offline(browser, tmp_path):
    notebook_path = ROOT / "notebooks" / "04_vanishing_gradient.ipynb"
    [(page_path, counts)] = handout.build([notebook_path], tmp_path)
    attempted, seen = look_offline(browser, page_path, screenshot=True)
    assert attempted == []
    outputs, saved = figures_in(nbformat.read(notebook_path, as_version=4))
    assert saved >= 1 and (counts["figures"], counts["widget_figures"]) == (outputs, saved)
    assert len(seen["imageWidths"]) == outputs + saved and min(seen["imageWidths"]) > 0
    assert seen["formulas"] == counts["formulas"] > 50
    assert seen["emptyFormulas"] == 0 and seen["errors"] == 0
    assert seen["rawFormulas"] == []
