"""Opening a supervisor's vault shows the team dashboard first; a worker's vault does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screens_kit import settle
from shell_kit import PASSPHRASE

from linksdesk.casework import bundles

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("supervisor", [True, False])
def test_a_supervisors_vault_opens_on_the_dashboard(
    qtbot: Any, ui_session: Any, tmp_path: Path, supervisor: bool
) -> None:
    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.unlock import UnlockOptions

    path = tmp_path / "s.vault"
    cb, _key = bundles.create_vault(path, PASSPHRASE, supervisor=supervisor)
    cb.lock()
    window = MainWindow(ui_session, UnlockOptions(path))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(path, PASSPHRASE)
    settle(qtbot, ui_session)
    want = "supervision" if supervisor else "today"
    qtbot.waitUntil(lambda: window.current_view_key() == want, timeout=10_000)
    settle(qtbot, ui_session)
    assert window.current_view_key() == want
    if supervisor:
        assert window.supervision_view.report is not None  # computed once shown
