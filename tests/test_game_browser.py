"""The game in real browsers: a facilitator and two teams play two quarters together.

`salesorg game` serves the pages; three chromium pages (the facilitator's and two teams')
drive it at once. The leaderboard the facilitator sees is checked against the same game
played in this process (same settings, seed and decisions): same teams, same order.
"""

import re

import pytest

from sim.workshop.game.game import Game, Settings
from tests.test_workshop_browser import CHROMIUM_MISSING, browser, serve, sync_api

pytestmark = pytest.mark.skipif(CHROMIUM_MISSING, reason="chromium is not installed")
__all__ = ["browser"]  # the module's chromium, a fixture shared with the workshop's tests
expect = sync_api.expect
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def game_url():
    with serve("game") as url:
        yield url


def new_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(WAIT_MS)
    return page


def press(page, lever: str, key: str, times: int) -> None:
    slider = page.locator(f".lever-{lever} [role=slider]")
    slider.focus()
    for _ in range(times):
        slider.press(key)


def join(page, url: str, code: str, name: str) -> None:
    page.goto(url + "team")
    page.locator(".join-code input").fill(code)
    page.locator(".join-name input").fill(name)
    page.locator(".join-button").click()
    expect(page.locator(".team-name")).to_have_text(name)
    expect(page).to_have_url(re.compile(rf"/team\?game={code}&team=\w+"))


def test_a_facilitator_and_two_teams_play_two_quarters(game_url, browser):
    host = new_page(browser)
    host.goto(game_url + "game")
    host.locator(".game-rounds").get_by_role("button", name="2", exact=True).click()
    host.locator(".game-bots").get_by_role("button", name="Approvals-first bot").click()
    host.locator(".create-game").click()
    expect(host.locator(".game-code")).to_have_text(re.compile(r"Game [A-Z]{4}"))
    code = host.locator(".game-code").inner_text().split()[1]
    expect(host.locator(".join-hint")).to_contain_text(f"{game_url}team")
    expect(host.locator(".team-row")).to_have_count(1)  # the bot, waiting for two teams

    red, blue = new_page(browser), new_page(browser)
    join(red, game_url, code, "Red")
    join(blue, game_url, code, "Blue")
    expect(host.locator(".team-row")).to_have_count(3)
    expect(host.locator(".status-deciding")).to_have_count(2)

    # quarter 1: Red removes two approvals (6 points), Blue cuts the asks by an hour (1 point)
    expect(red.locator(".decision-cost")).to_have_text("6 points to spend; these decisions cost 0")
    press(red, "approval_steps", "ArrowLeft", 2)
    expect(red.locator(".decision-cost")).to_have_text("6 points to spend; these decisions cost 6")
    red.locator(".submit-decisions").click()
    expect(red.locator(".team-status")).to_have_class(re.compile("status-submitted"))
    press(blue, "ask_hours", "ArrowLeft", 2)
    expect(blue.locator(".decision-cost")).to_contain_text("cost 1")
    blue.locator(".submit-decisions").click()
    expect(host.locator(".status-submitted")).to_have_count(2)  # seen live by the facilitator

    host.locator(".play-quarter").click()
    expect(host.locator(".game-stage")).to_have_text("Quarter 2 of 2")
    expect(host.get_by_text("Leaderboard (as if the game ended at week 13)")).to_be_visible()
    expect(host.locator(".leader-row")).to_have_count(3)
    for team in (red, blue):  # the teams' pages follow
        expect(team.locator(".value-week")).to_have_text("13 of 26")
    expect(red.locator(".decision-cost")).to_contain_text("6 points to spend")  # 12 - 6
    expect(blue.locator(".decision-cost")).to_contain_text("11 points to spend")

    # quarter 2: Red removes one more approval (3 points); Blue does not submit
    press(red, "approval_steps", "ArrowLeft", 1)
    red.locator(".submit-decisions").click()
    expect(host.locator(".status-submitted")).to_have_count(1)
    expect(host.locator(".play-quarter")).to_contain_text("1 still deciding")
    host.locator(".play-quarter").click()
    expect(host.locator(".game-stage")).to_have_text("Game over")
    expect(host.get_by_text("Leaderboard (final)")).to_be_visible()  # drawn with its rows
    expect(host.locator(".leader-row")).to_have_count(3)

    shown = host.locator(".leader-team").all_inner_texts()
    scores = [float(s) for s in host.locator(".leader-score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    twin = Game(Settings(teams=2, rounds=2, bots=("Firing bot",), points=6, seed=1))
    twin_red, twin_blue = twin.join("Red"), twin.join("Blue")
    start = twin.scenario.levers
    twin.submit(twin_red, {"approval_steps": start.approval_steps - 2})
    twin.submit(twin_blue, {"ask_hours": start.ask_hours - 1.0})
    twin.play_quarter()
    twin.submit(twin_red, {"approval_steps": start.approval_steps - 3})
    twin.play_quarter()
    expected = [t.name + (" (bot)" if t.is_bot else "") for t, _ in twin.leaderboard()]
    assert shown == expected
    assert scores == [round(card.score) for _, card in twin.leaderboard()]

    for team, name in ((red, "Red"), (blue, "Blue")):
        expect(team.locator(".team-final")).to_contain_text(f"Game over: {name} scored")
    host.locator(".debrief-link").click()
    expect(host.locator(".regime-reveal")).to_contain_text("The organization was friction-bound")
    expect(host.locator(".why")).to_contain_text("what its decisions were worth")
    approvals = twin.scenario.levers.approval_steps - 2
    expect(host.locator(".decisions")).to_contain_text(f"Approvals a deal needs: {approvals}")
    for page in (host, red, blue):
        page.close()
