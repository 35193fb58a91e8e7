"""`make bench`: lecturekit against PyTorch on the CPU, and the lecture's own waiting times.

    .venv/bin/python benchmarks/run.py [--quick]

Measures (medians over repeated runs; it asserts nothing):
- one SGD step (forward, SSE loss, backward of every weight, update) in lecturekit and in
  PyTorch (autograd), float64 and float32, with BLAS/torch pinned to 1 and then 2 threads; the
  two are timed in turns (six short rounds each), so a slow spell of the machine hits both;
- numpy's own 2048×2048 matmul, as the machine's matmul peak (at the start, and again in turns
  with the matmul-bound configuration), and that configuration's GFLOP/s against it; also each
  deep configuration's matmuls alone in numpy (the three products per layer, nothing else), a
  floor for any numpy implementation;
- every explorer in Python as `explore` runs it (view, then PNG): its figure built at the
  defaults with nothing remembered, and a step of its first slider on that figure (remembered);
- every notebook under nbval (`pytest --nbval`, per-notebook time from its junit report), and
  the loss-landscape grid;
- the browser suite's in-page latency of every explorer (tests/test_browser.py, JupyterLab in
  Chromium: input event to new image and text in the DOM), from build/latency.json.
Writes benchmarks/results/latest.json and prints the tables.
"""

import argparse
import datetime
import json
import platform
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"

# (name, depth, width, batch, residual, batchnorm); depth counts Linear layers, all width × width
CONFIGS = [
    ("slide net 2-3-2, batch 1", None, None, 1, False, False),
    ("10 layers × 64, batch 128", 10, 64, 128, False, False),
    ("100 layers × 64, batch 128", 100, 64, 128, False, False),
    ("20 layers × 512, batch 256", 20, 512, 256, False, False),
    ("50 residual layers × 256, batch 64", 50, 256, 64, True, False),
    ("20 layers × 256 + BatchNorm, batch 128", 20, 256, 128, False, True),
]
MATMUL_BOUND = "20 layers × 512, batch 256"


def median_ms(step, budget=0.5, at_least=5):
    """Median time of `step()` in ms, repeating it for about `budget` seconds."""
    step()  # warm up
    times, start = [], time.perf_counter()
    while len(times) < at_least or time.perf_counter() - start < budget:
        begin = time.perf_counter()
        step()
        times.append(time.perf_counter() - begin)
    return 1000 * float(np.median(times))


def interleaved_ms(steps, budget=0.6, rounds=6):
    """Median time in ms of each function in `steps` ({name: step}), timed in turns, a short
    round each, so that a slow spell of a shared machine falls on all of them alike."""
    times = {name: [] for name in steps}
    for step in steps.values():
        step()  # warm up
    for _ in range(rounds):
        for name, step in steps.items():
            start = time.perf_counter()
            while len(times[name]) < 2 or time.perf_counter() - start < budget / rounds:
                begin = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - begin)
    return {name: 1000 * float(np.median(t)) for name, t in times.items()}


def lecturekit_step(config, dtype):
    """A function doing one SGD step of lecturekit on fixed random data."""
    import lecturekit as lk

    _name, depth, width, batch, residual, batchnorm = config
    rng = np.random.default_rng(0)
    if depth is None:  # the slides' net, one example at a time
        net = lk.SlideNet.random(rng, f1="sigmoid", f2="sigmoid")
        x, y = rng.standard_normal(2), rng.uniform(size=2)
        return lambda: net.step(x, y, 0.01)
    net = lk.build_mlp(depth, width, "relu", "he", rng, n_in=width, n_out=width, residual=residual,
                       batchnorm=batchnorm, dtype=dtype)
    x = rng.standard_normal((batch, width)).astype(dtype)
    y = rng.standard_normal((batch, width)).astype(dtype)
    params, optimizer = net.params, lk.optim.SGD(1e-8)  # tiny: the step is timed, not trained

    def step():
        _, grad = lk.sse(net.forward(x), y)
        net.backward(grad)
        optimizer.step(params, net.grads)

    return step


def matmuls_only(config, dtype):
    """The config's matmuls alone: per layer x W, xᵀ ∂s and ∂s Wᵀ, with numpy, nothing else."""
    _name, depth, width, batch, _, _ = config
    rng = np.random.default_rng(0)
    x, grad = (rng.standard_normal((batch, width)).astype(dtype) for _ in range(2))
    weights = [rng.standard_normal((width, width)).astype(dtype) for _ in range(depth)]

    def step():
        for W in weights:
            x @ W, x.T @ grad, grad @ W.T

    return step


def torch_step(config, dtype):
    """The same SGD step in PyTorch, with autograd."""
    import torch

    _name, depth, width, batch, residual, batchnorm = config
    torch_dtype = torch.float64 if dtype == np.float64 else torch.float32
    torch.manual_seed(0)
    if depth is None:
        net = torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.Sigmoid(),
                                  torch.nn.Linear(3, 2, bias=False), torch.nn.Sigmoid()).to(torch_dtype)
        x, y = torch.randn(1, 2, dtype=torch_dtype), torch.rand(1, 2, dtype=torch_dtype)
    else:
        def hidden():
            layers = [torch.nn.Linear(width, width, bias=not batchnorm)]
            if batchnorm:
                layers.append(torch.nn.BatchNorm1d(width))
            return [*layers, torch.nn.ReLU()]

        class Residual(torch.nn.Module):
            def __init__(self, block):
                super().__init__()
                self.block = block

            def forward(self, inputs):
                return inputs + self.block(inputs)

        layers = hidden()
        inner = depth - 2
        if residual:
            for _ in range(inner // 2):
                layers.append(Residual(torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.ReLU(),
                                                           torch.nn.Linear(width, width))))
            inner %= 2
        for _ in range(inner):
            layers += hidden()
        layers.append(torch.nn.Linear(width, width))
        net = torch.nn.Sequential(*layers).to(torch_dtype)
        x, y = torch.randn(batch, width, dtype=torch_dtype), torch.randn(batch, width, dtype=torch_dtype)
    parameters = list(net.parameters())

    def step():
        loss = 0.5 * ((net(x) - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            for p in parameters:
                p -= 1e-8 * p.grad
                p.grad = None

    return step


PEAK_SIZE = 2048


def peak_matmul():
    """numpy's own float64 2048 × 2048 matmul: the machine's matmul peak."""
    a = np.random.default_rng(0).standard_normal((PEAK_SIZE, PEAK_SIZE))
    return lambda: a @ a


def peak_gflops(ms):
    """GFLOP/s of a 2048 × 2048 matmul that took `ms`."""
    return 2 * PEAK_SIZE**3 / (ms / 1000) / 1e9


def matmul_peak_gflops(threads):
    with threadpool_limits(limits=threads):
        return peak_gflops(median_ms(peak_matmul(), budget=1.0, at_least=3))


def flops_per_step(config):
    """Multiply-adds of the matmuls in one step (forward + two backward products), × 2."""
    _, depth, width, batch, _, _ = config
    return 0 if depth is None else 2 * 3 * depth * batch * width * width


def time_steps(quick):
    import torch

    rows = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for dtype in (np.float64, np.float32):
            for config in CONFIGS:
                steps = {"ours": lecturekit_step(config, dtype), "theirs": torch_step(config, dtype)}
                if config[1] is not None:  # a deep net: also its matmuls alone
                    steps["floor"] = matmuls_only(config, dtype)
                if config[0] == MATMUL_BOUND:  # and the peak in the same rounds (the speed drifts)
                    steps["peak"] = peak_matmul()
                with threadpool_limits(limits=threads):
                    ms = interleaved_ms(steps, budget=0.4 if quick else 1.2)
                ours, theirs, floor = ms["ours"], ms["theirs"], ms.get("floor")
                rows.append({"config": config[0], "dtype": np.dtype(dtype).name, "threads": threads,
                             "lecturekit_ms": ours, "torch_ms": theirs, "ratio": ours / theirs,
                             "gflops": flops_per_step(config) / (ours / 1000) / 1e9,
                             **({"numpy_matmuls_only_ms": floor} if floor else {}),
                             **({"peak_gflops_alongside": peak_gflops(ms["peak"])} if "peak" in ms else {})})
                print(f"{threads} thread(s) {np.dtype(dtype).name:<8}{config[0]:<40}"
                      f"lecturekit {ours:9.3f} ms   torch {theirs:9.3f} ms   lecturekit/torch "
                      f"{ours / theirs:5.2f}" + (f"   (numpy matmuls alone {floor:.3g} ms)" if floor else ""),
                      flush=True)
    return rows


def time_notebooks():
    """Every notebook under nbval, as `make test` runs them: {notebook: s} and the whole run."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "nbval.xml"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        f"--junitxml={report}", "notebooks"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        whole = time.perf_counter() - start
        seconds = {}
        for case in ElementTree.parse(report).iter("testcase"):
            notebook = case.get("classname").removeprefix("notebooks.")  # e.g. "00_overview.ipynb"
            seconds[notebook] = seconds.get(notebook, 0.0) + float(case.get("time"))
    for notebook, s in seconds.items():
        print(f"notebook {notebook:<36} {s:6.1f} s", flush=True)
    print(f"all notebooks under nbval: {whole:.1f} s (pytest included)")
    return seconds, whole


def time_widgets():
    """Each explorer in Python, as `explore` runs it (view, then PNG): building its figure at the
    defaults with nothing remembered, and then one step of its first slider and back on that
    figure, at settings already computed (the median of the steps)."""
    from lecturekit import experiments
    from lecturekit.widgets import EXPLORERS, Slider

    rows = {}
    for name, explorer in EXPLORERS.items():
        defaults = explorer.defaults()
        experiments.forget()
        start = time.perf_counter()
        plot = explorer.view(**defaults)
        plot.png()
        built = 1000 * (time.perf_counter() - start)
        knob, slider = next((k, c) for k, c in explorer.controls.items() if isinstance(c, Slider))
        stepped = {**defaults, knob: min(slider.value * 10 ** slider.step if slider.log
                                         else slider.value + slider.step, slider.max)}
        settings = [stepped, defaults]
        for values in settings:  # computed once, so the timed steps below are remembered
            explorer.view(plot, **values)
        turn = iter(settings * 1000)

        def step(view=explorer.view, plot=plot, turn=turn):
            view(plot, **next(turn))
            plot.png()

        rows[name] = {"built_ms": built, "step_ms": median_ms(step, budget=0.5, at_least=6),
                      "compute": explorer.compute}
        print(f"explorer {name:<16} built {built:8.1f} ms   slider step {rows[name]['step_ms']:8.1f} ms",
              flush=True)
    return rows


def time_browser():
    """The browser suite's in-page latencies (tests/test_browser.py writes build/latency.json)."""
    report = ROOT / "build" / "latency.json"
    report.unlink(missing_ok=True)  # no stale figures when the browser tests are skipped
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "tests/test_browser.py", "-k", "notebook_runs"], cwd=ROOT, check=False)
    return json.loads(report.read_text())["table"] if report.exists() else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter timing budgets")
    args = parser.parse_args()
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.node()}, Python {platform.python_version()}",
        "matmul_peak_gflops": {str(t): matmul_peak_gflops(t) for t in (1, 2)},
    }
    print(f"numpy 2048×2048 matmul peak: {result['matmul_peak_gflops']['1']:.1f} GFLOP/s (1 thread), "
          f"{result['matmul_peak_gflops']['2']:.1f} GFLOP/s (2 threads)")
    result["steps"] = time_steps(args.quick)
    bound = [r for r in result["steps"] if r["config"] == MATMUL_BOUND and r["dtype"] == "float64"]
    for row in bound:
        print(f"{MATMUL_BOUND}, float64, {row['threads']} thread(s): {row['gflops']:.1f} GFLOP/s = "
              f"{row['gflops'] / row['peak_gflops_alongside']:.0%} of the matmul peak timed alongside "
              f"({row['peak_gflops_alongside']:.1f} GFLOP/s)")
    with threadpool_limits(limits=1):
        result["explorers_ms"] = time_widgets()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from landscape_grid import main as time_landscape

    result["landscape_grid_s"] = time_landscape()
    result["notebooks_s"], result["notebooks_all_s"] = time_notebooks()
    result["browser_latency"] = time_browser()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"written: {RESULTS.relative_to(ROOT)}\n")
    print(tables(result))


def tables(result):
    """The results as Markdown tables (for benchmarks/README.md)."""
    lines = ["| config | dtype | threads | lecturekit ms | PyTorch ms | lecturekit / PyTorch | "
             "numpy matmuls alone / PyTorch |", "|---|---|---|---|---|---|---|"]
    for r in result["steps"]:
        floor = r.get("numpy_matmuls_only_ms")
        lines.append(f"| {r['config']} | {r['dtype']} | {r['threads']} | {r['lecturekit_ms']:.3g} | "
                     f"{r['torch_ms']:.3g} | {r['ratio']:.2f} | "
                     + (f"{floor / r['torch_ms']:.2f} |" if floor else "– |"))
    lines += ["", "| matmul-bound config, float64 | threads | GFLOP/s | 2048² matmul peak timed alongside, "
              "GFLOP/s | share of the peak |", "|---|---|---|---|---|"]
    lines += [f"| {r['config']} | {r['threads']} | {r['gflops']:.1f} | {r['peak_gflops_alongside']:.1f} | "
              f"{r['gflops'] / r['peak_gflops_alongside']:.0%} |"
              for r in result["steps"] if r["config"] == MATMUL_BOUND and r["dtype"] == "float64"]
    lines += ["", "| explorer | kind | built at defaults, nothing remembered, ms | slider step, "
              "remembered, ms |", "|---|---|---|---|"]
    lines += [f"| {name} | {'compute' if r['compute'] else 'draw'} | {r['built_ms']:.0f} | "
              f"{r['step_ms']:.0f} |" for name, r in result["explorers_ms"].items()]
    lines += ["", "| notebook | explorer | kind | inputs | median ms | max ms | new setting, median ms | "
              "\"computing…\" shown after, max ms | target ms |", "|---|---|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join("–" if row[k] is None else f"{row[k]:.0f}" if isinstance(row[k], float)
                                else str(row[k])
                                for k in ("notebook", "explorer", "kind", "inputs", "median_ms", "max_ms",
                                          "new_setting_median_ms", "computing_shown_max_ms", "target_ms"))
              + " |"
              for row in result["browser_latency"]]
    lines += ["", "| notebook | s under nbval |", "|---|---|"]
    lines += [f"| {name} | {s:.1f} |" for name, s in result["notebooks_s"].items()]
    lines += [f"| all (pytest included) | {result['notebooks_all_s']:.1f} |"]
    grid = result["landscape_grid_s"]
    lines += ["", f"51×51 loss-landscape grid, depth 20: {grid['plain']:.2f} s plain, "
              f"{grid['residual']:.2f} s residual."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
