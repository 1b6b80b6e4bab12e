"""The workshop page's logic, without a browser: levers, runs and their history, charts."""

import io
import json
import re
import socket
import subprocess
import sys
import threading
import zipfile
from xml.etree import ElementTree

import mesa
import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.model.metrics import METRIC_NAMES
from sim.scenario import ScenarioError, scenario_names
from sim.scenario.levers import FIXED_AT_START, Levers, lever_table
from sim.workshop import charts, network, svg
from sim.workshop.controls import CONTROL_BY_LEVER, CONTROLS, next_review, scenario_choices
from sim.workshop.export import file_name, session_zip
from sim.workshop.frames import headline, snapshot
from sim.workshop.launch import exposure_warning, free_port
from sim.workshop.luck import LuckRange
from sim.workshop.run import Move, Pair, Run
from tests.conftest import salesorg

LEVER_RANGE = {row["name"]: (row["low"], row["high"]) for row in lever_table()}
BRIEF_LEVERS = {
    "initiative_rate",
    "initiative_cap",
    "coaching_quality",
    "coaching_share",
    "approval_steps",
    "sellers_per_specialist",
    "ask_hours",
    "fire_bottom_share",
}
#: words of the code, not of the room: lever names, quoted values, "default", "= no cap"
CODE_WORDS = re.compile(r"_|'\w+'|\bdefault\b|=|\bNone\b|\bTrue\b")


def table(model) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


# --------------------------------------------------------------------- the controls


def test_every_control_is_a_real_lever_that_can_move_mid_run():
    levers = {c.lever for c in CONTROLS}
    assert levers >= BRIEF_LEVERS
    assert levers <= set(Levers.model_fields)
    assert not levers & FIXED_AT_START


def test_labels_and_hints_are_in_the_rooms_words():
    for control in CONTROLS:
        assert control.label != control.lever and " " in control.label
        for text in (control.label, control.hint, *(label for _, label in control.choices)):
            assert not CODE_WORDS.search(text), (control.lever, text)
        assert len(control.hint) <= 56, control.hint  # one line in the sidebar


def test_values_read_as_the_slider_shows_them():
    share = CONTROL_BY_LEVER["coaching_share"]
    assert share.show(0.16) == "16%" and share.shown(0.3, 0.16) == "30% (was 16%)"
    assert share.shown(0.16, 0.16) == "16%"
    cap = CONTROL_BY_LEVER["initiative_cap"]
    assert cap.show(99) == "no limit" and cap.show(7) == "7"


def test_slider_ranges_lie_within_the_levers_own_ranges():
    defaults = Levers()
    for control in (c for c in CONTROLS if not c.choices):
        low, high = control.bounds()
        lever_low, lever_high = LEVER_RANGE[control.lever]
        assert lever_low <= low < high <= lever_high, control.lever
        assert low <= getattr(defaults, control.lever) <= high
        assert control.step > 0 and (high - low) / control.step >= 4  # a usable slider
    ask = CONTROL_BY_LEVER["ask_hours"]
    assert ask.bounds() == (0.0, 12.0) and ask.bounds(current=20.0) == (0.0, 20.0)


def test_choices_are_valid_lever_values():
    for control in (c for c in CONTROLS if c.choices):
        for value, _ in control.choices:
            run = Run()
            assert run.move(control.lever, value) == {control.lever: value}


def test_a_run_refuses_out_of_range_and_unknown_levers():
    run = Run()
    with pytest.raises(ScenarioError, match="out of range"):
        run.move("coaching_quality", 1.5)
    with pytest.raises(KeyError):
        run.move("n_sellers", 10)
    assert run.move("approval_steps", 2.0) == {"approval_steps": 2}
    assert run.pending == {"approval_steps": 2}


def test_scenario_choices_are_the_shipped_scenarios():
    assert scenario_choices("baseline") == scenario_names()
    assert scenario_choices("mine.toml") == ["mine.toml", *scenario_names()]


def test_next_firing_review():
    base = Levers(fire_bottom_share=0.1, fire_start_week=26, fire_every_weeks=52)
    assert next_review(Levers(), 10) is None
    assert [next_review(base, w) for w in (1, 26, 27, 78, 79)] == [26, 26, 78, 78, 130]


# ------------------------------------------------------------ the run and its history


def fresh(scenario, seed, moves: dict[int, dict], weeks: int) -> sim.SalesOrgModel:
    """A plain SalesOrgModel that makes `moves` (week -> levers) at the start of those weeks."""
    model = sim.SalesOrgModel(scenario, seed=seed)
    for week in range(1, weeks + 1):
        if week in moves:
            model.set_levers(moves[week])
        model.step()
    return model


def test_a_lever_move_reaches_the_running_model_from_the_next_week():
    run, twin = Run(seed=3), Run(seed=3)
    run.step(5)
    twin.step(5)
    start = run.model.levers.ask_hours
    run.move("ask_hours", 12.0)
    assert run.model.levers.ask_hours == start and run.pending == {"ask_hours": 12.0}
    run.step(4)
    twin.step(4)
    assert run.model.levers.ask_hours == 12.0 and run.pending == {}
    assert run.model.events == [(6, "workshop: Hours asked of each seller a week: 12.0 h")]
    moved, plain = table(run.model), table(twin.model)
    assert moved.loc[:5].equals(plain.loc[:5])  # same seed, same story so far
    assert moved["hours_asks"].loc[6:].mean() > plain["hours_asks"].loc[6:].mean() + 6


def test_moving_a_lever_back_before_it_applies_cancels_the_move():
    run = Run()
    run.step(2)
    run.move("approval_steps", 1)
    run.move("approval_steps", 3)  # back to what it is
    assert run.pending == {} and run.moves == []


def test_a_run_is_the_same_as_a_fresh_model_that_made_the_same_moves():
    run = Run("friction-heavy", seed=7)
    run.step(10)
    run.move("approval_steps", 2)
    run.move("coaching_quality", 0.7)
    run.step(15)
    run.move("ask_hours", 1.0)
    run.step(5)
    moves = {11: {"approval_steps": 2, "coaching_quality": 0.7}, 26: {"ask_hours": 1.0}}
    assert table(run.model).equals(table(fresh("friction-heavy", 7, moves, 30)))


def test_rewind_and_continue_with_other_levers_is_a_fresh_run_with_those_moves():
    run = Run(seed=4)
    run.step(8)
    run.move("initiative_rate", 30)
    run.step(20)  # to week 28, with 30 initiatives a quarter from week 9
    run.rewind(12)
    assert run.week == 12 and run.moves == [Move(9, "initiative_rate", 30.0)]
    run.move("initiative_cap", 2)  # another choice from week 13
    run.step(30)
    moves = {9: {"initiative_rate": 30.0}, 13: {"initiative_cap": 2}}
    assert table(run.model).equals(table(fresh("baseline", 4, moves, 42)))
    run.rewind(0)
    assert run.week == 0 and run.moves == []
    assert table(run.model).equals(table(sim.SalesOrgModel("baseline", seed=4)))


def test_rewind_never_goes_forward_or_before_the_start():
    run = Run(seed=2)
    run.step(5)
    run.rewind(50)
    assert run.week == 5
    run.rewind(-3)
    assert run.week == 0


def test_undo_takes_back_the_latest_move_as_if_it_had_never_been_made():
    run = Run(seed=5)
    run.step(6)
    run.move("approval_steps", 1)
    run.step(4)
    run.move("ask_hours", 8.0)
    run.move("coaching_share", 0.3)
    assert run.undo() == Move(11, "coaching_share", 0.3)  # still waiting: just dropped
    assert run.week == 10 and run.pending == {"ask_hours": 8.0}
    run.step(10)
    assert run.undo() == Move(11, "ask_hours", 8.0)  # in effect: back to week 10
    assert run.week == 10 and run.pending == {}
    run.step(10)
    assert table(run.model).equals(table(fresh("baseline", 5, {7: {"approval_steps": 1}}, 20)))
    assert run.undo() == Move(7, "approval_steps", 1)
    assert run.week == 6 and run.undo() is None
    assert table(run.model).equals(table(fresh("baseline", 5, {}, 6)))


def test_undo_of_one_of_two_moves_made_together_keeps_the_other_waiting():
    run = Run(seed=1)
    run.step(3)
    run.move("approval_steps", 1)
    run.move("ask_hours", 6.0)
    run.step(5)
    run.undo()
    assert run.week == 3 and run.pending == {"approval_steps": 1}


def test_other_luck_keeps_the_moves_and_the_week():
    run = Run(seed=1)
    run.step(4)
    run.move("approval_steps", 1)
    run.step(6)
    other = run.with_seed(9)
    assert (other.week, other.moves, other.seed) == (10, run.moves, 9)
    assert table(other.model).equals(table(fresh("baseline", 9, {5: {"approval_steps": 1}}, 10)))
    assert not table(other.model).equals(table(run.model))


def test_a_run_stops_at_its_last_week():
    run = Run()
    assert run.step(200) == 156 and run.week == 156 and not run.running
    assert run.step() == 0 and run.week == 156
    assert run.move("ask_hours", 5.0) == {} and run.pending == {}


def test_snapshots_are_whole_weeks_while_another_thread_plays():
    run = Run(seed=2)
    player = threading.Thread(target=lambda: [run.step() for _ in range(40)])
    player.start()
    frames = []
    while player.is_alive() or not frames:
        frames.append(snapshot(run))
    player.join()
    frames.append(snapshot(run))
    for frame in frames:
        assert frame.weekly.notna().all().all()
        assert list(frame.weekly.index) == list(range(frame.week + 1))
    assert frames[-1].week == 40


def test_a_replaced_model_is_released():
    run = Run(seed=1)
    old = run.model
    run.step(3)
    run.rewind(1)
    assert old not in mesa.Agent._ids and run.model in mesa.Agent._ids
    pair = Pair(seed=1)
    pair.release()
    assert pair.left.model not in mesa.Agent._ids
    run.release()
    assert run.model not in mesa.Agent._ids


# ------------------------------------------------------------------------- the pair


def test_side_by_side_stays_in_step_and_diverges_when_policies_differ():
    selling = "selling_time_share"
    pair = Pair(seed=5)
    pair.step(30)
    left, right = (table(run.model) for run in pair.sides)
    assert pair.week == pair.left.week == pair.right.week == 30
    assert (pair.left.scenario.name, pair.right.scenario.name) == (
        "fire-low-performers",
        "fix-the-organization",
    )
    # same seed, same luck: alike until the fix lands in week 13 (the firing policy is
    # known from the start, so the low-ranked on the left fear it, but nobody is fired
    # before week 26)
    early = slice(0, 12)
    assert np.allclose(left[selling].loc[early], right[selling].loc[early], atol=0.01)
    assert left["fired"].loc[early].sum() == 0
    later = slice(16, 30)
    assert right[selling].loc[later].mean() > left[selling].loc[later].mean() + 0.05


def test_the_same_scenario_on_both_sides_runs_identically():
    pair = Pair(seed=9).choose("left", "baseline").choose("right", "baseline")
    pair.step(12)
    assert table(pair.left.model).equals(table(pair.right.model))
    with pytest.raises(ValueError, match="side"):
        pair.choose("middle", "baseline")
    with pytest.raises(ScenarioError, match="unknown scenario"):
        pair.choose("left", "no-such-org")


def test_the_pair_stops_at_the_end_and_rewinds_together():
    pair = Pair(seed=1)
    assert pair.step(500) == 156 and not pair.running and pair.step() == 0
    pair.rewind(20)
    assert pair.left.week == pair.right.week == 20 and pair.running


# ---------------------------------------------------------------------- what is drawn


def test_headline_numbers_are_real_from_week_0():
    run = Run(seed=1)
    start = headline(snapshot(run))
    assert start["week"] == "0 of 156"
    assert float(start["bookings"].removesuffix(" M$")) > 0  # a going concern, not 0.0
    run.step(13)
    frame = snapshot(run)
    numbers = headline(frame)
    assert numbers["week"] == "13 of 156"
    assert numbers["selling"] == f"{frame.latest('selling_time_share'):.0%}"
    assert numbers["seats"].endswith("of 150")


def test_every_hour_category_the_model_reports_is_stacked():
    hours = {n[6:] for n in METRIC_NAMES if n.startswith("hours_") and n != "hours_overtime"}
    assert set(charts.CATEGORIES) == hours and charts.CATEGORIES[0] == "selling"


def test_charts_are_svg_that_span_the_run_and_show_a_lever_change():
    plain, moved = Run(seed=6), Run(seed=6)
    plain.step(8)
    moved.step(4)
    moved.move("approval_steps", 6)
    moved.step(4)
    a = charts.single_charts(snapshot(plain))
    b = charts.single_charts(snapshot(moved))
    assert set(a) == {"week", "selling", "quota", "bookings", "seats", "leaving"}
    for chart in a.values():
        assert chart.svg.startswith("<svg") and chart.svg.endswith("</svg>")
        assert chart.title and chart.legend
    assert a["week"].svg != b["week"].svg
    assert "wk 5" in b["selling"].svg and "wk 5" not in a["selling"].svg
    pair = Pair(seed=1)
    pair.step(3)
    assert len(charts.pair_charts(*(snapshot(r) for r in pair.sides))) == 6


def test_firing_reviews_are_marked_with_the_number_fired():
    run = Run("fire-low-performers", seed=1)
    run.step(30)
    frame = snapshot(run)
    fired = int(frame.weekly.loc[26, "fired"])
    chart = charts.leaving_chart([("fire", "#000000", frame)])
    assert fired >= 10 and f"{fired} fired" in chart.svg
    assert ("let go or fired", charts.LET_GO_COLOR, "dashed") in chart.legend


def test_plot_positions_and_ticks():
    plot = svg.Plot(156, 0.0, 1.0, width=656, left=50, right=50)
    assert plot.x(0) == 50 and plot.x(156) == 606 and plot.x(78) == 328
    assert plot.y(1.0) == plot.top and plot.y(0.0) == plot.height - plot.bottom
    assert svg.week_ticks(156) == [0, 26, 52, 78, 104, 130, 156]
    assert svg.week_ticks(52) == [0, 13, 26, 39, 52] and svg.week_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert svg.nice_ticks(0, 0.7) == [0, 0.2, 0.4, 0.6]
    assert svg.nice_ticks(112, 154.5) == [120, 130, 140, 150]


def test_network_layout_puts_each_team_under_its_manager():
    frame = snapshot(Run(seed=1))
    graph = frame.graph
    pos = network.layout(graph)
    assert set(pos) == set(graph.nodes)
    for seller, manager, kind in graph.edges(keys=True):
        if kind == "reports_to" and graph.nodes[seller]["role"] == "seller":
            assert abs(pos[seller][0] - pos[manager][0]) <= 1.0
            assert pos[seller][1] < pos[manager][1]
    desks = [pos[f"desk:{d}"] for d in ("deal_desk", "legal", "pricing")]
    assert desks == sorted(desks)  # the approval chain reads left to right


def test_the_network_draws_every_person_and_its_legend_names_every_shape():
    run = Run(seed=1)
    run.step(2)
    frame = snapshot(run)
    drawing = network.network_svg(frame)
    roles = [r for _, r in frame.graph.nodes(data="role")]
    assert drawing.count("<circle") == roles.count("seller")
    assert drawing.count("<polygon") == roles.count("director") + roles.count("presales")
    shapes = {shape for _, _, shape in network.LEGEND}
    assert {"dot", "ring", "triangle", "square", "diamond"} <= shapes
    assert any("second-line" in label for label, _, shape in network.LEGEND if shape == "triangle")


def test_a_structural_change_rebuilds_the_network():
    run = Run(seed=1)
    run.step(2)
    assert [r for _, r in snapshot(run).graph.nodes(data="role")].count("desk") == 3
    run.move("approval_steps", 1)
    run.move("sellers_per_specialist", 2.0)
    run.step()
    roles = [r for _, r in snapshot(run).graph.nodes(data="role")]
    assert roles.count("desk") == 1 and roles.count("presales") == 75


# --------------------------------------------------------------------------- the command


def test_workshop_help_teaches(capsys):
    with pytest.raises(SystemExit) as done:
        main(["workshop", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for text in ("--scenario", "--port", "--host", "127.0.0.1", "Side", "Undo", "Ctrl-C"):
        assert text in out


def test_workshop_refuses_an_unknown_scenario_in_one_line():
    result = salesorg("workshop", "--scenario", "fire-everyone")
    assert result.returncode == 2
    assert result.stderr.startswith("salesorg: error: unknown scenario 'fire-everyone'")
    assert result.stderr.count("\n") == 1 and result.stdout == ""


@pytest.mark.parametrize("command", ["workshop", "game"])
def test_the_pages_refuse_a_busy_port_in_one_line(capsys, command):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main([command, "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"salesorg: error: cannot listen on 127.0.0.1:{port}")
    assert err.count("\n") == 1 and f"try --port {port + 1}" in err


def test_workshop_refuses_an_unknown_host_in_one_line(capsys):
    assert main(["workshop", "--host", "no-such-host.invalid"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("salesorg: error: cannot listen on no-such-host.invalid")
    assert err.count("\n") == 1


def test_only_loopback_hosts_are_private():
    assert exposure_warning("127.0.0.1", 8765) is None
    assert exposure_warning("localhost", 8765) is None
    assert exposure_warning("::1", 8765) is None
    for host in ("0.0.0.0", "::", "192.168.1.20"):
        warning = exposure_warning(host, 9000)
        assert warning is not None, host
        assert "no login" in warning and "anyone" in warning
        assert "ssh -N -L 9000:127.0.0.1:9000" in warning  # the tunnel, on the page's port
        assert "firewall" in warning and "port 9000" in warning


def test_workshop_on_every_address_warns_before_it_serves():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "workshop", "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = [server.stderr.readline() for _ in range(3)]
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stdout.close()
        server.stderr.close()
    assert first[0].startswith("salesorg workshop: warning: listening on 0.0.0.0")
    assert "anyone who can reach this" in first[0] and "no login" in first[1]


# ---------------------------------------------------------------------- luck in view


def test_the_luck_range_replays_the_moves_under_other_seeds():
    run = Run(seed=3)
    run.step(10)
    run.move("ask_hours", 12.0)
    luck = LuckRange.of(run, runs=6)
    assert len(luck.seeds) == 6 and 3 not in luck.seeds and len(set(luck.seeds)) == 6
    assert luck.fits(run) and not luck.fits(Run(seed=3))
    weeks, low, high = luck.band("selling")
    assert list(weeks) == list(range(157)) and (low <= high).all() and (high > low).any()
    shown = luck.up_to(40)
    assert len(shown.band("quota")[0]) == 41 and len(luck.band("quota")[0]) == 157
    assert luck.band("no-such-outcome") is None
    assert set(luck.table().columns) == {f"{n}_{e}" for n in charts.SHOWN for e in ("low", "high")}


def test_the_band_is_the_spread_of_the_same_moves_under_the_other_seeds():
    asked = Run(seed=1)
    asked.move("ask_hours", 12.0)
    luck = LuckRange.of(asked, runs=5)
    tables = []
    for seed in luck.seeds:
        other = Run("baseline", seed, asked.moves)
        other.step(156)
        assert other.model.levers.ask_hours == 12.0
        tables.append(charts.SHOWN["selling"](table(other.model)).to_numpy())
    low, high = np.percentile(np.vstack(tables), [10, 90], axis=0)
    assert np.array_equal(luck.band("selling")[1], low)
    assert np.array_equal(luck.band("selling")[2], high)
    calm = LuckRange.of(Run(seed=1), runs=5)
    assert calm.seeds == luck.seeds and not np.array_equal(calm.band("selling")[1], low)


def test_charts_shade_the_luck_range_only_up_to_the_week_played():
    run = Run(seed=2)
    run.step(30)
    luck = LuckRange.of(run, runs=4).up_to(run.week)
    drawn = charts.single_charts(snapshot(run), luck)
    for name in ("selling", "quota", "bookings", "leaving", "seats"):
        assert 'class="luck"' in drawn[name].svg, name
        assert ("8 in 10 other lucks fall here", charts.LUCK_COLOR, "area") in drawn[name].legend
    assert 'class="luck"' not in charts.single_charts(snapshot(run))["selling"].svg


# ------------------------------------------------------------------- the debrief file


def test_the_session_zip_holds_what_the_debrief_needs():
    run = Run("fire-low-performers", seed=2)
    run.step(20)
    run.move("approval_steps", 1)
    run.step(10)
    run.move("coaching_share", 0.3)  # waiting for week 31
    pack = zipfile.ZipFile(io.BytesIO(session_zip(run, LuckRange.of(run, runs=3))))
    names = set(pack.namelist())
    charts_named = {f"charts/{n}.svg" for n in (*charts.single_charts(snapshot(run)), "network")}
    assert names == {
        "summary.html",
        "weekly.csv",
        "events.csv",
        "levers.csv",
        "session.json",
        "luck.csv",
        *charts_named,
    }
    weekly = pd.read_csv(pack.open("weekly.csv"), index_col="week")
    assert list(weekly.index) == list(range(31)) and set(weekly.columns) == set(METRIC_NAMES)
    assert weekly.equals(pd.read_csv(io.StringIO(table(run.model).to_csv()), index_col=0))
    events = pd.read_csv(pack.open("events.csv"))
    assert events.values.tolist() == [list(e) for e in run.model.events]
    assert "workshop: Approvals a deal needs: 1" in events["what changed"].tolist()
    levers = pd.read_csv(pack.open("levers.csv")).set_index("name in the model")
    assert levers.loc["approval_steps", ["at the start", "now"]].tolist() == ["3", "1"]
    assert levers.loc["coaching_share", "now"] == "30%"  # the move waiting for next week
    record = json.loads(pack.read("session.json"))
    replay = Run(record["scenario"], record["seed"], [Move(**m) for m in record["moves"]], 30)
    assert table(replay.model).equals(table(run.model))
    for name in charts_named:
        drawing = ElementTree.fromstring(pack.read(name))  # well-formed SVG
        assert drawing.tag.endswith("svg") and len(drawing) > 2
    summary = pack.read("summary.html").decode()
    assert "week 21: workshop: Approvals a deal needs: 1" in summary
    assert summary.count("<svg") >= len(charts_named) and "other luck" in summary
    assert len(pd.read_csv(pack.open("luck.csv"))) == 31


def test_without_the_luck_range_the_zip_has_no_luck_file():
    run = Run(seed=1)
    run.step(3)
    pack = zipfile.ZipFile(io.BytesIO(session_zip(run)))
    assert "luck.csv" not in pack.namelist()
    assert file_name(run) == "workshop-baseline-seed1-week3.zip"
