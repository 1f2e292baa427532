"""``linksdesk record-pdf`` and ``linksdesk gp-summary`` as real processes on a real vault."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from documents_kit import (
    CANARIES,
    PRIVATE_CONTACT,
    PRIVATE_NOTE,
    SHARED_NOTE,
    Planted,
    build_full_record,
    pdf_text,
)
from synthetic import PASSPHRASE

from linksdesk.casework import participants
from linksdesk.casework.casebook import Casebook


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LINKSDESK_PASSPHRASE"}
    env.update(
        LINKSDESK_KDF_PROFILE="fast",
        LINKSDESK_PASSPHRASE=PASSPHRASE,
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return subprocess.run(
        [sys.executable, "-m", "linksdesk", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, Planted, str]:
    """A vault with a full record (GP consent given) and a second person with none."""
    path = tmp_path / "worker.vault"
    cb, _recovery = Casebook.create(path, PASSPHRASE)
    try:
        planted = build_full_record(cb)
        other = participants.create_participant(cb, given_name="No", family_name="Consent").value
    finally:
        cb.lock()
    return path, planted, other.programme_id


def test_record_pdf_leaves_private_items_out_unless_asked(
    tmp_path: Path, filled: tuple[Path, Planted, str]
) -> None:
    vault, planted, _ = filled
    out = tmp_path / "record.pdf"
    result = run(
        tmp_path, "record-pdf", "--vault", str(vault), "--participant", planted.programme_id,
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Left out: 1 contact and 1 case note marked private" in result.stdout
    text = pdf_text(out)
    assert CANARIES["note_v2"] in text and CANARIES["profile"] in text
    assert PRIVATE_NOTE not in text and PRIVATE_CONTACT not in text
    # personal data on disk: readable by its owner only
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # no names or note text on the terminal
    assert "Zoë" not in result.stdout + result.stderr

    full = tmp_path / "record-full.pdf"
    result = run(
        tmp_path, "record-pdf", "--vault", str(vault), "--participant", planted.programme_id,
        "--out", str(full), "--include-private",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Wrote the complete record" in result.stdout
    text = pdf_text(full)
    assert PRIVATE_NOTE in text and PRIVATE_CONTACT in text


def test_record_pdf_never_writes_over_a_file(
    tmp_path: Path, filled: tuple[Path, Planted, str]
) -> None:
    vault, planted, _ = filled
    out = tmp_path / "precious.pdf"
    out.write_bytes(b"keep me")
    result = run(
        tmp_path, "record-pdf", "--vault", str(vault), "--participant", planted.programme_id,
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 2
    assert "is already there" in result.stderr and "Traceback" not in result.stderr
    assert out.read_bytes() == b"keep me"


def test_unknown_participant_is_a_plain_message(
    tmp_path: Path, filled: tuple[Path, Planted, str]
) -> None:
    vault, _planted, _ = filled
    out = tmp_path / "x.pdf"
    result = run(
        tmp_path, "record-pdf", "--vault", str(vault), "--participant", "P9999", "--out", str(out)
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "linksdesk: There is no participant P9999 in this vault."
    assert not out.exists()


def test_gp_summary_without_gp_consent_exits_non_zero_saying_why(
    tmp_path: Path, filled: tuple[Path, Planted, str]
) -> None:
    vault, _planted, no_consent = filled
    out = tmp_path / "gp.txt"
    result = run(
        tmp_path, "gp-summary", "--vault", str(vault), "--participant", no_consent,
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "not been asked about sharing with their GP practice" in lines[0]
    assert "Record consent…" in lines[0]
    assert not out.exists()


def test_gp_summary_text_and_pdf(tmp_path: Path, filled: tuple[Path, Planted, str]) -> None:
    vault, planted, _ = filled
    text_out = tmp_path / "gp.txt"
    result = run(
        tmp_path, "gp-summary", "--vault", str(vault), "--participant", planted.programme_id,
        "--out", str(text_out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = text_out.read_text(encoding="utf-8")
    assert "871731000000106 Referral to social prescribing service" in text
    for never in (PRIVATE_NOTE, PRIVATE_CONTACT, SHARED_NOTE):
        assert never not in text

    pdf_out = tmp_path / "gp.pdf"
    result = run(
        tmp_path, "gp-summary", "--vault", str(vault), "--participant", planted.programme_id,
        "--format", "pdf", "--out", str(pdf_out), "--note", planted.shared_note_id, "--declined",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = pdf_text(pdf_out)
    assert "871731000000106" in text and "871711000000103" in text
    # who it is about as the text names them: the postcode, never the street address
    assert "ZZ9 9ZZ" in text and CANARIES["profile"] not in text
    assert SHARED_NOTE in text and PRIVATE_NOTE not in text

    refused = tmp_path / "gp2.txt"
    result = run(
        tmp_path, "gp-summary", "--vault", str(vault), "--participant", planted.programme_id,
        "--out", str(refused), "--note", planted.private_note_id,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Private case notes never go in a GP summary" in result.stderr
    assert not refused.exists()
