"""Importing a bundle into a supervisor's vault: every check first, then one transaction.

Checked before anything is written: the detached signature (by a signer the vault knows from
a server-signed roster, or whose fingerprint a person confirmed), that the bundle opens with
this vault's key and names it as a recipient, the inner signature over the manifest, the
expiry, the payload hash, that this bundle was not imported before, and every record as the
server checks a push (:mod:`~linksdesk.sync.bundle.contents`). Supervision records
then go through sync's own :class:`~linksdesk.sync.apply.PageApplier` (so a second import
changes nothing, a newer bundle updates rows and an erasure purges earlier imports, keeping
a receipt); evaluation records are kept pseudonymised in ``evaluation_record``
(:mod:`~linksdesk.sync.bundle.evaluation_vault`). Whose signatures count is
:mod:`~linksdesk.sync.bundle.trust`'s.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.changes import Changes
from linksdesk.core.errors import UserError
from linksdesk.core.item_words import counted
from linksdesk.core.registry import PARTICIPANT_TABLE
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import audit, vacuum
from linksdesk.storage.bundle_tables import (
    BundleLedger,
    ImportedRow,
    TrustedSigner,
)
from linksdesk.storage.store import Store
from linksdesk.storage.tables import TABLE_BY_NAME, Participant
from linksdesk.sync.apply import PageApplier, collector_paused
from linksdesk.sync.bundle import (
    contents,
    evaluation_vault,
    keys,
    programme,
    unconfirmed,
    withdrawn,
)
from linksdesk.sync.bundle import trust as signers
from linksdesk.sync.bundle.format import (
    ANOTHER_BUNDLES_SIGNATURE,
    CHANGED,
    INCOMPLETE,
    LEEWAY,
    SIG_SUFFIX,
    BundleRefused,
    Damaged,
    NotForThisVault,
    Opened,
    Progress,
    decrypt,
    ledger_period,
    manifest_period,
    manifest_synced,
    now_utc,
    parse_time,
    read_file,
    read_signature,
    require_bundle,
    roster_server_key,
    signed_bundle,
    signed_size,
    verify_opened,
    verify_roster,
)
from linksdesk.sync.bundle.programme import LaptopKey
from linksdesk.sync.bundle.signing import (
    DetachedSignature,
    PublicKey,
    SignatureError,
    normalise_fingerprint,
)
from linksdesk.sync.page import PURGED, ApplyContext, PageOutcome
from linksdesk.sync.policy import TEAM_TABLES
from linksdesk.sync.protocol import ServerChange

log = logging.getLogger(__name__)
PAGE = 1000
# the signers' side, named here too for the use cases and the window
UnknownSigner = signers.UnknownSigner
import_roster = signers.import_roster


@dataclass
class ImportReport:
    bundle_id: str
    kind: str
    signer: str
    sender_kind: str
    worker_id: str | None
    counts: dict[str, int]
    applied: int = 0
    unchanged: int = 0
    erased: int = 0
    signers_added: int = 0
    dropped: int = 0  # evaluation rows a laptop had filed under another worker's pseudonym
    # participants left out as another worker's laptop said they are gone (``unconfirmed``)
    left_out: int = 0
    trusted_now: bool = False
    touched: dict[str, set[str]] = field(default_factory=dict)
    # what the import wrote here, in the terms views reload by (``PageOutcome.note_changes``,
    # as a sync's pull says it): the window hands it to every view, so the Team dashboard
    # shows the bundle without being asked again (an evaluation bundle's names nothing: every
    # view is still told)
    changes: Changes = field(default_factory=Changes)

    def describe(self) -> str:
        total = sum(self.counts.values())
        # the sender as the supervisor accepted it: by its key's fingerprint, as compared by
        # phone (the bundle's own id is for the log)
        sender = "the server" if self.sender_kind == "server" else "a laptop"
        parts = [
            f"Imported {self.kind} bundle from {sender} (key {signers.grouped(self.signer)}): "
            f"{total} records, {self.applied} new or changed here, {self.unchanged} already "
            "up to date."
        ]
        if self.erased:
            parts.append(
                f"{counted('erased participant', self.erased)} purged from earlier imports."
            )
        if self.signers_added:
            parts.append(f"{counted('signer', self.signers_added)} learned from the team's roster.")
        if self.dropped:
            parts.append(
                f"{counted('evaluation record', self.dropped)} a laptop had filed under another "
                "worker's caseload removed: the server's bundle says whose it is."
            )
        if self.left_out:
            one = self.left_out == 1
            evaluation = self.kind == "evaluation"
            parts.append(
                f"{counted('participant', self.left_out)} in this bundle "
                f"{'was' if one else 'were'} left out: another worker's bundle said "
                f"{'their record was' if one else 'their records were'} erased or that they "
                f"{'withdrew their consent' if evaluation else 'no longer share with the team'}. "
                f"Import the team's {'evaluation ' if evaluation else ''}bundle from the server "
                "to settle it, then this bundle again."
            )
        return " ".join(parts)


@dataclass(frozen=True)
class Checked:
    opened: Opened
    key: PublicKey
    trusted: TrustedSigner | None  # None: accepted now by the fingerprint a person gave
    roster: dict[str, Any] | None
    records: list[Any]
    owner: str | None = None  # a laptop's evaluation bundle: its worker's pseudonym
    owners: dict[str, str] = field(default_factory=dict)  # a server's: whose pseudonym is whose
    programme: str | None = None  # the programme key id the bundle names, if it names one
    laptop: LaptopKey | None = None  # the laptop key that signed it, if one did


class AlreadyImported(BundleRefused):
    """A bundle imported before: nothing to do, and nothing wrong (said as news, not error)."""

    def __init__(self, at: dt.datetime) -> None:
        when = at.replace(tzinfo=dt.UTC).astimezone()  # the ledger keeps UTC
        super().__init__(
            f"This bundle was already imported, on {when:%A} {when.day} {when:%B %Y at %H:%M}: "
            "everything in it is here, so nothing was done."
        )


NOT_A_SUPERVISORS_VAULT = (
    "This vault is a links worker's: only a supervisor's vault (made with `linksdesk new "
    "--supervisor`) takes bundles in. Nothing was imported. To send your own work to your "
    "supervisor, use File › Export for a supervisor…."
)


def _refuse_if_not_for_this_vault(data: bytes, identity: str) -> None:
    """A bundle this vault cannot open is refused as such before its unknown signer is
    asked about: nobody phones a worker to compare a fingerprint for nothing. Any other
    fault is left for the checks after the signer is accepted (nothing here is trusted)."""
    try:
        decrypt(data, identity)
    except NotForThisVault:
        raise
    except BundleRefused:
        return


def check(
    store: Store, path: Path, *, trust: str | None = None, now: dt.datetime | None = None
) -> Checked:
    """Every check of a bundle, in memory; raises BundleRefused (nothing is written)."""
    with store.read() as s:
        if not keys.is_supervisor(s):
            raise UserError(NOT_A_SUPERVISORS_VAULT)
        identity = keys.age_identity(s)
        if identity is None:
            raise UserError("This vault has no bundle key yet; make one with `linksdesk keys new`.")
        data = read_file(path)
        require_bundle(path, data)
        sig = read_signature(path)
        try:
            opened, key, known = _signed(s, data, sig, identity, trust)
        except NotForThisVault:
            raise
        except BundleRefused as exc:  # the file's own signature, or another bundle's?
            raise _another_bundles(sig, data, identity, path, exc) from None
        verify_opened(opened, key=key, recipient=keys.recipient_of(identity), now=now)
        m = opened.manifest
        manifest_period(m)
        manifest_synced(m)
        sender = m.get("sender") or {}
        if sender.get("fingerprint") != sig.fingerprint:
            raise BundleRefused("The bundle's manifest names another signer than its signature.")
        if known is not None and known.kind != sender.get("kind"):
            raise BundleRefused(
                "The bundle says it comes from another kind of sender than its key. Nothing "
                "was imported."
            )
        if (
            known is not None
            and known.kind == "device"
            and known.worker_id != sender.get("worker_id")
        ):
            raise BundleRefused(
                "This laptop's key belongs to another worker than the bundle says. Nothing was "
                "imported."
            )
        if (
            known is not None
            and known.kind == "device"
            and known.team_id is not None
            and known.team_id != sender.get("team_id")
        ) or (sender.get("kind") == "device" and m.get("team_id") != sender.get("team_id")):
            # team membership in reports comes from the ledger's team: a laptop of one team
            # must not place its worker in another's report
            raise BundleRefused(
                "This laptop's key belongs to another team than the bundle says. Nothing was "
                "imported; ask the programme administrator for the team's new roster."
            )
        new_server = known is None and sender.get("kind") == "server"
        laptop = (
            LaptopKey(sig.fingerprint, known is not None and known.source == "roster")
            if sender.get("kind") == "device"
            else None
        )
        named = programme.check(s, m, what="bundle", new_server=new_server, laptop=laptop)
        seen = s.get(BundleLedger, str(m["bundle_id"]))
        if (
            seen is not None
            and seen.direction == "import"
            and not unconfirmed.may_come_again(s, seen.bundle_id)
        ):
            raise AlreadyImported(seen.at)
    roster = None
    if m.get("roster") is not None:
        if sender.get("kind") != "server":
            raise BundleRefused("Only the programme's server may send a team's roster.")
        if roster_server_key(m["roster"]).line != key.line:
            raise BundleRefused("The roster in this bundle is not signed by its sender.")
        roster = verify_roster(m["roster"], key)
        if programme.named(roster) not in (None, named):
            raise BundleRefused("The roster in this bundle is another programme's.")
    latest = (now or now_utc()) + LEEWAY
    records, unfit = _parse_records(opened, sender, m["kind"], latest)
    _check_counts(m, records)
    if sender.get("kind") == "device" and m["kind"] == "supervision":
        with store.read() as s:
            _check_caseload(s, records, str(sender.get("worker_id")))
            _check_derived_ids(s, records, str(sender.get("worker_id")))
    contents.refuse_unfit(unfit)
    owner, owners = None, {}
    if m["kind"] == "evaluation":
        evaluation_vault.programme_of(m)
        if sender.get("kind") == "server":
            owners = evaluation_vault.server_owners(m)
        with store.read() as s:
            if sender.get("kind") == "device":
                owner = evaluation_vault.owner_key(s, records, str(sender.get("worker_id")))
    return Checked(
        opened, key, known, roster, records, owner, owners=owners, programme=named, laptop=laptop
    )


def _signed(
    s: Session, data: bytes, sig: DetachedSignature, identity: str, trust: str | None
) -> tuple[Opened, PublicKey, TrustedSigner | None]:
    """The bundle opened, once its detached signature holds under a key this vault knows
    (or the one the person gave, ``trust``), that key, and the known signer."""
    known = signers.signer(s, sig.fingerprint)
    if known is None:
        signers.refuse_if_ended(s, sig.fingerprint)
    wanted = normalise_fingerprint(trust) if trust else None
    if known is not None:
        key = PublicKey.from_line(known.public_key)
        _verify_detached(sig, data, key)
        opened = decrypt(data, identity)
    elif wanted is not None and wanted == sig.fingerprint:
        try:
            opened = decrypt(data, identity)
        except Damaged:  # its key is in the manifest it holds: the comment, as it says
            raise _damaged(sig, data, None) from None
        key = opened.sender_key
        _verify_detached(sig, data, key)
        signers.not_a_rostered_workers(s, opened.manifest.get("sender") or {})
    elif wanted is not None:
        raise BundleRefused(
            f"This bundle is signed by {sig.fingerprint}, not by {wanted}, the fingerprint "
            "you gave. Nothing was imported."
        )
    else:
        _refuse_if_not_for_this_vault(data, identity)
        raise UnknownSigner(sig.fingerprint)
    return opened, key, known


def _another_bundles(
    sig: DetachedSignature, data: bytes, identity: str, path: Path, refused: BundleRefused
) -> BundleRefused:
    """``refused``, or, when the file opens and is another bundle than the one its signature
    names (the file renamed, or another bundle's .minisig copied beside it), a refusal that
    says so: the file is not "changed" or "cut short", nor is the other bundle's signer the
    one to phone about."""
    named = signed_bundle(sig.trusted_comment)
    if named is None:
        return refused
    try:
        opened = decrypt(data, identity)
    except BundleRefused:
        return refused
    if str(opened.manifest.get("bundle_id")) == named:
        return refused
    return BundleRefused(ANOTHER_BUNDLES_SIGNATURE.format(signature=f"{path.name}{SIG_SUFFIX}"))


def _verify_detached(sig: DetachedSignature, data: bytes, key: PublicKey) -> None:
    try:
        sig.verify(data, key)
    except SignatureError as exc:
        if sig.key_id == key.key_id:  # the right key, another file: cut short or changed
            raise _damaged(sig, data, key) from None
        raise BundleRefused(f"{exc} Nothing was imported.") from None


def _damaged(sig: DetachedSignature, data: bytes, key: PublicKey | None) -> Damaged:
    """Cut short, or changed: which, as the signature's trusted comment tells (the length it
    signed; vouched for by ``key``, when the signer is known before the file is opened). A
    file as long as the signed one, or longer, was not cut short: copying it again will not
    help, and the supervisor is told so."""
    vouched = key is None or sig.comment_vouched(key)
    size = signed_size(sig.trusted_comment) if vouched else None
    return Damaged(CHANGED if size is not None and len(data) >= size else INCOMPLETE)


def _parse_records(
    opened: Opened, sender: dict[str, Any], kind: str, latest: dt.datetime
) -> tuple[list[Any], list[tuple[str, str]]]:
    """The records, and ``(table, why)`` of each that does not fit its fields (``latest``:
    the latest time a record's clock may say)."""
    latest_ms, latest_month = int(latest.timestamp() * 1000), f"{latest:%Y-%m}"
    damaged = BundleRefused("The bundle's records are damaged. Nothing was imported.")
    out: list[Any] = []
    unfit: list[tuple[str, str]] = []  # (table, why) of each record that does not fit
    device_worker = sender.get("worker_id") if sender.get("kind") == "device" else None
    try:
        for number, rec in enumerate(_records(opened), start=1):
            if kind == "supervision":
                if not isinstance(rec, dict):
                    raise damaged  # a signed line that is JSON but not a record
                contents.known_kind(rec.get("table"))
                change = ServerChange.model_validate({**rec, "server_seq": number})
                # as the server checks a push (no conflict rows or handover notices either)
                why = contents.supervision_problem(change, latest_ms)
                if why is not None:
                    unfit.append((change.table, why))
                if change.sharing == "private":
                    raise BundleRefused(
                        "The bundle holds a private record, which must never leave a laptop. "
                        "Nothing was imported; tell your programme administrator."
                    )
                # a laptop speaks only for its worker's caseload (the team's resource
                # directory excepted: any colleague may have written an entry)
                mine = change.table in TEAM_TABLES or change.owner == device_worker
                if device_worker is not None and not mine:
                    raise BundleRefused(
                        "A laptop's bundle holds rows of another worker's caseload. Nothing "
                        "was imported."
                    )
                out.append(change)
            else:
                if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
                    raise damaged
                if rec.get("op") not in ("upsert", "delete", "erase"):
                    raise damaged
                if not isinstance(rec.get("fields"), dict):
                    raise damaged
                why = contents.evaluation_problem(rec, latest_month)
                if why is not None:
                    unfit.append((str(rec["table"]), why))
                out.append(rec)
    except (PydanticError, json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise damaged from None  # (RecursionError: JSON nested deeper than the decoder goes)
    return out, unfit


def _check_caseload(s: Session, changes: list[ServerChange], worker: str) -> None:
    """A laptop speaks only for its worker's caseload as this vault holds it: none of its
    rows, nor their participant, may be another worker's here (a record's own ``owner`` is
    the laptop's word; a case changes hands through the server, which checks it)."""
    ids: dict[str, set[str]] = {}
    for ch in changes:
        if ch.table in TEAM_TABLES:
            continue
        ids.setdefault(ch.table, set()).add(ch.row_id)
        if ch.participant_id:
            ids.setdefault("participant", set()).add(ch.participant_id)
    for table, wanted in ids.items():
        cls: Any = TABLE_BY_NAME.get(table)
        if cls is None:
            continue
        order = sorted(wanted)
        for start in range(0, len(order), PAGE):
            chunk = order[start : start + PAGE]
            query = select(cls.id).where(cls.id.in_(chunk), cls.owner != worker).limit(1)
            if s.scalar(query) is not None:
                raise BundleRefused(
                    "This laptop's bundle holds a participant who is on another worker's "
                    "caseload in this vault. Nothing was imported. If the case was handed "
                    "over, import the team's bundle from the server first; if this bundle was "
                    "made before, ask the worker for a new one."
                )
    # a row of a participant the bundle does not bring as its worker's, nor this vault hold
    # under them, would wait here for a colleague's bundle to bring that participant and
    # then sit in their case as this worker's (a team withdrawal and an erasure leave a
    # laptop without the person's row, so they come alone)
    brought = {ch.row_id for ch in changes if ch.table == PARTICIPANT_TABLE and ch.op != "erase"}
    loose = sorted(
        {
            ch.participant_id
            for ch in changes
            if ch.participant_id
            and ch.table not in TEAM_TABLES
            and ch.op != "erase"
            and not withdrawn.is_withdrawal(ch)
        }
        - brought
    )
    for start in range(0, len(loose), PAGE):
        chunk = loose[start : start + PAGE]
        query = select(Participant.id).where(Participant.id.in_(chunk), Participant.owner == worker)
        if len(set(s.scalars(query))) < len(chunk):
            raise BundleRefused(
                "This laptop's bundle holds records of a participant it does not bring, and "
                "whom this vault does not hold on its worker's caseload. Nothing was imported."
            )


def _check_derived_ids(s: Session, changes: list[ServerChange], worker: str) -> None:
    """A row whose id derives from the device that made it (a monthly total) has the id
    that device derives, and no device this vault knows as another worker's made it: a
    colleague's laptop that held such a row first would have every later bundle of the
    rightful worker refused (as the server refuses it a push)."""
    others = {
        device
        for device, whose in s.execute(
            select(TrustedSigner.device_id, TrustedSigner.worker_id).where(
                TrustedSigner.kind == "device"
            )
        )
        if whose != worker
    }
    for ch in changes:
        known = registry.BY_NAME.get(ch.table)
        if known is None or not known.id_from:
            continue
        parts = {**ch.fields, "origin": ch.origin}
        if registry.derived_id(ch.table, parts) != ch.row_id or ch.origin in others:
            raise BundleRefused(
                "This laptop's bundle holds another device's monthly totals, which only that "
                "device makes. Nothing was imported; tell your programme administrator."
            )


def _check_counts(manifest: dict[str, Any], records: list[Any]) -> None:
    """The manifest's per-table counts and total are what the records hold: the ledger and
    the person's summary quote them, so a sender's miscount must not stand in for the rows."""
    found: dict[str, int] = {}
    for rec in records:
        table = rec.table if isinstance(rec, ServerChange) else str(rec.get("table"))
        found[table] = found.get(table, 0) + 1
    if manifest.get("counts") != found or manifest.get("records") != len(records):
        raise BundleRefused(
            "The bundle's records do not add up to the counts its manifest states. Nothing "
            "was imported; ask the sender for a new bundle."
        )


_DECODER = json.JSONDecoder()


def _records(opened: Opened) -> Iterator[Any]:
    """The payload's records, a JSON value per line, as ``Opened.records`` reads them but
    with the line read as UTF-8 text and decoded straight (``json.loads`` first guesses
    each line's encoding: a team's bundle has tens of thousands of lines)."""
    decode = _DECODER.decode
    for line in opened.payload.splitlines():
        if line:
            yield decode(line.decode("utf-8", "surrogatepass"))


def import_bundle(
    store: Store,
    path: Path,
    *,
    trust: str | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a bundle, then apply it in one transaction; refusals write nothing."""
    if progress:
        progress("checking", 0, 1)
    with collector_paused():
        report = _check_and_apply(store, path, trust, now, progress)
    vacuum.vacuum_if_due(store)
    log.info(
        "bundle %s (%s) imported from %s: %d applied, %d unchanged, %d erased",
        report.bundle_id,
        report.kind,
        report.signer,
        report.applied,
        report.unchanged,
        report.erased,
    )
    # no progress call after the commit: a job cancelled there (a lock) would read as not done
    return report


def _check_and_apply(
    store: Store,
    path: Path,
    trust: str | None,
    now: dt.datetime | None,
    progress: Progress | None,
) -> ImportReport:
    """The checks, then the one transaction."""
    checked = check(store, path, trust=trust, now=now)
    m = checked.opened.manifest
    sender = m["sender"]
    report = ImportReport(
        bundle_id=str(m["bundle_id"]),
        kind=str(m["kind"]),
        signer=str(sender["fingerprint"]),
        sender_kind=str(sender.get("kind")),
        worker_id=sender.get("worker_id"),
        counts=dict(m.get("counts") or {}),
    )
    total = len(checked.records)
    with store.applying() as s:
        if checked.trusted is None:
            signers.add_signer(s, checked.key, sender, source="confirmed")
            report.trusted_now = True
        programme.bind(s, checked.programme, checked.laptop)
        if checked.roster is not None:
            report.signers_added = signers.learn_roster(s, checked.roster)
        made = parse_time(m["created"]).astimezone(dt.UTC)
        records = checked.records
        if report.kind == "supervision":
            said, copy = unconfirmed.said_in(records), unconfirmed.SUPERVISION
            run = partial(_apply_supervision, store, s, records, report, progress, total)
        else:
            said = evaluation_vault.said_in(s, records, checked.owners)
            copy = evaluation_vault.COPY
            run = partial(_apply_evaluation, s, checked, report, made.replace(tzinfo=None))
        worker = report.worker_id if report.sender_kind == "device" else None
        report.left_out = unconfirmed.applying(s, copy, said, worker, made, run)
        unconfirmed.note_left_out(s, report.bundle_id, report.left_out)
        s.merge(  # a bundle imported again once settled (``unconfirmed``) replaces its entry
            BundleLedger(
                bundle_id=report.bundle_id,
                direction="import",
                kind=report.kind,
                signer=report.signer,
                sender_kind=report.sender_kind,
                worker_id=report.worker_id,
                team_id=m.get("team_id"),
                created_at=parse_time(m["created"]).replace(tzinfo=None),
                expires_at=parse_time(m["expires"]).replace(tzinfo=None),
                counts=report.counts,
                synced=manifest_synced(m),
                at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                **ledger_period(m),
            )
        )
        audit.append(
            s, store.actor, str(AuditAction.IMPORT), f"bundle:{report.kind}", report.bundle_id
        )
    return report


def _apply_evaluation(
    s: Session, checked: Checked, report: ImportReport, made: dt.datetime
) -> None:
    """An evaluation bundle's records kept in the pseudonymised copy (``made``: naive UTC)."""
    done = evaluation_vault.apply(
        s, checked.records, evaluation_vault.Bundle(report.bundle_id, report.signer, made)
    )
    report.applied, report.unchanged, report.erased = done.applied, done.unchanged, done.erased
    if done.erased:  # with the erasure: a VACUUM the process dies before stays due
        vacuum.mark_due(s)
    if report.sender_kind == "device" and report.worker_id:
        evaluation_vault.bind(s, report.worker_id, checked.owner)
    report.dropped = evaluation_vault.bind_as_the_server_says(s, checked.owners)


def _apply_supervision(
    store: Store,
    s: Session,
    changes: list[ServerChange],
    report: ImportReport,
    progress: Progress | None,
    total: int,
) -> None:
    ctx = ApplyContext(
        device_id=store.device_id,
        worker_id=store.worker_id,
        stamp=lambda: store.clock.now().encode(),
    )
    outcome = PageOutcome()
    changes, outcome.unchanged = withdrawn.set_aside(s, changes)
    for start in range(0, len(changes), PAGE):
        page = changes[start : start + PAGE]
        outcome.merge(PageApplier(s, ctx).apply(page))
        if progress:
            progress("applying", min(start + PAGE, total), total)
    if ctx.highest_hlc:
        with contextlib.suppress(ValueError):
            store.clock.observe(ctx.highest_hlc)
    purged = set(outcome.touched.get(PURGED, set())) | set(outcome.erased)
    for pid in purged:
        s.execute(delete(ImportedRow).where(ImportedRow.participant_id == pid))
    provenance = [
        (
            ch.table,
            ch.row_id,
            ch.row_id if ch.table == PARTICIPANT_TABLE else ch.participant_id,
            ch.owner,
            report.signer,
            report.bundle_id,
        )
        for ch in changes
        if ch.table in TABLE_BY_NAME
        and ch.op != "erase"
        and ch.participant_id not in purged
        # the bundle that wrote the row as held: one bringing it as held already, or older
        # (an older bundle found later), takes nothing over (reports.data._as_of reads it)
        and ch.row_id in outcome.touched.get(ch.table, ())
    ]
    if provenance:
        # one plain statement run for every row (executemany): a team's bundle holds tens
        # of thousands, and the ORM's bulk insert cost more per row than SQLite did
        s.connection().exec_driver_sql(
            "INSERT INTO imported_row "
            "(table_name, row_id, participant_id, worker_id, signer, bundle_id) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (table_name, row_id) DO UPDATE SET "
            "worker_id = excluded.worker_id, signer = excluded.signer, "
            "bundle_id = excluded.bundle_id",
            provenance,
        )
    if outcome.purged:  # with the purge: a VACUUM never run stays due
        vacuum.mark_due(s)
    report.applied, report.unchanged = outcome.applied, outcome.unchanged
    report.erased = len(set(outcome.erased))
    report.touched = outcome.touched
    outcome.note_changes(changes, report.changes)
