"""Shared test settings.

BLAS is pinned to one thread: on a busy 2-core machine two threads can be several times slower,
and one thread makes every run compute the same sums in the same order.
"""

import os

import numpy as np
import pytest
from hypothesis import settings
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


# The browser test's fixture notebook fails on purpose: nbval must not collect it.
collect_ignore_glob = ["fixtures/*.ipynb"]


LATENCIES = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def latencies(pytestconfig):
    """(notebook, action, seconds or None) of each browser interaction, printed at the end."""
    return pytestconfig.stash.setdefault(LATENCIES, [])


def pytest_terminal_summary(terminalreporter, config):
    """Print the browser tests' latencies: key press (or new dropdown value) to updated output."""
    records = config.stash.get(LATENCIES, [])
    if not records:
        return
    terminalreporter.section("classroom check: time from input to updated widget output")
    for notebook, action, seconds in records:
        shown = f"{seconds * 1000:7.0f} ms" if seconds is not None else "  no update"
        terminalreporter.write_line(f"{shown}  {notebook}: {action}")
