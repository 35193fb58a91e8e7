"""The lecture's experimental claims, each one a measurement over seeds.

A formula is checked by one number; an experiment is checked by many. Every sentence in a
notebook that says what an experiment shows ("the deeper plain net trains worse") is a `Claim`
here: an id, the notebook that makes it, the sentence in zh-TW and in English, and a function
that runs the experiment once per seed and returns the per-seed numbers and a verdict.

    python -m lecturekit.claims                   run them all on the notebooks' seeds 0–7
    python -m lecturekit.claims --seeds 100-107   … on any other seeds
    python -m lecturekit.claims --notebook 07     one notebook's claims
    python -m lecturekit.claims --list            what each claim says, without running it
    python -m lecturekit.claims --store           run them on 0–7 and store the results

A claim must hold for any 8 seeds, not only for the notebooks' (CURRICULUM.md, "Honest
demonstrations"). In a notebook, `print(claims.run("…"))` prints the claim's table: on the
notebooks' seeds 0–7 that is the stored run (`measured.json`), so a notebook runs in seconds;
`make test` runs every claim again and fails if its table differs from the stored one.

A claim may also return `series`: the per-seed arrays that the figure beside it draws (a curve
per seed, a grid per seed). They are not printed; `--store` keeps them in `series.json`, next to
`measured.json`, so a figure of eight seeds' runs draws `claims.run("…").series` without training
them again, and `make test` recomputes them too and fails if they differ.
"""

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

#: The seeds the notebooks print.
DEFAULT_SEEDS = tuple(range(8))
#: Every claim's outcome on DEFAULT_SEEDS, as `python -m lecturekit.claims --store` measured it.
MEASURED = Path(__file__).with_name("measured.json")
#: The claims' series (see Outcome), stored beside MEASURED by the same command.
SERIES = "series.json"


@dataclass(frozen=True)
class Outcome:
    """What a claim's experiment measured: numbers per seed, the verdict, the key numbers."""

    numbers: dict  # {seed: {column: number (or text)}}, one row per seed, the same columns
    passed: bool
    summary: str  # the key numbers in one line, e.g. "8/8 seeds; median 0.06 vs 0.01"
    series: dict = field(default_factory=dict)  # {name: array}: what a figure draws; not printed


@dataclass(frozen=True)
class Claim:
    """A notebook's sentence about an experiment, and the function that measures it."""

    id: str
    notebook: str  # "07"
    zh: str
    en: str
    measure: Callable  # measure(seeds) -> Outcome

    def run(self, seeds=DEFAULT_SEEDS):
        seeds = tuple(int(seed) for seed in seeds)
        if not seeds:
            raise ValueError(f"claim {self.id!r} needs at least one seed")
        return Result(self, seeds, self.measure(seeds))


@dataclass(frozen=True)
class Result:
    """A claim run on some seeds: print it for the per-seed table and the verdict."""

    claim: Claim
    seeds: tuple
    outcome: Outcome
    stored: bool = False  # read from MEASURED, not measured in this process

    @property
    def passed(self):
        return self.outcome.passed

    @property
    def series(self):
        """{name: array} the claim measured for its figure (e.g. a curve per seed); see Outcome."""
        return self.outcome.series

    def column(self, name):
        """One measured number for every seed, as an array in the order of `seeds`."""
        return np.array([self.outcome.numbers[seed][name] for seed in self.seeds])

    def table(self, lang="zh"):
        """Per-seed numbers, then median and min–max of every numeric column, then the verdict."""
        columns = list(self.outcome.numbers[self.seeds[0]])
        rows = [["seed", *columns]]
        rows += [[str(seed), *(_cell(self.outcome.numbers[seed][c]) for c in columns)] for seed in self.seeds]
        if len(self.seeds) > 1:
            numeric = {c: self.column(c) for c in columns if _is_numeric(self.column(c))}
            rows.append(["median", *(_over_seeds(numeric[c], np.median) if c in numeric else ""
                                     for c in columns)])
            rows.append(["min–max", *(_over_seeds(numeric[c], _min_max) if c in numeric else ""
                                      for c in columns)])
        widths = [max(len(row[i]) for row in rows) for i in range(len(columns) + 1)]
        lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
                 for row in rows]
        lines.insert(1, "  ".join("─" * width for width in widths))
        statement = self.claim.zh if lang == "zh" else self.claim.en
        verdict = "PASS" if self.passed else "FAIL"
        lines = [f"[{self.claim.id}] {statement}", *lines, f"{verdict}: {self.outcome.summary}"]
        if self.stored:
            again = f'claims.run("{self.claim.id}", fresh=True)'
            lines.append(f"（已存的量測；{again} 重新量測）" if lang == "zh"
                         else f"(the stored run; {again} measures it again)")
        return "\n".join(lines)

    def __str__(self):
        return self.table()


def _over_seeds(values, summary):
    """summary(values) as a cell, over the seeds where something was measured (NaN: it did not
    happen), with how many those were when not all: "47–191 (6/8)"; "–" when none."""
    measured = values[~np.isnan(values)] if values.dtype.kind == "f" else values
    if not len(measured):
        return "–"
    cell = summary(measured)
    cell = cell if isinstance(cell, str) else _cell(cell)
    return cell if len(measured) == len(values) else f"{cell} ({len(measured)}/{len(values)})"


def _min_max(values):
    return f"{_cell(values.min())}–{_cell(values.max())}"


def _is_numeric(values):
    return values.dtype.kind in "biuf"


def _cell(value):
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return "nan" if math.isnan(value) else f"{value:.3g}"
    return str(value)


#: Every claim by id, in the order of the notebooks.
CLAIMS = {}


def claim(id, notebook, zh, en):
    """Register `measure(seeds) -> Outcome` as the claim `id` of `notebook` (a decorator)."""

    def register(measure):
        if id in CLAIMS:
            raise ValueError(f"claim id {id!r} is used twice")
        CLAIMS[id] = Claim(id, notebook, zh, en, measure)
        return measure

    return register


def get(id):
    """The claim called `id`."""
    if id not in CLAIMS:
        raise KeyError(f"no claim {id!r}; the claims are: {', '.join(CLAIMS)}")
    return CLAIMS[id]


@functools.cache
def _run(id, seeds):
    return get(id).run(seeds)


def run(id, seeds=DEFAULT_SEEDS, fresh=False):
    """Claim `id` on `seeds`: the stored run on the notebooks' seeds, unless `fresh`; otherwise
    measured now (and remembered, so a notebook that prints and plots it runs it once)."""
    seeds = tuple(int(seed) for seed in seeds)
    if not fresh and seeds == DEFAULT_SEEDS and id in _stored():
        return _stored()[id]
    return _run(id, seeds)


def _plain(value):
    """A measured value as JSON keeps it: bool, int, float or text."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return str(value)


def store(results, path=MEASURED):
    """Write results on DEFAULT_SEEDS into `path` and their series into SERIES beside it, keeping
    the other claims' stored runs."""
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for result in results:
        if result.seeds != DEFAULT_SEEDS:
            raise ValueError(f"only runs on the seeds {DEFAULT_SEEDS} are stored, not {result.seeds}")
        numbers = {str(seed): {c: _plain(v) for c, v in row.items()}
                   for seed, row in result.outcome.numbers.items()}
        stored[result.claim.id] = {"numbers": numbers, "passed": bool(result.passed),
                                   "summary": result.outcome.summary}
    ordered = {id: stored[id] for id in CLAIMS if id in stored}
    path.write_text(json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _store_series(results, path.with_name(SERIES))
    _stored.cache_clear()


def _store_series(results, path):
    """Write the results' series into `path` (one line per claim), keeping the other claims'."""
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for result in results:
        stored.pop(result.claim.id, None)
        if result.series:
            stored[result.claim.id] = {name: np.asarray(values).tolist()
                                       for name, values in result.series.items()}
    if not stored and not path.exists():
        return
    lines = [f"{json.dumps(id)}: {json.dumps(stored[id], ensure_ascii=False)}"
             for id in CLAIMS if id in stored]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


@functools.cache
def _stored():
    if not MEASURED.exists():
        return {}
    series_path = MEASURED.with_name(SERIES)
    series = json.loads(series_path.read_text(encoding="utf-8")) if series_path.exists() else {}
    results = {}
    for id, run in json.loads(MEASURED.read_text(encoding="utf-8")).items():
        if id in CLAIMS:
            numbers = {int(seed): row for seed, row in run["numbers"].items()}
            arrays = {name: np.array(values) for name, values in series.get(id, {}).items()}
            for array in arrays.values():
                array.flags.writeable = False
            outcome = Outcome(numbers, run["passed"], run["summary"], arrays)
            results[id] = Result(CLAIMS[id], DEFAULT_SEEDS, outcome, stored=True)
    return results


# Helpers for the claims' verdicts.

def spread(values, digits=3):
    """"median m (min–max)" of some numbers."""
    values = np.asarray(values, dtype=float)
    return f"median {np.median(values):.{digits}g} ({values.min():.{digits}g}–{values.max():.{digits}g})"


def columns(numbers):
    """{column: array of its value for every seed}, from a measure's {seed: {column: value}}."""
    rows = list(numbers.values())
    return {c: np.array([row[c] for row in rows]) for c in rows[0]}


def share(flags):
    """"k/n" of some booleans."""
    flags = np.asarray(flags, dtype=bool)
    return f"{int(flags.sum())}/{len(flags)}"


# The claims of each notebook register themselves when imported (in the notebooks' order).
from . import descent, backprop, vanishing, relu, remedies, resnet, landscape, batchnorm, playground  # noqa: E402, F401, I001
