"""A tired supervisor's imports: a bundle cut short by a USB stick pulled out too early, a disk
that fills up during the import, a bundle sent to another supervisor. Each is refused with
what happened and what to do, nothing changes, and the right copy then imports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor
from sqlalchemy import event

from linksdesk.core.errors import DiskFullError
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.format import SIG_SUFFIX, BundleRefused


@pytest.fixture
def caseload(laptop: Laptop) -> Iterator[Laptop]:
    for _ in range(20):
        laptop.note(laptop.person(), "A long account of the week's visits. " * 100)
    yield laptop


def _bundle(lap: Laptop, sup: Supervisor, out: Path) -> Path:
    export.export_to_file(lap.store, out, kind="supervision", recipients=[sup.recipient])
    return out


def _copied_as(whole: Path, out: Path, data: bytes) -> Path:
    """``data`` written to ``out``, with ``whole``'s signature beside it."""
    out.write_bytes(data)
    Path(f"{out}{SIG_SUFFIX}").write_bytes(Path(f"{whole}{SIG_SUFFIX}").read_bytes())
    return out


def _copied_in_part(whole: Path, out: Path) -> Path:
    """The first half of the file, as a USB stick pulled out mid-copy leaves it."""
    data = whole.read_bytes()
    return _copied_as(whole, out, data[: len(data) // 2])


@pytest.mark.parametrize("signer", ["accepted-now", "known"])
def test_a_bundle_cut_short_says_so_and_what_to_do(
    tmp_path: Path, caseload: Laptop, supervisor: Supervisor, signer: str
) -> None:
    fingerprint = keys.signing_key(caseload.store).public.fingerprint
    if signer == "known":
        first = _bundle(caseload, supervisor, tmp_path / "first.age")
        receive.import_bundle(supervisor.store, first, trust=fingerprint)
        caseload.person(given_name="Later")
    whole = _bundle(caseload, supervisor, tmp_path / "whole.age")
    cut = _copied_in_part(whole, tmp_path / "cut.age")
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(supervisor.store, cut, trust=fingerprint)
    message = str(refused.value)
    assert "incomplete" in message and "Copy it again" in message
    assert "Nothing was imported" in message and "another supervisor" not in message
    assert supervisor.content_hash() == before
    assert receive.import_bundle(supervisor.store, whole, trust=fingerprint).applied > 0


def _altered(whole: Path, out: Path, how: str) -> Path:
    """The bundle with one byte changed in its middle, or a line added at its end."""
    data = bytearray(whole.read_bytes())
    if how == "byte changed":
        data[len(data) // 2] ^= 0x01
    else:
        data += b"\n"
    return _copied_as(whole, out, bytes(data))


@pytest.mark.parametrize("how", ["byte changed", "line added"])
def test_a_bundle_changed_after_signing_is_not_called_a_copy_cut_short(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, how: str
) -> None:
    """Copying it again would not help: the supervisor is told it is not the signed file."""
    laptop.person()
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    whole = _bundle(laptop, supervisor, tmp_path / "whole.age")
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(
            supervisor.store, _altered(whole, tmp_path / "x.age", how), trust=fingerprint
        )
    message = str(refused.value)
    assert "not the one its sender signed" in message and "Nothing was imported" in message
    assert "incomplete" not in message and "Copy it again" not in message
    assert supervisor.content_hash() == before
    assert receive.import_bundle(supervisor.store, whole, trust=fingerprint).applied > 0


def test_an_older_bundles_signature_names_no_size_and_a_changed_one_reads_as_damaged(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    """A signature that does not say the signed length (an older LinksDesk's), or, from a
    laptop already trusted, whose trusted comment was changed to say one: nothing vouches
    for a length to tell a cut from a change by."""
    key = keys.signing_key(laptop.store)
    first = _bundle(laptop, supervisor, tmp_path / "first.age")
    receive.import_bundle(supervisor.store, first, trust=key.public.fingerprint)
    laptop.person()
    whole = _bundle(laptop, supervisor, tmp_path / "whole.age")
    sig = Path(f"{whole}{SIG_SUFFIX}")
    comment = sig.read_text().splitlines()[2].removeprefix("trusted comment: ")
    assert comment.endswith(f" size {whole.stat().st_size}")
    old_style = comment.rsplit(" size ", 1)[0]
    sig.write_text(key.sign_detached(whole.read_bytes(), old_style))
    altered = _altered(whole, tmp_path / "old.age", "byte changed")
    lied = Path(f"{altered}{SIG_SUFFIX}")
    for signature in (sig.read_text(), sig.read_text().replace(old_style, comment)):
        lied.write_text(signature)
        with pytest.raises(BundleRefused) as refused:
            receive.import_bundle(supervisor.store, altered)
        assert "incomplete or damaged" in str(refused.value)
    assert receive.import_bundle(supervisor.store, whole).applied > 0  # the old style is read


def test_a_bundle_for_another_supervisor_says_whose_it_is_not(
    tmp_path: Path, caseload: Laptop, supervisor: Supervisor
) -> None:
    other = Supervisor.create(tmp_path, "other-supervisor")
    try:
        theirs = _bundle(caseload, other, tmp_path / "theirs.age")
        fingerprint = keys.signing_key(caseload.store).public.fingerprint
        with pytest.raises(BundleRefused, match="sent to another supervisor"):
            receive.import_bundle(supervisor.store, theirs, trust=fingerprint)
        # its laptop not known yet: said first, before any fingerprint is to be compared
        with pytest.raises(BundleRefused, match="sent to another supervisor") as first:
            receive.import_bundle(supervisor.store, theirs)
        assert not isinstance(first.value, receive.UnknownSigner)
        assert receive.import_bundle(other.store, theirs, trust=fingerprint).applied > 0
    finally:
        other.vault.lock()


def test_a_disk_that_fills_up_during_an_import_keeps_the_vault_as_it_was(
    tmp_path: Path, caseload: Laptop, supervisor: Supervisor
) -> None:
    """Without this the import stopped on "no such savepoint" (a bug, exit 70): SQLite had
    rolled the whole import back on the full disk, and the savepoint's rollback hid why."""
    out = _bundle(caseload, supervisor, tmp_path / "b.age")
    fingerprint = keys.signing_key(caseload.store).public.fingerprint
    engine = supervisor.store.engine
    engine.dispose()

    def nearly_full(dbapi_conn: Any, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(engine, "connect", nearly_full)
    before = supervisor.content_hash()
    try:
        with pytest.raises(DiskFullError) as full:
            receive.import_bundle(supervisor.store, out, trust=fingerprint)
        assert "The disk is full" in str(full.value)
    finally:
        event.remove(engine, "connect", nearly_full)
        engine.dispose()
    assert supervisor.content_hash() == before  # no signer accepted, no ledger entry either
    assert receive.import_bundle(supervisor.store, out, trust=fingerprint).applied > 0
