"""Throw away numba's cached kernels whenever any kernel source changes.

numba's on-disk cache (``__pycache__/*.nbi`` index and ``*.nbc`` machine code) keys each
``@njit(cache=True)`` function on the modification time and size of the one file that
defines it. Kernels it calls and module-level constants it reads from other files are
compiled into its entry, yet editing those files does not invalidate it: the kernel
silently keeps running the old code (numba issue #1833; numba's docs list it among the
caching limitations). numba has no dependency tracking for caches, so this module keeps
one digest of every numba-using source file of the package, and of the package's modules
they import (constants such as `sim.scenario.levers.SKILL_COMPONENTS` are compiled in),
and, when the digest changes, deletes all the package's numba cache files so that every
kernel is recompiled.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

import numba

STAMP = "numba-kernels.digest"
_USES_NUMBA = re.compile(rb"^(from numba[. ]|import numba\b)", re.M)


def _scan(package_dir: Path) -> tuple[bytes, list[str]]:
    """Digest the package's kernel sources (paths, bytes, numba version); list its caches.

    Kernel sources are the files that import numba and, in turn, the package's modules
    they import at module level (not those imported only for type checking).
    """
    top = os.fspath(package_dir)
    sources: dict[str, bytes] = {}
    caches: list[str] = []
    for root, _, files in os.walk(top):  # plain strings: pathlib would double the cost
        prefix = root[len(top) + 1 :].replace(os.sep, "/") + "/" if root != top else ""
        in_pycache = os.path.basename(root) == "__pycache__"
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(root, name), "rb") as file:
                    sources[prefix + name] = file.read()
            elif in_pycache and name.endswith((".nbi", ".nbc")):
                caches.append(os.path.join(root, name))
    imports = re.compile(rb"^from %s\.([\w.]+) import" % package_dir.name.encode(), re.M)
    pending = [path for path, data in sources.items() if _USES_NUMBA.search(data)]
    kernel_sources: set[str] = set()
    while pending:
        path = pending.pop()
        if path in kernel_sources:
            continue
        kernel_sources.add(path)
        for module in imports.findall(sources[path]):
            name = module.decode().replace(".", "/")
            pending += [p for p in (f"{name}.py", f"{name}/__init__.py") if p in sources]
    digest = hashlib.blake2b(numba.__version__.encode(), digest_size=16)
    for relative in sorted(kernel_sources):
        data = sources[relative]
        digest.update(b"\0%s\0%d\0" % (relative.encode(), len(data)))
        digest.update(data)
    return digest.hexdigest().encode(), caches


def ensure_fresh(package_dir: Path | None = None) -> bool:
    """Delete the package's numba caches if a numba-using source file changed.

    Never raises: if the package directory is read-only or any other OSError occurs, it
    skips quietly. numba then cannot write beside the source either and keeps its caches
    in its user-wide cache directory (or ``NUMBA_CACHE_DIR`` when set), which this guard
    does not clear; clear that directory by hand after editing kernels in such a copy.

    Args:
        package_dir: Package to guard; defaults to the top-level package of this module.

    Returns:
        True if the caches were cleared and the stamp rewritten, False otherwise.

    """
    # default: the top-level package holding this module (`sim` for `sim.model.kernel_cache`)
    package_dir = (
        Path(package_dir) if package_dir else Path(__file__).parents[__name__.count(".") - 1]
    )
    stamp = package_dir / "__pycache__" / STAMP
    try:
        digest, caches = _scan(package_dir)
        with contextlib.suppress(FileNotFoundError):
            if stamp.read_bytes() == digest:
                return False
        # Delete first, stamp second. A process that reads the new stamp then finds no stale
        # entry left; one that still reads the old stamp deletes again, at worst throwing
        # away kernels another process has just compiled (a redundant recompile). numba
        # treats an index whose data file vanished as a cache miss, and unlink tolerates
        # files removed by someone else. A crash between the two leaves the old stamp, so
        # the next import clears again. The stamp is replaced atomically, never half-read.
        # (A process still running the old sources can write an old kernel after the clear:
        # do not edit kernel sources while a sweep is running.)
        for path in caches:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        stamp.parent.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=STAMP, suffix=".tmp", dir=stamp.parent)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(digest)
            os.replace(temp, stamp)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return True
    except OSError:
        return False
