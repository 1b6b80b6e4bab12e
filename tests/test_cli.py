"""The `salesorg` command: outputs, and every refused input writes nothing."""

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from tests.conftest import salesorg

OUTPUTS = {
    "weekly.csv",
    "people.csv",
    "summary.json",
    "report.html",
    "where_the_week_goes.png",
    "selling_time.png",
    "attainment.png",
    "people.png",
}


def test_run_writes_tables_summary_plots_and_report(tmp_path):
    out = tmp_path / "run"
    code = main(
        [
            "run",
            "baseline",
            "--weeks",
            "20",
            "--seed",
            "3",
            "--quiet",
            "--out",
            str(out),
            "--set",
            "n_sellers=40",
            "--set",
            "coaching_focus=one_thing",
        ]
    )
    assert code == 0
    assert {p.name for p in out.iterdir()} == {*OUTPUTS, ".salesorg.json"}
    weekly = pd.read_csv(out / "weekly.csv", index_col="week")
    assert len(weekly) == 21
    assert (weekly["headcount"] + weekly["vacancies"] == 40).all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 3 and summary["levers"]["coaching_focus"] == "one_thing"
    assert 0 < summary["final_year"]["selling_time_share"] < 1
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 4 and "<script" not in html
    for png in ("where_the_week_goes.png", "selling_time.png", "attainment.png", "people.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    people = pd.read_csv(out / "people.csv")
    assert set(people["week"]) == {0, 13, 20} and (people["role"] == "seller").all()


def test_run_defaults_to_results_folder(tmp_path):
    result = salesorg(
        "run",
        str(Path("scenarios/baseline.toml").resolve()),
        "--weeks",
        "3",
        "--quiet",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "results" / "baseline" / "report.html").exists()


def test_rerun_replaces_the_tools_files_and_keeps_the_users(tmp_path):
    out = tmp_path / "r"
    assert main(["run", "baseline", "--weeks", "2", "--quiet", "--out", str(out)]) == 0
    (out / "notes.txt").write_text("mine")
    (out / "report.html").write_text("stale")
    assert main(["run", "baseline", "--weeks", "3", "--quiet", "--out", str(out)]) == 0
    assert (out / "notes.txt").read_text() == "mine"
    assert (
        len(pd.read_csv(out / "weekly.csv")) == 4
        and "stale" not in (out / "report.html").read_text()
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def write(tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    return str(path)


REFUSED = [
    (["--set", "aproval_steps=2"], "aproval_steps: unknown lever; did you mean 'approval_steps'?"),
    (["--set", "approval_steps=12"], "approval_steps = 12 is out of range: allowed 0 to 8"),
    (["--set", "approval_steps"], "expected lever=value"),
    (["--weeks", "0"], "weeks = 0 is out of range: allowed 1 to 2080"),
    (["--set", "coaching_focus=everyone"], "expected 'one_thing' or 'one_size'"),
]


@pytest.mark.parametrize(("extra", "message"), REFUSED)
def test_refused_settings_explain_and_write_nothing(tmp_path, extra, message):
    out = tmp_path / "out"
    result = salesorg("run", "baseline", "--quiet", "--out", str(out), *extra)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[levers]\nadmin_hours = = 3\n", "TOML syntax error"),
        (
            "[levers]\nadmin_hour = 3\n",
            "levers.admin_hour: unknown lever; did you mean 'admin_hours'?",
        ),
        (
            "[levers]\nadmin_hours = 99.0\n",
            "levers.admin_hours = 99.0 is out of range: allowed 0.0 to 40.0",
        ),
        ('extends = "nowhere"\n', "extends = 'nowhere': unknown scenario 'nowhere'"),
    ],
)
def test_refused_files_name_file_key_and_write_nothing(tmp_path, text, message):
    path = write(tmp_path, text)
    out = tmp_path / "out"
    result = salesorg("run", path, "--quiet", "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and path in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    check = salesorg("validate", path)
    assert check.returncode == 2 and message in check.stderr


def test_toml_error_names_the_line(tmp_path):
    path = write(tmp_path, 'description = "x"\n\n[levers]\nadmin_hours = = 3\n')
    result = salesorg("validate", path)
    assert "line 4" in result.stderr


def test_unknown_scenario_is_refused():
    result = salesorg("run", "baselin", "--quiet")
    assert result.returncode == 2 and "did you mean 'baseline'" in result.stderr


def test_scenarios_lists_every_shipped_scenario_with_its_description(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in ("baseline", "friction-heavy", "initiative-overload", "fix-the-organization"):
        assert name in out
    assert "approval" in out


def test_validate_reports_what_a_scenario_changes(capsys):
    assert main(["validate", "scenarios/fix-the-organization.toml"]) == 0
    out = capsys.readouterr().out
    assert "valid scenario 'fix-the-organization'" in out and "week 13" in out


def test_levers_lists_units_and_ranges(capsys):
    assert main(["levers"]) == 0
    out = capsys.readouterr().out
    assert "approval_steps" in out and "[0, 8]" in out and "hours/week" in out


def test_help_teaches_with_examples():
    result = salesorg("run", "--help")
    assert result.returncode == 0
    assert "--set" in result.stdout and "examples:" in result.stdout
