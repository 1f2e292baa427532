"""Composition root and command line: ``linksdesk`` opens the app or runs one verb and exits.

Verbs that do not open a window never import Qt, so they work on a machine with no display.
Errors LinksDesk raises on purpose print one plain line; anything else is a bug, reported
with a short line and the path of the log (which holds ids and events, never personal data).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import platformdirs

from linksdesk.core.errors import (
    EnvironmentProblem,
    LinksDeskError,
    UserError,
    VaultExistsError,
    WeakPassphraseError,
)
from linksdesk.core.logsafe import safe_traceback

if TYPE_CHECKING:
    from linksdesk.casework.casebook import Casebook

log = logging.getLogger("linksdesk.app")

APP_NAME = "LinksDesk"
PASSPHRASE_ENV = "LINKSDESK_PASSPHRASE"
DEMO_PASSPHRASE = "demo passphrase"
DEMO_MARKER = "demo"  # local setting that says a vault holds synthetic demo data only
LOG_FILE = "linksdesk.log"  # linksdesk.core.logs.LOG_FILE

# exit codes: what a script needs to tell apart
EXIT_OK = 0
EXIT_PROBLEM = 1  # the check found damage, the sync did not finish, the machine failed us
EXIT_USER = 2  # something to put right: wrong passphrase, bad arguments, vault exists
EXIT_BUG = 70  # BSD EX_SOFTWARE: a bug in LinksDesk
EXIT_INTERRUPTED = 130

EPILOG = """\
passphrase:
  Verbs that open a vault read its passphrase from --passphrase-file FILE (first line), else
  from the environment variable LINKSDESK_PASSPHRASE, else by asking in the terminal (twice
  when creating a vault). Demo vaults hold synthetic data only: unless a passphrase is given
  with --passphrase-file, --demo-passphrase or LINKSDESK_PASSPHRASE, `demo` uses the
  passphrase "demo passphrase" and says so.

exit codes:
  0 done; 1 a problem was found or the sync did not finish; 2 something to put right
  (wrong passphrase, bad arguments, vault already there); 70 a bug (see the log); 130 stopped.
"""


# -- logging ------------------------------------------------------------------------------------
def log_path() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / LOG_FILE


def configure_logging() -> Path | None:
    """Log to a rotating 0600 file in the platform's log folder (ids and events only)."""
    from linksdesk.core import logs

    return logs.configure(log_path().parent)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


# -- passphrases --------------------------------------------------------------------------------
def _read_passphrase_file(path: Path) -> str:
    try:
        with path.open(encoding="utf-8") as fh:
            first = fh.readline()
    except OSError:
        raise UserError(f"The passphrase file {path} could not be read.") from None
    # only the line ending goes: spaces may be part of a passphrase
    return first.rstrip("\r\n")


def _prompt(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise UserError(
            "No passphrase given. Set LINKSDESK_PASSPHRASE, use --passphrase-file, "
            "or run the command in a terminal."
        )
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UserError("No passphrase given.") from None


def read_passphrase(args: argparse.Namespace, *, creating: bool = False) -> str:
    """From --passphrase-file, else LINKSDESK_PASSPHRASE, else the terminal (twice to create)."""
    file: Path | None = getattr(args, "passphrase_file", None)
    if file is not None:
        passphrase = _read_passphrase_file(file)
    elif os.environ.get(PASSPHRASE_ENV):
        passphrase = os.environ[PASSPHRASE_ENV]
    elif creating:
        passphrase = _prompt("New passphrase for the vault: ")
        if _prompt("The same passphrase again: ") != passphrase:
            raise UserError("The two passphrases do not match. Nothing was created.")
    else:
        passphrase = _prompt("Passphrase: ")
    if not passphrase:
        raise UserError("The passphrase is empty.")
    return passphrase


def read_demo_passphrase(args: argparse.Namespace, out: TextIO) -> str:
    """A demo vault's passphrase: given like any other, or the documented demo default."""
    if args.passphrase_file is not None:
        return _read_passphrase_file(args.passphrase_file)
    if args.demo_passphrase:
        return str(args.demo_passphrase)
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    print(
        f'Passphrase: "{DEMO_PASSPHRASE}" (the demo default; demo vaults hold synthetic '
        "data only).",
        file=out,
    )
    return DEMO_PASSPHRASE


# -- vault helpers ------------------------------------------------------------------------------
def default_vault_path() -> Path:
    from linksdesk.storage.vault import default_vault_path as storage_default

    return storage_default()


def default_demo_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo.vault"


def vault_files(path: Path) -> list[Path]:
    from linksdesk.storage.keyfile import keyfile_path

    return [path, keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")]


@contextlib.contextmanager
def unlocked(path: Path, passphrase: str) -> Iterator[Casebook]:
    from linksdesk.casework.casebook import Casebook

    cb = Casebook.unlock(path, passphrase)
    try:
        yield cb
    finally:
        cb.lock()


# -- documents for and about a participant ---------------------------------------------------
def _write_new_file(path: Path, data: bytes) -> None:
    """Write a document holding personal data: readable by its owner only, never over a file."""
    if path.exists():
        raise UserError(f"{path} is already there. Choose another name, or move that file first.")
    partial = path.with_name(f".{path.name}.part")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        partial.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise EnvironmentProblem(f"{path} could not be written ({exc.strerror}).") from None


def cmd_record_pdf(args: argparse.Namespace) -> int:
    from linksdesk.casework import own_record
    from linksdesk.reports.participant_record import counted_list

    passphrase = read_passphrase(args)
    with unlocked(args.vault, passphrase) as cb:
        pid = own_record.find_by_programme_id(cb, args.participant)
        document = own_record.record_pdf(cb, pid, include_private=args.include_private)
    _write_new_file(args.out, document.pdf)
    record = document.record
    if record.complete:
        print(f"Wrote the complete record of {record.person.programme_id} to {args.out}.")
    else:
        print(
            f"Wrote the record of {record.person.programme_id} to {args.out}. Left out: "
            f"{counted_list(record.left_out)} marked private (add --include-private, after "
            "deciding with the person, to include them)."
        )
    return EXIT_OK


def cmd_gp_summary(args: argparse.Namespace) -> int:
    from linksdesk.casework import gp_summary, own_record

    passphrase = read_passphrase(args)
    with unlocked(args.vault, passphrase) as cb:
        pid = own_record.find_by_programme_id(cb, args.participant)
        export = gp_summary.export_gp_summary(
            cb, pid, args.format, note_ids=args.note or (), declined=args.declined
        )
    content = export.content
    _write_new_file(args.out, content.encode("utf-8") if isinstance(content, str) else content)
    print(f"Wrote the GP summary of {export.summary.programme_id} to {args.out}.")
    return EXIT_OK


def _add_document_verbs(
    verbs: argparse._SubParsersAction[argparse.ArgumentParser], default_vault: Path
) -> None:
    p = verbs.add_parser(
        "record-pdf",
        help="a PDF of everything held about one participant (right of access)",
        description=(
            "Write a PDF of everything held about one participant, for a right of access "
            "request. Items marked private are left out (and the document says so) unless "
            "--include-private is given."
        ),
    )
    _add_vault(p, default_vault, "vault to read")
    p.add_argument("--participant", required=True, metavar="ID", help="programme id, e.g. P1042")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="PDF file to write")
    p.add_argument(
        "--include-private",
        action="store_true",
        help="include the items marked private (decide this with the person)",
    )
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_record_pdf)

    p = verbs.add_parser(
        "gp-summary",
        help="a summary for the GP record (needs the person's GP consent)",
        description=(
            "Write a short social prescribing summary for the person's GP practice, as text "
            "to paste or a PDF letter. Refused unless the latest consent to share with the GP "
            "practice is given. Private items never go in; case notes only when named."
        ),
    )
    _add_vault(p, default_vault, "vault to read")
    p.add_argument("--participant", required=True, metavar="ID", help="programme id, e.g. P1042")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="file to write")
    p.add_argument(
        "--format", choices=("text", "pdf"), default="text", help="text (default) or pdf"
    )
    p.add_argument(
        "--note",
        action="append",
        metavar="NOTE_ID",
        help="a case note to include (repeat for more; private notes are refused)",
    )
    p.add_argument(
        "--declined",
        action="store_true",
        help='the person declined social prescribing (adds the "declined" code)',
    )
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_gp_summary)


# -- verbs --------------------------------------------------------------------------------------
def cmd_open(args: argparse.Namespace) -> int:
    argv: list[str] = []
    if args.vault is not None:
        argv += ["--vault", str(args.vault)]
    if args.smoke_test:
        argv.append("--smoke-test")
    return open_gui(argv)


def open_gui(argv: list[str]) -> int:
    # imported here so that verbs without a window never load Qt
    try:
        from linksdesk.ui.main import run
    except ImportError as exc:
        log.error("the desktop app could not load: %s", type(exc).__name__)
        raise EnvironmentProblem(
            "The LinksDesk window cannot start on this machine: its Qt libraries could not "
            "be loaded. Reinstall LinksDesk, or use the command-line verbs."
        ) from None
    log.info("opening the desktop app")
    return int(run(argv))


def cmd_new(args: argparse.Namespace) -> int:
    from linksdesk.casework.casebook import Casebook
    from linksdesk.storage.keyfile import keyfile_path

    path: Path = args.vault
    if any(p.exists() for p in vault_files(path)[:2]):
        raise VaultExistsError(str(path))
    passphrase = read_passphrase(args, creating=True)
    strength = Casebook.passphrase_strength(passphrase)
    if not strength.acceptable:
        raise WeakPassphraseError(strength.message)
    cb, recovery = Casebook.create(path, passphrase)
    try:
        from linksdesk.casework import bundles

        bundles.prepare_new_vault(cb, supervisor=getattr(args, "supervisor", False))
    finally:
        cb.lock()
    log.info("new vault created")
    out = sys.stdout
    print(f"Created a new vault: {path}", file=out)
    print(f"Key file beside it:  {keyfile_path(path)} (back up both files together)", file=out)
    print("", file=out)
    print("Recovery key (shown this once; LinksDesk does not keep it):", file=out)
    print("", file=out)
    print(f"    {recovery}", file=out)
    print("", file=out)
    print(
        "Store this safely: write it down or print it, and keep it locked away from the "
        "laptop.\nIf the passphrase is ever forgotten, this key is the only way back in.",
        file=out,
    )
    return EXIT_OK


def _progress_printer(out: TextIO) -> Callable[[int, int], None] | None:
    if not out.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\rWriting participants: {done}/{total}", end=end, file=out, flush=True)

    return show


def cmd_demo(args: argparse.Namespace) -> int:
    from linksdesk.casework.casebook import Casebook
    from linksdesk.demo import build_demo

    out = sys.stdout
    path: Path = args.vault or default_demo_path()
    if args.participants < 1 or args.participants > 100_000:
        raise UserError("--participants must be a number from 1 to 100000.")
    passphrase = read_demo_passphrase(args, out)
    if any(p.exists() for p in vault_files(path)[:2]):
        from linksdesk.storage.vault import Vault

        # a look with the storage Vault writes nothing (no unlock/lock audit events), so a
        # vault that is not a demo vault is left exactly as it was
        existing = Vault.unlock(path, passphrase)
        try:
            marker = existing.setting(DEMO_MARKER)
        finally:
            existing.lock()
        if not isinstance(marker, dict):
            raise UserError(
                f"There is already a vault at {path} and it is not a demo vault, so it was "
                "left alone. Choose another place with --vault."
            )
        if not args.replace:
            print(
                f"A demo vault is already at {path} ({marker.get('participants')} participants, "
                f"seed {marker.get('seed')}); using it. Add --replace to build a new one.",
                file=out,
            )
            return open_gui(["--vault", str(path)]) if args.open else EXIT_OK
        for p in vault_files(path):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        log.info("previous demo vault removed")
    cb, recovery = Casebook.create(path, passphrase)
    try:
        # marked first, so a demo stopped half way can still be replaced safely
        cb.vault.set_setting(
            DEMO_MARKER,
            {
                "seed": args.seed,
                "participants": args.participants,
                "built_on": dt.date.today().isoformat(),
            },
        )
        print(f"Building a demo vault of synthetic participants at {path}", file=out)
        summary = build_demo(
            cb, participants=args.participants, seed=args.seed, progress=_progress_printer(out)
        )
    finally:
        cb.lock()
    for line in summary.describe():
        print(line, file=out)
    print(f"Recovery key of this demo vault: {recovery}", file=out)
    if args.open:
        return open_gui(["--vault", str(path)])
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from linksdesk.storage.vault import Vault

    passphrase = read_passphrase(args)
    # the storage Vault, not the Casebook: checking writes nothing (no unlock/lock events)
    vault = Vault.unlock(args.vault, passphrase)
    try:
        report = vault.integrity_check()
    finally:
        vault.lock()
    if report.ok:
        print(one_line(report.describe()))
        return EXIT_OK
    log.warning("vault check found problems")
    print(one_line(report.describe()), file=sys.stderr)
    return EXIT_PROBLEM


def cmd_enrol(args: argparse.Namespace) -> int:
    from linksdesk.sync import client

    passphrase = read_passphrase(args)
    with unlocked(args.vault, passphrase) as cb:
        result = client.enrol(cb, args.server, args.code, label=args.label)
    print(
        f"Enrolled with {result.server_url}: this laptop is device {result.device_id} "
        f"for worker {result.worker_id}."
    )
    if result.reowned_rows:
        print(f"{result.reowned_rows} records made before enrolment now belong to that worker.")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from linksdesk.sync import client

    passphrase = read_passphrase(args)
    with unlocked(args.vault, passphrase) as cb:
        report = client.sync_once(cb, allow_mass_delete=args.allow_mass_delete)
    message = one_line(report.message) or f"Sent {report.pushed}, received {report.pulled}."
    complete = report.verified and not report.waiting and not report.attention
    if complete:
        print(message)
        return EXIT_OK
    if report.waiting:
        reason = f"{report.waiting} change(s) are still waiting to be sent."
    elif report.attention:
        reason = f"{report.attention} change(s) were refused by the server and need attention."
    else:
        reason = "This laptop and the server could not yet be checked against each other."
    print(f"Sync not complete: {reason} {message}", file=sys.stderr)
    return EXIT_PROBLEM


# -- supervisors' data path: keys, bundles, deprivation lookup ---------------------------------
def cmd_keys(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with unlocked(args.vault, read_passphrase(args)) as cb:
        if args.keys_action == "new":
            recipient = bundles.new_bundle_key(cb)
            print("This vault's bundle key (give this line to whoever makes bundles for you):")
            print(recipient)
        elif args.keys_action == "export-identity":
            out = bundles.export_identity(cb, args.out)
            print(f"Wrote the identity to {out} (readable by you only). Keep it locked away.")
        else:
            shown = bundles.show_keys(cb)
            print(f"vault kind:  {shown.kind}")
            print(f"recipient:   {shown.recipient or '(none; make one with `keys new`)'}")
            print(f"signing key: {shown.signing.line}")
            print(f"fingerprint: {shown.signing.fingerprint}")
    return EXIT_OK


def _print_progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{stage}: {done}/{total}", end="", file=sys.stderr, flush=True)


def cmd_export(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with unlocked(args.vault, read_passphrase(args)) as cb:
        done = bundles.export_bundle(
            cb,
            args.out,
            kind=args.kind,
            recipients=args.to,
            period=args.period,
            progress=_print_progress,
        )
    records = sum(done.counts.values())
    print(f"Wrote {done.kind} bundle {done.bundle_id} ({records} records) to {done.path}")
    print(f"and its signature to {done.signature}. Copy both files together.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with unlocked(args.vault, read_passphrase(args)) as cb:
        result = bundles.import_file(cb, args.file, trust=args.trust, progress=_print_progress)
    if isinstance(result, int):
        print(f"Roster imported: {result} new signer(s) of the team are now known.")
    else:
        print(one_line(result.describe()))
    return EXIT_OK


def cmd_deprivation(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with unlocked(args.vault, read_passphrase(args)) as cb:
        loaded = bundles.import_deprivation(
            cb,
            args.file,
            name=args.name,
            year=args.year,
            postcode_column=args.postcode_column,
            decile_column=args.decile_column,
        )
    print(f"Loaded {loaded.name} {loaded.year}: {loaded.postcodes} postcodes.")
    return EXIT_OK


def add_bundle_verbs(verbs: Any, default_vault: Path) -> None:
    p = verbs.add_parser("keys", help="a vault's bundle and signing keys")
    p.add_argument(
        "keys_action",
        choices=["new", "show", "export-identity"],
        metavar="ACTION",
        help="new | show | export-identity",
    )
    _add_vault(p, default_vault, "the vault")
    p.add_argument("--out", type=Path, metavar="FILE", help="export-identity: where to write")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_keys)

    p = verbs.add_parser("export", help="make a signed, encrypted bundle for a supervisor")
    _add_vault(p, default_vault, "the worker's vault")
    p.add_argument("--kind", required=True, choices=["supervision", "evaluation"])
    p.add_argument(
        "--to",
        required=True,
        action="append",
        metavar="RECIPIENT",
        help="a supervisor's age1… key (repeat for several)",
    )
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--period", metavar="FROM..TO", help="e.g. 2026-04..2026-09")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_export)

    p = verbs.add_parser("import", help="import a bundle or roster into a supervisor's vault")
    _add_vault(p, default_vault, "the supervisor's vault")
    p.add_argument(
        "--trust",
        metavar="FINGERPRINT",
        help="accept this signer, after comparing its fingerprint by phone",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_import)

    p = verbs.add_parser("deprivation", help="load a postcode → deprivation decile lookup")
    p.add_argument("deprivation_action", choices=["import"], metavar="import")
    p.add_argument("file", type=Path, metavar="FILE", help="CSV with postcode and decile columns")
    _add_vault(p, default_vault, "the vault")
    p.add_argument("--name", required=True, help="e.g. 'SIMD' or 'IMD'")
    p.add_argument("--year", required=True, help="e.g. 2020")
    p.add_argument("--postcode-column", default="postcode", metavar="NAME")
    p.add_argument("--decile-column", default="decile", metavar="NAME")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_deprivation)


def cmd_backup(args: argparse.Namespace) -> int:
    from linksdesk.casework import backup

    out: Path = args.out
    passphrase = read_passphrase(args)
    printer = _progress_printer(sys.stdout)

    def progress(done: int, total: int) -> None:
        if printer is not None:
            print(f"\rCopying the vault: {done * 100 // max(total, 1)}%", end="", flush=True)

    with unlocked(args.vault, passphrase) as cb:
        info = backup.back_up(cb, out, progress=progress)
    if printer is not None:
        print()
    print(f"Backed up {args.vault} to {out}: {info.describe()}.")
    print(
        "The backup is encrypted: it opens with the vault's passphrase or its recovery key. "
        "Keep it somewhere safe, away from the laptop."
    )
    return EXIT_OK


def _read_secret_file(path: Path, what: str) -> str:
    try:
        with path.open(encoding="utf-8") as fh:
            return fh.readline().strip()
    except OSError:
        raise UserError(f"The {what} file {path} could not be read.") from None


def cmd_restore(args: argparse.Namespace) -> int:
    from linksdesk.casework import backup

    info = backup.read_backup(args.backup)
    if args.recovery_key_file is not None:
        recovery = _read_secret_file(args.recovery_key_file, "recovery key")
        new_passphrase = read_passphrase(args, creating=True)
        from linksdesk.casework.casebook import Casebook

        strength = Casebook.passphrase_strength(new_passphrase)
        if not strength.acceptable:
            raise WeakPassphraseError(strength.message)
        result = backup.restore_backup(
            args.backup,
            args.vault,
            recovery_key=recovery,
            new_passphrase=new_passphrase,
            replace=args.replace,
        )
    else:
        result = backup.restore_backup(
            args.backup, args.vault, passphrase=read_passphrase(args), replace=args.replace
        )
    print(f"Restored the {info.describe()} to {result.vault_path}.")
    if result.replaced:
        what = "a vault with newer changes" if result.newer_replaced else "an older vault"
        print(f"It replaced {what}; those files are kept beside it:")
        for kept in result.kept_as:
            print(f"    {kept}")
    print(
        "If this laptop syncs, sync now: work sent from this laptop since the backup comes "
        "back from the server, and anyone erased since stays erased. Private records made "
        "since the backup are not on the server and cannot come back."
    )


def cmd_report(args: argparse.Namespace) -> int:
    from linksdesk.reports.build import resolve_workers
    from linksdesk.reports.export import export_report
    from linksdesk.reports.scope import Period, Scope

    today = dt.date.today()
    period = Period.parse(args.period) if args.period else Period.last_twelve_months(today)
    passphrase = read_passphrase(args)
    with unlocked(args.vault, passphrase) as cb:
        workers = resolve_workers(cb.store, args.worker) if args.worker else None
        team = None
        if args.team:
            from linksdesk.reports.teams import resolve_team, team_label

            team_id, members = resolve_team(cb.store, args.team)
            team = team_label(team_id)
            workers = members if workers is None else workers & members
            if not workers:
                raise UserError(f"None of the workers chosen is in {team}.")
        scope = Scope(period, workers, team)
        export_report(cb.store, scope, args.format, args.out, audience=args.audience)
    print(f"Wrote the {args.audience} report for {period.label} to {args.out}.")
    return EXIT_OK


# -- the parser ---------------------------------------------------------------------------------
def _add_passphrase_file(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="read the passphrase from the first line of FILE (for scripts)",
    )


def _add_vault(p: argparse.ArgumentParser, default: Path | None, what: str) -> None:
    p.add_argument(
        "--vault",
        type=Path,
        metavar="PATH",
        default=default,
        help=f"{what} (default: {default})" if default else what,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="linksdesk",
        description=(
            "LinksDesk: offline case recording for links workers. With no verb, opens the "
            "desktop app."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from linksdesk import __version__

    parser.add_argument("--version", action="version", version=f"LinksDesk {__version__}")
    parser.add_argument("--vault", type=Path, metavar="PATH", help="vault to open in the app")
    parser.add_argument(
        "--smoke-test", action="store_true", help="start the app offscreen, check it, and exit"
    )
    parser.set_defaults(func=cmd_open)
    verbs = parser.add_subparsers(title="verbs", metavar="VERB")
    default_vault = default_vault_path()

    p = verbs.add_parser(
        "open", help="open the desktop app (the default)", description="Open the desktop app."
    )
    p.add_argument("--vault", type=Path, metavar="PATH", help="vault to open")
    p.add_argument("--smoke-test", action="store_true", help="start offscreen, check, and exit")
    p.set_defaults(func=cmd_open)

    p = verbs.add_parser(
        "new",
        help="create an empty vault and show its recovery key once",
        description="Create a new, empty vault and print its recovery key once.",
    )
    _add_vault(p, default_vault, "where to create the vault")
    p.add_argument("--supervisor", action="store_true", help="a supervisor's vault (imports)")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_new)

    p = verbs.add_parser(
        "demo",
        help="build a vault of synthetic demo participants",
        description=(
            "Build a demo vault holding a year of synthetic casework (invented people, "
            "places and resources) and print a short summary of counts."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--participants",
        type=int,
        default=150,
        metavar="N",
        help="how many participants (default: 150)",
    )
    _add_vault(p, default_demo_path(), "where to build the demo vault")
    p.add_argument(
        "--seed", type=int, default=1, metavar="S", help="seed: the same seed gives the same data"
    )
    p.add_argument("--open", action="store_true", help="open the app on the demo vault after")
    p.add_argument(
        "--replace", action="store_true", help="replace an existing demo vault at that place"
    )
    p.add_argument(
        "--demo-passphrase",
        metavar="TEXT",
        help=f'passphrase for the demo vault (default: "{DEMO_PASSPHRASE}")',
    )
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_demo)

    p = verbs.add_parser(
        "check",
        help="check a vault's encrypted pages, structure and audit chain",
        description=(
            "Check the vault: every encrypted page, the database structure and the "
            "hash-chained audit log. Exit 0 if intact, 1 with the reason if not."
        ),
    )
    _add_vault(p, default_vault, "vault to check")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_check)
    _add_document_verbs(verbs, default_vault)

    p = verbs.add_parser(
        "enrol",
        help="enrol this laptop with the programme's sync server",
        description="Enrol this laptop with the sync server using a one-time code.",
    )
    _add_vault(p, default_vault, "vault to enrol")
    p.add_argument("--server", required=True, metavar="URL", help="the sync server's address")
    p.add_argument("--code", required=True, metavar="CODE", help="one-time enrolment code")
    p.add_argument("--label", metavar="TEXT", help="a name for this laptop on the server")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_enrol)

    p = verbs.add_parser(
        "sync",
        help="push, pull and verify once with the sync server",
        description=(
            "Sync once: send waiting changes, receive new ones, and check both sides match. "
            "Exit 0 only when everything was sent, received and verified."
        ),
    )
    _add_vault(p, default_vault, "vault to sync")
    p.add_argument(
        "--allow-mass-delete",
        action="store_true",
        help="go on even if the sync would remove more than 30%% of this laptop's records",
    )
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_sync)
    add_bundle_verbs(verbs, default_vault)

    p = verbs.add_parser(
        "backup",
        help="back up a vault and its key file to one encrypted file",
        description=(
            "Copy the vault (consistently, even while LinksDesk has it open) and its key file "
            "into one file. The copy stays encrypted: it opens with the same passphrase or "
            "recovery key."
        ),
    )
    _add_vault(p, default_vault, "vault to back up")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="backup file to write")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_backup)

    p = verbs.add_parser(
        "restore",
        help="restore a vault from a backup file",
        description=(
            "Restore a backup made by `backup` or File > Back up. A vault already at the place "
            "is replaced only if it is an older copy of the same vault; one with newer changes, "
            "another vault, a damaged one or one open in LinksDesk needs --replace. Replaced "
            "files are kept beside it. Close LinksDesk first."
        ),
    )
    p.add_argument("backup", type=Path, metavar="FILE", help="the backup file")
    _add_vault(p, default_vault, "where to restore the vault")
    p.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="FILE",
        help="open the backup with the recovery key in FILE and set a new passphrase",
    )
    p.add_argument(
        "--replace", action="store_true", help="replace a vault even if it is newer or another one"
    )
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_restore)

    p = verbs.add_parser(
        "report",
        help="write a supervisor's report (XLSX, CSV or PDF) for a period",
        description=(
            "Write the team's figures for a period to a file. External reports (the default) "
            "hide small numbers; internal ones (for supervision) show them exactly."
        ),
    )
    _add_vault(p, default_vault, "the supervisor's vault")
    p.add_argument("--period", metavar="FIRST..LAST", help="months, e.g. 2026-04..2026-09 "
                   "(default: the last 12 months)")  # fmt: skip
    p.add_argument("--worker", action="append", metavar="W", help="only this worker (repeatable)")
    p.add_argument("--team", metavar="T", help="only the workers of this team")
    p.add_argument("--format", choices=("xlsx", "csv", "pdf"), required=True)
    p.add_argument("--audience", choices=("internal", "external"), default="external")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write")
    _add_passphrase_file(p)
    p.set_defaults(func=cmd_report)
    return parser


# -- main ---------------------------------------------------------------------------------------
def _fail(message: str, code: int) -> NoReturn:
    print(f"linksdesk: {one_line(message)}", file=sys.stderr)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    path = configure_logging()
    parser = build_parser()
    args = parser.parse_args(args_list)  # usage errors: argparse prints them and exits 2
    func: Callable[[argparse.Namespace], int] = args.func
    log.info("command: %s", func.__name__.removeprefix("cmd_"))
    try:
        return func(args)
    except KeyboardInterrupt:
        log.info("stopped by the user")
        _fail("Stopped.", EXIT_INTERRUPTED)
    except UserError as exc:
        log.info("refused: %s", type(exc).__name__)
        _fail(str(exc), EXIT_USER)
    except LinksDeskError as exc:
        log.warning("failed: %s", type(exc).__name__)
        _fail(str(exc), EXIT_PROBLEM)
    except Exception as exc:
        log.error("bug:\n%s", safe_traceback(exc))
        from linksdesk.core.logs import write_crash_report

        write_crash_report(exc, where=f"command {func.__name__.removeprefix('cmd_')}")
        where = f" Details are in the log: {path}" if path else ""
        _fail(f"LinksDesk stopped on an unexpected problem (a bug).{where}", EXIT_BUG)


if __name__ == "__main__":
    raise SystemExit(main())
