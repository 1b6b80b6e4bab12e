"""Replicated comparisons: common random numbers, intervals, paired differences, reports."""

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.compare import compare, interval
from sim.experiments.replications import replicate, replication_seeds
from sim.reports.compare_report import verdict
from tests.conftest import salesorg


def test_replication_seeds_are_reproducible_and_distinct():
    seeds = replication_seeds(1, 20)
    assert seeds == replication_seeds(1, 20)
    assert len(set(seeds)) == 20
    assert seeds[:5] == replication_seeds(1, 5)  # adding runs keeps the first ones
    assert replication_seeds(2, 5) != seeds[:5]


def test_interval_is_a_t_interval():
    mean, low, high = interval(np.array([1.0, 2.0, 3.0, 4.0]))
    assert mean == 2.5 and mean - low == pytest.approx(high - mean)
    assert high - mean == pytest.approx(3.182446 * np.std([1, 2, 3, 4], ddof=1) / 2, rel=1e-5)
    assert interval(np.array([5.0])) == (5.0, 5.0, 5.0)


@pytest.fixture(scope="module")
def comparison():
    return sim.compare(
        ["baseline", "fix-the-organization"], replications=3, weeks=60, workers=1, progress=False
    )


def test_replication_i_of_every_scenario_shares_its_seed(comparison):
    seeds = comparison.weekly.groupby(["scenario", "replication"])["seed"].first().unstack(0)
    assert (seeds["baseline"] == seeds["fix-the-organization"]).all()
    assert seeds["baseline"].nunique() == 3
    assert len(comparison.weekly) == 2 * 3 * 61


def test_summary_has_intervals_and_paired_differences(comparison):
    s = comparison.summary
    assert list(s.columns) == [
        "scenario",
        "metric",
        "mean",
        "ci_low",
        "ci_high",
        "diff",
        "diff_low",
        "diff_high",
    ]
    assert (s.ci_low <= s["mean"]).all() and (s["mean"] <= s.ci_high).all()
    base = s[s.scenario == "baseline"]
    assert (base["diff"] == 0).all()
    runs = comparison.runs.set_index(["scenario", "replication"])["bookings"]
    paired = (runs["fix-the-organization"] - runs["baseline"]).mean()
    assert comparison.value("fix-the-organization", "bookings", "diff") == pytest.approx(paired)


def test_verdict_states_the_direction_with_its_uncertainty(comparison):
    text = " ".join(verdict(comparison))
    assert "fix-the-organization raises bookings by" in text
    assert "95% interval" in text and "3 times" in text


def test_results_do_not_depend_on_the_number_of_workers():
    kwargs = dict(replications=2, seed=4, overrides={"weeks": 20, "n_sellers": 40}, progress=False)
    one = replicate(["baseline", "friction-heavy"], workers=1, **kwargs)
    two = replicate(["baseline", "friction-heavy"], workers=2, **kwargs)
    pd.testing.assert_frame_equal(one, two)


def test_compare_command_writes_the_report(tmp_path):
    out = tmp_path / "cmp"
    result = salesorg(
        "compare",
        "baseline",
        "fire-low-performers",
        "--replications",
        "2",
        "--weeks",
        "30",
        "--set",
        "n_sellers=40",
        "--quiet",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} == {
        "summary.csv",
        "pricing.csv",
        "runs.csv",
        "runs.jsonl",
        "weekly.csv",
        "trajectories.png",
        "where_the_week_goes.png",
        "report.html",
        ".salesorg.json",
        ".salesorg.lock",
    }
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary.scenario) == {"baseline", "fire-low-performers"}
    html = (out / "report.html").read_text()
    assert "Compared with baseline" in html and html.count("data:image/png;base64,") == 2
    weekly = pd.read_csv(out / "weekly.csv")
    assert len(weekly) == 2 * 2 * 31


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["baseline", "nope"], "unknown scenario 'nope'"),
        (["baseline", "baseline"], "compare each scenario once"),
        (["baseline", "--replications", "1"], "at least 2"),
        (["baseline", "--set", "admin_hours=99"], "admin_hours = 99 is out of range"),
    ],
)
def test_refused_comparisons_write_nothing(tmp_path, args, message):
    result = salesorg("compare", *args, "--quiet", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_evaluate_is_a_plain_function_of_levers_and_seed():
    a = sim.evaluate({"approval_steps": 1, "weeks": 30, "n_sellers": 40}, seed=5)
    b = sim.evaluate({"approval_steps": 1, "weeks": 30, "n_sellers": 40}, seed=5)
    c = sim.evaluate({"approval_steps": 6, "weeks": 30, "n_sellers": 40}, seed=5)
    assert a == b and set(a) >= {"bookings", "quota_attainment_share", "selling_time_share"}
    assert c["specialist_wait_weeks"] > a["specialist_wait_weeks"] + 3


def test_scenarios_of_different_lengths_are_refused(tmp_path):
    short = tmp_path / "short.toml"
    short.write_text('extends = "baseline"\n[levers]\nweeks = 60\n')
    result = salesorg("compare", "baseline", str(short), "--quiet", "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and "different weeks (baseline 156, short 60)" in result.stderr
    ok = salesorg(
        "compare",
        "baseline",
        str(short),
        "--weeks",
        "20",
        "--replications",
        "2",
        "--set",
        "n_sellers=20",
        "--quiet",
        "--out",
        str(tmp_path / "o"),
    )
    assert ok.returncode == 0, ok.stderr


def test_negative_seeds_are_refused_by_every_command():
    for command in (
        ["run", "baseline"],
        ["compare", "baseline"],
        ["sweep", "baseline", "--vary", "follow_up=0:1:2"],
    ):
        result = salesorg(*command, "--seed", "-1", "--quiet")
        assert result.returncode == 2 and "seeds are 0 or more" in result.stderr


def test_the_dask_engine_gives_the_same_results_as_the_local_pool(tmp_path):
    kwargs = dict(replications=2, seed=6, overrides={"weeks": 15, "n_sellers": 30}, progress=False)
    local = replicate(["baseline", "friction-heavy"], workers=2, **kwargs)
    dask = replicate(["baseline", "friction-heavy"], workers=2, engine="dask", **kwargs)
    pd.testing.assert_frame_equal(local, dask)
    out = tmp_path / "sweep"
    result = salesorg(
        "sweep",
        "baseline",
        "--vary",
        "approval_steps=1:3:2",
        "--weeks",
        "10",
        "--set",
        "n_sellers=20",
        "--engine",
        "dask",
        "--workers",
        "2",
        "--quiet",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(out / "runs.csv")) == 2


def test_the_verdict_leads_with_bookings_and_gives_every_figure_an_interval(comparison):
    line = verdict(comparison)[0]
    assert line.count("95% interval") == 4
    order = [
        line.index(word)
        for word in ("bookings by", "bookings per seat", "ramped sellers at quota", "attrition")
    ]
    assert order == sorted(order)
    per_seat = comparison.runs.bookings / 150
    assert comparison.value("baseline", "bookings_per_seat") == pytest.approx(
        per_seat[comparison.runs.scenario == "baseline"].mean()
    )


def test_trajectory_panels_all_have_week_labels_and_mark_the_interventions(comparison):
    from sim.reports.compare_plots import PALETTE, plot_trajectories

    fig = plot_trajectories(comparison)
    fig.canvas.draw()
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == 5
    weeks = sorted({iv.week for iv in comparison.scenarios[1].interventions})
    for ax in panels:
        assert any(t.get_visible() and t.get_text() for t in ax.get_xticklabels()), ax.get_title()
        marks = [ln for ln in ax.lines if ln.get_linestyle() == ":"]
        assert sorted({ln.get_xdata()[0] for ln in marks}) == weeks
        assert {ln.get_color() for ln in marks} == {PALETTE[1]}


def test_progress_bars_are_named_for_what_they_count(tmp_path, cli):
    small = ["--weeks", "3", "--set", "n_sellers=20", "--workers", "1"]
    runs = cli("compare", "baseline", "--replications", "2", *small, "--out", str(tmp_path / "c"))
    assert runs.returncode == 0 and "replicated runs" in runs.stderr
    swept = cli(
        "sweep", "baseline", "--vary", "follow_up=0:1:2", *small, "--out", str(tmp_path / "s")
    )
    assert swept.returncode == 0 and "sweep runs" in swept.stderr
    weeks = cli("run", "baseline", "--weeks", "3", "--out", str(tmp_path / "r"))
    assert weeks.returncode == 0 and "weeks of baseline" in weeks.stderr


@pytest.fixture(scope="module")
def firing():
    """Firing's first review (week 26) in the final year of 80 weeks: bookings are lower."""
    return compare(
        ["baseline", "fire-low-performers"], replications=6, weeks=80, progress=False, workers=1
    )


def test_the_difference_interval_is_paired_and_narrower_than_the_unpaired_one(firing):
    """Replication i of both shares its luck: the paired interval of the difference is far
    narrower than one built from the two scenarios' own spreads."""
    from scipy import stats

    c = firing
    runs = c.runs.set_index(["scenario", "replication"])["bookings"]
    a, b = runs["baseline"].to_numpy(), runs["fire-low-performers"].to_numpy()
    paired = c.value("fire-low-performers", "bookings", "diff_high") - c.value(
        "fire-low-performers", "bookings", "diff_low"
    )
    d = b - a
    expected = 2 * stats.t.ppf(0.975, d.size - 1) * stats.sem(d)
    assert paired == pytest.approx(expected, rel=1e-9)  # the t interval of the paired differences
    unpaired = (
        2
        * stats.t.ppf(0.975, 2 * a.size - 2)
        * np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    )
    assert paired < 0.5 * unpaired


def test_the_verdict_says_lowers_when_the_whole_interval_is_below_zero(firing):
    base = firing.value("baseline", "bookings")
    diff, low, high = (
        firing.value("fire-low-performers", "bookings", k)
        for k in ("diff", "diff_low", "diff_high")
    )
    assert high < 0  # the whole interval below zero: 6 runs, paired
    line = verdict(firing)[0]
    assert (
        f"fire-low-performers lowers bookings by {-diff / base:.0%} "
        f"(95% interval {round(100 * low / base):+d}% to {round(100 * high / base):+d}%)"
    ) in line
    assert "lowers bookings per seat" in line and "raises annual attrition" in line


def test_the_verdict_says_no_clear_difference_when_the_interval_spans_zero(tmp_path):
    small = dict(replications=3, weeks=60, overrides={"n_sellers": 40}, progress=False, workers=1)
    c = compare(["baseline", "coach-the-coaches"], **small)  # months to lift quality: little yet
    low, high = (c.value("coach-the-coaches", "bookings", k) for k in ("diff_low", "diff_high"))
    assert low < 0 < high
    line = verdict(c)[0]
    assert "coach-the-coaches makes no clear difference to bookings (95% interval " in line
    assert "bookings by" not in line and "-0%" not in line  # no size for no clear difference
    # identical scenarios (the baseline again, under another name): no difference in anything
    again = tmp_path / "baseline-again.toml"
    again.write_text('description = "The baseline again"\nextends = "baseline"\n')
    same = compare(["baseline", str(again)], **small)
    assert (same.summary["diff"] == 0).all() and (same.summary["diff_high"] == 0).all()
    line = verdict(same)[0]
    assert line.count("makes no clear difference to") == 4
    assert "raises" not in line and "lowers" not in line
    assert "makes no clear difference to bookings (95% interval +0% to +0%)" in line
