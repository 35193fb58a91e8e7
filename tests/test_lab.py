"""`make lab` serves notebooks/ with widget state saved automatically: checked through the
server's REST API (the browser tests drive the page itself)."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "lecturekit-test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token={TOKEN}", timeout=5) as r:
        return json.load(r)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port = free_port()
    home = tmp_path_factory.mktemp("jupyter")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
            f"--IdentityProvider.token={TOKEN}")
    server = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    try:
        for _ in range(120):
            try:
                get(port, "/api/status")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"make lab exited: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make and the server it started
        server.wait(timeout=30)
        server.stderr.close()


def test_serves_the_notebooks(lab):
    listing = get(lab, "/api/contents")
    served = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
    assert served == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert served, "no notebooks served"


def test_widget_state_is_saved_automatically(lab):
    # The widget manager ships saveState off; make lab's overrides.json turns the default on.
    settings = get(lab, "/lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin")
    assert settings["schema"]["properties"]["saveState"]["default"] is True
    assert "saveState" not in settings["settings"]  # no user setting turns it off again
    extensions = ROOT / ".venv" / "share" / "jupyter" / "labextensions"
    shipped = next(extensions.glob("@jupyter-widgets/jupyterlab-manager/schemas/**/plugin.json"))
    assert json.loads(shipped.read_text())["properties"]["saveState"]["default"] is False
