"""Start JupyterLab exactly as `make lab` does, on a free loopback port, with isolated settings.

The server is always stopped by its process id (the process group of `make` and the server),
also when a test fails.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "lecturekit-test"

# Settings a classroom check needs: start the kernel without asking, do not fetch news.
SETTINGS = {
    # windowingMode "none": every cell is in the page, so the checks see every formula and output.
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True, "windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, port):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path):
        return f"{self.base}{path}?token={TOKEN}"

    def get(self, path):
        with urllib.request.urlopen(self.url(path), timeout=5) as response:
            return json.load(response)


@contextlib.contextmanager
def running_lab(home, root_dir=None, timeout=90):
    """JupyterLab via `make lab`, serving notebooks/ (or `root_dir`); `home` holds its settings."""
    home = Path(home)
    for plugin, values in SETTINGS.items():
        path = home / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    port = free_port()
    args = (
        f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
        f"--IdentityProvider.token={TOKEN} --LabApp.expose_app_in_browser=True"
    )
    log = open(home / "lab.log", "w")  # closed in finally, after the server
    server = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}", f"LAB_ROOT={root_dir or 'notebooks'}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    lab = Lab(port)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                lab.get("/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not start: {(home / 'lab.log').read_text()[-3000:]}"
                    ) from None
                time.sleep(0.3)
        yield lab
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)  # make and the server it started
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
