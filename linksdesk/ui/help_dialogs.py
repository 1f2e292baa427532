"""Help › About (version, licences of bundled components, measure copyrights), the user guide."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from linksdesk import __version__
from linksdesk.core.measures import SWEMWBS_COPYRIGHT, WEMWBS_COPYRIGHT
from linksdesk.core.resources import guide_path, resource_dir
from linksdesk.ui.dialog_kit import CLOSE, button_box, set_title
from linksdesk.ui.icons import icon
from linksdesk.ui.widgets import heading

log = logging.getLogger(__name__)


def bundled_components() -> list[dict[str, Any]]:
    """What ``resources/licences/components.json`` lists (name, version, licence, files)."""
    path = resource_dir() / "licences" / "components.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("licence list missing or unreadable")
        return []
    return [c for c in data if isinstance(c, dict) and c.get("name")]


class AboutDialog(QDialog):
    """Version, what LinksDesk is built from and under which licences, measure copyrights."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_title(self, self.tr("About LinksDesk"))
        self.resize(760, 560)
        badge = QLabel(self)
        badge.setPixmap(icon("app").pixmap(56, 56))
        title = heading(self.tr("LinksDesk {version}").format(version=__version__), self)
        blurb = QLabel(
            self.tr(
                "Case recording for links workers, offline first, with your records encrypted "
                "on this computer."
            ),
            self,
        )
        blurb.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.addWidget(title)
        words.addWidget(blurb)
        top.addLayout(words, 1)

        self.measures = QLabel(
            "\n".join(
                [
                    self.tr("Wellbeing measures:"),
                    WEMWBS_COPYRIGHT,
                    SWEMWBS_COPYRIGHT,
                    self.tr("Used with permission; the scales may not be changed."),
                ]
            ),
            self,
        )
        self.measures.setWordWrap(True)
        self.measures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.components = QListWidget(self)
        self.components.setAccessibleName(self.tr("Bundled components"))
        for c in bundled_components():
            version = f" {c['version']}" if c.get("version") else ""
            item = QListWidgetItem(f"{c['name']}{version} — {c.get('licence', '')}")
            item.setData(Qt.ItemDataRole.UserRole, list(c.get("files", [])))
            self.components.addItem(item)
        self.licence_text = QPlainTextEdit(self)
        self.licence_text.setReadOnly(True)
        self.licence_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # texts are wrapped
        self.licence_text.setAccessibleName(self.tr("Licence text"))
        self.licence_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.components.currentItemChanged.connect(self._show_licence)
        split = QSplitter(self)
        split.addWidget(self.components)
        split.addWidget(self.licence_text)
        split.setSizes([260, 480])

        buttons = button_box(self, CLOSE, parent=self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.measures)
        layout.addWidget(QLabel(self.tr("Built with (choose one to read its licence):"), self))
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        if self.components.count():
            self.components.setCurrentRow(0)

    def _show_licence(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is None:
            return
        folder = resource_dir() / "licences"
        parts = []
        for name in item.data(Qt.ItemDataRole.UserRole) or []:
            try:
                parts.append((folder / name).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                parts.append(self.tr("(licence file {name} is missing)").format(name=name))
        self.licence_text.setPlainText("\n\n".join(parts))


class UserGuideWindow(QDialog):
    """The user guide, rendered from the Markdown shipped with LinksDesk (no network)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_title(self, self.tr("LinksDesk user guide"), self.tr("User guide"))
        self.resize(820, 700)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("User guide"))
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_link)
        path: Path | None
        try:
            path = guide_path()
        except FileNotFoundError:
            path = None
        if path is None:
            self.browser.setPlainText(
                self.tr("The user guide is missing from this installation. Reinstall LinksDesk.")
            )
        else:
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setSource(
                QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
            )
            self._fit_images(640)
        self.guide_file = path
        buttons = button_box(self, CLOSE, parent=self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def _fit_images(self, width: int) -> None:
        """Screenshots are drawn at most ``width`` pixels wide (they are full-window grabs)."""
        doc = self.browser.document()
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fragment.isValid() and fmt.isImageFormat():
                    image_fmt = fmt.toImageFormat()
                    image = doc.resource(
                        QTextDocument.ResourceType.ImageResource, QUrl(image_fmt.name())
                    )
                    natural = getattr(image, "width", lambda: 0)()
                    if natural > width:
                        image_fmt.setWidth(width)
                        image_fmt.setHeight(image.height() * width / natural)
                        cursor = QTextCursor(doc)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(
                            fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                        )
                        cursor.setCharFormat(image_fmt)
                it += 1
            block = block.next()

    def _on_link(self, url: QUrl) -> None:
        # web links open in the browser; links within the guide stay here
        if url.scheme() in ("http", "https", "mailto"):
            self.browser.setSource(self.browser.source())  # stay on the page
            QDesktopServices.openUrl(url)
