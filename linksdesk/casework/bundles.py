"""Use cases of the supervisors' data path: vault kinds, keys, export and import of bundles,
and the deprivation lookup (for the command line and the app alike)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

from sqlalchemy import delete, insert

from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import UserError
from linksdesk.core.vocab import AuditAction
from linksdesk.storage.bundle_tables import DeprivationDecile
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation, export, keys, receive
from linksdesk.sync.bundle.format import NotARecipient as NotARecipient  # for the window
from linksdesk.sync.bundle.format import Progress, Sealed, parse_period

ImportReport = receive.ImportReport
UnknownSigner = receive.UnknownSigner
AlreadyImported = receive.AlreadyImported


def prepare_new_vault(cb: Casebook, *, supervisor: bool = False) -> None:
    """What a new vault gets at once: its signing key, and its kind if a supervisor's."""
    if supervisor:
        keys.make_supervisor(cb.store)
    else:
        keys.signing_key(cb.store)


def create_vault(path: Path, passphrase: str, *, supervisor: bool = False) -> tuple[Casebook, str]:
    """A new vault with its signing key (and kind); returns it unlocked with its recovery key."""
    cb, recovery = Casebook.create(path, passphrase)
    try:
        prepare_new_vault(cb, supervisor=supervisor)
    except BaseException:
        # a full disk: the vault, never shown its recovery key, does not stay half-made
        cb.vault.abandon()
        raise
    return cb, recovery


def is_supervisor(cb: Casebook) -> bool:
    with cb.store.read() as s:
        return keys.is_supervisor(s)


def new_bundle_key(cb: Casebook) -> str:
    return keys.new_age_identity(cb.store)


def bundle_key_state(cb: Casebook) -> tuple[bool, str | None]:
    """Whether this is a supervisor's vault, and its bundle key (``age1…``) if made yet."""
    with cb.store.read() as s:
        supervisor, identity = keys.is_supervisor(s), keys.age_identity(s)
    return supervisor, keys.recipient_of(identity) if identity else None


def show_keys(cb: Casebook) -> keys.KeyReport:
    return keys.show(cb.store)


def export_identity(cb: Casebook, out: Path) -> Path:
    return keys.export_identity(cb.store, out)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    signature: Path
    bundle_id: str
    kind: str
    counts: dict[str, int]


def export_bundle(
    cb: Casebook,
    out: Path,
    *,
    kind: str,
    recipients: list[str],
    period: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    if out.exists():
        raise UserError(f"{out} already exists; choose another file name.")
    sealed: Sealed = export.export_to_file(
        cb.store,
        out,
        kind=kind,
        recipients=recipients,
        period=parse_period(period),
        progress=progress,
    )
    return ExportResult(
        out,
        Path(f"{out}.minisig"),
        sealed.manifest["bundle_id"],
        kind,
        dict(sealed.manifest["counts"]),
    )


def import_file(
    cb: Casebook, path: Path, *, trust: str | None = None, progress: Progress | None = None
) -> ImportReport | int:
    """Import a bundle (or a roster file: returns how many signers it added)."""
    if _looks_like_roster(path):
        return receive.import_roster(cb.store, path, trust=trust)
    return receive.import_bundle(cb.store, path, trust=trust, progress=progress)


def _looks_like_roster(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return head.lstrip().startswith(b"{")


@dataclass(frozen=True)
class LookupLoaded:
    name: str
    year: str
    postcodes: int


def import_deprivation(
    cb: Casebook, path: Path, **given: Unpack[evaluation.LookupGiven]
) -> LookupLoaded:
    """Replace the vault's postcode → decile lookup (its name and year travel in bundles)."""
    lookup = evaluation.read_lookup(path, **given)
    with cb.store.write() as tx:
        s = tx.session
        s.execute(delete(DeprivationDecile))
        rows = lookup.table_rows()
        for start in range(0, len(rows), 5000):
            s.execute(insert(DeprivationDecile), rows[start : start + 5000])
        state.put_local_setting(
            s,
            keys.DEPRIVATION_SOURCE,
            {
                "name": lookup.name,
                "year": lookup.year,
                "postcodes": len(rows),
                "imported": dt.date.today().isoformat(),
            },
        )
        tx.audit(AuditAction.IMPORT, "deprivation_lookup")
    return LookupLoaded(lookup.name, lookup.year, len(lookup.deciles))
