"""Every experimental claim of the notebooks holds on the notebooks' seeds, and the command that
runs them behaves."""

import pytest

from lecturekit import claims
from lecturekit.claims.__main__ import main, parse_seeds


@pytest.mark.parametrize("claim_id", list(claims.CLAIMS))
def test_claim_holds_on_the_notebooks_seeds(claim_id):
    result = claims.run(claim_id)  # remembered: the next test reads the same run
    assert result.passed, "\n" + result.table("en")


@pytest.mark.parametrize("claim_id", list(claims.CLAIMS))
def test_the_seed_changes_the_experiment(claim_id):
    # A claim that ignored its seeds would print eight identical rows.
    numbers = claims.run(claim_id).outcome.numbers
    rows = {tuple(map(str, row.values())) for row in numbers.values()}
    assert len(rows) > 1, f"{claim_id}: every seed gave the same numbers {rows}"


def test_every_claim_names_its_notebook_and_says_it_in_both_languages():
    assert len(claims.CLAIMS) >= 15
    for c in claims.CLAIMS.values():
        assert c.notebook in {f"{n:02d}" for n in range(2, 10)}, c.id
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
