"""What a student sees in the notebooks' sources, checked without running them."""

import json
import unicodedata
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_no_control_characters_in_any_cell(path):
    # A Python string that writes "\times" or "\approx" into a cell turns "\t" and "\a" into a tab
    # and a bell: MathJax then shows "Math input error" in place of the formula.
    for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], 1):
        source = "".join(cell["source"])
        bad = sorted({repr(ch) for ch in source if unicodedata.category(ch) == "Cc" and ch != "\n"})
        assert not bad, f"cell {number} ({cell['cell_type']}) contains control characters {', '.join(bad)}"


def test_the_check_sees_a_bell_where_approx_was_meant(tmp_path):
    broken = {"cells": [{"cell_type": "markdown", "source": ["$x \approx 1$"]}]}
    path = tmp_path / "broken.ipynb"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(AssertionError, match=r"'\\x07'"):
        test_no_control_characters_in_any_cell(path)
