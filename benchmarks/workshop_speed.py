"""Play speed of the workshop page in a real browser: weeks a second the room sees.

Starts `salesorg workshop` (150 sellers: the baseline) on a free port, opens it in
Debian's chromium through Playwright, picks a speed, presses Play and reads the week shown
on the page as it plays. The figure is the weeks the *page showed* per second of wall
clock, between the first and the last change seen, so it counts the model, the drawing,
the trip to the browser and the browser's own drawing.

    .venv/bin/python benchmarks/workshop_speed.py                 # max, then 5 and 20
    .venv/bin/python benchmarks/workshop_speed.py --speeds max --seconds 20
    .venv/bin/python benchmarks/workshop_speed.py --page side-by-side
    .venv/bin/python benchmarks/workshop_speed.py --projector
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from sim.workshop.launch import free_port

ROOT = Path(__file__).parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def serve() -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "workshop", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return server, url
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"salesorg workshop did not answer on {url}")


def shown_week(page) -> int:
    text = page.locator(".value-week").first.inner_text()
    return int(re.match(r"\s*(\d+)", text).group(1))


def measure(page, speed: str, seconds: float) -> tuple[float, int, int]:
    """Weeks a second shown while playing at `speed` for up to `seconds`."""
    if shown_week(page):
        page.locator(".back-week input").fill("0")
        page.get_by_role("button", name="Go back").click()
        page.wait_for_function(
            "() => document.querySelector('.value-week').innerText.startsWith('0 ')"
        )
    page.locator(".speed").get_by_role("button", name=speed, exact=True).click()
    page.get_by_role("button", name="Play").click()
    seen: list[tuple[float, int]] = []
    end = time.perf_counter() + seconds
    last = 0
    while time.perf_counter() < end:
        week = shown_week(page)
        if week != last:
            seen.append((time.perf_counter(), week))
            last = week
        if week >= 156:
            break
        time.sleep(0.02)
    if last < 156:
        page.locator(".play-button").click()  # pause
    if len(seen) < 2:
        return 0.0, 0, last
    (t0, w0), (t1, w1) = seen[0], seen[-1]
    return (w1 - w0) / (t1 - t0), w1 - w0, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speeds", nargs="+", default=["max", "5", "20"])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--page", default="", help="'' (one organization) or side-by-side")
    parser.add_argument("--projector", action="store_true", help="in projector mode")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    server, url = serve()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.set_default_timeout(30_000)
            page.goto(url + args.page)
            page.locator(".value-week").first.wait_for()
            if args.projector:
                page.locator(".projector-button").click()
                page.locator(".chart-week").wait_for()
            mode = " in projector mode" if args.projector else ""
            print(f"page /{args.page}{mode} at {args.width}x{args.height}, 150 sellers (baseline)")
            for speed in args.speeds:
                rate, weeks, _ = measure(page, speed, args.seconds)
                print(f"  speed {speed:>3}: {rate:5.1f} weeks a second shown ({weeks} weeks)")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
