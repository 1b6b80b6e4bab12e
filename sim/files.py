"""Output folders: nothing a user made is touched, nothing half-written is left behind.

Every folder the tool writes holds a small manifest, `.salesorg.json`: the kind of command
that wrote it, its spec (what was computed: the same command again finds its own folder)
and the files it wrote. The rules, checked before any work starts:

- a folder that does not exist yet, or is empty, is used;
- `--out` at a file, under a file, with a name the file system cannot hold, or where
  nothing can be written is refused;
- a non-empty folder this tool did not write is refused; with `--force` the tool writes
  beside what is there, and never over a file it did not write;
- a folder of the same kind and spec is reused (a sweep or comparison resumes there);
  another spec of a run or diagnosis is replaced, of a sweep or comparison (whose journal
  holds finished work) refused unless `--force`; in every case only the files the
  manifest lists are replaced or removed;
- without `--out` the default folder is used if it is free or holds the same spec, else
  the next free `NAME-2`, `NAME-3`, ...

Files are written into a hidden scratch folder (`.salesorg-scratch-*`, made up front in
the nearest existing folder: that is the check that the place is writable) and moved into
place at the end. The scratch folder is removed on every exit path; one left by a killed
process (its lock is free) is swept up the next time a command writes there.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # not on POSIX: no locks, no sweeping of stale scratch folders
    fcntl = None

MANIFEST = ".salesorg.json"
LOCK = ".salesorg.lock"
SCRATCH_PREFIX = ".salesorg-scratch-"
TOOL = "salesorg-sim"
#: kinds whose folder holds a journal of finished runs: another spec there is refused
JOURNALED = ("compare", "sweep")
KIND_WORDS = {
    "run": "a run",
    "compare": "a comparison",
    "sweep": "a sweep",
    "diagnose": "a diagnosis",
    "assumptions": "an assumption audit",
}


class OutputError(ValueError):
    """An output location was refused; the message is meant for the user."""


def keep_note(exc: BaseException, note: str) -> None:
    """Say what an interrupted or failed command kept (instead of "nothing was written")."""
    exc.salesorg_kept = note  # type: ignore[attr-defined]


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a folder this tool wrote, or None if it has none."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("tool") != TOOL:
        raise OutputError(
            f"{path}: damaged manifest (not written by {TOOL}, or cut short): "
            "use another --out, or remove that file if the folder is yours"
        )
    data.setdefault("files", [])
    return data


def write_manifest(folder: Path, kind: str, spec: dict[str, Any], files: Iterable[str]) -> None:
    """Write (atomically) the manifest: the kind, the spec and the files the tool wrote."""
    folder = Path(folder)
    data = {"tool": TOOL, "kind": kind, "spec": spec, "files": sorted(set(files) - {MANIFEST})}
    scratch = folder / f"{MANIFEST}.tmp"
    scratch.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    scratch.replace(folder / MANIFEST)


def record_files(folder: Path, names: Iterable[str]) -> None:
    """Add files just written to a folder's manifest."""
    manifest = read_manifest(folder)
    if manifest is not None:
        files = {*manifest["files"], *names}
        write_manifest(folder, manifest["kind"], manifest["spec"], files)


def _is_empty(folder: Path) -> bool:
    return not any(folder.iterdir())


def shown(path: Path) -> str:
    """A path as a message shows it: a very long one cut in the middle."""
    text = str(path)
    return text if len(text) <= 80 else f"{text[:40]}...{text[-30:]}"


def _exists(path: Path) -> bool:
    """Whether `path` exists; a name too long to exist does not."""
    try:
        return path.exists()
    except OSError:
        return False


def _nearest_existing(path: Path) -> Path:
    """The nearest folder up from `path` that exists; refuses a file on the way."""
    path = Path(path)
    for candidate in [path, *path.parents]:
        if _exists(candidate):
            if not candidate.is_dir():
                where = "this is" if candidate == path else f"{candidate} is"
                raise OutputError(f"--out {path}: {where} a file, not a folder; give a folder")
            return candidate
    return Path(Path(os.path.abspath(path)).anchor)


def _check_names(path: Path, existing: Path) -> None:
    """Refuse folder names the file system cannot hold."""
    try:
        longest = os.pathconf(existing, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        longest = 255
    relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(existing))
    for part in relative.parts:
        if len(os.fsencode(part)) > longest:
            raise OutputError(
                f"--out {shown(path)}: a name of {len(os.fsencode(part))} "
                f"characters ({part[:12]}...); this file system allows at most {longest}"
            )


def _claim(target: Path, kind: str, spec: dict[str, Any], force: bool, writes: set[str]) -> str:
    """How `target` may be used: "new", "same" (same kind and spec) or "replace"; or refuse."""
    if not _exists(target):
        return "new"
    if not target.is_dir():
        raise OutputError(f"--out {target}: this is a file, not a folder; give a folder")
    if _is_empty(target):
        return "new"
    manifest = read_manifest(target)
    owned = set(manifest["files"]) if manifest else set()
    theirs = sorted(
        p.name
        for p in target.iterdir()
        if p.name not in owned | {MANIFEST, LOCK} and not p.name.startswith(SCRATCH_PREFIX)
    )
    if not theirs and manifest is None:
        return "new"
    if manifest is None and not force:
        shown = ", ".join(theirs[:3]) + (", ..." if len(theirs) > 3 else "")
        raise OutputError(
            f"--out {target}: this folder holds files {TOOL} did not write ({shown}); "
            "give a new folder, or add --force to write beside them (they are kept)"
        )
    clash = sorted(writes & set(theirs))
    if clash:
        raise OutputError(
            f"--out {target}: {clash[0]} there was not written by {TOOL} and would be "
            "overwritten; move it away or give another folder"
        )
    if manifest is None:
        return "replace"
    if manifest.get("kind") == kind and manifest.get("spec") == spec:
        return "same"
    if force:
        return "replace"
    held = KIND_WORDS.get(manifest.get("kind"), "another command's output")
    if manifest.get("kind") != kind:
        raise OutputError(
            f"--out {target}: this folder holds {held}, not {KIND_WORDS[kind]}; "
            "give another folder, or add --force to replace what it holds"
        )
    if kind in JOURNALED:
        raise OutputError(
            f"--out {target}: this folder holds {held} of other scenarios, levers or "
            "design, whose finished runs would be lost; give another folder, or add "
            "--force to replace it"
        )
    return "replace"


def normal(spec: dict[str, Any]) -> dict[str, Any]:
    """A spec as its manifest holds it (tuples become lists), so that the two compare equal."""
    return json.loads(json.dumps(spec))


def free_folder(default: Path, kind: str, spec: dict[str, Any]) -> Path:
    """The default output folder, or the first of `NAME-2`, `NAME-3`, ... that is free."""
    default, spec = Path(default), normal(spec)
    for n in range(1, 10_000):
        candidate = default if n == 1 else default.with_name(f"{default.name}-{n}")
        if not candidate.exists() or (candidate.is_dir() and _is_empty(candidate)):
            return candidate
        if candidate.is_dir():
            with contextlib.suppress(OutputError):
                manifest = read_manifest(candidate)
                if manifest and manifest.get("kind") == kind and manifest.get("spec") == spec:
                    return candidate
    raise OutputError(f"{default}: no free folder from -2 to -9999; give --out")


def _lock(path: Path) -> Any:
    """An open file holding an exclusive lock, or None if another process holds it."""
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the process's life)
    if fcntl is None:
        return handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def sweep_stale_scratch(folder: Path) -> list[Path]:
    """Remove scratch folders left by killed processes (their lock is free) in `folder`."""
    removed = []
    if fcntl is None or not Path(folder).is_dir():
        return removed
    for scratch in Path(folder).glob(f"{SCRATCH_PREFIX}*"):
        lock = scratch / ".lock"
        if not scratch.is_dir() or not lock.is_file():
            continue
        handle = _lock(lock)
        if handle is not None:  # nobody holds it: its process is gone
            handle.close()
            shutil.rmtree(scratch, ignore_errors=True)
            removed.append(scratch)
    return removed


@contextlib.contextmanager
def folder_lock(folder: Path, what: str = "another salesorg command") -> Iterator[None]:
    """Hold the folder's lock for the block; refuse if another process holds it."""
    path = Path(folder) / LOCK
    handle = _lock(path)
    if handle is None:
        try:
            holder = path.read_text(encoding="utf-8").strip() or "?"
        except OSError:
            holder = "?"
        raise OutputError(
            f"{folder}: {what} is writing here (process {holder}); wait for it to "
            "finish, or give another --out"
        )
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def deferred_signals() -> Iterator[Callable[[], None]]:
    """Hold Ctrl-C and SIGTERM during the block; deliver them at its end or when asked.

    Yields a function that delivers a held signal now (at a safe point, e.g. between two
    weeks of compiled code, where an exception cannot strike mid-call).
    """
    caught: list[int] = []
    try:
        old = {s: signal.signal(s, lambda n, _: caught.append(n)) for s in _SIGNALS}
    except ValueError:  # not the main thread: signals are not ours to hold
        yield lambda: None
        return

    def deliver() -> None:
        if caught:
            number = caught.pop(0)
            caught.clear()
            for held, handler in old.items():
                signal.signal(held, handler)
            signal.raise_signal(number)

    try:
        yield deliver
    finally:
        for number, handler in old.items():
            signal.signal(number, handler)
        deliver()


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class OutputFolder:
    """A checked output folder and the scratch folder its files are written to.

    Use as a context manager: entering checks the place (and makes the scratch folder),
    `scratch` receives the files, `commit()` moves them into place; leaving, by any path,
    removes the scratch folder.
    """

    def __init__(
        self,
        target: Path,
        kind: str,
        spec: dict[str, Any],
        *,
        force: bool = False,
        writes: Iterable[str] = (),
    ) -> None:
        """Remember what is to be written where; nothing is checked until entered."""
        self.target = Path(target)
        self.kind, self.spec, self.force = kind, normal(spec), force
        self.writes = set(writes)
        self.state = ""
        self.replacing = False
        self.existing = Path()
        self._made = False
        self.scratch = Path()
        self._root: Path | None = None
        self._handle: Any = None

    def check(self) -> OutputFolder:
        """Refuse the place now (see the module's rules); nothing is written."""
        existing = _nearest_existing(self.target)
        if existing == self.target:  # the scratch folder goes beside it
            existing = self.target.parent
        _check_names(self.target, existing)
        sweep_stale_scratch(existing)
        self.state = _claim(self.target, self.kind, self.spec, self.force, self.writes)
        self.replacing = self.state == "replace" and read_manifest(self.target) is not None
        self.existing = existing
        return self

    def __enter__(self) -> OutputFolder:
        """Check the place and make the scratch folder beside it (the proof it is writable)."""
        self.check()
        prefix = f"{SCRATCH_PREFIX}{os.getpid()}-"
        try:
            self._root = Path(tempfile.mkdtemp(prefix=prefix, dir=self.existing))
            self._handle = _lock(self._root / ".lock")
            self.scratch = self._root / "out"
            self.scratch.mkdir()
        except OSError as exc:
            self._cleanup()
            raise OutputError(
                f"--out {self.target}: cannot write in {self.existing}: {exc.strerror or exc}"
            ) from None
        return self

    def __exit__(self, kind: type | None, *exc: object) -> None:
        """Remove the scratch folder, whatever happened (and a folder made for nothing)."""
        self._cleanup()
        if kind is not None and self._made:
            self._remove_if_idle()

    def _remove_if_idle(self) -> None:
        """Remove the folder `open_now` made if it holds nothing but empty bookkeeping."""
        with contextlib.suppress(OSError):
            entries = list(self.target.iterdir())
            idle = all(
                p.name in (MANIFEST, LOCK) or (p.is_file() and p.stat().st_size == 0)
                for p in entries
            )
            if idle:
                shutil.rmtree(self.target)

    def _cleanup(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def open_now(self, files: Iterable[str] = ()) -> None:
        """Make the folder now, for `files` written into it as runs finish (a journal)."""
        if self.state == "replace":
            self._remove_owned(keep=())
        self._made = self.state == "new"
        self.target.mkdir(parents=True, exist_ok=True)
        manifest = read_manifest(self.target)
        owned = manifest["files"] if manifest and self.state == "same" else []
        write_manifest(self.target, self.kind, self.spec, [*owned, *files])
        self.state = "same"

    def _remove_owned(self, keep: Iterable[str]) -> None:
        manifest = read_manifest(self.target) if self.target.is_dir() else None
        for name in set(manifest["files"] if manifest else ()) - set(keep):
            path = self.target / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def commit(self, keep: Iterable[str] | str = ()) -> Path:
        """Move the scratch files into place; only the tool's own earlier files go.

        Args:
            keep: files of the folder's earlier output to keep although not rewritten
                (a journal written in place), or "all" to only add and replace files.

        """
        written = sorted(p.name for p in self.scratch.iterdir())
        if keep == "all":
            manifest = read_manifest(self.target) if self.target.is_dir() else None
            keep = manifest["files"] if manifest else ()
        with deferred_signals():
            if not self.target.exists():
                write_manifest(self.scratch, self.kind, self.spec, written)
                self.target.parent.mkdir(parents=True, exist_ok=True)
                self.scratch.rename(self.target)
                return self.target
            manifest = read_manifest(self.target)
            kept = set(keep) & set(manifest["files"] if manifest else ())
            if self.state != "new":
                self._remove_owned(keep=[*written, *kept])
            for name in written:
                os.replace(self.scratch / name, self.target / name)
            write_manifest(self.target, self.kind, self.spec, [*written, *kept])
        return self.target


def write_folder(
    target: Path,
    kind: str,
    spec: dict[str, Any],
    write: Callable[[Path], None],
    *,
    force: bool = False,
    writes: Iterable[str] = (),
) -> Path:
    """Check `target`, let `write` fill a scratch folder, and move its files into place."""
    with OutputFolder(target, kind, spec, force=force, writes=writes) as folder:
        write(folder.scratch)
        return folder.commit()
