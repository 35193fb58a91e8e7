"""`make gallery` writes one page with every setting of every explorer and every notebook figure."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import gallery

from lecturekit.widgets import EXPLORERS


def test_the_gallery_shows_every_setting_with_its_summary(tmp_path):
    page = gallery.main(["descent_1d", "--out", str(tmp_path)])
    text = page.read_text(encoding="utf-8")
    settings = list(EXPLORERS["descent_1d"].settings())
    pngs = sorted(tmp_path.glob("descent_1d-*.png"))
    assert len(pngs) == len(settings) == text.count('src="descent_1d-')
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)
    for what, _ in settings:
        assert f"<b>{what}</b>" in text
    assert "α = 1.2: diverged" in text  # the summary under the slider's max
    notebook_pngs = list(tmp_path.glob("0*-cell*.png"))
    assert notebook_pngs and text.count('src="0') == len(notebook_pngs)


def test_an_unknown_explorer_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        gallery.main(["no_such_view", "--out", str(tmp_path)])
    assert "no explorer named no_such_view" in capsys.readouterr().err
