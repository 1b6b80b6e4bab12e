"""Every size is bounded before the work starts, and an engine that cannot run is refused."""

import pytest

from sim.experiments.sizes import (
    PERSON_ROW_BYTES,
    SELLER_BYTES,
    SELLER_WEEK_SECONDS,
    START_SECONDS,
    Work,
    estimate,
    size,
)
from sim.experiments.sweep import Vary, grid_size, parse_grid

TOO_BIG = [
    (["compare", "baseline", "--replications", "1000000000"], "1,000,000,000 replications"),
    (["sweep", "baseline", "--vary", "coaching_quality=0:1:1000000000"], "1,000,000,000 points"),
    (["run", "baseline", "--set", "n_sellers=1000000"], "1,000,000 sellers"),
    (["diagnose", "baseline", "--replications", "100000000"], "runs of 150 sellers"),
]


@pytest.mark.parametrize(("args", "what"), TOO_BIG)
def test_work_too_big_for_the_memory_is_refused_at_once_naming_the_limit(
    tmp_path, monkeypatch, cli, args, what
):
    monkeypatch.chdir(tmp_path)
    result = cli(*args, "--quiet", "--max-memory", "8")
    assert result.returncode == 2, result.stderr
    assert what in result.stderr and "of memory, more than the limit of 8.0 GB" in result.stderr
    assert "--max-memory" in result.stderr and "--no-limits" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_default_memory_limit_is_half_of_what_is_available(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    result = cli(*TOO_BIG[0][0], "--quiet")
    assert result.returncode == 2 and "(half the memory available now)" in result.stderr


def test_the_limits_can_be_raised_or_skipped(tmp_path, cli):
    small = ["run", "baseline", "--weeks", "3", "--set", "n_sellers=20", "--quiet"]
    tight = cli(*small, "--max-memory", "0.01", "--out", str(tmp_path / "a"))
    assert tight.returncode == 2 and "limit of" in tight.stderr and "(--max-memory)" in tight.stderr
    loose = cli(*small, "--max-memory", "0.01", "--no-limits", "--out", str(tmp_path / "b"))
    assert loose.returncode == 0, loose.stderr
    slow = cli(
        "sweep",
        "baseline",
        "--vary",
        "follow_up=0:1:100000",
        "--max-hours",
        "0.5",
        "--workers",
        "1",
        "--quiet",
        "--out",
        str(tmp_path / "c"),
    )
    assert slow.returncode == 2 and "would take about" in slow.stderr
    assert "limit of 0.5 hours" in slow.stderr and not (tmp_path / "c").exists()


def test_the_estimate_grows_with_each_size_by_its_measured_cost():
    work = Work(what="w", runs=1, sellers=1000, weeks=100, person_rows=5000)
    base = estimate(work)
    more = estimate(Work(what="w", runs=1, sellers=2000, weeks=100, person_rows=5000))
    rows = estimate(Work(what="w", runs=1, sellers=1000, weeks=100, person_rows=15000))
    assert more.memory - base.memory == pytest.approx(1000 * SELLER_BYTES)
    assert rows.memory - base.memory == pytest.approx(10000 * PERSON_ROW_BYTES)
    twice = estimate(Work(what="w", runs=2, sellers=1000, weeks=100, person_rows=5000))
    assert twice.seconds - START_SECONDS == pytest.approx(2 * (base.seconds - START_SECONDS))
    longer = estimate(Work(what="w", runs=1, sellers=1000, weeks=200, person_rows=5000))
    assert longer.seconds - base.seconds == pytest.approx(1000 * 100 * SELLER_WEEK_SECONDS)
    shared = estimate(Work(what="w", runs=4, sellers=1000, weeks=100, workers=2))
    one = estimate(Work("w", 1, 1000, 100)).seconds - START_SECONDS
    assert shared.seconds - START_SECONDS == pytest.approx(2 * one)
    assert size(3.4 * 1024**3) == "3.4 GB" and size(2 * 1024**4) == "2.0 TB"


def test_a_grid_is_counted_without_making_it():
    huge = parse_grid("coaching_quality=0:1:1000000000")
    assert huge.size() == 10**9
    whole = parse_grid("approval_steps=0:8:1000000000")  # rounded: every step once
    assert whole.size() == 9 and whole.values() == list(range(9))
    assert Vary("approval_steps", 1, 6, 4).values() == [1, 3, 4, 6]
    assert Vary("approval_steps", 1, 6, 4).size() == 4
    assert grid_size([huge, whole]) == 9 * 10**9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:9"], "no dask scheduler answered within 5 s"),
        (["--scheduler", "foo"], "not a scheduler address"),
        (["--scheduler", "http://x:1"], "not a scheduler address"),
        (["--engine", "local", "--scheduler", "tcp://127.0.0.1:9"], "--scheduler needs"),
    ],
)
def test_a_scheduler_that_cannot_be_reached_is_refused_before_any_run(tmp_path, cli, args, message):
    commands = [["compare", "baseline", "--replications", "2"]]
    if "tcp://127.0.0.1:9" not in args or "--engine" in args:  # a 5 s wait: once is enough
        commands.append(["sweep", "baseline", "--vary", "follow_up=0:1:2"])
    for command in commands:
        result = cli(*command, *args, "--quiet", "--out", str(tmp_path / "out"))
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / "out").exists()
