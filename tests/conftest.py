"""Shared fixtures: real SQLCipher vaults in tmp_path, offscreen Qt, and a thread-leak check."""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from synthetic import PASSPHRASE

# set before anything imports Qt or derives a key
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LINKSDESK_KDF_PROFILE"] = "fast"  # tests only; one test checks the real cost
# the computer every test's vaults are opened on (storage.machine), not the account's own
os.environ["LINKSDESK_MACHINE_DIR"] = tempfile.mkdtemp(prefix="linksdesk-computer-")

# CI tries the same examples every run, so a submission never fails on an example no one has
# seen before; a developer's run (no CI) explores new ones, and shows the failing example's
# blob to replay. No deadline: a busy 2-core machine is no fault of the code under test.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "explore")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files that hold a slow trial first, then the files with the most tests: with
    ``--dist loadfile`` a file runs whole on one worker, so a long file handed out last keeps
    the run going on one core while the other waits. (scripts/test.sh turns off xdist's own
    reordering, by number of tests alone, which hands out a file of one long trial last.)"""
    tests: dict[Path, int] = {}
    slow: set[Path] = set()
    for item in items:
        tests[item.path] = tests.get(item.path, 0) + 1
        if item.get_closest_marker("slow"):
            slow.add(item.path)
    items.sort(key=lambda item: (item.path not in slow, -tests[item.path]))  # stable


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "worker.vault"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[object]:
    from linksdesk.storage.vault import Vault

    v, _recovery = Vault.create(vault_path, PASSPHRASE)
    yield v
    v.lock()


@pytest.fixture
def store(vault: object) -> object:
    from linksdesk.sync.policy import SyncPolicy

    return vault.store(SyncPolicy())  # type: ignore[attr-defined]


# -- a small disk of its own (a memory stick, a nearly full laptop) ---------------------------
class SmallDisk:
    """A tmpfs of a few hundred KB mounted for one test: really fills up, really turns
    read-only (``mount -o remount,ro``), as a memory stick or a full laptop disk does."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __truediv__(self, name: str) -> Path:
        return self.path / name

    def fill(self, leave: int = 0) -> Path:
        """Fill the disk to the last byte, then free ``leave`` bytes; returns the filler file
        (unlink it to make room again)."""
        filler = self.path / "filler.bin"
        for block in (65536, 512):  # big blocks first, then the last few bytes too
            with contextlib.suppress(OSError), filler.open("ab") as fh:
                while True:
                    fh.write(b"\0" * block)
                    fh.flush()
        if leave:
            os.truncate(filler, max(filler.stat().st_size - leave, 0))
        return filler

    def remount(self, how: str) -> None:
        """``"ro"`` or ``"rw"``; files open for writing on it must be closed first."""
        _mount("-o", f"remount,{how}", str(self.path))

    @contextlib.contextmanager
    def read_only(self) -> Iterator[None]:
        self.remount("ro")
        try:
            yield
        finally:
            self.remount("rw")


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"mount {' '.join(args)} failed: {done.stderr.strip()}"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], SmallDisk]]:
    """``small_disk(size)``: a new tmpfs of ``size`` ("512k", "3m"), unmounted after the test.

    Mounting needs root on Linux, which CI and the development machine have: anywhere else
    the test fails saying so (a skipped test would pass unseen)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.fail("the disk tests mount a small tmpfs: run them as root on Linux")
    mounted: list[Path] = []

    def make(size: str) -> SmallDisk:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where))
        mounted.append(where)
        return SmallDisk(where)

    yield make
    for where in reversed(mounted):
        if subprocess.run(["umount", str(where)], capture_output=True, check=False).returncode:
            subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves threads running (servers, executors, timers)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        leaked = [
            t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon
        ]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leaked, f"test left threads running: {[t.name for t in leaked]}"


@pytest.fixture(autouse=True)
def _collect_leaks(_collect_module_leaks: None) -> Iterator[None]:
    """Collect garbage after each test, so a leaked socket, file or database connection
    warns (and fails, under filterwarnings=error) in the test that leaked it, not in a
    later one that happens to trigger the collection.

    What is still alive then is frozen (``gc.freeze``): the next test's collection scans
    only what was made since. A full collection of everything the process has imported
    (Qt, SQLAlchemy, FastAPI: some 300,000 objects) took 0.2 to 0.4 s, after every one of
    two thousand tests. What a module's fixtures held is collected at the module's end."""
    fault_was_on = faulthandler.is_enabled()  # pytest's own, to stderr
    yield
    _close_app_logging(fault_was_on)
    _drop_server_logging()
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="module")
def _collect_module_leaks() -> Iterator[None]:
    """At a module's end, everything frozen since its start is collected in full: a module
    fixture's vault or server, let go at its teardown, warns in that module if it leaked."""
    yield
    gc.unfreeze()
    gc.collect()


def _drop_server_logging() -> None:
    """Take away the root handler an in-process ``linksdesk-server serve`` adds: it writes to
    the stderr pytest captured for that test, which is closed by the next test that logs."""
    import logging

    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "linksdesk_server", False):
            root.removeHandler(handler)


def _close_app_logging(fault_was_on: bool) -> None:
    """Close the log and hard-crash files a test's ``app.main`` opened (they stay open for the
    life of a real process, so nothing else closes them)."""
    logs = sys.modules.get("linksdesk.core.logs")
    if logs is None:
        return
    opened = logs._fault_file is not None
    logs.unconfigure()
    if opened and fault_was_on:
        faulthandler.enable(file=sys.__stderr__)
