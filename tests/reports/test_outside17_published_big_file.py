"""Outside check 17: "Reports from another vault…" (`linksdesk published`) given a file far
too big to be a report: a video or a disk image picked by mistake from a folder of files.

The whole file was read into memory before anything was said; a file larger than the
memory LinksDesk may use stopped it as a bug (exit 70), and on a laptop a few gigabytes
would first make everything else slow. A report LinksDesk writes is a few megabytes at most,
so a file much larger is told as "not a report" at once. Real processes; the memory a
process may use is limited as a small laptop's would be.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from test_cli import PASSPHRASE, assert_one_plain_line, cli_env, linksdesk

LIMIT = 1536 * 1024 * 1024  # address space the command may use


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def test_a_file_too_big_to_be_a_report_is_told_without_reading_it_all(tmp_path: Path) -> None:
    home, sup = tmp_path / "home", tmp_path / "sup.vault"
    made = linksdesk(home, "new", "--supervisor", "--vault", str(sup), passphrase=PASSPHRASE)
    assert made.returncode == 0, made.stderr
    film = tmp_path / "holiday.mp4"
    with film.open("wb") as fh:  # sparse: no disk used
        fh.truncate(3 * 1024 * 1024 * 1024)
    done = subprocess.run(
        [sys.executable, "-m", "linksdesk", "published", "--vault", str(sup), str(film)],
        env=cli_env(home, PASSPHRASE),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
        preexec_fn=_limited,
    )
    assert done.returncode == 2, (done.returncode, done.stderr)
    line = assert_one_plain_line(done)
    assert "holiday.mp4" in line and "bug" not in line, line
