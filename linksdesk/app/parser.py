"""The one ``linksdesk`` argument parser, put together from each verb module's own parsers."""

from __future__ import annotations

import argparse

from linksdesk.app.arguments import EPILOG
from linksdesk.app.vaults import default_vault_path
from linksdesk.app.verbs import backup, bundles, check, demo, documents, new, report, sync, window

# in the order --help lists them
VERB_MODULES = (window, new, demo, check, documents, sync, bundles, backup, report)


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
    for module in VERB_MODULES:
        module.add_parsers(verbs, default_vault)
    return parser
