"""Output folders: a user's files are never touched, refusals come before the work, no leftovers."""

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.files import MANIFEST, SCRATCH_PREFIX
from tests.conftest import salesorg

SMALL = ["--weeks", "5", "--set", "n_sellers=20", "--quiet"]


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(SCRATCH_PREFIX))


def refused(result, *words):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_a_folder_of_the_users_files_is_refused_and_left_alone(tmp_path, cli):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "thesis.txt").write_text("x")
    for command in (["run", "baseline"], ["compare", "baseline", "--replications", "2"]):
        result = cli(*command, *SMALL, "--out", str(folder))
        refused(result, "thesis.txt", "did not write", "--force")
    assert [p.name for p in folder.iterdir()] == ["thesis.txt"]
    assert hidden(tmp_path) == []


def test_force_writes_beside_the_users_files_and_replaces_only_the_tools(tmp_path, cli):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "thesis.txt").write_text("x")
    assert cli("run", "baseline", *SMALL, "--out", str(folder), "--force").returncode == 0
    assert (folder / "thesis.txt").read_text() == "x" and (folder / "report.html").exists()
    again = cli("run", "friction-heavy", *SMALL, "--out", str(folder))
    assert again.returncode == 0, again.stderr
    assert "replaced the earlier run" in again.stderr
    assert (folder / "thesis.txt").read_text() == "x"
    assert "friction-heavy" in (folder / "report.html").read_text()


def test_force_never_overwrites_a_file_the_tool_did_not_write(tmp_path, cli):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "report.html").write_text("my own report")
    refused(cli("run", "baseline", *SMALL, "--out", str(folder), "--force"), "report.html")
    assert (folder / "report.html").read_text() == "my own report"


def test_out_at_a_file_or_under_a_file_is_refused_every_time(tmp_path, cli):
    target = tmp_path / "f"
    target.write_text("mine")
    for _ in range(2):
        refused(cli("run", "baseline", *SMALL, "--out", str(target)), "is a file")
        refused(cli("run", "baseline", *SMALL, "--out", str(target / "x")), "is a file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"] and target.read_text() == "mine"


def test_without_out_a_folder_holding_other_results_is_never_reused(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    scenario = "baseline"
    assert cli("run", scenario, *SMALL).returncode == 0
    first = (tmp_path / "results" / "baseline" / "weekly.csv").read_bytes()
    same = cli("run", scenario, *SMALL)  # the same run: its own folder
    other = cli("run", scenario, *SMALL, "--seed", "2")
    assert same.returncode == 0 and other.returncode == 0, other.stderr
    assert "results/baseline-2/report.html" in other.stdout
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["baseline", "baseline-2"]
    assert (tmp_path / "results" / "baseline" / "weekly.csv").read_bytes() == first
    (tmp_path / "results" / "mine").mkdir()
    (tmp_path / "results" / "mine" / "a.txt").write_text("mine")
    assert cli("run", scenario, *SMALL, "--out", "results").returncode == 2


def test_a_name_the_file_system_cannot_hold_is_refused_up_front_and_250_characters_work(
    tmp_path, cli
):
    refused(cli("run", "baseline", *SMALL, "--out", str(tmp_path / ("a" * 300))), "300")
    long = tmp_path / ("b" * 250)
    done = cli("run", "baseline", *SMALL, "--out", str(long))
    assert done.returncode == 0, done.stderr
    assert (long / "report.html").exists() and hidden(tmp_path) == []


def make_unwritable(folder: Path) -> bool:
    """Make `folder` unwritable (as root, chattr +i); False if this system cannot."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    return subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0


def writable_again(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_an_unwritable_place_is_refused_before_any_run(tmp_path, monkeypatch, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    if not make_unwritable(locked):
        pytest.skip("cannot make a folder unwritable here")
    import sim.experiments.runner as runner

    def must_not_run(*args, **kwargs):
        raise AssertionError("ran before checking the output")

    monkeypatch.setattr(runner, "run_scenario", must_not_run)
    try:
        assert main(["run", "baseline", *SMALL, "--out", str(locked / "out")]) == 2
    finally:
        writable_again(locked)
    assert "cannot write in" in capsys.readouterr().err
    assert list(locked.iterdir()) == []


def test_too_little_disk_space_is_refused_before_any_run(tmp_path, monkeypatch, capsys):
    import sim.experiments.sizes as sizes

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(sizes.shutil, "disk_usage", lambda path: usage(10**6, 10**6 - 10, 10))
    assert main(["run", "baseline", *SMALL, "--out", str(tmp_path / "out")]) == 2
    assert "on disk" in capsys.readouterr().err and list(tmp_path.iterdir()) == []


def long_run(out: Path) -> subprocess.Popen:
    """A run long enough to be stopped while it works."""
    args = ["run", "baseline", "--weeks", "2080", "--set", "n_sellers=2000", "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-m", "sim.cli", *args, "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_scratch(folder: Path, proc: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while time.time() < deadline and not hidden(folder) and proc.poll() is None:
        time.sleep(0.05)
    assert hidden(folder), "the scratch folder never appeared"
    time.sleep(0.5)  # into the run


@pytest.mark.parametrize(
    ("number", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
    ids=["ctrl-c", "sigterm"],
)
def test_an_interrupted_run_leaves_no_scratch_and_no_partial_folder(tmp_path, number, code, said):
    proc = long_run(tmp_path / "out")
    wait_for_scratch(tmp_path, proc)
    proc.send_signal(number)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert f"{said}; nothing was written" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_scratch_folder_left_by_sigkill_is_swept_up_on_the_next_start(tmp_path):
    proc = long_run(tmp_path / "out")
    wait_for_scratch(tmp_path, proc)
    proc.kill()
    proc.communicate(timeout=60)
    assert hidden(tmp_path)  # killed: nothing could clean up
    assert salesorg("run", "baseline", *SMALL, "--out", str(tmp_path / "next")).returncode == 0
    assert hidden(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["next"]


def test_a_failure_at_the_end_keeps_the_finished_runs(tmp_path, monkeypatch, capsys):
    import sim.reports.compare_report as report

    out = tmp_path / "cmp"
    args = [
        "compare",
        "baseline",
        "friction-heavy",
        "--replications",
        "2",
        *SMALL,
        "--workers",
        "1",
    ]
    real = report.write_comparison_files

    monkeypatch.setattr(report, "write_comparison_files", disk_full)
    assert main([*args, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "4 finished runs are kept" in err
    assert len((out / "runs.jsonl").read_text().splitlines()) == 4
    monkeypatch.setattr(report, "write_comparison_files", real)
    import sim.experiments.replications as replications

    monkeypatch.setattr(replications, "run_tasks", lambda *a, **k: iter(()))  # no run again
    assert main([*args, "--out", str(out)]) == 0
    assert len(pd.read_csv(out / "runs.csv")) == 4 and (out / "report.html").exists()


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_write_leaves_no_scratch_and_no_partial_folder(tmp_path, monkeypatch, capsys):
    """The plots fail after weekly.csv, people.csv and summary.json were written: none of them
    reaches --out, the scratch folder goes, and an earlier run there is left whole."""
    import sim.reports.run_report as report

    out = tmp_path / "r"
    monkeypatch.setattr(report, "run_figures", disk_full)
    assert main(["run", "baseline", *SMALL, "--out", str(out)]) == 1
    assert "No space left on device; nothing was written" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    assert main(["run", "baseline", *SMALL, "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(before) == 9  # the eight files and the manifest
    monkeypatch.setattr(report, "run_figures", disk_full)
    assert main(["run", "baseline", *SMALL, "--seed", "2", "--out", str(out)]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert hidden(tmp_path) == []


def test_write_folder_removes_its_scratch_folder_when_the_write_fails(tmp_path):
    from sim.files import write_folder

    def stopped_by(error):
        def write(folder: Path) -> None:
            (folder / "a.csv").write_text("1,2\n")  # half of the output, then the failure
            raise error

        return write

    failures = (OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt())
    for error in failures:
        with pytest.raises(type(error)):
            write_folder(tmp_path / "out", "run", {"seed": 1}, stopped_by(error))
        assert list(tmp_path.iterdir()) == []
    done = write_folder(
        tmp_path / "out", "run", {"seed": 1}, lambda f: (f / "a.csv").write_text("x")
    )
    assert sorted(p.name for p in done.iterdir()) == [MANIFEST, "a.csv"]
    assert hidden(tmp_path) == []


def test_every_output_folder_has_a_manifest_listing_what_the_tool_wrote(tmp_path):
    out = tmp_path / "r"
    assert main(["run", "baseline", *SMALL, "--out", str(out)]) == 0
    import json

    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["kind"] == "run"
    assert set(manifest["files"]) == {p.name for p in out.iterdir()} - {MANIFEST}
    shutil.rmtree(out)
