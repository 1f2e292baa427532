"""A programme setting the server's administrator may set is one every laptop takes.

Each number setting's range is stated once (``core.settings.BOUNDS``). The server's model
allowed an appointment limit up to 1,000 while the laptops refused any over 100: an
administrator's ``settings set appointment_limit 150`` was answered "set", and every laptop
then quietly kept its old programme settings, the concern list and "not seen for" included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from server_kit import Programme

from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import ValidationError
from linksdesk.core.settings import BOUNDS, CONCERN_LENGTH, Settings
from linksdesk.server import admin
from linksdesk.server.admin import AdminError
from linksdesk.server.models import ProgrammeSetting


def _server_takes(key: str, value: int) -> bool:
    try:
        admin.parse_setting(key, str(value))
    except AdminError:
        return False
    return True


def _laptop_takes(key: str, value: int) -> bool:
    try:
        Settings(**{key: value}).validate()
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("key", ["appointment_limit", "not_seen_weeks"])
def test_the_server_accepts_exactly_what_a_laptop_takes(key: str) -> None:
    for value in range(-2, 1_100):
        assert _server_takes(key, value) == _laptop_takes(key, value), (key, value)
    low, high = BOUNDS[key]
    assert _server_takes(key, high) and not _server_takes(key, high + 1)
    assert _server_takes(key, low) and not _server_takes(key, low - 1)


def test_an_administrator_setting_out_of_range_is_told_plainly(programme: Programme) -> None:
    team = programme.team()
    with pytest.raises(AdminError, match="150 is not an allowed value for appointment_limit"):
        admin.set_setting(programme.db, team, "appointment_limit", "150")
    # nothing was stored: the laptops' settings version does not move
    assert admin.show_settings(programme.db, team)[1] == 0


def test_a_setting_stored_before_its_range_narrowed_does_not_stop_the_rest(
    programme: Programme, tmp_path: Path
) -> None:
    team = programme.team()
    device = programme.enrol(programme.worker(team))
    admin.set_setting(programme.db, team, "concern_taxonomy", "Housing, Food")
    with programme.db.writing() as s:  # as an older server kept it: a limit of 500
        s.add(ProgrammeSetting(team_id=team, key="appointment_limit", value=500, version=2))
    hs = device.handshake()
    settings = hs["settings"]
    # the handshake still answers; the stored limit gives way to the default, the rest stands
    assert settings["appointment_limit"] == Settings().appointment_limit
    assert settings["concern_taxonomy"] == ["Housing", "Food"]
    assert hs["settings_version"] == 2
    # so does a concern list an older server took with one concern too long to record
    with programme.db.writing() as s:
        row = s.get(ProgrammeSetting, (team, "concern_taxonomy"))
        assert row is not None
        row.value, row.version = ["Housing", "H" * (CONCERN_LENGTH + 1)], 3
    hs = device.handshake()
    assert hs["settings"]["concern_taxonomy"] == list(Settings().concern_taxonomy)
    assert hs["settings_version"] == 3


def test_a_laptop_refuses_a_clipboard_time_out_of_range(tmp_path: Path) -> None:
    cb, _key = Casebook.create(tmp_path / "v.vault", "correct horse battery staple 7")
    try:
        for seconds in (0, 4, 601):
            with pytest.raises(ValidationError, match="5 to 600 seconds"):
                cb.update_settings(clipboard_clear_seconds=seconds)
        assert cb.update_settings(clipboard_clear_seconds=600).clipboard_clear_seconds == 600
        assert cb.settings().clipboard_clear_seconds == 600
    finally:
        cb.lock()


def test_a_concern_the_server_hands_out_is_one_a_laptop_can_record() -> None:
    fits, too_long = "C" * CONCERN_LENGTH, "C" * (CONCERN_LENGTH + 1)
    assert admin.parse_setting("concern_taxonomy", f"Money, {fits}") == ["Money", fits]
    with pytest.raises(AdminError):
        admin.parse_setting("concern_taxonomy", f"Money, {too_long}")
    assert fits in Settings(concern_taxonomy=("Money", fits)).validate().concern_taxonomy
    with pytest.raises(ValidationError, match=f"at most {CONCERN_LENGTH} characters"):
        Settings(concern_taxonomy=("Money", too_long)).validate()
