"""The one ``linksdesk`` argument parser, built from the table of verbs in resources/cli/."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linksdesk.app.arguments import EPILOG, add_passphrase_file, add_vault
from linksdesk.app.passphrase import DEMO_PASSPHRASE
from linksdesk.app.vaults import default_demo_path, default_vault_path
from linksdesk.app.verbs import backup, bundles, check, demo, documents, new, report, sync, window
from linksdesk.core.resources import resource_path

if TYPE_CHECKING:
    from linksdesk.app.arguments import Verbs

# the modules holding each verb's cmd_<verb> (resources/cli/verbs.toml declares the verbs)
VERB_MODULES = (window, new, demo, check, documents, sync, bundles, backup, report)

# what a verb's option may name in the table: its type, and the facts its help may quote
_TYPES: dict[str, type] = {"path": Path, "int": int}
_FACTS = {"demo_passphrase": DEMO_PASSPHRASE}


def verb_table() -> list[dict[str, Any]]:
    """Every verb as ``resources/cli/verbs.toml`` declares it, in the order help lists them."""
    with resource_path("cli", "verbs.toml").open("rb") as fh:
        verbs: list[dict[str, Any]] = tomllib.load(fh)["verb"]
    return verbs


def add_verb(verbs: Verbs, declared: dict[str, Any], default_vault: Path) -> None:
    """One verb's parser, with the arguments its entry in the table declares."""
    kwargs: dict[str, Any] = {"help": declared["help"]}
    if "description" in declared:
        kwargs["description"] = declared["description"]
    if declared.get("epilog"):
        kwargs.update(epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p = verbs.add_parser(declared["name"], **kwargs)
    if "window" in declared:
        window.add_window_arguments(p, declared["window"])
    if "vault" in declared:
        demo_vault = declared.get("vault_default") == "demo"
        add_vault(p, default_demo_path() if demo_vault else default_vault, declared["vault"])
        add_passphrase_file(p)
    for option in declared.get("option", ()):
        flags, settings = option["flags"], {k: v for k, v in option.items() if k != "flags"}
        if "type" in settings:
            settings["type"] = _TYPES[settings["type"]]
        if "help" in settings:
            settings["help"] = settings["help"].format_map(_FACTS)
        p.add_argument(*flags, **settings)


def build_parser() -> argparse.ArgumentParser:
    """The parser; ``args.verb`` names the verb chosen (None: open the app)."""
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
    window.add_window_arguments(parser, "vault to open in the app")
    verbs = parser.add_subparsers(title="verbs", metavar="VERB", dest="verb")
    default_vault = default_vault_path()
    for declared in verb_table():
        add_verb(verbs, declared, default_vault)
    return parser
