"""An erasure a bundle brings leaves the supervisor's vault file to be rewritten (VACUUM) so
freed pages hold nothing of the person. The import marks that due in its own transaction:
if the process dies before the VACUUM, or the vault is busy in another window, the import
still stands, and the next import does it and clears the mark (as the next sync would)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, fingerprint_of
from vault_kit import raw_connection

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.erasure import erase_participant
from linksdesk.storage.vault import vacuum_file
from linksdesk.sync import state
from linksdesk.sync.bundle import export, receive


def _exported(lap: Laptop, sup: Supervisor, out: Path) -> Path:
    export.export_to_file(lap.store, out, kind="supervision", recipients=[sup.recipient])
    return out


def _vacuum_due(sup: Supervisor) -> bool:
    with sup.store.read() as s:
        return bool(state.get(s, state.VACUUM_DUE, False))


def _dies(*_: Any) -> None:
    raise SystemExit("the app was closed between the import and the VACUUM")


def _busy(real: Callable[..., None]) -> Callable[..., None]:
    def with_the_vault_busy(*args: Any) -> None:
        with raw_connection(args[1]) as other_window:  # another window is writing
            other_window.execute("BEGIN IMMEDIATE")
            real(*args)

    return with_the_vault_busy


@pytest.mark.parametrize("fault", ["dies", "busy"])
def test_a_vacuum_after_an_erasure_left_undone_is_done_by_the_next_import(
    tmp_path: Path,
    laptop: Laptop,
    supervisor: Supervisor,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    pid = laptop.plant_canaries()["shared"]
    first = _exported(laptop, supervisor, tmp_path / "1.age")
    receive.import_bundle(supervisor.store, first, trust=fingerprint_of(laptop))
    erase_participant(Casebook(laptop.vault), pid)
    erasing = _exported(laptop, supervisor, tmp_path / "2.age")

    with monkeypatch.context() as patch:
        if fault == "dies":
            patch.setattr(receive, "vacuum_file", _dies)
            with pytest.raises(SystemExit):
                receive.import_bundle(supervisor.store, erasing)
        else:
            patch.setattr(receive, "vacuum_file", _busy(vacuum_file))
            assert receive.import_bundle(supervisor.store, erasing).erased == 1  # it stands
    assert _vacuum_due(supervisor)
    with pytest.raises(receive.AlreadyImported):  # the erasure is in, all of it
        receive.import_bundle(supervisor.store, erasing)

    laptop.person(given_name="Later")
    later = _exported(laptop, supervisor, tmp_path / "3.age")
    vacuumed: list[Path] = []

    def counted(*args: Any) -> None:
        vacuum_file(*args)
        vacuumed.append(args[1])

    monkeypatch.setattr(receive, "vacuum_file", counted)
    assert receive.import_bundle(supervisor.store, later).erased == 0
    assert vacuumed == [supervisor.path]
    assert not _vacuum_due(supervisor)  # cleared only once a VACUUM has run
