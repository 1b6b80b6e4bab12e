"""The workshop page in a real browser: start `salesorg workshop`, drive it with chromium.

Uses Debian's chromium through Playwright (no browser download). Skipped only where
chromium or the playwright package is missing; CI installs chromium (`.ci/run`). Each
defect of issue 16 has a test here that failed on the SolaraViz page.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from sim.scenario import load_scenario
from sim.workshop.controls import CONTROL_BY_LEVER
from sim.workshop.launch import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_MISSING = not os.access(CHROMIUM, os.X_OK)
pytestmark = pytest.mark.skipif(
    CHROMIUM_MISSING, reason="chromium is not installed (apt-get install chromium); CI installs it"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
expect = sync_api.expect

ROOT = Path(__file__).parent.parent
START_SECONDS = 90
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

WAIT_MS = 20_000
ROOM = {"width": 1400, "height": 900}
CODE_WORDS = re.compile(r"_|'\w+'|\bdefault\b|=|Render Interval|Use Threads|Information")


@contextlib.contextmanager
def serve(*args: str):
    """`salesorg ARGS` (workshop or game) on a free port, answering HTTP; stopped after."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", *args, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"salesorg {args[0]} exited early:\n{server.stdout.read()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"salesorg {args[0]} did not answer on {url} in {START_SECONDS} s")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()


@contextlib.contextmanager
def chromium():
    """Debian's chromium, driven by Playwright."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def workshop_url():
    with serve("workshop") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport=ROOM)
    page.set_default_timeout(WAIT_MS)
    yield page
    page.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".value-week").first).to_have_text(re.compile(r"0 of 156"))


def eventually(check, what=""):
    """Poll `check()` until it returns something truthy (the page updates in several messages).

    `what` (text, or a function giving it) says what was seen when it never does.
    """
    deadline = time.monotonic() + WAIT_MS / 1000
    while not (found := check()):
        assert time.monotonic() < deadline, what() if callable(what) else what
        time.sleep(0.05)
    return found


def week(page) -> int:
    return int(page.locator(".value-week").first.inner_text().split()[0])


def percent(page, selector: str) -> float:
    text = page.locator(selector).first.inner_text()
    return float(re.fullmatch(r"(-?\d+)%", text.strip()).group(1)) / 100


def step(page, to_week: int, sides: int = 1) -> None:
    page.locator(".step-button").click()
    expect(page.locator(".value-week").filter(has_text=f"{to_week} of 156")).to_have_count(sides)


def speed(page, label: str) -> None:
    page.locator(".speed").get_by_role("button", name=label, exact=True).click()


def play_button(page):
    return page.locator(".play-button")


def test_play_after_steps_moves_week_by_week_and_pauses_at_once(workshop_url, page):
    """Side by side: Step 4 times, then Play showed week 4 for 10 s, then 156, Pause disabled."""
    open_page(page, workshop_url + "side-by-side")
    for n in range(1, 5):
        step(page, n, sides=2)
    speed(page, "5")
    play_button(page).click()
    seen = set()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        seen.add(week(page))
        time.sleep(0.1)
    assert max(seen) < 60 and len(seen - {4}) >= 5, sorted(seen)  # weeks, one after another
    expect(play_button(page)).to_be_enabled()
    expect(play_button(page)).to_have_text(re.compile("Pause", re.I))
    play_button(page).click()
    expect(play_button(page)).to_have_text(re.compile("Play", re.I))
    paused = week(page)
    time.sleep(1.0)
    assert week(page) == paused and paused < 156
    weeks = page.locator(".value-week").all_inner_texts()
    assert weeks == [f"{paused} of 156"] * 2


def test_play_and_step_stop_at_the_last_week(workshop_url, page):
    """With Render Interval 9, Play showed "Week 162 of 156"."""
    open_page(page, workshop_url)
    for _ in range(11):  # + quarter, eleven times: week 143
        page.locator(".quarter-button").click()
    expect(page.locator(".value-week")).to_have_text("143 of 156")
    speed(page, "max")
    play_button(page).click()
    expect(page.locator(".value-week")).to_have_text("156 of 156")
    expect(play_button(page)).to_be_disabled()
    expect(page.locator(".step-button")).to_be_disabled()
    expect(page.locator(".quarter-button")).to_be_disabled()
    time.sleep(0.5)
    assert page.locator(".value-week").inner_text() == "156 of 156"


def test_at_1400_by_900_every_lever_shows_without_scrolling_in_the_rooms_words(workshop_url, page):
    """No lever was visible at 1400 x 900; developer controls and code words were on the page."""
    open_page(page, workshop_url)
    levers = page.locator(".lever")
    assert levers.count() == 9
    for k in range(levers.count()):
        box = levers.nth(k).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= ROOM["height"], k
    assert page.locator(".play-button").bounding_box()["y"] < 200
    text = page.locator("body").inner_text()
    assert not CODE_WORDS.search(text), CODE_WORDS.search(text)
    expect(page.locator(".seed input")).to_have_value("1")  # the luck shows its value
    share = page.locator(".lever-coaching_share")
    expect(share.locator(".lever-value")).to_have_text("16%")
    expect(share).not_to_contain_text("0.16")


def test_bookings_are_a_real_figure_at_week_0(workshop_url, page):
    open_page(page, workshop_url)
    bookings = page.locator(".value-bookings").inner_text()
    assert re.fullmatch(r"\d+\.\d M\$", bookings) and float(bookings.split()[0]) > 0


def test_nothing_covers_the_leaving_legend(workshop_url, page):
    """Solara's badge covered the "let go or fired" legend."""
    page.set_viewport_size({"width": 1400, "height": 1900})
    open_page(page, workshop_url)
    assert page.get_by_text("This website runs on").count() == 0
    legend = page.locator(".chart-leaving .legend-item", has_text="let go or fired")
    box = legend.bounding_box()
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.legend-item')?.innerText",
        [box["x"] + box["width"] - 4, box["y"] + box["height"] / 2],
    )
    assert on_top is not None and "let go or fired" in on_top


def test_the_network_legend_names_second_line_managers(workshop_url, page):
    """The network's triangles (second-line managers) were not in its legend."""
    open_page(page, workshop_url)
    legend = page.locator(".chart-network .network-legend")
    expect(legend).to_contain_text("second-line manager")
    triangles = page.locator(".chart-network svg polygon")
    assert triangles.count() > 0


def test_a_lever_moved_mid_run_bends_the_live_charts(workshop_url, page):
    open_page(page, workshop_url)
    step(page, 1)
    selling_before = percent(page, ".headline .value-selling")
    chart_before = page.locator(".chart-week svg").inner_html()
    slider = page.locator(".lever-ask_hours [role=slider]")
    slider.focus()
    slider.press("End")  # asks from other functions: 3 -> 12 hours a week
    lever = page.locator(".lever-ask_hours")
    was = CONTROL_BY_LEVER["ask_hours"].show(load_scenario("baseline").levers.ask_hours)
    expect(lever.locator(".lever-value")).to_have_text(f"12.0 h (was {was})")
    expect(lever).to_contain_text("takes effect next week")
    step(page, 2)
    eventually(
        lambda: percent(page, ".headline .value-selling") < selling_before - 0.10,
        lambda: (selling_before, page.locator(".headline").inner_text(), lever.inner_text()),
    )
    eventually(lambda: page.locator(".chart-week svg").inner_html() != chart_before)
    expect(page.locator(".events")).to_contain_text(
        "week 2: workshop: Hours asked of each seller a week: 12.0 h"
    )
    expect(lever).not_to_contain_text("takes effect next week")


def test_go_back_to_a_week_and_undo_a_move(workshop_url, page):
    open_page(page, workshop_url)
    page.locator(".quarter-button").click()
    expect(page.locator(".value-week")).to_have_text("13 of 156")
    slider = page.locator(".lever-approval_steps [role=slider]")
    slider.focus()
    slider.press("Home")  # no approvals from week 14
    page.locator(".quarter-button").click()
    expect(page.locator(".value-week")).to_have_text("26 of 156")
    expect(page.locator(".events")).to_contain_text("week 14: workshop: Approvals a deal needs: 0")
    undo = page.locator(".undo-button")
    expect(undo).to_contain_text("week 14")
    undo.click()
    expect(page.locator(".value-week")).to_have_text("13 of 156")
    expect(page.locator(".lever-approval_steps .lever-value")).to_have_text("3")
    expect(page.locator(".events")).to_have_count(0)
    expect(undo).to_be_disabled()
    page.locator(".back-week input").fill("5")
    page.locator(".back-button").click()
    expect(page.locator(".value-week")).to_have_text("5 of 156")


def test_projector_mode_shows_four_big_charts_and_the_trainers_controls(workshop_url, page):
    open_page(page, workshop_url)
    page.locator(".projector-button").click()
    expect(page.locator(".lever")).to_have_count(0)
    charts = page.locator(".chart")
    expect(charts).to_have_count(4)
    for name in ("week", "quota", "bookings", "leaving"):  # all on one screen
        box = page.locator(f".chart-{name}").bounding_box()
        assert box["y"] >= 60 and box["y"] + box["height"] <= ROOM["height"], name
    size = page.locator(".value-week").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 48  # readable from the back
    for control in (".play-button", ".step-button", ".speed"):
        box = page.locator(control).bounding_box()
        assert box["y"] + box["height"] <= ROOM["height"]
    page.locator(".projector-button").click()
    expect(page.locator(".lever")).to_have_count(9)


def test_show_luck_shades_the_range_other_seeds_give(workshop_url, page):
    open_page(page, workshop_url)
    page.locator(".quarter-button").click()
    expect(page.locator(".value-week")).to_have_text("13 of 156")
    page.locator(".luck-button").click()
    band = page.locator(".chart-quota svg polygon.luck")
    expect(band).to_have_count(1)
    expect(page.locator(".chart-quota .legend")).to_contain_text("8 in 10 other lucks fall here")
    step(page, 14)  # the band grows with the run
    expect(page.locator(".chart-quota svg polygon.luck")).to_have_count(1)
    page.locator(".luck-button").click()
    expect(page.locator(".chart-quota svg polygon.luck")).to_have_count(0)


def test_one_click_downloads_the_session(workshop_url, page, tmp_path):
    open_page(page, workshop_url)
    page.locator(".quarter-button").click()
    expect(page.locator(".value-week")).to_have_text("13 of 156")
    with page.expect_download() as download:
        page.locator(".download-button").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "workshop-baseline-seed1-week13.zip"
    with zipfile.ZipFile(path) as pack:
        assert {"summary.html", "weekly.csv", "events.csv", "charts/week.svg"} <= set(
            pack.namelist()
        )
        assert len(pack.read("weekly.csv").decode().splitlines()) == 1 + 14


def test_side_by_side_runs_two_organizations_in_step(workshop_url, page):
    open_page(page, workshop_url + "side-by-side")
    expect(page.locator(".value-week")).to_have_text(["0 of 156", "0 of 156"])
    for n in (1, 2):
        step(page, n, sides=2)

    def in_step():  # both sides drawn at the same week (the same people, the same luck)
        now = [page.locator(f".headline-{s} .value").all_inner_texts() for s in ("left", "right")]
        same = len(now[0]) == len(now[1]) == 6 and now[0][0] == now[1][0]
        return now[0] if same and now[0][4].endswith("of 150") else None

    left = eventually(in_step)
    assert left[0] == "2 of 156"
    expect(page.locator(".title-left")).to_have_text("fire-low-performers")
    expect(page.locator(".title-right")).to_have_text("fix-the-organization")
    seed = page.locator(".seed input")
    seed.fill("7")
    seed.press("Enter")  # other luck, both sides, the same week

    other = eventually(lambda: (now := in_step()) != left and now, "redrawn with other luck")
    assert other[0] == "2 of 156"
