"""Outside check 17: `linksdesk report` with a period a tired supervisor mistypes.

A month in the year 9999 ("9999-12": the end of its month is past the last date Python
keeps) and a period from the year 1 (a year typed as 0001, say) stopped LinksDesk as a bug
(exit 70, a crash report); the XLSX of the second would need more columns than a
spreadsheet has. Either is a typing slip to be told in words, as a reversed period is, with
nothing written. Real processes, a real supervisor's vault.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import PASSPHRASE, assert_one_plain_line, linksdesk


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("periods")
    home, sup = root / "home", root / "sup.vault"
    made = linksdesk(home, "new", "--supervisor", "--vault", str(sup), passphrase=PASSPHRASE)
    assert made.returncode == 0, made.stderr
    return home, sup


@pytest.mark.parametrize(
    ("period", "fmt"),
    [("9999-12", "csv"), ("2026-01..9999-12", "pdf"), ("0001-01..2026-12", "xlsx"),
     ("0000-01", "csv")],
)  # fmt: skip
def test_a_mistyped_year_is_told_in_words(
    vault: tuple[Path, Path], tmp_path: Path, period: str, fmt: str
) -> None:
    home, sup = vault
    out = tmp_path / f"board.{fmt}"
    done = linksdesk(
        home, "report", "--vault", str(sup), "--period", period, "--format", fmt,
        "--out", str(out), passphrase=PASSPHRASE,
    )  # fmt: skip
    assert done.returncode == 2, (done.returncode, done.stderr)
    line = assert_one_plain_line(done)
    assert "bug" not in line and "year" in line.lower(), line
    assert not out.exists() and not list(tmp_path.iterdir())
