"""The workshop page's logic, without a browser: levers, the running model, the pair, charts."""

import socket
import subprocess
import sys
import threading

import mesa
import pytest

from sim.cli import main
from sim.scenario import ScenarioError, scenario_names
from sim.scenario.levers import FIXED_AT_START, Levers, lever_table
from sim.workshop import charts, network
from sim.workshop.controls import CONTROLS, LeverBoard, next_review, scenario_choices
from sim.workshop.launch import exposure_warning, free_port
from sim.workshop.models import PairChoice, SideBySide, WorkshopModel, retire
from sim.workshop.pictures import headline, pair_pictures, single_pictures
from tests.conftest import salesorg

PNG = b"\x89PNG\r\n\x1a\n"
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


def weeks(model, n):
    for _ in range(n):
        model.step()
    return model


# --------------------------------------------------------------------- the controls


def test_every_control_is_a_real_lever_that_can_move_mid_run():
    levers = {c.lever for c in CONTROLS}
    assert levers >= BRIEF_LEVERS
    assert levers <= set(Levers.model_fields)
    assert not levers & FIXED_AT_START
    for control in CONTROLS:
        assert control.label != control.lever and " " in control.label  # the room's words
        assert control.help.startswith(Levers.model_fields[control.lever].description)


def test_slider_ranges_lie_within_the_levers_own_ranges():
    defaults = Levers()
    for control in (c for c in CONTROLS if not c.choices):
        low, high = control.bounds()
        lever_low, lever_high = LEVER_RANGE[control.lever]
        assert lever_low <= low < high <= lever_high, control.lever
        assert low <= getattr(defaults, control.lever) <= high
        assert control.step > 0 and (high - low) / control.step >= 4  # a usable slider
    ask = next(c for c in CONTROLS if c.lever == "ask_hours")
    assert ask.bounds() == (0.0, 12.0) and ask.bounds(current=20.0) == (0.0, 20.0)


def test_choices_are_valid_lever_values():
    for control in (c for c in CONTROLS if c.choices):
        for value, label in control.choices:
            LeverBoard().move(control.lever, value)  # refuses an invalid value
            assert control.show(value) == label
    cap = next(c for c in CONTROLS if c.lever == "initiative_cap")
    assert cap.show(99) == "no cap" and cap.show(7) == "7"


def test_board_refuses_out_of_range_and_unknown_levers():
    board = LeverBoard()
    with pytest.raises(ScenarioError, match="out of range"):
        board.move("coaching_quality", 1.5)
    with pytest.raises(KeyError):
        board.move("n_sellers", 10)
    assert board.move("approval_steps", 2.0) == {"approval_steps": 2}
    assert board.moved == {"approval_steps": 2}
    board.choose("friction-heavy")
    assert (board.scenario, board.moved) == ("friction-heavy", {})
    with pytest.raises(ScenarioError, match="unknown scenario"):
        board.choose("no-such-org")


def test_scenario_choices_are_the_shipped_scenarios():
    assert scenario_choices("baseline") == scenario_names()
    assert scenario_choices("mine.toml") == ["mine.toml", *scenario_names()]


def test_next_firing_review():
    base = Levers(fire_bottom_share=0.1, fire_start_week=26, fire_every_weeks=52)
    assert next_review(Levers(), 10) is None
    assert [next_review(base, w) for w in (1, 26, 27, 78, 79)] == [26, 26, 78, 78, 130]


# ------------------------------------------------------------ the running organization


def test_a_lever_change_reaches_the_running_model_from_the_next_week():
    moved, twin = weeks(WorkshopModel(seed=3), 5), weeks(WorkshopModel(seed=3), 5)
    board = LeverBoard()
    moved.request(board.move("ask_hours", 12.0))
    assert moved.levers.ask_hours == 3.0 and moved.requested == {"ask_hours": 12.0}
    weeks(moved, 4)
    weeks(twin, 4)
    assert moved.levers.ask_hours == 12.0 and moved.requested == {}
    assert moved.events == [
        (6, "workshop: Hours a week other functions ask of each seller: 12.0 h")
    ]
    before, after = moved.snapshot(), twin.snapshot()
    assert before.weekly.loc[:5].equals(after.weekly.loc[:5])  # same seed, same story so far
    asks, twin_asks = before.weekly["hours_asks"].loc[6:], after.weekly["hours_asks"].loc[6:]
    assert asks.mean() > twin_asks.mean() + 6
    drop = after.weekly["selling_time_share"].loc[6:].mean()
    assert before.weekly["selling_time_share"].loc[6:].mean() < drop - 0.10


def test_a_structural_change_rebuilds_the_network():
    model = weeks(WorkshopModel(seed=1), 2)
    assert sum(1 for _, r in model.snapshot().graph.nodes(data="role") if r == "desk") == 3
    model.request({"approval_steps": 1, "sellers_per_specialist": 2.0})
    model.step()
    roles = [r for _, r in model.snapshot().graph.nodes(data="role")]
    assert roles.count("desk") == 1 and roles.count("presales") == 75


def test_reset_restarts_the_scenario_with_the_levers_as_moved():
    board = LeverBoard("initiative-overload")
    board.move("initiative_cap", 2)
    model = WorkshopModel(seed=4, board=board)
    assert model.scenario.name == "initiative-overload"
    assert (model.levers.initiative_cap, model.levers.initiative_rate) == (2, 30.0)
    board.choose("baseline")
    assert WorkshopModel(seed=4, board=board).levers.initiative_cap == 99


def test_snapshots_are_whole_weeks_while_another_thread_plays():
    model = WorkshopModel(seed=2)
    player = threading.Thread(target=weeks, args=(model, 40))
    player.start()
    frames = []
    while player.is_alive() or not frames:
        frames.append(model.snapshot())
    player.join()
    frames.append(model.snapshot())
    for frame in frames:
        assert frame.weekly.notna().all().all()
        assert list(frame.weekly.index) == list(range(frame.week + 1))
    assert frames[-1].week == 40 and model.version == 40


def test_a_replaced_model_is_released():
    model = WorkshopModel(seed=1)
    pair = SideBySide(seed=1)
    assert model in mesa.Agent._ids and pair.left in mesa.Agent._ids
    retire(model)
    retire(pair)
    assert model not in mesa.Agent._ids
    assert pair.left not in mesa.Agent._ids and pair.right not in mesa.Agent._ids


# ------------------------------------------------------------------------- the pair


def test_side_by_side_stays_in_step_and_diverges_when_policies_differ():
    pair = weeks(SideBySide(seed=5), 30)
    left, right = pair.snapshot()
    assert pair.steps == pair.left.steps == pair.right.steps == left.week == right.week == 30
    assert (left.scenario, right.scenario) == ("fire-low-performers", "fix-the-organization")
    # same seed: identical until the fix lands in week 13 (firing starts at week 26)
    assert left.weekly.loc[:12].equals(right.weekly.loc[:12])
    later = slice(16, 30)
    assert (
        right.weekly["selling_time_share"].loc[later].mean()
        > left.weekly["selling_time_share"].loc[later].mean() + 0.05
    )


def test_the_same_scenario_on_both_sides_runs_identically():
    choice = PairChoice()
    choice.choose("left", "baseline")
    choice.choose("right", "baseline")
    left, right = weeks(SideBySide(seed=9, pair=choice), 12).snapshot()
    assert left.weekly.equals(right.weekly)
    with pytest.raises(ValueError, match="side"):
        choice.choose("middle", "baseline")


def test_the_pair_stops_when_the_runs_end():
    pair = weeks(SideBySide(seed=1), 155)
    assert pair.running
    pair.step()
    assert not pair.running and pair.steps == 156


# ---------------------------------------------------------------------- what is drawn


def test_pictures_are_pngs_and_show_a_lever_change():
    plain, moved = weeks(WorkshopModel(seed=6), 8), weeks(WorkshopModel(seed=6), 4)
    moved.request({"approval_steps": 6})
    weeks(moved, 4)
    a, b = single_pictures(plain.snapshot()), single_pictures(moved.snapshot())
    assert set(a) == {"week", "selling", "quota", "seats", "leaving", "network"}
    assert all(png.startswith(PNG) and len(png) > 5_000 for png in a.values())
    assert a["network"] != b["network"] and a["week"] != b["week"]
    pair = pair_pictures(*weeks(SideBySide(seed=1), 3).snapshot())
    assert pair["week-left"].startswith(PNG) and len(pair) == 7


def test_charts_span_the_run_and_mark_changes_and_firing_reviews():
    board = LeverBoard("fire-low-performers")
    model = weeks(WorkshopModel(seed=1, board=board), 20)
    model.request(board.move("coaching_quality", 0.8))
    frame = weeks(model, 10).snapshot()
    ax = charts.leaving_figure([("fire", "#000000", frame)]).axes[0]
    assert ax.get_xlim() == (0.0, 156.0)
    marks = {
        (line.get_xdata()[0], line.get_color())
        for line in ax.lines
        if len(set(line.get_xdata())) == 1
    }
    assert marks == {(21, "#424242"), (26, charts.FIRED_COLOR)}
    labels = {text.get_text() for text in ax.texts}
    fired = int(frame.weekly.loc[26, "fired"])
    assert labels == {"wk 21", f"{fired} fired"} and fired >= 10


def test_headline_numbers():
    frame = weeks(WorkshopModel(seed=1), 13).snapshot()
    numbers = headline(frame)
    assert numbers["week"] == "13 of 156"
    assert numbers["selling"] == f"{frame.latest('selling_time_share'):.0%}"
    assert numbers["seats"].endswith("of 150")
    assert headline(WorkshopModel(seed=1).snapshot())["bookings"] == "0.0 M$"


def test_network_layout_puts_each_team_under_its_manager():
    frame = WorkshopModel(seed=1).snapshot()
    graph = frame.graph
    pos = network.layout(graph)
    assert set(pos) == set(graph.nodes)
    for seller, manager, kind in graph.edges(keys=True):
        if kind == "reports_to" and graph.nodes[seller]["role"] == "seller":
            assert abs(pos[seller][0] - pos[manager][0]) <= 1.0
            assert pos[seller][1] < pos[manager][1]
    desks = [pos[f"desk:{d}"] for d in ("deal_desk", "legal", "pricing")]
    assert desks == sorted(desks)  # the approval chain reads left to right


# --------------------------------------------------------------------------- the command


def test_workshop_help_teaches(capsys):
    with pytest.raises(SystemExit) as done:
        main(["workshop", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for text in ("--scenario", "--port", "--host", "127.0.0.1", "Side", "Reset", "Ctrl-C"):
        assert text in out


def test_workshop_refuses_an_unknown_scenario_in_one_line():
    result = salesorg("workshop", "--scenario", "fire-everyone")
    assert result.returncode == 2
    assert result.stderr.startswith("salesorg: error: unknown scenario 'fire-everyone'")
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_workshop_refuses_a_busy_port_in_one_line(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["workshop", "--port", str(port)]) == 2
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
