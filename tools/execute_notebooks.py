"""Re-execute notebooks in place from a fresh kernel, keeping outputs and widget state.

    python tools/execute_notebooks.py [NOTEBOOK ...]     (default: every notebooks/*.ipynb)

Committed notebooks are always this script's output (`make notebooks`), so nbval compares
against what a fresh run prints. Only noisy metadata is dropped: per-cell timings and the
Python version; execution counts stay (nbval needs them).
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        # Every cell runs in seconds (a claim's 8 seeds take up to ~10 s on a busy machine). Now
        # and then a reply that has arrived is only noticed when the wait for it times out
        # (nbclient issue #312, cells with widgets), so the timeout bounds that stall.
        timeout=30,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("language_info", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return seconds


def main(paths):
    paths = [Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = execute(path)
        total += seconds
        print(f"{seconds:6.1f} s  {path.relative_to(ROOT) if path.is_absolute() else path}")
    print(f"{total:6.1f} s  in all")


if __name__ == "__main__":
    main(sys.argv[1:])
