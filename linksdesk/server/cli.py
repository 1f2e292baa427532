"""The ``linksdesk-server`` command line: set up, run and administer the sync server."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from linksdesk.core import files
from linksdesk.core.errors import LinksDeskError, UserError
from linksdesk.core.item_words import counted
from linksdesk.core.logs import SafeFormatter
from linksdesk.server import admin, admin_note, bundles
from linksdesk.server import keys as server_keys
from linksdesk.server.config import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ENV_DB,
    ENV_KEY,
    PROGRAM,
    ServerKeyError,
    commands_file,
    key_file,
    resolve_db_url,
    revoked_file,
    sqlite_path,
)
from linksdesk.server.db import Database, SchemaNotReadyError, check_ready, init_database, new_epoch
from linksdesk.server.problems import NOTHING_CHANGED, database_problem, unexpected
from linksdesk.sync.bundle.format import parse_period

Handler = Callable[[argparse.Namespace, Database], tuple[str, Any]]


def _unnoted(why: str | None, again: str) -> str:
    """What to do when a change made could not be noted beside the server key (for
    ``new-epoch`` after a restore): nothing to say when it was."""
    if why is None:
        return ""
    return (
        f"\nIt could not be noted beside the server key: {why}. If a backup from before now "
        f"is ever restored, {again}."
    )


def _typed(*words: str, flags: dict[str, bool] | None = None) -> list[str]:
    """A command's words as typed (spaces around a value do not count, as the command reads
    it), then the flags given."""
    return [w.strip() for w in words] + [flag for flag, given in (flags or {}).items() if given]


def _when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _synced(device: admin.DeviceInfo) -> str:
    """When a laptop last finished a sync (all it held then is on the server), which is
    what matters of a lost one; being seen (a handshake alone) says nothing of its data."""
    if device.synced_ms is None:
        return "never finished a sync (or not since the server began to note it)"
    return f"synced {_when(device.synced_ms)}"


# -- commands: each returns (plain text, JSON-able value) ----------------------------------
def _add_team(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    team_id = admin.add_team(db, a.name, a.id)
    # noted with the id made: run again after a restore, it makes the same team
    why = admin_note.note_team(db, _typed("add-team", a.name, "--id", team_id), team_id)
    text = f"Added team {a.name!r} ({team_id})." + _unnoted(why, _again_with(team_id))
    return text, {"team_id": team_id, "name": a.name}


def _add_worker(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    worker_id = admin.add_worker(db, a.team, a.name, a.role, a.id)
    role = ["--role", a.role] if a.role != "worker" else []
    typed = _typed("add-worker", "--team", a.team, "--name", a.name, *role, "--id", worker_id)
    # noted with the id made: a laptop enrolled for the worker holds it
    why = admin_note.note_worker(db, typed, worker_id)
    text = f"Added {a.role} {a.name!r} to team {a.team!r} ({worker_id})."
    text += _unnoted(why, _again_with(worker_id))
    return text, {"worker_id": worker_id, "name": a.name, "team": a.team, "role": a.role}


def _again_with(made: str) -> str:
    return f"run this command again with --id {made} (before the commands that follow it)"


def _enrol_code(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    issued = admin.make_enrol_code(db, a.worker, a.ttl_hours)
    text = (
        f"Enrolment code: {issued.code}\n"
        f"Give it to the worker to type into LinksDesk. It works once, until "
        f"{_when(issued.expires_ms)}."
    )
    return text, {
        "code": issued.code,
        "worker_id": issued.worker_id,
        "expires_ms": issued.expires_ms,
    }


def _revoke(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    from linksdesk.server.admin_ops import revoke_unless_in_use

    device_id = a.device.strip().lower()  # as pasted from an email or read off a screen
    was = revoke_unless_in_use(db, device_id, in_use=a.in_use)
    laptop = f"{device_id} ({was.label or 'no name'}, {was.worker})"
    if was.revoked_ms is not None:
        text = f"Device {laptop} was already revoked on {_when(was.revoked_ms)}; nothing changed."
    else:
        text = (
            f"Revoked device {laptop}, {_synced(was)}, last seen {_when(was.last_seen_ms)}. "
            "It can no "
            f"longer sync. If it was the wrong laptop, give {was.worker} a new enrolment code "
            "(`enrol-code`): entered on that laptop, it enrols it again as a new device, and "
            "nothing on it is lost."
        )
    text += _unnoted(was.unnoted, "revoke this laptop again")
    return text, {
        "device_id": device_id,
        "worker_id": was.worker_id,
        "revoked": True,
        "already_revoked": was.revoked_ms is not None,
    }


def _list_devices(_a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    devices = admin.list_devices(db)
    if not devices:
        return "No devices are enrolled.", []
    rows = [("device", "laptop name", "team / worker", "enrolled", "last sync / state")]
    for d in devices:
        state = _synced(d)
        if d.revoked_ms:
            state = f"revoked {_when(d.revoked_ms)}, {state}"
        name = d.label or "-"
        rows.append((d.device_id, name, f"{d.team} / {d.worker}", _when(d.enrolled_ms), state))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + "  " + r[4]
        for r in rows
    ]
    return "\n".join(line.rstrip() for line in lines), [d.to_json() for d in devices]


def _handover(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    participant = admin.find_case(db, a.participant, a.to)  # P1042 as LinksDesk shows it
    done = admin.handover(db, participant, a.to, a.keep_read_only)
    after = "keeps it read-only" if done.keep_read_only else "no longer holds it"
    also = (
        f", with {counted('record', len(done.also_moved))} more of the same person "
        f"({', '.join(done.also_moved)})"
        if done.also_moved
        else ""
    )
    text = (
        f"Handed participant {done.participant_id}{also} ({counted('record', done.rows_moved)}) to "
        f"worker {done.to_worker}; the previous worker {after}."
    )
    typed = _typed(
        "handover",
        "--participant",
        a.participant,
        "--to",
        a.to,
        flags={"--keep-read-only": a.keep_read_only},
    )
    why = admin_note.note_handovers(db, typed, [done.handover_id])
    text += _unnoted(why, "run this command again")
    return text, {
        "handover_id": done.handover_id,
        "participant_id": done.participant_id,
        "from_worker": done.from_worker,
        "to_worker": done.to_worker,
        "keep_read_only": done.keep_read_only,
        "rows_moved": done.rows_moved,
        "also_moved": list(done.also_moved),
    }


def _move_cases(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    from linksdesk.server.admin_ops import move_cases

    done = move_cases(db, a.from_worker, a.to, keep_read_only=a.keep_read_only)
    rows = sum(d.rows_moved for d in done)
    text = (
        f"Moved {counted('case', len(done))} ({counted('record', rows)}) "
        f"to worker {done[0].to_worker}."
        if done
        else ("That worker holds no cases; nothing was moved.")
    )
    if done:
        typed = _typed(
            "move-cases",
            "--from",
            a.from_worker,
            "--to",
            a.to,
            flags={"--keep-read-only": a.keep_read_only},
        )
        why = admin_note.note_handovers(db, typed, [d.handover_id for d in done])
        text += _unnoted(why, "run this command again")
    return text, [
        {
            "participant_id": d.participant_id,
            "to_worker": d.to_worker,
            "rows_moved": d.rows_moved,
            "also_moved": list(d.also_moved),
        }
        for d in done
    ]


def _cancel_codes(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    from linksdesk.server.admin_ops import cancel_codes

    n = cancel_codes(db, a.worker)
    return f"Cancelled {counted('enrolment code', n)}.", {"cancelled": n}


def _status(_a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    st = admin.status(db)
    lines = [
        f"Data epoch: {st['data_epoch']}",
        f"Changes numbered: {st['cursor_head']} ({st['changes']} in the log)",
        f"Records: {st['records']}",
        f"Workers: {st['workers']}; devices: {st['devices_active']} active, "
        f"{st['devices_revoked']} revoked",
        f"Refused changes: {st['refusals']}; erasures: {st['erasures']}; "
        f"handovers: {st['handovers']}",
        "Teams:" if st["teams"] else "Teams: none yet (add one with `add-team`)",
    ]
    lines += [f"  {t['name']} ({t['id']}): {counted('worker', t['workers'])}" for t in st["teams"]]
    return "\n".join(lines), st


def _settings(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    why: str | None = None
    if a.settings_command == "set":
        team_id = admin.find_team(db, a.team).id
        version = admin.set_setting(db, a.team, a.key, a.value)
        typed = _typed("settings", "set", "--team", a.team, a.key, a.value)
        why = admin_note.note_setting(db, typed, team_id, version)
    settings, version = admin.show_settings(db, a.team)
    data = {"team": a.team, "settings_version": version, **settings.model_dump(mode="json")}
    limit = settings.appointment_limit
    text = "\n".join(
        [
            f"Programme settings for {a.team!r} (version {version}):",
            f"  appointment_limit: {'none' if limit is None else limit}",
            f"  not_seen_weeks: {settings.not_seen_weeks}",
            f"  concern_taxonomy: {', '.join(settings.concern_taxonomy)}",
        ]
    )
    return text + _unnoted(why, "run this command again"), data


def _new_epoch(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    from linksdesk.server.admin_ops import cancel_every_code
    from linksdesk.server.ids import latest_recorded

    epoch = new_epoch(db)
    with db.reading() as s:
        since = latest_recorded(s) or None
    # the devices revoked since the backup are noted beside the server key, outside it
    again = admin.revoke_again(db)
    # a code cancelled since the backup is unused again in the copy: none is trusted
    codes = cancel_every_code(db)
    after = f"after {_when(since)} (its latest record)" if since else "after its backup"
    # the administrator's commands since the backup, noted beside the server key: listed,
    # never run again here (the restored state may differ; the administrator decides)
    lacking = admin_note.to_run_again(db, since or 0)
    where = _db_words(a.db, db.url)
    text = (
        f"New data epoch {epoch}. Every device will resync by merging on its next sync.\n"
        f"Revoked again: {again} laptop{'' if again == 1 else 's'} revoked after the backup "
        f"(noted in {revoked_file(db.url).name} beside the server key).\n"
        f"Cancelled: {codes} enrolment code{'' if codes == 1 else 's'} not yet used (one "
        "cancelled since the backup would work again): give a new code to anyone still to "
        "enrol.\n"
        f"Nothing else done {after} is in this database."
    )
    if lacking:
        text += (
            "\nRun these again, in this order (done after the backup, so not in it). Nothing "
            "is run for you: check each still fits the restored database first"
            + (" and give each the --db you gave this command" if a.db and not where else "")
            + ".\n"
            + "\n".join(f"  {n.command}{where}  # done {_when(n.done_ms)}" for n in lacking)
        )
        if any(n.argv[:1] == ("add-worker",) for n in lacking):
            text += (
                "\nA worker added again with the --id listed has the id their laptop holds: "
                "give them a new enrolment code (`enrol-code`), and that laptop enrols again "
                "and keeps its cases."
            )
    elif lacking is None:  # the note is unreadable: the words from before it was kept
        text += (
            f" {commands_file(db.url).name} beside the server key could not be read: run "
            f"again every {_noted('and')} done since."
        )
    else:
        text += (
            f" No {_noted('or')} done since is noted in "
            f"{commands_file(db.url).name} beside the server key: none to run again."
        )
    data = {"data_epoch": epoch, "latest_recorded_ms": since, "revoked_again": again}
    run_again = (  # None: the note could not be read
        None
        if lacking is None
        else [{"done_ms": n.done_ms, "command": n.command + where} for n in lacking]
    )
    return text, {**data, "codes_cancelled": codes, "run_again": run_again}


def _noted(joined: str) -> str:
    """The commands noted for ``new-epoch`` in words: "add-team, …, move-cases or settings set"."""
    *first, last = admin_note.NOTED
    return f"{', '.join(first)} {joined} {last}"


def _db_words(given: str | None, url: str) -> str:
    """``--db`` as given to this command, to add to each command to run again: a SQLite
    file's path only (a PostgreSQL address can carry a password, never printed)."""
    if not given or sqlite_path(url) is None:
        return ""
    return " " + shlex.join(["--db", given])


# -- supervisors' data path: keys, roster, bundles, deprivation lookup ----------------------
def _keys_show(_a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    key = server_keys.public_key(db)
    text = f"signing key: {key.line}\nfingerprint: {key.fingerprint}"
    return text, {"signing_key": key.line, "fingerprint": key.fingerprint}


def _roster(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    doc = bundles.roster(db, a.team)
    data = json.dumps(doc, indent=2, sort_keys=True).encode()
    files.write_whole(a.out, data, what="The roster")  # whole or not at all (a full disk)
    signers = len(doc["roster"]["signers"])
    text = f"Wrote the signed roster of {counted('signer', signers)} to {a.out}."
    return text, {"signers": signers}


def _export(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    sealed = bundles.export(db, a.team, kind=a.kind, recipients=a.to, period=parse_period(a.period))
    sealed.write(a.out)
    m = sealed.manifest
    text = (
        f"Wrote {a.kind} bundle {m['bundle_id']} ({m['records']} records) to {a.out} "
        f"and its signature beside it."
    )
    return text, {"bundle_id": m["bundle_id"], "counts": m["counts"], "out": str(a.out)}


def _deprivation(a: argparse.Namespace, db: Database) -> tuple[str, Any]:
    n = bundles.import_deprivation(
        db,
        a.file,
        name=a.name,
        year=a.year,
        postcode_column=a.postcode_column,
        decile_column=a.decile_column,
    )
    return f"Loaded {a.name} {a.year}: {n} postcodes.", {"postcodes": n}


def _add_bundle_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    keys_p = sub.add_parser("keys", help="the server's signing key")
    ksub = keys_p.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    p = ksub.add_parser("show", parents=[common], help="print the signing key and fingerprint")
    p.set_defaults(handler=_keys_show)

    p = sub.add_parser("roster", parents=[common], help="write a team's signed roster")
    p.add_argument("--team", required=True)
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(handler=_roster)

    p = sub.add_parser("export", parents=[common], help="make a bundle of a team's data")
    p.add_argument("--team", required=True)
    p.add_argument("--kind", required=True, choices=["supervision", "evaluation"])
    p.add_argument("--to", required=True, action="append", metavar="RECIPIENT")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--period", metavar="FROM..TO", help="e.g. 2026-04..2026-09")
    p.set_defaults(handler=_export)

    dep = sub.add_parser("deprivation", help="the postcode → deprivation decile lookup")
    dsub = dep.add_subparsers(dest="deprivation_command", required=True, metavar="ACTION")
    p = dsub.add_parser("import", parents=[common], help="load a lookup from CSV")
    p.add_argument("file", type=Path)
    p.add_argument("--name", required=True, help="e.g. SIMD or IMD")
    p.add_argument("--year", required=True)
    p.add_argument("--postcode-column", default="postcode")
    p.add_argument("--decile-column", default="decile")
    p.set_defaults(handler=_deprivation)


# -- parser ---------------------------------------------------------------------------------
def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", help=f"database address (default: ${ENV_DB}, else a SQLite file in user data)"
    )
    common.add_argument("--json", action="store_true", help="print JSON instead of text")

    parser = argparse.ArgumentParser(
        prog=PROGRAM, description="Run and administer the LinksDesk sync server."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", parents=[common], help="create or upgrade the database")
    serve = sub.add_parser("serve", parents=[common], help="serve devices over HTTP")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT)
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (more than 1 needs PostgreSQL)",
    )
    serve.add_argument(
        "--log-format",
        choices=["text", "json"],
        default="text",
        help="json: one JSON object a line, access lines included (for log collectors)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="addresses of the TLS reverse proxy whose X-Forwarded-* headers are trusted",
    )

    restored_id = "the id it had before a restore, as `new-epoch` lists it"
    p = sub.add_parser("add-team", parents=[common], help="add a team")
    p.add_argument("name")
    p.add_argument("--id", help=restored_id)
    p.set_defaults(handler=_add_team)

    p = sub.add_parser("add-worker", parents=[common], help="add a links worker or supervisor")
    p.add_argument("--team", required=True, help="team name or id")
    p.add_argument("--name", required=True)
    p.add_argument("--role", choices=["worker", "supervisor"], default="worker")
    p.add_argument("--id", help=restored_id)
    p.set_defaults(handler=_add_worker)

    p = sub.add_parser("enrol-code", parents=[common], help="make a one-time enrolment code")
    p.add_argument("--worker", required=True, help="worker id (or name, if unique)")
    p.add_argument("--ttl-hours", type=float, default=24)
    p.set_defaults(handler=_enrol_code)

    p = sub.add_parser("revoke-device", parents=[common], help="stop a device from syncing")
    p.add_argument("device")
    p.add_argument(
        "--in-use",
        action="store_true",
        help="revoke it even if it is the laptop its worker synced from most recently "
        "(a lost or stolen laptop)",
    )
    p.set_defaults(handler=_revoke)

    p = sub.add_parser("list-devices", parents=[common], help="list enrolled devices")
    p.set_defaults(handler=_list_devices)

    p = sub.add_parser("handover", parents=[common], help="hand a case to another worker")
    p.add_argument(
        "--participant",
        required=True,
        help="programme id as LinksDesk shows it (P1042), or participant id",
    )
    p.add_argument("--to", required=True, help="worker id (or name, if unique)")
    p.add_argument("--keep-read-only", action="store_true", help="previous worker keeps a view")
    p.set_defaults(handler=_handover)

    p = sub.add_parser(
        "move-cases", parents=[common], help="hand every case of a worker to a colleague"
    )
    p.add_argument("--from", dest="from_worker", required=True, help="worker id (or name)")
    p.add_argument("--to", required=True, help="worker id (or name, if unique)")
    p.add_argument("--keep-read-only", action="store_true", help="previous worker keeps a view")
    p.set_defaults(handler=_move_cases)

    p = sub.add_parser(
        "cancel-codes", parents=[common], help="make a worker's unused enrolment codes unusable"
    )
    p.add_argument("--worker", required=True, help="worker id (or name, if unique)")
    p.set_defaults(handler=_cancel_codes)

    p = sub.add_parser("status", parents=[common], help="show what the server holds")
    p.set_defaults(handler=_status)

    p = sub.add_parser("new-epoch", parents=[common], help="after restoring a backup")
    p.set_defaults(handler=_new_epoch)

    settings = sub.add_parser("settings", help="programme settings of a team")
    ssub = settings.add_subparsers(dest="settings_command", required=True, metavar="ACTION")
    p = ssub.add_parser("show", parents=[common], help="show a team's settings")
    p.add_argument("--team", required=True)
    p.set_defaults(handler=_settings)
    p = ssub.add_parser("set", parents=[common], help="set one setting")
    p.add_argument("--team", required=True)
    p.add_argument("key", choices=["appointment_limit", "concern_taxonomy", "not_seen_weeks"])
    p.add_argument("value", help="a number, 'none', or comma-separated concerns")
    p.set_defaults(handler=_settings)
    _add_bundle_commands(sub, common)
    return parser


def _emit(args: argparse.Namespace, text: str, data: Any) -> None:
    try:
        print(json.dumps(data, indent=2, sort_keys=True) if args.json else text, flush=True)
    except BrokenPipeError:  # `... | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(args: argparse.Namespace, message: str, code: int = 1) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"error": message}))
    else:
        print(f"linksdesk-server: {message}", file=sys.stderr)
    return code


# what a command stopped part-way has done (each command writes in one transaction, but
# these): said after what went wrong
_UNDONE = {
    "init": "Run `init` again once that is put right: it carries on from where it stopped.",
    "move-cases": (
        "Cases moved before the problem stay moved (each moves whole or not at all); run "
        "the command again to move the rest."
    ),
}


def _undone(args: argparse.Namespace) -> str:
    return _UNDONE.get(args.command, NOTHING_CHANGED)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return _run(args)
    warnings = _Warnings()
    logging.getLogger("linksdesk.server").addHandler(warnings)
    try:
        return _run(args)
    finally:
        logging.getLogger("linksdesk.server").removeHandler(warnings)


def _run(args: argparse.Namespace) -> int:
    url = ""
    try:
        url = resolve_db_url(args.db)
        if args.command == "init":
            epoch = init_database(url)
            where = "given in " + ENV_KEY if os.environ.get(ENV_KEY) else str(key_file(url))
            _emit(
                args,
                f"The server database is ready (data epoch {epoch}). Its server key: {where} "
                "(keep a copy safe, apart from the database's backups).",
                {"data_epoch": epoch, "server_key": where},
            )
            return 0
        _refuse_a_missing_file(url)
        if args.command == "serve":
            return _serve(args, url)
        db = Database(url)
        try:
            check_ready(db)
            text, data = args.handler(args, db)
        finally:
            db.dispose()
        _emit(args, text, data)
        return 0
    except (LinksDeskError, SchemaNotReadyError, ServerKeyError) as exc:
        return _fail(args, str(exc))
    except KeyboardInterrupt:
        return _fail(args, f"Stopped (Ctrl+C). {_undone(args)}", 130)
    except Exception as exc:  # a traceback would quote values, paths and the address
        problem = database_problem(exc, url, _undone(args)) if url else None
        return _fail(args, problem or unexpected(exc, args.command, _undone(args)))


def _refuse_a_missing_file(url: str) -> None:
    """Only ``init`` makes a SQLite database: any other command on a path with no file is a
    mistyped --db (or a moved database), never a new empty server."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise UserError(
            f"There is no server database at {path}. Check the --db path (or "
            f"{ENV_DB}); a new server's database is made with `linksdesk-server init`."
        )


class _Warnings(logging.StreamHandler):  # type: ignore[type-arg]
    """The server's warnings (a key file others may read) on standard error, for commands
    run by hand; ``serve`` sends them to its log instead (``configure_logging``)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(SafeFormatter("linksdesk-server: warning: %(message)s"))
        self.setLevel(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # the one in use now
        super().emit(record)


def _serve(args: argparse.Namespace, url: str) -> int:
    import os

    import uvicorn

    from linksdesk.server.api.access_log import configure_logging
    from linksdesk.server.app import ENV_LOG_FORMAT, ENV_LOG_LEVEL, serving_app

    if args.workers < 1 or args.workers > 64:
        return _fail(args, "--workers must be a number from 1 to 64.")
    if args.workers > 1 and url.startswith("sqlite"):
        return _fail(
            args,
            "Several worker processes need PostgreSQL: a SQLite file serves one process. "
            "Use --workers 1, or move the server to PostgreSQL (see docs/server.md).",
        )
    configure_logging(args.log_level, args.log_format)
    common: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "proxy_headers": True,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        "server_header": False,
        # our own access log (api/access_log.py): uvicorn's carries client addresses
        "access_log": False,
        # uvicorn's loggers go to ours (configure_logging): its own handler wrote an unexpected
        # error's message and chained causes, which can quote a request's values
        "log_config": None,
    }
    if args.workers == 1:
        app = serving_app(url)  # refuses an unprepared database, or the wrong key, first
        if taken := _port_taken(args.host, args.port):
            app.state.db.dispose()
            return _fail(args, taken)
        uvicorn.run(app, **common)
        return 0
    db = Database(url)  # refuse an unprepared database here, once, in plain words
    try:
        check_ready(db)
    finally:
        db.dispose()
    if taken := _port_taken(args.host, args.port):
        return _fail(args, taken)
    os.environ[ENV_DB] = url
    os.environ[ENV_LOG_LEVEL] = args.log_level
    os.environ[ENV_LOG_FORMAT] = args.log_format
    uvicorn.run(
        "linksdesk.server.app:app_from_environment", factory=True, workers=args.workers, **common
    )
    return 0


def _port_taken(host: str, port: int) -> str | None:
    """Why ``serve`` cannot listen on ``host``:``port`` (another server there, an address
    this machine does not have), said before anything starts; None when it can."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError:
        return f"--host {host} is not an address of this machine (nor a name for one)."
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"Port {port} on {host} is already in use: another `linksdesk-server "
                    f"serve` (or another program) is listening there. Stop it first (under "
                    f"systemd: systemctl status linksdesk-server), or choose another --port."
                )
            if exc.errno == errno.EADDRNOTAVAIL:
                return f"--host {host} is not an address of this machine."
            if exc.errno == errno.EACCES:
                return (
                    f"Port {port} needs more rights than the server's user has; use one above 1023."
                )
            return f"The server cannot listen on {host}:{port} ({exc.strerror})."
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
