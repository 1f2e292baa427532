"""Where the server's database is: ``--db``, else ``LINKSDESK_SERVER_DB``, else a SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_DB = "LINKSDESK_SERVER_DB"
APP_NAME = "LinksDesk-server"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def default_db_url() -> str:
    folder = Path(platformdirs.user_data_dir(APP_NAME))
    return f"sqlite:///{folder / 'server.db'}"


def resolve_db_url(cli_value: str | None) -> str:
    """The database address to use; a plain file path means a SQLite file there."""
    url = cli_value or os.environ.get(ENV_DB) or default_db_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return url
