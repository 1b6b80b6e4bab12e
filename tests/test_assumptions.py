"""The assumption audit: each assumption switched off, the answers asked again."""

import pandas as pd

from sim.audit.assumptions import ASSUMPTIONS, _changes, verdict
from sim.model.mechanics.week_levers import WeekLevers
from sim.scenario import Levers
from tests.conftest import salesorg


def test_every_assumption_is_switched_off_by_valid_levers():
    names = [a.name for a in ASSUMPTIONS]
    assert len(set(names)) == len(names)
    for assumption in ASSUMPTIONS:
        off = Levers(**assumption.off)  # valid settings
        assert any(getattr(off, k) != getattr(Levers(), k) for k in assumption.off)
    # every morale coefficient of the model is among them
    morale = {name for name in WeekLevers._fields if name.startswith("morale_")}
    audited = {lever for a in ASSUMPTIONS for lever in a.off}
    assert morale <= audited


def test_a_verdict_reads_its_interval():
    assert verdict(0.01, 0.2) == "raises"
    assert verdict(-0.2, -0.01) == "lowers"
    assert verdict(-0.1, 0.1) == "no clear difference"


def row(**changes):
    base = {
        "fire_verdict": "lowers",
        "fix_verdict": "raises",
        "talent_fire_verdict": "raises",
        "fix_beats_fire": True,
        "ranking": "friction > asks > initiatives",
    }
    return pd.Series({**base, **changes})


def test_the_audit_says_which_answer_changed():
    full = row()
    assert _changes(full, row()) == ""
    assert _changes(full, row(fire_verdict="no clear difference")) == (
        "firing's verdict in the baseline: no clear difference"
    )
    said = _changes(full, row(ranking="asks > friction", fix_beats_fire=False))
    assert "no longer clearly beats" in said and "starts with asks, not friction" in said


def test_an_unknown_assumption_is_refused():
    done = salesorg("assumptions", "--only", "telepathy")
    assert done.returncode == 2
    assert "no such assumption" in done.stderr and "market" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_audit_writes_its_table_and_page(tmp_path):
    out = tmp_path / "audit"
    done = salesorg(
        "assumptions", "--only", "risk", "--replications", "2", "--quiet", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "assumptions.csv", keep_default_na=False)
    assert table["assumption"].tolist() == ["full", "risk"]
    assert {"fire_bookings", "fix_low", "talent_fire_high", "systemic_share"} <= set(table)
    assert (table["fix_verdict"] == "raises").all()  # fixing pays, with or without it
    assert "| the full model |" in (out / "assumptions.md").read_text()
    assert "Which answers rest on which assumptions?" in (out / "report.html").read_text()
