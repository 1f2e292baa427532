"""A participant's documents name them on the page, never in the file's metadata.

A PDF's title is what a viewer's window and tab, a print server's job list (kept in its
logs) and a desktop's file search show without the document being opened. The file names
and preview titles LinksDesk chooses already use the programme id only; the PDF's own
metadata named the person. Both documents are made here by the real command line, and
every byte of the file outside the pages (where the name is compressed) is searched.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from documents_kit import pdf_text
from test_cli import PASSPHRASE, linksdesk

from linksdesk.casework import consent, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConsentScope

GIVEN = "Zebedee"
FAMILY = "Quartermaine-Test"


def _metadata(path: Path) -> str:
    return subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(path)], check=True, capture_output=True, text=True
    ).stdout


def test_record_and_gp_summary_pdfs_carry_no_name_in_their_metadata(tmp_path: Path) -> None:
    vault = tmp_path / "worker.vault"
    cb, _recovery = Casebook.create(vault, PASSPHRASE)
    try:
        person = participants.create_participant(
            cb, given_name=GIVEN, family_name=FAMILY, date_of_birth=dt.date(1961, 7, 19)
        ).value
        consent.record_consent(
            cb, person.id, ConsentScope.GP, True, recorded_on=dt.date(2026, 1, 12)
        )
    finally:
        cb.lock()
    pid = person.programme_id
    documents = {
        "record": tmp_path / "record.pdf",
        "gp-summary": tmp_path / "gp.pdf",
    }
    for verb, out in (
        ("record-pdf", documents["record"]),
        ("gp-summary", documents["gp-summary"]),
    ):
        extra = ("--format", "pdf") if verb == "gp-summary" else ()
        done = linksdesk(
            tmp_path / "home",
            verb,
            "--vault",
            str(vault),
            "--participant",
            pid,
            "--out",
            str(out),
            *extra,
            passphrase=PASSPHRASE,
        )
        assert done.returncode == 0, done.stderr
    for kind, path in documents.items():
        info = _metadata(path)
        assert pid in info, (kind, info)  # the title says which record it is
        raw = path.read_bytes()
        for word in (GIVEN, FAMILY):
            assert word not in info, (kind, info)
            for encoded in (word.encode(), word.encode("utf-16-be")):
                assert encoded not in raw, (kind, word)
        # on the pages the person is named, the page footers included
        text = pdf_text(path)
        assert f"{GIVEN} {FAMILY} ({pid})" in text, kind
