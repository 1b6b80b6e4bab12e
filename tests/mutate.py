"""Mutation testing of the mechanics and the experiment layer with mutmut (`make mutate`).

    python tests/mutate.py                       # both targets, every mutant (about an hour)
    python tests/mutate.py mechanics --ending 7  # the tenth whose number ends in 7 (CI)
    python tests/mutate.py experiments --jobs 2

mutmut 3 copies the package into `mutants/` and puts each function behind a trampoline
that switches between the original and its mutants. It leaves decorated functions alone,
which is why the kernels are compiled by a call at the end of their module, not by a
decorator. The trampolines are plain Python, so the mechanics run with numba's JIT off
(`NUMBA_DISABLE_JIT=1`); their tests use small organizations and run in seconds that way.
The experiment layer keeps the JIT on: its kernels are not mutated.

mutmut reads its settings from `pyproject.toml` in the folder it runs in, so each target
runs in its own staging folder, `build/mutation/TARGET/`, a copy of the package, the tests
and the scenarios with the target's `[tool.mutmut]` section. A rerun resumes: mutmut keeps
each mutant's result until the source it came from changes.

The score is killed / all mutants. A survivor is accepted only when it is listed in
`tests/mutation_equivalents.toml` (the function, the line before and after the change, and
why the change cannot be observed); every entry is also in `docs/testing.md`. The run exits 1
when the mechanics score is below 85% or a mechanics survivor is not accepted.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.toml"
GOAL = 0.85
DETECTED = ("killed", "timeout")  # a mutant that makes the tests hang is caught too


@dataclass(frozen=True)
class Target:
    """What one mutmut run mutates, which tests judge it, and whether the JIT stays on."""

    mutate: tuple[str, ...]
    tests: tuple[str, ...]
    skip: tuple[str, ...]  # files left alone: their tests take minutes a run
    jit: bool
    gated: bool  # its score and survivors decide the exit code


TARGETS = {
    "mechanics": Target(
        mutate=("sim/model/mechanics/*", "sim/model/week.py"),
        skip=(),
        tests=(
            "tests/test_kernels.py",
            "tests/test_time_budget.py",
            "tests/test_pipeline.py",
            "tests/test_coaching.py",
            "tests/test_initiatives.py",
            "tests/test_people.py",
            "tests/test_money.py",
        ),
        jit=False,
        gated=True,
    ),
    "experiments": Target(
        mutate=("sim/experiments/*",),
        # calibration: six seeds of every scenario; inference: an ABC-SMC run, a minute each
        skip=("sim/experiments/calibration.py", "sim/experiments/inference.py"),
        tests=(
            "tests/test_compare.py",
            "tests/test_sweep.py",
            "tests/test_journal.py",
            "tests/test_sensitivity.py",
            "tests/test_pricing.py",
            "tests/test_posterior.py",
            "tests/test_shapley.py",
            "tests/test_limits.py",
        ),
        jit=True,
        gated=False,
    ),
}

_RESULT = re.compile(r"^\s+(\S+): (.+)$")


def stage(name: str, target: Target) -> Path:
    """Copy the package, tests and scenarios into the target's staging folder."""
    folder = ROOT / "build" / "mutation" / name
    folder.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc", ".hypothesis")
    for part in ("sim", "tests", "scenarios"):  # exactly the project's (mtimes kept)
        shutil.rmtree(folder / part, ignore_errors=True)
        shutil.copytree(ROOT / part, folder / part, ignore=ignore)
    settings = [
        "",
        "[tool.mutmut]",
        'source_paths = ["sim/"]',
        'also_copy = ["scenarios/"]',
        f"only_mutate = {list(target.mutate)!r}",
        f"do_not_mutate = {list(target.skip)!r}",
        # a mutant that loops for ever waits out its timeout: 4x the tests' time is plenty
        "timeout_multiplier = 4.0",
        f"pytest_add_cli_args_test_selection = {list(target.tests)!r}",
        "pytest_add_cli_args = "
        '["-p", "no:cacheprovider", "-W", "ignore::RuntimeWarning", "-m", "not heavy"]',
        "",
    ]
    text = (ROOT / "pyproject.toml").read_text()
    (folder / "pyproject.toml").write_text(text + "\n".join(settings).replace("'", '"'))
    return folder


def mutmut(folder: Path, target: Target, *args: str, capture: bool = False) -> str:
    """Run one mutmut command in the staging folder."""
    env = dict(os.environ)
    if not target.jit:
        env["NUMBA_DISABLE_JIT"] = "1"
    exe = Path(sys.executable).with_name("mutmut")
    done = subprocess.run(
        [str(exe), *args], cwd=folder, env=env, text=True, capture_output=capture, check=False
    )
    if done.returncode not in (0, 1) and not capture:
        raise SystemExit(f"mutmut {' '.join(args[:1])} failed (exit {done.returncode})")
    return done.stdout if capture else ""


def sample(ending: str | None) -> list[str]:
    """mutmut's filter for the mutants whose number ends in `ending` (a tenth per digit)."""
    if ending is None:
        return []
    if not ending.isdigit():
        raise SystemExit(f"--ending takes digits, not {ending!r}")
    return [f"*__mutmut_{ending}", f"*__mutmut_*{ending}"]


def results(folder: Path, target: Target) -> dict[str, str]:
    """Every mutant with a result, and its status (killed, survived, no tests, ...)."""
    listing = mutmut(folder, target, "results", "--all", "true", capture=True)
    return {m[1]: m[2] for line in listing.splitlines() if (m := _RESULT.match(line))}


def change_of(folder: Path, target: Target, mutant: str) -> tuple[str, str]:
    """The mutated line before and after, whitespace squeezed, from `mutmut show`."""
    diff = mutmut(folder, target, "show", mutant, capture=True).splitlines()
    squeeze = lambda lines: " / ".join(" ".join(line[1:].split()) for line in lines)  # noqa: E731
    before = [line for line in diff if line.startswith("-") and not line.startswith("---")]
    after = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
    return squeeze(before), squeeze(after)


def function_of(mutant: str) -> str:
    """`a.b.x_f__mutmut_9` -> `a.b.f`; `a.b.xǁClassǁmethod__mutmut_2` -> `a.b.Class.method`."""
    module, _, mangled = mutant.rpartition(".")
    name = re.sub(r"__mutmut_\d+$", "", mangled)
    name = name.removeprefix("xǁ").replace("ǁ", ".") if name.startswith("xǁ") else name[2:]
    return f"{module}.{name}"


def accepted() -> set[tuple[str, str, str]]:
    """The survivors accepted as equivalent: (function, before, after)."""
    entries = tomllib.loads(EQUIVALENTS.read_text()).get("equivalent", [])
    return {(e["function"], e["before"], e["after"]) for e in entries}


def report(name: str, target: Target, folder: Path, patterns: list[str]) -> bool:
    """Print the score and the survivors; True when a gated target meets its bar."""
    status = results(folder, target)
    if patterns:
        status = {k: v for k, v in status.items() if any(fnmatch(k, p) for p in patterns)}
    waiting = [k for k, v in status.items() if v == "not checked"]  # an interrupted run
    status = {k: v for k, v in status.items() if v != "not checked"}
    if waiting:
        print(f"{name}: {len(waiting)} mutants not run yet (run again to finish them)")
    total = len(status)
    killed = sum(v in DETECTED for v in status.values())
    counts = dict(Counter(status.values()))
    score = killed / total if total else 1.0
    print(f"\n{name}: {killed} of {total} mutants killed, {score:.1%}  {counts}")
    ok_list = accepted()
    unexplained = []
    out = ROOT / "results" / "mutation"
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    for mutant, value in sorted(status.items()):
        if value in DETECTED:
            continue
        before, after = change_of(folder, target, mutant)
        key = (function_of(mutant), before, after)
        known = key in ok_list
        lines.append(f"{mutant}\t{value}\t{'equivalent' if known else 'NOT ACCEPTED'}\n")
        lines.append(f"    - {before}\n    + {after}\n")
        if not known:
            unexplained.append(mutant)
    (out / f"{name}.txt").write_text(
        f"{name}: {killed} of {total} killed ({score:.1%})\n" + "".join(lines)
    )
    equivalent = total - killed - len(unexplained)
    print(f"  survivors accepted as equivalent: {equivalent}; not accepted: {len(unexplained)}")
    print(f"  every survivor with its change: {out / (name + '.txt')}")
    for mutant in unexplained[:40]:
        print(f"    {mutant}")
    if not target.gated:
        return True
    return score >= GOAL and not unexplained


def main(argv: list[str] | None = None) -> int:
    """Run mutmut on the chosen targets and report; exit 1 below the bar."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET", help="mechanics, experiments")
    parser.add_argument(
        "--ending",
        metavar="DIGITS",
        help="only the mutants whose number ends in DIGITS: one digit, a tenth of them",
    )
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run again only the mutants that survived last time (after adding tests)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="PATTERN",
        help="run only the mutants whose name matches PATTERN (a glob; may be repeated)",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel mutants")
    args = parser.parse_args(argv)
    unknown = [name for name in args.targets if name not in TARGETS]
    if unknown:
        parser.error(f"unknown target {unknown[0]!r}; choose from {', '.join(TARGETS)}")
    passed = True
    for name in args.targets or list(TARGETS):
        target = TARGETS[name]
        (ROOT / "build" / "mutation").mkdir(parents=True, exist_ok=True)
        lock = open(ROOT / "build" / "mutation" / f"{name}.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            busy = f"another mutation run of {name} is going on in build/mutation/"
            raise SystemExit(busy) from None
        folder = stage(name, target)
        # mutmut maps each function to the tests that call it once and keeps the map; tests
        # added since would never run against the mutants: map them afresh every time
        (folder / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        patterns = sample(args.ending)
        names = patterns
        if args.survivors:
            names = [k for k, v in results(folder, target).items() if v not in DETECTED]
            names = [k for k in names if not patterns or any(fnmatch(k, p) for p in patterns)]
        if args.only:
            chosen = names if args.survivors else args.only
            names = [k for k in chosen if any(fnmatch(k, p) for p in args.only)]
        if names or not (args.survivors or args.only):
            mutmut(folder, target, "run", "--max-children", str(args.jobs), *names)
        else:
            print(f"{name}: no mutants to run")
        passed &= report(name, target, folder, patterns)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
