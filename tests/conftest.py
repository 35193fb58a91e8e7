"""Shared test settings and fixtures.

BLAS is pinned to one thread: on a busy 2-core machine two threads can be several times slower,
and one thread makes every run compute the same sums in the same order.

Fixtures: `rng` (a seeded Generator), `lab` (JupyterLab serving notebooks/, for test_lab.py and
test_browser.py), `browser` (headless Chromium, for the browser, slide and handout
tests), `latencies` (the browser tests' timings). The shared hypothesis strategies are
in strategies.py (a module: a fixture cannot be a @given argument).
"""

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from labserver import running_lab
from threadpoolctl import threadpool_limits

# derandomize: the same examples on every run and machine, so a red test is reproducible.
# HYPOTHESIS_EXAMPLES=1000 make test explores more.
settings.register_profile(
    "lecturekit",
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
)
settings.load_profile("lecturekit")


@pytest.fixture(autouse=True, scope="session")
def one_blas_thread():
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started as `make lab` starts it, serving notebooks/; stopped after the module."""
    with running_lab(tmp_path_factory.mktemp("jupyter")) as lab:
        yield lab


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium) for the browser tests"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


# The browser test's fixture notebook fails on purpose: nbval must not collect it.
collect_ignore_glob = ["fixtures/*.ipynb"]


LATENCIES = pytest.StashKey[list]()
LATENCY_REPORT = Path(__file__).resolve().parent.parent / "build" / "latency.json"


@pytest.fixture(scope="session")
def latencies(pytestconfig):
    """One record per browser input to an explorer (see test_browser.interact), summed up at the
    end of the run."""
    return pytestconfig.stash.setdefault(LATENCIES, [])


def latency_table(records):
    """Per explorer: the median time from input to new image and text in the page. Draw-only
    explorers count every input; compute explorers the inputs that led to a setting they had
    already computed (the first visit of a setting is listed apart)."""
    rows = {}
    for r in records:
        rows.setdefault((r["notebook"], r["explorer"]), []).append(r)
    table = []
    for (notebook, explorer), runs in rows.items():
        compute = runs[0]["compute"]
        counted = [r["ms"] for r in runs if r["ms"] is not None and not (compute and r["new_setting"])]
        first = [r["ms"] for r in runs if r["ms"] is not None and compute and r["new_setting"]]
        busy = [r["busy_ms"] for r in runs if r.get("busy_ms") is not None]
        table.append({
            "notebook": notebook, "explorer": explorer, "kind": "compute" if compute else "draw",
            "inputs": len(counted), "median_ms": float(np.median(counted)) if counted else None,
            "max_ms": max(counted) if counted else None,
            "new_setting_median_ms": float(np.median(first)) if first else None,
            "computing_shown_max_ms": max(busy) if busy else None,
            "target_ms": 1000 if compute else 100,
        })
    return table


def pytest_terminal_summary(terminalreporter, config):
    """Print the browser tests' in-page latencies and write them to build/latency.json."""
    records = config.stash.get(LATENCIES, [])
    if not records:
        return
    table = latency_table(records)
    LATENCY_REPORT.parent.mkdir(exist_ok=True)
    LATENCY_REPORT.write_text(json.dumps({"table": table, "records": records}, indent=1))
    terminalreporter.section("classroom check: input to new image and text, measured in the page")
    terminalreporter.write_line("| notebook | explorer | kind | inputs | median ms | max ms | "
                                "new setting, median ms | \"computing…\" shown after, max ms | target ms |")
    terminalreporter.write_line("|---|---|---|---|---|---|---|---|---|")
    for row in table:
        times = [row[k] for k in ("median_ms", "max_ms", "new_setting_median_ms", "computing_shown_max_ms")]
        cells = [row["notebook"], row["explorer"], row["kind"], row["inputs"],
                 *("–" if t is None else f"{t:.0f}" for t in times), row["target_ms"]]
        terminalreporter.write_line("| " + " | ".join(map(str, cells)) + " |")
    terminalreporter.write_line(f"(written to {LATENCY_REPORT})")
