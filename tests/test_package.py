"""The package as a whole: what `import lecturekit` costs, and that every erratum it names exists."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lecturekit as lk
from lecturekit.errata import ERRATA

ROOT = Path(__file__).resolve().parent.parent

#: "erratum 4", "errata 1–3", "Erratum 6" in code, "勘誤 7" in the notebooks' prose.
MENTION = re.compile(r"(?:\b[Ee]rrat(?:um|a)|勘誤)\s*(\d+(?:\s*[–,、-]\s*\d+)*)")


def erratum_numbers(text):
    """Every erratum number mentioned in `text` (a range "1–3" gives 1, 2, 3)."""
    numbers = set()
    for match in MENTION.finditer(text):
        for part in re.split(r"\s*[,、]\s*", match.group(1)):
            bounds = [int(n) for n in re.split(r"\s*[–-]\s*", part)]
            numbers.update(range(bounds[0], bounds[-1] + 1))
    return numbers


def notebook_text(path):
    """The source of every cell of a notebook (markdown and code), without outputs."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells)


def test_import_loads_numpy_but_no_plotting_widgets_or_progress_bars():
    code = ("import sys, lecturekit; "
            "print(' '.join(m for m in ('matplotlib', 'ipywidgets', 'tqdm') if m in sys.modules))")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env=env, cwd=ROOT).stdout.split()
    assert loaded == [], f"import lecturekit loaded {loaded}: import them inside the functions that use them"


def test_lazy_submodules_load_on_first_use():
    assert lk.plots.training_figure is not None  # no `import lecturekit.plots` needed first
    assert {"plots", "widgets", "claims"} <= set(dir(lk)) and set(lk.LAZY) <= set(lk.__all__)
    with pytest.raises(AttributeError, match="no attribute 'plot'"):
        lk.plot  # noqa: B018


def test_the_mention_pattern_reads_ranges_and_lists():
    assert erratum_numbers("the sign (errata 1–3): erratum 4; 勘誤 7，勘誤 2") == {1, 2, 3, 4, 7}
    assert erratum_numbers("Erratum 6: the slide says; errata 5, 6") == {5, 6}


def test_every_erratum_mentioned_is_numbered_in_errata():
    mentioned = {}
    for path in [*(ROOT / "lecturekit").rglob("*.py"), *ROOT.glob("notebooks/*.ipynb")]:
        text = notebook_text(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
        for number in erratum_numbers(text):
            mentioned.setdefault(number, []).append(str(path.relative_to(ROOT)))
    assert set(mentioned) >= {1, 2, 3, 4}  # the pattern finds the mentions there are
    unknown = {number: paths for number, paths in mentioned.items() if number not in ERRATA}
    assert not unknown, f"errata mentioned but not in lecturekit.errata.ERRATA: {unknown}"


def test_every_erratum_is_shown_in_its_notebooks():
    assert sorted(ERRATA) == list(range(1, len(ERRATA) + 1))
    for number, erratum in ERRATA.items():
        for notebook in erratum.notebook.split(", "):
            (path,) = ROOT.glob(f"notebooks/{notebook}_*.ipynb")
            assert number in erratum_numbers(notebook_text(path)), f"erratum {number} is not in {path.name}"
