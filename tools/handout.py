"""`make handout`: the lecture as static HTML pages that open offline, from file://, for students.

    python tools/handout.py [--out build/handout] [NOTEBOOK ...]

Writes one page per notebook (default: every notebooks/*.ipynb) and an index.html linking them.
A page is built from the student edition (tools/student.py) and needs nothing but itself:
- figures are the PNGs stored in the notebook, inline;
- formulas are MathML made here by latex2mathml (browsers draw MathML themselves); a formula that
  does not convert stops the build with the notebook, the cell and the formula;
- each explorer shows the view saved in the notebook: its controls' values as one line, its figure
  and its text; moving a slider needs a kernel, so the page says so;
- there is no script, and no stylesheet or font from anywhere else.
"""

import argparse
import base64
import html
import re
import sys
from pathlib import Path
from urllib.parse import quote

import nbformat
from jinja2 import DictLoader
from latex2mathml.converter import convert
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from student import student_edition  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
FIGURE_TYPES = ("image/png", "image/jpeg")  # the outputs nbconvert shows as <img>


class FormulaError(ValueError):
    """A formula latex2mathml cannot turn into MathML, with where it is."""


# ---------------------------------------------------------------- formulas

# Chromium draws MathML Core, which ignores mathvariant="bold": use the Unicode bold letters.
BOLD_STARTS = {  # first letter of each range → its bold, bold-italic code points
    "A": (0x1D400, 0x1D468), "a": (0x1D41A, 0x1D482), "0": (0x1D7CE, 0x1D7CE),
    "Α": (0x1D6A8, 0x1D71C), "α": (0x1D6C2, 0x1D736),
}
BOLD_RANGES = {"A": 26, "a": 26, "0": 10, "Α": 25, "α": 25}


def bold(text, italic):
    """`text` in Unicode mathematical bold (or bold italic) letters and digits."""
    def one(char):
        for start, (upright, slanted) in BOLD_STARTS.items():
            offset = ord(char) - ord(start)
            if 0 <= offset < BOLD_RANGES[start]:
                return chr((slanted if italic and start != "0" else upright) + offset)
        return char
    return "".join(one(char) for char in text)


BOLD_TOKEN = re.compile(r'<(mi|mn) mathvariant="(bold|bold-italic)">([^<]*)</\1>')
TEXT_TOKEN = re.compile(r"<mtext>([^<]*)</mtext>")
RAW_AMPERSAND = re.compile(r"&(?!#?\w+;)")


def to_mathml(tex, display="inline"):
    """The MathML of one formula (without its $ signs); FormulaError says why not.

    latex2mathml turns what it does not know into text (`\\foo` becomes an identifier "\\foo",
    an alignment `&` outside a table becomes "&"), so those are caught here too."""
    unescaped = re.sub(r"\\.", "", tex)
    if unescaped.count("{") != unescaped.count("}"):
        raise FormulaError("unbalanced braces")
    try:
        mathml = convert(tex, display=display)
    except Exception as error:  # latex2mathml raises many kinds, all meaning "cannot convert"
        raise FormulaError(f"{type(error).__name__} {error}".strip()) from None
    # In \text{…}, TeX writes _ % # $ as \_ \% \# \$.
    mathml = TEXT_TOKEN.sub(lambda m: "<mtext>" + re.sub(r"\\([_%#$])", r"\1", m[1]) + "</mtext>", mathml)
    mathml = BOLD_TOKEN.sub(lambda m: f"<{m[1]}>"
                            + html.escape(bold(html.unescape(m[3]), m[2] == "bold-italic")) + f"</{m[1]}>",
                            mathml)
    shown = html.unescape(re.sub(r"<[^>]*>", "", mathml))
    unknown = re.search(r"\\[A-Za-z]+|\\.", shown)
    if unknown:
        raise FormulaError(f"latex2mathml does not know {unknown[0]}")
    if RAW_AMPERSAND.search(mathml):
        raise FormulaError("an & outside a matrix or cases environment")
    return mathml


class HandoutMarkdown(IPythonRenderer):
    """nbconvert's markdown renderer, with formulas as MathML and links to notebooks as links to
    their pages. Its parser takes each $…$ and $$…$$ out whole before emphasis and escapes, so
    the TeX keeps its _ * and \\. A formula that fails is kept in `failures`."""

    def __init__(self):
        super().__init__(escape=False)
        self.formulas, self.failures = 0, []

    def math(self, tex, display):
        self.formulas += 1
        try:
            return to_mathml(tex.strip(), display)
        except FormulaError as error:
            self.failures.append((tex, str(error)))
            return ""

    def inline_math(self, body):
        return self.math(body, "inline")

    def block_math(self, body):
        return self.math(body, "block")

    def latex_environment(self, name, body):
        return self.math(f"\\begin{{{name}}}{body}\\end{{{name}}}", "block")

    def heading(self, text, level, **attrs):
        """nbconvert's heading with its anchor, made without its XML round trip (which renames
        <math> to <ns0:math>)."""
        anchor = quote(html.unescape(re.sub(r"<[^>]*>", "", text)).replace(" ", "-"), safe="?/:@!$&'()*+,;=")
        return (f'<h{level} id="{anchor}">{text}<a class="anchor-link" href="#{anchor}">¶</a></h{level}>\n')

    def link(self, text, url, title=None):
        page = re.fullmatch(r"([^:/?#]+)\.ipynb(#.*)?", url)
        if page:
            url = f"{page[1]}.html{page[2] or ''}"
        return super().link(text, url, title)


def markdown_html(source, where):
    """The HTML of one markdown cell and its number of formulas; `where` names the cell."""
    renderer = HandoutMarkdown()
    text = MarkdownWithMath(renderer=renderer).render(source)
    if renderer.failures:
        tex, reason = renderer.failures[0]
        raise FormulaError(f"{where}: cannot convert the formula ${tex}$ to MathML: {reason}")
    return text, renderer.formulas


# ---------------------------------------------------------------- saved widget views

NOT_CONTROLS = {"HTMLModel", "HTMLMathModel", "LabelModel", "ImageModel", "OutputModel",
                "FloatProgressModel", "IntProgressModel", "ButtonModel"}


def is_control(model):
    state = model["state"]
    return model["model_name"] not in NOT_CONTROLS and ("value" in state or "index" in state)


def readout(value, readout_format):
    try:
        return format(value, readout_format or "")
    except (TypeError, ValueError):
        return str(value)


def control_value(state):
    """What a control shows: its chosen option's label, or its number as its readout prints it."""
    if "_options_labels" in state:
        labels, index = state["_options_labels"], state.get("index")
        if index is None:
            return "—"
        return ", ".join(labels[i] for i in index) if isinstance(index, list) else labels[index]
    value = state["value"]
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):  # a range slider
        return " – ".join(readout(v, state.get("readout_format")) for v in value)
    return readout(value, state.get("readout_format"))


def control_line(models):
    """`depth L = 20 · activation = sigmoid`: the saved values of a row of controls."""
    parts = []
    for model in models:
        description = html.escape(model["state"].get("description", ""))
        value = html.escape(control_value(model["state"]))
        parts.append(f"{description} = {value}" if description else value)
    return f'<p class="handout-controls">{" · ".join(parts)}</p>'


class SavedView:
    """The static HTML of one saved widget view, from the notebook's widget state; counts the
    figures it shows."""

    def __init__(self, state):
        self.state = state
        self.figures = self.controls = 0

    def html(self, model_id):
        model = self.state.get(model_id.removeprefix("IPY_MODEL_"))
        if model is None:
            return '<p class="handout-missing">(a widget that was not saved)</p>'
        name, state = model["model_name"], model["state"]
        if "children" in state:
            return self.box(model)
        if name == "ImageModel":
            return self.image(model)
        if name == "OutputModel":
            return "".join(self.output(output) for output in state.get("outputs", []))
        if name in ("HTMLModel", "HTMLMathModel"):
            return f'<div class="handout-html">{state.get("value", "")}</div>'
        if name == "LabelModel":
            return f'<p>{html.escape(state.get("value", ""))}</p>'
        if name in ("FloatProgressModel", "IntProgressModel"):
            return (f'<progress value="{state["value"]}" min="{state["min"]}" max="{state["max"]}">'
                    f'{state["value"]}</progress>')
        if is_control(model):
            self.controls += 1
            return control_line([model])
        return f'<p class="handout-missing">({html.escape(name)} is not shown here)</p>'

    def box(self, model):
        """A Box's children in order; each run of neighbouring controls becomes one line."""
        parts, controls = [], []
        for child in model["state"]["children"]:
            child_model = self.state.get(child.removeprefix("IPY_MODEL_"))
            if child_model is not None and is_control(child_model):
                self.controls += 1
                controls.append(child_model)
                continue
            if controls:
                parts.append(control_line(controls))
                controls = []
            parts.append(self.html(child))
        if controls:
            parts.append(control_line(controls))
        row = " handout-row" if model["model_name"] == "HBoxModel" else ""
        return f'<div class="handout-box{row}">{"".join(parts)}</div>'

    def image(self, model):
        buffers = {tuple(b["path"]): b for b in model.get("buffers", [])}
        value = buffers.get(("value",))
        if value is None:
            return ""
        data = value["data"]
        if value.get("encoding") == "hex":
            data = base64.b64encode(bytes.fromhex(data)).decode("ascii")
        self.figures += 1
        image_format = model["state"].get("format", "png")
        return f'<img src="data:image/{image_format};base64,{data}" alt="saved figure">'

    def output(self, output):
        """One output an Output widget held, as JupyterLab would show it."""
        if output["output_type"] == "stream":
            return f"<pre>{html.escape(text(output['text']))}</pre>"
        if output["output_type"] == "error":
            return f"<pre>{html.escape(strip_ansi(chr(10).join(output['traceback'])))}</pre>"
        data = output.get("data", {})
        for mime in FIGURE_TYPES:
            if mime in data:
                self.figures += 1
                return f'<img src="data:{mime};base64,{text(data[mime]).strip()}" alt="saved figure">'
        if WIDGET_VIEW in data:
            return self.html(data[WIDGET_VIEW]["model_id"])
        if "text/html" in data:
            return text(data["text/html"])
        if "text/plain" in data:
            return f"<pre>{html.escape(text(data['text/plain']))}</pre>"
        return ""


def text(value):
    return "".join(value) if isinstance(value, list) else value


def strip_ansi(value):
    return re.sub(r"\x1b\[[0-9;]*m", "", value)


VIEW_NOTE = ('<p class="handout-note">存檔時的畫面 (saved view)：在 JupyterLab 執行這本筆記本，'
             "就能拖動滑桿、換選項。</p>")


def widget_view_html(view, model_id):
    """A saved view in a frame; one with controls says where they can be moved."""
    controls = view.controls
    shown = view.html(model_id)
    note = VIEW_NOTE if view.controls > controls else ""
    return f'<div class="handout-widget">{shown}{note}</div>'


# ---------------------------------------------------------------- pages

TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{#- The lab template without what needs the network: require.js, the widget manager, MathJax and
    mermaid.js. Markdown cells arrive as HTML (formulas already MathML). -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
main { max-width: 1100px; margin: 0 auto; }
math { font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math", math; }
math[display="block"] { margin: 0.6em 0; }
.handout-widget { border: 1px solid #c7c7c7; border-radius: 4px; padding: 8px 12px; }
.handout-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.handout-controls { font-family: var(--jp-code-font-family); font-size: 13px; margin: 4px 0; }
.handout-note { color: #616161; font-size: 12px; margin: 6px 0 0; }
.handout-missing { color: #b00020; }
.handout-back { font-size: 14px; margin: 8px 0 16px; }
</style>
{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
<p class="handout-back"><a href="index.html">← 目錄 (contents)</a></p>
{%- endblock body_header -%}
{% block markdowncell scoped %}
<div {{ cell_id_anchor(cell) }} class="jp-Cell jp-MarkdownCell jp-Notebook-cell">
<div class="jp-Cell-inputWrapper">
<div class="jp-Collapser jp-InputCollapser jp-Cell-inputCollapser">
</div>
<div class="jp-InputArea jp-Cell-inputArea">
{%- if resources.global_content_filter.include_input_prompt -%}
    {{ self.empty_in_prompt() }}
{%- endif -%}
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput {{ celltags(cell) }}"
     data-mime-type="text/markdown">
{{ cell.source }}
</div>
</div>
</div>
</div>
{%- endblock markdowncell %}
"""


def exporter():
    return HTMLExporter(template_name="lab", template_file="handout.html.j2", language_code="zh",
                        extra_loaders=[DictLoader({"handout.html.j2": TEMPLATE})])


def prepare(teacher, name):
    """The student edition of `teacher` ready for the exporter, and what it shows:
    {"figures": in outputs, "widget_figures": in saved views, "formulas": …}."""
    position = {cell.get("id"): n for n, cell in enumerate(teacher.cells, 1)}
    notebook = student_edition(teacher)
    state = notebook.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    view = SavedView(state)
    counts = {"figures": 0, "formulas": 0}
    for index, cell in enumerate(notebook.cells):
        where = f"{name}, cell {position.get(cell.get('id'), index + 1)}"
        if cell.cell_type == "markdown":
            cell.source, formulas = markdown_html(cell.source, where)
            counts["formulas"] += formulas
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and data[WIDGET_VIEW]["model_id"] in state:
                output.data = {"text/html": widget_view_html(view, data[WIDGET_VIEW]["model_id"])}
            elif any(mime in data for mime in FIGURE_TYPES):
                counts["figures"] += 1
    counts["widget_figures"] = view.figures
    return notebook, counts


def title_of(notebook, fallback):
    """The first <h1> of a prepared notebook (markdown already HTML), without its anchor link."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            heading = re.search(r"<h1[^>]*>(.*?)<a class=\"anchor-link\"", cell.source, re.DOTALL)
            if heading:
                return heading[1].strip()
    return html.escape(fallback)


INDEX = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>機器與深度學習基礎知識初探：導傳遞</title>
<style>
body {{ font-family: sans-serif; max-width: 800px; margin: 32px auto; padding: 0 16px; line-height: 1.6; }}
li {{ margin: 6px 0; }}
.file {{ color: #616161; font-size: 13px; }}
</style></head><body>
<h1>機器與深度學習基礎知識初探：導傳遞</h1>
<p>The lecture's notebooks as pages that open without a network (student edition).
Figures and explorers show what was saved; to move the sliders, open the notebooks in JupyterLab.</p>
<ol start="0">
{items}
</ol>
</body></html>
"""


def build(paths, out):
    """Write one page per notebook and index.html into `out`; returns [(page, counts)]."""
    out.mkdir(parents=True, exist_ok=True)
    html_exporter = exporter()
    pages, items = [], []
    for i, path in enumerate(paths, 1):
        print(f"[{i}/{len(paths)}] {path.name}", file=sys.stderr, flush=True)
        teacher = nbformat.read(path, as_version=4)
        notebook, counts = prepare(teacher, path.name)
        body, _ = html_exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        page = out / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append((page, counts))
        title = title_of(notebook, path.stem)
        items.append(f'<li><a href="{page.name}">{title}</a> <span class="file">{page.name}</span></li>')
        print(f"{page}: {page.stat().st_size / 1e6:.2f} MB, "
              f"{counts['figures'] + counts['widget_figures']} figures ({counts['figures']} in outputs, "
              f"{counts['widget_figures']} in saved widget views), {counts['formulas']} formulas")
    (out / "index.html").write_text(INDEX.format(items="\n".join(items)), encoding="utf-8")
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "handout"))
    parser.add_argument("notebooks", nargs="*", help="default: every notebooks/*.ipynb")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    out = Path(args.out)
    try:
        pages = build(paths, out)
    except FormulaError as error:
        sys.exit(f"handout stopped: {error}")
    print(f"{len(pages)} pages: {out / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
