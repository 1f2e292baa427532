"""Dialogs of the resource directory: add or edit a resource, and the CSV import report."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from linksdesk.casework.resources import resource_problem
from linksdesk.core.item_words import counted
from linksdesk.core.vocab import ResourceCapacity
from linksdesk.ui.dialog_kit import CLOSE, button_box, set_title
from linksdesk.ui.dialogs.form import Field, FormDialog, enum_choice, fields_of


class ResourceDialog(FormDialog):
    """A community resource, ALISS-shaped; categories separated by semicolons."""

    def __init__(self, existing: Any = None, parent: QWidget | None = None) -> None:
        tr = self.tr
        # a new one, kept at a lock, is opened again from the kept drafts' bar
        self.keeps_without_record = existing is None
        field = fields_of(existing)
        cats = "; ".join(existing.categories) if existing else ""
        super().__init__(
            tr("Edit resource") if existing else tr("Add resource"),
            [
                field("organisation", tr("Organisation"), required=True),
                field("service", tr("Service"), required=True),
                field("description", tr("Description"), "text"),
                Field(
                    "categories",
                    tr("Categories"),
                    value=cats,
                    help=tr("Separate categories with semicolons, e.g. Food; Isolation"),
                ),
                field("area", tr("Area")),
                field("address", tr("Address")),
                field("postcode", tr("Postcode")),
                field("when", tr("When")),
                field("who_for", tr("Who for")),
                field("cost", tr("Cost")),
                field("accessibility", tr("Accessibility")),
                field("how_to_refer", tr("How to refer")),
                field("phone", tr("Phone")),
                field("email", tr("Email")),
                field("website", tr("Website")),
                enum_choice(
                    "capacity",
                    tr("Capacity"),
                    ResourceCapacity.UNKNOWN,
                    getattr(existing, "capacity", None),
                ),
                field("last_verified", tr("Last verified"), "optional_date", ahead=False),
            ],
            parent,
            names_person=False,  # the directory is the team's, not a person's record
            validate=resource_problem,  # refused by casework: said here, nothing typed lost
        )

    def values(self) -> dict[str, Any]:
        out = super().values()
        out["categories"] = tuple(
            c.strip() for c in (out.get("categories") or "").split(";") if c.strip()
        )
        return out

    @classmethod
    def ask(cls, parent: QWidget | None = None, existing: Any = None) -> dict[str, Any] | None:
        """Keyword arguments for add_resource / edit_resource, or None."""
        return cls(existing, parent).run()


class ImportReportDialog(QDialog):
    """What an import did, or which rows it rejected (line numbers and reasons)."""

    def __init__(self, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        set_title(self, tr("Import report"))
        layout = QVBoxLayout(self)
        if report.cancelled:
            summary = tr("The import was cancelled; nothing was imported.")
        elif any(p.row == 1 for p in report.problems):  # the file's columns, not a row
            summary = tr(
                "The header row (the first, naming the columns) is not right, so nothing was "
                "imported. Correct it and import the file again:"
            )
        elif report.problems:
            summary = tr(
                "{rows} could not be imported, so nothing was imported. Correct them and "
                "import the file again:"
            ).format(rows=counted("row", len(report.problems)))
        else:
            summary = tr("Imported: {added} added, {updated} updated.").format(
                added=report.added, updated=report.updated
            )
        label = QLabel(summary)
        label.setWordWrap(True)
        label.setAccessibleName(summary)
        self.summary = summary
        layout.addWidget(label)
        if report.problems:
            self.problems = QPlainTextEdit()
            self.problems.setReadOnly(True)
            self.problems.setAccessibleName(tr("Rejected rows"))
            self.problems.setPlainText(
                "\n".join(
                    (
                        tr("Row {row}: {reason}")
                        if p.row == p.line
                        else tr("Row {row} (line {line} of the file): {reason}")
                    ).format(row=p.row, line=p.line, reason=p.reason)
                    for p in report.problems
                )
            )
            layout.addWidget(self.problems)
        layout.addWidget(button_box(self, CLOSE, self.accept))
        self.setMinimumWidth(480)

    @classmethod
    def show_report(cls, parent: QWidget | None, report: Any) -> None:
        cls(report, parent).exec()
