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
