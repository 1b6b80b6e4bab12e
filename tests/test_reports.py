"""Reports as a reader sees them: bookings first, plain words, the bands that apply, sweeps."""

import json

import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.reports.run_plots import plot_attainment
from sim.reports.style import bands_for, fmt_change, fmt_value, label_of
from sim.reports.sweep_report import response_figure


def test_formats_never_show_minus_zero():
    assert fmt_value(-0.001, "pct") == "0%" and fmt_value(-0.0001, "num2") == "0.00"
    assert fmt_value(-0.4, "num") == "0" and fmt_value(-0.3, "pct") == "-30%"
    assert fmt_change(0.05, "pct") == "+5 points" and fmt_change(-0.01, "pct") == "-1 point"
    assert label_of("market_share") == ("Market share", "num2")  # one the reports do not know


@pytest.fixture(scope="module")
def friction_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "friction"
    args = ["run", "friction-heavy", "--weeks", "20", "--set", "n_sellers=38", "--quiet"]
    assert main([*args, "--out", str(out)]) == 0
    return out


def test_the_run_report_leads_with_bookings_and_names_the_organization_plainly(friction_run):
    page = (friction_run / "report.html").read_text()
    summary = json.loads((friction_run / "summary.json").read_text())
    lead = page.split("<p class=verdict>")[1].split("</p>")[0]
    assert lead.startswith("Over the final year: bookings")
    assert lead.index("per seat") < lead.index("at quota") < lead.index("attrition")
    organization = page.split("<h2>The organization</h2>")[1].split("</ul>")[0]
    assert "_" not in organization
    per_presales = 38 / summary["structure"]["presales_engineers"]
    assert not per_presales.is_integer()
    assert f"Sellers per presales engineer: {per_presales:.1f}<" in organization
    final = summary["final_year"]
    assert final["bookings_per_seat"] == pytest.approx(final["bookings"] / 38)


def test_friction_heavy_is_held_against_its_own_selling_time_band(friction_run):
    page = (friction_run / "report.html").read_text()
    row = page.split("Share of the week spent selling")[1].split("</tr>")[0]
    assert "9%-22%" in row and "friction-heavy" in row
    assert bands_for(("baseline",))["selling_time_share"][0] == (0.28, 0.41)
    mine = bands_for(("my-org", "friction-heavy", "baseline"))  # a scenario extending it
    assert mine["selling_time_share"][0] == (0.09, 0.22)


def test_the_at_quota_band_is_not_drawn_on_the_mean_attainment_axis():
    weekly = sim.run("baseline", overrides={"weeks": 10, "n_sellers": 30}).weekly
    share, mean = plot_attainment(weekly).axes
    assert len(share.patches) == 1 and share.get_ylim()[1] == 1.0
    assert len(mean.patches) == 0
    assert [ln.get_label() for ln in mean.lines] == ["quota", "mean attainment"]


def sweep_table(levers):
    rows = []
    for i, a in enumerate((1, 2, 3)):
        for j, b in enumerate((0.2, 0.8)):
            for r in range(2):
                rows.append(
                    {
                        "point": 2 * i + j,
                        "approval_steps": a,
                        "coaching_quality": b,
                        "replication": r,
                        "bookings": 100.0 * a + 10 * b + r,
                        "quota_attainment_share": 0.1 * a + b / 10,
                        "error": "",
                    }
                )
    table = pd.DataFrame(rows)
    return table if len(levers) == 2 else table[table.coaching_quality == 0.2]


def test_a_two_lever_grid_draws_heat_maps_and_one_lever_response_curves():
    two = response_figure(sweep_table(["a", "b"]), ["approval_steps", "coaching_quality"], None)
    assert len(two.axes) >= 2 and all(ax.images for ax in two.axes if ax.get_title())
    one = response_figure(sweep_table(["a"]), ["approval_steps", "coaching_quality"], None)
    assert [len(ax.images) for ax in one.axes] == [0, 0]
    assert one.axes[0].get_xlabel().startswith("approval steps")


def test_a_grid_sweep_writes_its_report(tmp_path):
    out = tmp_path / "s"
    args = ["sweep", "baseline", "--vary", "approval_steps=1:3:2", "--vary", "follow_up=0:1:2"]
    assert main([*args, "--weeks", "5", "--set", "n_sellers=20", "--quiet", "--out", str(out)]) == 0
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 1 and "points with the most bookings" in page
    assert (out / "response.png").read_bytes()[:4] == b"\x89PNG"


def test_summary_json_is_the_final_year_of_the_weekly_table(tmp_path):
    """summary.json: its keys and types, every final-year figure the mean of weekly.csv's last
    52 weeks, the interventions the run went through, the levers it started from."""
    import math

    from sim.experiments.runner import HEADLINE, run_scenario
    from sim.files import normal

    out = tmp_path / "fix"
    args = ["run", "fix-the-organization", "--weeks", "60", "--set", "n_sellers=40", "--seed", "3"]
    assert main([*args, "--quiet", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    weekly = pd.read_csv(out / "weekly.csv", index_col="week")
    assert list(summary) == [
        "scenario",
        "description",
        "seed",
        "weeks",
        "final_year_weeks",
        "final_year",
        "bookings_final_year_total",
        "structure",
        "interventions",
        "interventions_not_reached",
        "levers",
        "seconds",
    ]
    scenario = sim.load_scenario("fix-the-organization")
    assert (summary["scenario"], summary["seed"], summary["weeks"]) == (scenario.name, 3, 60)
    assert summary["description"] == scenario.description
    assert summary["final_year_weeks"] == [9, 60]
    last = weekly.loc[9:60]
    assert len(last) == 52 and weekly.index.max() == 60
    final = summary["final_year"]
    assert set(final) == {*HEADLINE, "attrition_rate"}
    assert all(type(v) is float and math.isfinite(v) for v in final.values())
    for name in HEADLINE:
        assert final[name] == pytest.approx(last[name].mean(), rel=1e-12), name
    assert final["bookings_per_seat"] == pytest.approx(final["bookings"] / 40)
    assert final["attrition_rate"] == pytest.approx(
        final["voluntary_attrition_rate"] + final["involuntary_attrition_rate"]
    )
    assert summary["bookings_final_year_total"] == pytest.approx(last["bookings"].sum())
    assert summary["bookings_final_year_total"] == pytest.approx(52 * final["bookings"])
    structure = summary["structure"]
    assert set(structure) == {
        "deal_hops",
        "asks_per_seller",
        "sellers_per_presales",
        "managers",
        "presales_engineers",
        "approval_desks",
    }
    assert structure["managers"] == 5 and structure["approval_desks"] == 1  # one desk after week 13
    assert structure["sellers_per_presales"] == pytest.approx(40 / structure["presales_engineers"])
    assert summary["interventions"] == [
        {"week": iv.week, "note": iv.note} for iv in scenario.interventions
    ]
    assert summary["interventions_not_reached"] == []
    assert summary["levers"] == normal(
        scenario.with_levers({"n_sellers": 40, "weeks": 60}).levers.model_dump()
    )
    assert type(summary["seconds"]) is float and summary["seconds"] > 0
    # a run that ends before the second intervention says so
    short = run_scenario(scenario, overrides={"weeks": 20, "n_sellers": 20}).summary
    assert [iv["week"] for iv in short["interventions"]] == [13]
    assert short["interventions_not_reached"] == [
        {"week": 26, "note": scenario.interventions[1].note}
    ]
    assert short["final_year_weeks"] == [0, 20]
