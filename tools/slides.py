"""`make slides NB=04`: present a notebook as reveal.js slides whose sliders stay live (Voilà).

    python tools/slides.py NB [--port 8866] [--no-browser]
    python tools/slides.py --mark          (authors: set every cell's slide metadata by the rule below)

NB is a notebook's number (04) or path. Voilà runs the notebook in a fresh kernel and shows its
outputs as slides, one per section (the cells' `slideshow` metadata); code is hidden, widgets work.
Nothing comes from the network while presenting: MathJax ships with Voilà, and reveal.js's
stylesheets are fetched once, checked against the npm registry's checksum, and kept in
build/slides/ beside the template (tools/slides/).
"""

import argparse
import base64
import hashlib
import io
import os
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_SOURCE = ROOT / "tools" / "slides"
BUILD = ROOT / "build" / "slides"
TEMPLATE = "lecture-slides"
TEMPLATE_DIR = BUILD / "voila" / "templates" / TEMPLATE  # found through JUPYTER_PATH=build/slides

# reveal.js 4.0.2 is the version nbconvert's reveal template is written for.
REVEAL = "reveal.js-4.0.2"
REVEAL_URL = "https://registry.npmjs.org/reveal.js/-/reveal.js-4.0.2.tgz"
REVEAL_SHA512 = "LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw=="
REVEAL_FILES = ("dist/reveal.css", "dist/theme/white.css", "dist/theme/fonts/source-sans-pro/")


def reveal_archive():
    """The reveal.js package from npm, downloaded once and checked against its sha512."""
    path = BUILD / f"{REVEAL}.tgz"
    if not path.exists():
        print(f"downloading {REVEAL_URL} (once)", flush=True)
        with urllib.request.urlopen(REVEAL_URL, timeout=60) as response:
            data = response.read()
        digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
        if digest != REVEAL_SHA512:
            raise RuntimeError(f"{REVEAL_URL}: sha512 {digest} is not the registry's {REVEAL_SHA512}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return path


def prepare():
    """The Voilà template in build/slides/, with reveal.js's stylesheets and fonts in its static folder."""
    static = TEMPLATE_DIR / "static" / REVEAL
    for name in ("conf.json", "index.html.j2"):
        TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE_SOURCE / name, TEMPLATE_DIR / name)
    if not (static / REVEAL_FILES[0]).exists():
        data = reveal_archive().read_bytes()
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix("package/")
                if member.isfile() and name.startswith(REVEAL_FILES):
                    target = static / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.extractfile(member).read())
    return TEMPLATE_DIR


def slide_type(cell):
    """One slide per section: a new slide at each `#` or `##` heading, a slide below it at each `###`;
    code cells without output (imports, set-up) are skipped; the rest joins the slide above."""
    first = cell.source.lstrip().split("\n", 1)[0]
    if cell.cell_type == "markdown" and first.startswith(("# ", "## ")):
        return "slide"
    if cell.cell_type == "markdown" and first.startswith("### "):
        return "subslide"
    if cell.cell_type == "code" and not cell.outputs:
        return "skip"
    return "-"


def split_sections(cell):
    """A markdown cell holding several `##` sections, as one cell per section."""
    if cell.cell_type != "markdown":
        return [cell]
    parts, lines = [], cell.source.split("\n")
    for line in lines:
        if not parts or (line.startswith("## ") and any(part.strip() for part in parts[-1])):
            parts.append([])
        parts[-1].append(line)
    if len(parts) == 1:
        return [cell]
    cells = []
    for number, part in enumerate(parts):
        new = nbformat.from_dict(cell)
        new.source = "\n".join(part).strip("\n")
        new.id = cell.id if number == 0 else f"{cell.id}-{number}"
        cells.append(new)
    return cells


def mark_slides(notebook):
    """The notebook with its sections in cells of their own and every cell's slide type set."""
    notebook = nbformat.from_dict(notebook)
    notebook.cells = [part for cell in notebook.cells for part in split_sections(cell)]
    for cell in notebook.cells:
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell)}
    return notebook


def find_notebook(name):
    """notebooks/04_….ipynb from "04", "4" or a path."""
    path = Path(name)
    if path.suffix == ".ipynb":
        if not path.exists():
            raise SystemExit(f"slides: no notebook {path}")
        return path.resolve()
    if not name.isdigit():
        raise SystemExit(f"slides: NB must be a notebook number like 04 or a path, got {name!r}")
    found = sorted((ROOT / "notebooks").glob(f"{int(name):02d}_*.ipynb"))
    if not found:
        numbers = ", ".join(p.name[:2] for p in sorted((ROOT / "notebooks").glob("*.ipynb")))
        raise SystemExit(f"slides: no notebook numbered {name}; the notebooks are {numbers}")
    return found[0]


def voila_command(notebook, port, open_browser=True):
    """The command and environment that serve `notebook` as slides on `port`."""
    command = [sys.executable, "-m", "voila", str(notebook), f"--template={TEMPLATE}",
               f"--port={port}", "--Voila.port_retries=0"]
    if not open_browser:
        command.append("--no-browser")
    env = dict(os.environ, JUPYTER_PATH=os.pathsep.join(
        p for p in (str(BUILD), os.environ.get("JUPYTER_PATH", "")) if p))
    return command, env


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", help="a notebook's number (04) or path")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--mark", action="store_true", help="set the slide metadata of every notebook")
    args = parser.parse_args(argv)
    if args.mark:
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            nbformat.write(mark_slides(nbformat.read(path, as_version=4)), path)
            print(f"marked {path.name}")
        return
    if args.notebook is None:
        parser.error("say which notebook, e.g. `make slides NB=04`")
    notebook = find_notebook(args.notebook)
    prepare()
    command, env = voila_command(notebook, args.port, open_browser=not args.no_browser)
    print(f"slides of {notebook.name} at http://localhost:{args.port}/ (Ctrl-C stops)", flush=True)
    os.chdir(notebook.parent)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    main()
