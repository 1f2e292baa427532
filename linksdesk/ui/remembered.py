"""The one thing the desktop remembers outside the vault: where the last vault opened lives."""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

from linksdesk import APP_NAME

log = logging.getLogger(__name__)

LAST_VAULT_KEY = "vault/last_path"


def default_settings_file() -> Path:
    """The desktop's own small settings file (per user, never inside or beside a vault)."""
    folder = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return folder / "desktop.ini"


class RememberedVault:
    """The path of the vault last unlocked, created or recovered — and nothing else about it.

    No name, size, date, worker or device: only a path the worker chose, kept in a plain INI
    file (QSettings writes it atomically). Reading or writing it never stops the app.
    """

    def __init__(self, settings_file: Path | None = None) -> None:
        self.settings_file = settings_file or default_settings_file()

    def _settings(self) -> QSettings:
        return QSettings(str(self.settings_file), QSettings.Format.IniFormat)

    def load(self) -> Path | None:
        """The remembered vault, if there is one and its file is still there."""
        try:
            value = self._settings().value(LAST_VAULT_KEY)
        except Exception:  # a broken settings file must not stop the unlock screen
            log.warning("desktop settings could not be read; no remembered vault")
            return None
        if not isinstance(value, str) or not value:
            return None
        path = Path(value)
        # a vault moved away or on a drive not plugged in: fall back to the usual place
        return path if path.is_file() else None

    def remember(self, path: Path) -> None:
        settings = self._settings()
        settings.setValue(LAST_VAULT_KEY, str(Path(path).resolve()))
        settings.sync()
        if settings.status() != QSettings.Status.NoError:
            log.warning("desktop settings could not be written (%s)", settings.status().name)

    def forget(self) -> None:
        settings = self._settings()
        settings.remove(LAST_VAULT_KEY)
        settings.sync()
