"""`make gallery`: every figure of the lecture on one page, to review them all in one scroll.

    python tools/gallery.py [--out build/gallery] [EXPLORER ...]

Writes each explorer's figure at its defaults, with each slider at its min and at its max, and
with every dropdown value (`Explorer.settings`, the set tests/test_widgets.py also draws), as
PNGs, and copies every figure the committed notebooks show. `index.html` shows them all with
their settings and one-line summaries.
"""

import argparse
import base64
import html
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lecturekit.widgets import EXPLORERS  # noqa: E402

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lecturekit figure gallery</title>
<style>
body {{ font-family: sans-serif; margin: 24px; }}
section {{ margin-bottom: 40px; }}
figure {{ display: inline-block; vertical-align: top; margin: 8px 16px 16px 0; max-width: 860px; }}
figcaption {{ font-size: 15px; margin-top: 4px; }}
figcaption b {{ display: block; }}
img {{ border: 1px solid #ccc; }}
</style></head><body>
<h1>lecturekit figure gallery</h1>
<p>{count} figures: every explorer at its defaults, each slider at its min and max and every dropdown
value (the others at their defaults); then every figure the committed notebooks show.</p>
{sections}
</body></html>
"""


def explorer_figures(names, out):
    """Draw every setting of the named explorers into `out`; returns (title, [(file, what,
    summary)]) per explorer, printing progress on stderr."""
    sections = []
    for name in names:
        explorer = EXPLORERS[name]
        settings = list(explorer.settings())
        figures = []
        for i, (what, values) in enumerate(settings):
            start = time.perf_counter()
            plot = explorer.view(**values)
            path = out / f"{name}-{i:02d}.png"
            path.write_bytes(plot.png())
            figures.append((path.name, what, plot.summary))
            print(f"{name} [{i + 1}/{len(settings)}] {what}: {time.perf_counter() - start:.1f} s",
                  file=sys.stderr)
        sections.append((f"explorer {name} ({explorer.view.__module__.split('.')[-1]})", figures))
    return sections


def notebook_figures(out):
    """Every PNG the committed notebooks show, in order; one section per notebook."""
    sections = []
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        figures = []
        for index, cell in enumerate(cells):
            for k, output in enumerate(cell.get("outputs", [])):
                data = output.get("data", {}).get("image/png")
                if data:
                    path = out / f"{notebook.stem}-cell{index + 1:02d}-{k}.png"
                    path.write_bytes(base64.b64decode(data))
                    figures.append((path.name, f"cell {index + 1}", ""))
        sections.append((f"notebook {notebook.name}", figures))
    return sections


def write_page(sections, out):
    parts = []
    for title, figures in sections:
        items = "\n".join(
            f'<figure><img src="{file}" alt="{html.escape(what)}"><figcaption><b>{html.escape(what)}</b>'
            f"{html.escape(summary)}</figcaption></figure>" for file, what, summary in figures)
        parts.append(f"<section><h2>{html.escape(title)}</h2>\n{items}\n</section>")
    count = sum(len(figures) for _, figures in sections)
    page = out / "index.html"
    page.write_text(PAGE.format(count=count, sections="\n".join(parts)), encoding="utf-8")
    return page, count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("explorers", nargs="*", help=f"default: all ({', '.join(EXPLORERS)})")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "gallery")
    parser.add_argument("--no-notebooks", action="store_true", help="only the explorers")
    args = parser.parse_args(argv)
    unknown = set(args.explorers) - set(EXPLORERS)
    if unknown:
        parser.error(f"no explorer named {', '.join(sorted(unknown))}; they are {', '.join(EXPLORERS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    sections = explorer_figures(args.explorers or list(EXPLORERS), args.out)
    if not args.no_notebooks:
        sections += notebook_figures(args.out)
    page, count = write_page(sections, args.out)
    print(f"{count} figures: {page}")
    return page


if __name__ == "__main__":
    main()
