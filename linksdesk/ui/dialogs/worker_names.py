"""Team dashboard › Name workers…: the names a supervisor knows their workers by.

Bundles and the server name a worker by an id only, so the dashboard said "Worker a1eca4".
The supervisor types the name they know each worker by (the administrator's labels of the
worker's laptops are shown as a hint). The names stay in the supervisor's vault: they show on
the dashboard and in internal reports; a board's copy and the evaluation files never carry
them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from linksdesk.casework import supervision
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import InlineMessage, scrolled


class WorkerNamesDialog(kit.SessionDialog):
    """One field a worker, filled with the name given before; Save keeps them all at once."""

    sig_saved = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        about = kit.introduced(
            self,
            tr("Name your workers"),
            tr(
                "Bundles and the server know each worker by an id. Type the name you know each "
                "one by: it shows on this dashboard and in your internal reports. Reports for a "
                "board and the evaluation files never carry these names. Leave a field blank "
                "to go back to the id."
            ),
            560,
        )
        self.fields: dict[str, QLineEdit] = {}
        self._given: dict[str, str] = {}  # each field as it opened: Escape closes it unasked
        self.form_widget = QWidget(self)
        self.form = QFormLayout(self.form_widget)
        self.message = InlineMessage(self)
        self.buttons = kit.button_box(self, kit.SAVE_CANCEL, self.save, parent=self)
        kit.name_buttons(self.buttons)
        self.area = scrolled(self.form_widget, tr("Workers"))
        self.area.setMinimumHeight(220)  # a team's names at once, more by scrolling
        kit.column(self, about, self.area, self.message, self.buttons)
        session.call(supervision.worker_names, on_done=self._show)

    def _show(self, workers: list[supervision.WorkerName]) -> None:
        tr = self.tr
        if not workers:
            self.message.show_message(
                tr("No worker is known to this vault yet: import their bundles first."), "info"
            )
            kit.accept_button(self.buttons).setEnabled(False)
        for worker in workers:
            field = QLineEdit(worker.name or "", self.form_widget)
            field.setMaxLength(supervision.WORKER_NAME_MAX)
            field.setPlaceholderText(worker.id_label)
            field.setAccessibleName(tr("Name of {worker}").format(worker=worker.id_label))
            hint = (
                tr("{worker} · laptops: {laptops}").format(
                    worker=worker.id_label, laptops=", ".join(worker.laptops)
                )
                if worker.laptops
                else worker.id_label
            )
            label = QLabel(hint, self.form_widget)
            label.setBuddy(field)
            self.form.addRow(label, field)
            self.fields[worker.worker_id] = field
            self._given[worker.worker_id] = field.text()
        if self.fields:
            next(iter(self.fields.values())).setFocus()
        kit.grow_to_fit(self)

    def unsaved(self) -> str:
        typed = any(f.text() != self._given[w] for w, f in self.fields.items())
        return self.tr("The names you have typed will not be saved.") if typed else ""

    def names(self) -> dict[str, str | None]:
        return {w: (f.text().strip() or None) for w, f in self.fields.items()}

    def save(self) -> None:
        kit.accept_button(self.buttons).setEnabled(False)
        self.session.call(
            supervision.name_workers, self.names(), on_done=self._saved, on_error=self._failed
        )

    def _saved(self, _workers: list[supervision.WorkerName]) -> None:
        self.sig_saved.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        kit.accept_button(self.buttons).setEnabled(True)
        self.message.show_message(kit.failure_text(exc))
        kit.grow_to_fit(self)
