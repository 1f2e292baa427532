"""``keys``, ``export``, ``import`` and ``deprivation``: the supervisors' data path."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from linksdesk.app.arguments import vault_verb
from linksdesk.app.console import EXIT_OK, one_line, print_stage_progress
from linksdesk.app.vaults import casebook

if TYPE_CHECKING:
    from linksdesk.app.arguments import Verbs


def cmd_keys(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with casebook(args) as cb:
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


def cmd_export(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with casebook(args) as cb:
        done = bundles.export_bundle(
            cb,
            args.out,
            kind=args.kind,
            recipients=args.to,
            period=args.period,
            progress=print_stage_progress,
        )
    records = sum(done.counts.values())
    print(f"Wrote {done.kind} bundle {done.bundle_id} ({records} records) to {done.path}")
    print(f"and its signature to {done.signature}. Copy both files together.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with casebook(args) as cb:
        result = bundles.import_file(cb, args.file, trust=args.trust, progress=print_stage_progress)
    if isinstance(result, int):
        print(f"Roster imported: {result} new signer(s) of the team are now known.")
    else:
        print(one_line(result.describe()))
    return EXIT_OK


def cmd_deprivation(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with casebook(args) as cb:
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


def add_parsers(verbs: Verbs, default_vault: Path) -> None:
    p = vault_verb(
        verbs,
        "keys",
        vault=default_vault,
        what="the vault",
        help="a vault's bundle and signing keys",
    )
    p.add_argument(
        "keys_action",
        choices=["new", "show", "export-identity"],
        metavar="ACTION",
        help="new | show | export-identity",
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="export-identity: where to write")

    p = vault_verb(
        verbs,
        "export",
        vault=default_vault,
        what="the worker's vault",
        help="make a signed, encrypted bundle for a supervisor",
    )
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

    p = vault_verb(
        verbs,
        "import",
        vault=default_vault,
        what="the supervisor's vault",
        help="import a bundle or roster into a supervisor's vault",
    )
    p.add_argument(
        "--trust",
        metavar="FINGERPRINT",
        help="accept this signer, after comparing its fingerprint by phone",
    )
    p.add_argument("file", type=Path, metavar="FILE")

    p = vault_verb(
        verbs,
        "deprivation",
        vault=default_vault,
        what="the vault",
        help="load a postcode → deprivation decile lookup",
    )
    p.add_argument("deprivation_action", choices=["import"], metavar="import")
    p.add_argument("file", type=Path, metavar="FILE", help="CSV with postcode and decile columns")
    p.add_argument("--name", required=True, help="e.g. 'SIMD' or 'IMD'")
    p.add_argument("--year", required=True, help="e.g. 2020")
    p.add_argument("--postcode-column", default="postcode", metavar="NAME")
    p.add_argument("--decile-column", default="decile", metavar="NAME")
