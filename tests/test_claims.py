"""Every experimental claim of the notebooks holds on the notebooks' seeds, and the command that
runs them behaves."""

from pathlib import Path

import numpy as np
import pytest

from lecturekit import claims
from lecturekit.claims.__main__ import main, parse_seeds

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.parametrize("claim_id", list(claims.CLAIMS))
def test_claim_holds_on_the_notebooks_seeds(claim_id):
    result = claims.run(claim_id, fresh=True)  # remembered: the next tests read the same run
    assert result.passed, "\n" + result.table("en")


@pytest.mark.parametrize("claim_id", list(claims.CLAIMS))
def test_the_notebooks_print_what_the_claim_measures_now(claim_id):
    stored = claims.run(claim_id)
    assert stored.stored, f"{claim_id} has no stored run: python -m lecturekit.claims --store"
    fresh = claims.run(claim_id, fresh=True)
    assert fresh.table() == stored.table().rsplit("\n", 1)[0], (
        f"the stored run of {claim_id} is out of date: python -m lecturekit.claims --store "
        f"--notebook {fresh.claim.notebook}, then make notebooks")


@pytest.mark.parametrize("claim_id", list(claims.CLAIMS))
def test_the_figures_draw_what_the_claim_measures_now(claim_id):
    # A figure beside a claim draws its stored series (series.json): they must be a fresh run's.
    stored, fresh = claims.run(claim_id), claims.run(claim_id, fresh=True)
    again = f"python -m lecturekit.claims --store --notebook {fresh.claim.notebook}, then make notebooks"
    assert stored.series.keys() == fresh.series.keys(), f"{claim_id}: stored series out of date: {again}"
    for name, values in fresh.series.items():
        np.testing.assert_allclose(np.asarray(stored.series[name], dtype=float),
                                   np.asarray(values, dtype=float), rtol=1e-6, atol=1e-12,
                                   err_msg=f"{claim_id}: the stored series {name!r} is out of date: {again}")


@pytest.mark.parametrize("claim_id", list(claims.CLAIMS))
def test_the_seed_changes_the_experiment(claim_id):
    # A claim that ignored its seeds would print eight identical rows.
    numbers = claims.run(claim_id, fresh=True).outcome.numbers
    rows = {tuple(map(str, row.values())) for row in numbers.values()}
    assert len(rows) > 1, f"{claim_id}: every seed gave the same numbers {rows}"


def test_every_claim_names_its_notebook_and_says_it_in_both_languages():
    assert len(claims.CLAIMS) >= 15
    for c in claims.CLAIMS.values():
        assert len(list(NOTEBOOKS.glob(f"{c.notebook}_*.ipynb"))) == 1, c.id
        assert c.zh.strip() and c.en.strip() and c.zh != c.en, c.id


def test_seeds_are_read_as_ranges_and_lists():
    assert parse_seeds("0-7") == tuple(range(8))
    assert parse_seeds("1,5,9") == (1, 5, 9)
    assert parse_seeds("0-2,10") == (0, 1, 2, 10)
    for bad in ("a-b", "7-0", "1,1", "", "-3"):
        with pytest.raises(Exception, match="seed"):
            parse_seeds(bad)


def test_list_runs_nothing_and_names_every_claim(capsys, monkeypatch):
    def refuse(*_):
        raise AssertionError("--list must not run a claim")

    monkeypatch.setattr(claims.Claim, "run", refuse)
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    for claim_id in claims.CLAIMS:
        assert f"| {claim_id} |" in out


def test_a_failing_claim_makes_the_command_exit_1(capsys, monkeypatch):
    failing = claims.Claim("always-fails", "02", "不成立", "does not hold",
                           lambda seeds: claims.Outcome({s: {"x": 1.0} for s in seeds}, False, "x = 1"))
    monkeypatch.setattr(claims, "CLAIMS", {"always-fails": failing})
    import lecturekit.claims.__main__ as cli
    monkeypatch.setattr(cli, "CLAIMS", claims.CLAIMS)
    assert main(["--seeds", "3,5"]) == 1
    out = capsys.readouterr().out
    assert "**FAIL**" in out and "| always-fails | 02 |" in out and "3,5" in out


def test_unknown_notebook_is_refused_with_the_valid_ones(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--notebook", "42"])
    assert exit_info.value.code == 2
    assert "notebooks with claims" in capsys.readouterr().err


def test_the_table_shows_every_seed_and_the_spread():
    outcome = claims.Outcome({0: {"loss": 0.5, "ok": True}, 1: {"loss": 1.5, "ok": False}}, True, "1/2")
    text = claims.Result(claims.Claim("t", "02", "中", "en", None), (0, 1), outcome).table("en")
    assert "median" in text and "0.5–1.5" in text and "PASS: 1/2" in text and "[t] en" in text


def test_the_spread_counts_only_the_seeds_where_something_happened():
    """NaN is "did not happen" (never got below a target, never diverged): the median and range
    are over the other seeds, with how many they were."""
    steps = {0: 47.0, 1: float("nan"), 2: 191.0, 3: 60.0}
    outcome = claims.Outcome({seed: {"below": v, "never": float("nan")} for seed, v in steps.items()},
                             True, "3/4")
    text = claims.Result(claims.Claim("t", "02", "中", "en", None), (0, 1, 2, 3), outcome).table("en")
    median, spread = text.splitlines()[-3:-1]
    assert median.split() == ["median", "60", "(3/4)", "–"]
    assert spread.split() == ["min–max", "47–191", "(3/4)", "–"]


@pytest.fixture
def store_here(tmp_path, monkeypatch):
    """Store a result as `python -m lecturekit.claims --store` would, into tmp_path; returns what
    `claims.run` then reads back."""
    monkeypatch.setattr(claims, "MEASURED", tmp_path / "measured.json")

    def store(measured):
        monkeypatch.setattr(claims, "CLAIMS", {measured.claim.id: measured.claim})
        claims.store([measured], tmp_path / "measured.json")
        return claims.run(measured.claim.id)

    claims._stored.cache_clear()
    yield store
    claims._stored.cache_clear()


def measured(outcome):
    return claims.Result(claims.Claim("t", "02", "中", "en", None), claims.DEFAULT_SEEDS, outcome)


def test_a_stored_run_reads_back_as_it_was_measured(store_here):
    outcome = claims.Outcome({s: {"loss": 0.5 + s / 3, "n": s, "ok": s > 3, "note": "x"}
                              for s in claims.DEFAULT_SEEDS}, True, "8/8")
    stored = store_here(measured(outcome))
    assert stored.stored and stored.outcome == outcome
    assert stored.table().startswith(measured(outcome).table()) and "fresh=True" in stored.table()
    with pytest.raises(ValueError, match="only runs on the seeds"):
        claims.store([claims.Result(stored.claim, (1, 2), outcome)], claims.MEASURED)


def test_a_claims_series_is_stored_beside_its_table(store_here):
    series = {"curve": np.array([[0.5, np.nan], [1 / 3, 2.0]]), "diverged": np.array([True, False]),
              "steps": np.arange(2)}
    outcome = claims.Outcome({s: {"loss": s / 3} for s in claims.DEFAULT_SEEDS}, True, "8/8", series)
    stored = store_here(measured(outcome))
    assert claims.MEASURED.with_name(claims.SERIES).exists()
    assert stored.series.keys() == series.keys() and stored.table().startswith(measured(outcome).table())
    for name, values in series.items():
        np.testing.assert_array_equal(stored.series[name], values)  # exactly, NaN included
        assert stored.series[name].dtype.kind == values.dtype.kind
