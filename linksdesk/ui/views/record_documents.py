"""File › Print record… and GP summary…: the two documents made from the open participant record.

The main window owns the actions; this object decides when they are on (and says why not in
their tooltips) and runs the flows: count private items, ask only when there are some,
produce the PDF on the DB thread, then show the print preview; or open the GP summary.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from linksdesk.casework import gp_summary, own_record
from linksdesk.core.vocab import ConsentScope
from linksdesk.ui.dialogs.gp_summary import GpSummaryDialog
from linksdesk.ui.dialogs.print_record import PrivateItemsDialog, RecordPrintPreview

if TYPE_CHECKING:
    from linksdesk.casework.own_record import RecordDocument
    from linksdesk.casework.record import RecordData
    from linksdesk.ui.session import UiSession
    from linksdesk.ui.views.record_host import RecordHost

log = logging.getLogger(__name__)


class RecordDocuments(QObject):
    """Print record and GP summary for the record open in ``view`` (a ParticipantView)."""

    def __init__(self, session: UiSession, view: RecordHost, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.view = view
        self.window = window
        self.preview: RecordPrintPreview | None = None
        self.gp_dialog: GpSummaryDialog | None = None
        self._print_tip = ""
        self._gp_tip = ""

    # -- when the actions are on --------------------------------------------------------
    def _open(self) -> tuple[str, RecordData] | None:
        """The open record's participant id and data, once loaded (None before, or locked)."""
        pid, data = self.view.participant_id, self.view.data
        if not self.session.is_unlocked or pid is None or data is None:
            return None
        return pid, data

    def _loaded(self) -> bool:
        return self._open() is not None

    def gp_refusal(self) -> str | None:
        """Why there can be no GP summary for the open record now; None when there can."""
        opened = self._open()
        if opened is None:
            return self.tr("Open a participant's record first.")
        data = opened[1]
        return gp_summary.refusal(data.consent.get(ConsentScope.GP), data.participant.programme_id)

    def update_actions(self, print_action: QAction, gp_action: QAction) -> None:
        if not self._print_tip:
            self._print_tip, self._gp_tip = print_action.toolTip(), gp_action.toolTip()
        loaded = self._loaded()
        print_action.setEnabled(loaded)
        print_action.setToolTip(
            self._print_tip if loaded else self.tr("Open a participant's record first.")
        )
        refusal = self.gp_refusal()
        gp_action.setEnabled(refusal is None)
        gp_action.setToolTip(self._gp_tip if refusal is None else refusal)

    # -- Print record… ------------------------------------------------------------------
    def print_record(self) -> None:
        opened = self._open()
        if opened is None:
            self.session.sig_status.emit(self.tr("Open a participant's record first."))
            return
        pid = opened[0]
        self.session.call(
            own_record.private_items, pid, on_done=lambda counts: self._asked(pid, counts)
        )

    def _asked(self, pid: str, counts: dict[str, int]) -> None:
        opened = self._open()
        if opened is None or opened[0] != pid:
            return  # the record was closed or changed meanwhile
        include = False
        if counts:
            programme_id = opened[1].participant.programme_id
            choice = PrivateItemsDialog.ask(self.window, programme_id, counts)
            if choice is None or not self.session.is_unlocked:
                return
            include = choice
        self.session.call(
            own_record.record_pdf,
            pid,
            include_private=include,
            on_done=lambda document: self._show_preview(pid, document),
        )

    def _show_preview(self, pid: str, document: RecordDocument) -> None:
        if pid != self.view.participant_id or not self.session.is_unlocked:
            return
        programme_id = document.record.person.programme_id
        title = self.tr("Print record — {pid}").format(pid=programme_id)
        self.preview = RecordPrintPreview.show_for(
            document.pdf, document.file_name, title, self.window
        )
        self.preview.destroyed.connect(self._forget_preview)
        self.session.sig_status.emit(
            self.tr("The record of {pid} is ready to print.").format(pid=programme_id)
        )

    def _forget_preview(self) -> None:
        self.preview = None

    # -- GP summary… --------------------------------------------------------------------
    def open_gp_summary(self) -> None:
        refusal = self.gp_refusal()
        opened = self._open()
        if refusal is not None or opened is None:
            self.session.sig_status.emit(refusal or self.tr("Open a participant's record first."))
            return
        pid, data = opened
        self.gp_dialog = GpSummaryDialog.show_for(
            self.session,
            pid,
            data.participant.programme_id,
            data.notes,
            self.window,
        )
        self.gp_dialog.destroyed.connect(self._forget_gp)

    def _forget_gp(self) -> None:
        self.gp_dialog = None
