"""The lecture's experimental claims, each one a measurement over seeds.

A formula is checked by one number; an experiment is checked by many. Every sentence in a
notebook that says what an experiment shows ("the deeper plain net trains worse") is a `Claim`
here: an id, the notebook that makes it, the sentence in zh-TW and in English, and a function
that runs the experiment once per seed and returns the per-seed numbers and a verdict.

    python -m lecturekit.claims                   run them all on the notebooks' seeds 0–7
    python -m lecturekit.claims --seeds 100-107   … on any other seeds
    python -m lecturekit.claims --notebook 07     one notebook's claims
    python -m lecturekit.claims --list            what each claim says, without running it

A claim must hold for any 8 seeds, not only for the notebooks' (CURRICULUM.md, "Honest
demonstrations"). In a notebook, `print(claims.run("…"))` prints the claim's table.
"""

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: The seeds the notebooks print.
DEFAULT_SEEDS = tuple(range(8))


@dataclass(frozen=True)
class Outcome:
    """What a claim's experiment measured: numbers per seed, the verdict, the key numbers."""

    numbers: dict  # {seed: {column: number (or text)}}, one row per seed, the same columns
    passed: bool
    summary: str  # the key numbers in one line, e.g. "8/8 seeds; median 0.06 vs 0.01"


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

    @property
    def passed(self):
        return self.outcome.passed

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
            rows.append(["median", *(_cell(np.median(numeric[c])) if c in numeric else "" for c in columns)])
            rows.append(["min–max", *(f"{_cell(numeric[c].min())}–{_cell(numeric[c].max())}"
                                      if c in numeric else "" for c in columns)])
        widths = [max(len(row[i]) for row in rows) for i in range(len(columns) + 1)]
        lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
                 for row in rows]
        lines.insert(1, "  ".join("─" * width for width in widths))
        statement = self.claim.zh if lang == "zh" else self.claim.en
        verdict = "PASS" if self.passed else "FAIL"
        return "\n".join([f"[{self.claim.id}] {statement}", *lines, f"{verdict}: {self.outcome.summary}"])

    def __str__(self):
        return self.table()


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


def run(id, seeds=DEFAULT_SEEDS):
    """Run claim `id` on `seeds` (remembered: a notebook that prints and plots it runs it once)."""
    return _run(id, tuple(int(seed) for seed in seeds))


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
from . import descent, backprop, vanishing, relu, remedies, resnet, landscape, batchnorm  # noqa: E402, F401, I001
