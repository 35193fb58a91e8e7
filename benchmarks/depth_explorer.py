"""How long one forward and backward pass of the depth explorer takes (notebooks 04–06).

    .venv/bin/python benchmarks/depth_explorer.py

Measures, with BLAS pinned to one thread, the median over repeated runs of
(a) forward + backward of a depth-100, width-32 net on a batch of 64 and
(b) the explorer's whole measurement (`diagnostics.snapshot`: forward, backward, per-layer norms).
It prints the figures; it asserts nothing.
"""

import time

import numpy as np
from threadpoolctl import threadpool_limits

from lecturekit.diagnostics import snapshot
from lecturekit.experiments import Setup, moons_task
from lecturekit.losses import mse


def median_ms(function, repeats=50):
    function()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def main():
    X, y = moons_task(n=64)
    with threadpool_limits(limits=1):
        for depth, activation, init in ((100, "sigmoid", "xavier"), (100, "relu", "he"),
                                        (1000, "sigmoid", "xavier"), (1000, "relu", "he")):
            net = Setup(depth=depth, width=32, activation=activation, init=init).build()

            def forward_backward(net=net):
                net.backward(mse(net.forward(X), y)[1])

            plain = median_ms(forward_backward, repeats=50 if depth == 100 else 10)
            full = median_ms(lambda net=net: snapshot(net, X, y), repeats=50 if depth == 100 else 10)
            print(f"depth {depth:>4}, width 32, batch 64, {activation:<7}: forward+backward "
                  f"{plain:6.2f} ms, explorer snapshot {full:6.2f} ms (median, 1 thread)")


if __name__ == "__main__":
    main()
