"""How long notebook 08's 51×51 loss-landscape grid takes for its default nets.

    .venv/bin/python benchmarks/landscape_grid.py

Depth-20 plain and residual ReLU nets (DEGRADATION settings), BLAS pinned to one thread; the
median of a few runs of `loss_grid` at 51×51 (2601 weight settings on 64 points, one stacked
forward pass per row of 51). It prints the figures; it asserts nothing.
"""

import time

import numpy as np
from threadpoolctl import threadpool_limits

from lecturekit.experiments import DEGRADATION, moons_task, trained
from lecturekit.landscape import filter_normalized_direction, loss_grid


def main(repeats=3):
    """Print and return {"plain": seconds, "residual": seconds}."""
    X, y = moons_task()
    seconds_by_kind = {}
    with threadpool_limits(limits=1):
        for residual in (False, True):
            net, _ = trained(DEGRADATION.but(depth=20, residual=residual))
            rng = np.random.default_rng(1)
            directions = (filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                loss_grid(net, X, y, directions, resolution=51)
                times.append(time.perf_counter() - start)
            kind = "residual" if residual else "plain"
            seconds_by_kind[kind] = seconds = float(np.median(times))
            print(f"depth 20 {kind:<8}: 51×51 grid in {seconds:.2f} s (median of {repeats}, 1 thread)")
    return seconds_by_kind


if __name__ == "__main__":
    main()
