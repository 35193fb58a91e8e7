"""`make lab` serves notebooks/ with widget state saved automatically: checked through the
server's REST API (test_browser.py drives the page itself)."""

import json

from labserver import ROOT

# `lab`, the server, is the fixture in conftest.py.


def test_serves_the_notebooks(lab):
    listing = lab.get("/api/contents")
    served = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
    assert served == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert served, "no notebooks served"


def test_widget_state_is_saved_automatically(lab):
    # The widget manager ships saveState off; make lab's overrides.json turns the default on.
    settings = lab.get("/lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin")
    assert settings["schema"]["properties"]["saveState"]["default"] is True
    assert "saveState" not in settings["settings"]  # no user setting turns it off again
    extensions = ROOT / ".venv" / "share" / "jupyter" / "labextensions"
    shipped = next(extensions.glob("@jupyter-widgets/jupyterlab-manager/schemas/**/plugin.json"))
    assert json.loads(shipped.read_text())["properties"]["saveState"]["default"] is False
