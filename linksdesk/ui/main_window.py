"""The main window: unlock screen or workspace, navigation, menus and shortcuts, status bar."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework.bundles import is_supervisor
from linksdesk.core.changes import Changes
from linksdesk.core.errors import EnvironmentProblem, LinksDeskError, SyncAuthError
from linksdesk.core.resources import resource_path
from linksdesk.sync.client import MassDeletionError
from linksdesk.ui import icons
from linksdesk.ui.bundle_dialogs import ExportBundleDialog, ImportBundleDialog
from linksdesk.ui.crash_dialog import CrashDialog
from linksdesk.ui.dialog_kit import ask_discard
from linksdesk.ui.dialogs.bundle_key import BundleKeyDialog
from linksdesk.ui.kept_drafts import KeptDraftsBar
from linksdesk.ui.recording import RecordCommands
from linksdesk.ui.runner import JobCancelled
from linksdesk.ui.search_palette import PaletteHit, SearchPalette
from linksdesk.ui.session import UiSession
from linksdesk.ui.settings_dialog import SettingsDialog
from linksdesk.ui.sync_ui import EnrolDialog, SyncController, confirm_mass_deletion
from linksdesk.ui.unlock import UnlockOptions, UnlockScreen
from linksdesk.ui.views.caseload import CaseloadView
from linksdesk.ui.views.common import Screen
from linksdesk.ui.views.conflicts import ConflictsView
from linksdesk.ui.views.diary import DiaryView
from linksdesk.ui.views.participant import ParticipantView
from linksdesk.ui.views.record_documents import RecordDocuments
from linksdesk.ui.views.resources import ResourcesView
from linksdesk.ui.views.supervision import SupervisionView
from linksdesk.ui.views.sync_history import SyncView
from linksdesk.ui.views.today import TodayView
from linksdesk.ui.widgets import focus_page

log = logging.getLogger(__name__)

# each action's keyboard shortcut (resources/ui/shortcuts.json, so they are listed in one place)
SHORTCUTS: dict[str, str] = json.loads(
    resource_path("ui", "shortcuts.json").read_text(encoding="utf-8")
)


class MainWindow(QMainWindow):
    """Shows the unlock screen while locked and the workspace while unlocked.

    The Record menu's commands (new participant, contact, case note, outcome) are
    ``RecordCommands`` in ``linksdesk.ui.recording``: whose record first, then its own form.
    """

    sig_view_changed = Signal(str)  # key of the view now shown

    def __init__(
        self, session: UiSession, unlock: UnlockOptions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.icon("app"))
        self.setMinimumSize(QSize(760, 520))
        self.resize(1200, 780)
        self.crash_dialog: CrashDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self._progress_job: int | None = None
        self._icon_of: list[tuple[Any, str]] = []
        self._resume: tuple[Any, str, str | None] | None = None
        self._said_read_only = False  # the damaged vault's warning, once per unlock
        self._said_clock = False  # the clock's, once per unlock

        self.unlock_screen = UnlockScreen(session, unlock)
        self.today_view = TodayView(session)
        self.caseload_view = CaseloadView(session)
        self.diary_view = DiaryView(session)
        self.resources_view = ResourcesView(session)
        self.participant_view = ParticipantView(session)
        self.sync_view = SyncView(session)
        self.conflicts_view = ConflictsView(session)
        self.supervision_view = SupervisionView(session)
        self.views: dict[str, QWidget] = {
            "today": self.today_view,
            "caseload": self.caseload_view,
            "diary": self.diary_view,
            "resources": self.resources_view,
            "record": self.participant_view,
            "sync": self.sync_view,
            "conflicts": self.conflicts_view,
            "supervision": self.supervision_view,
        }
        self.screens: dict[str, Screen] = {
            k: v for k, v in self.views.items() if isinstance(v, Screen)
        }
        for screen in self.screens.values():
            screen.load_when_shown = True
        self._view_titles = {
            "today": self.tr("Today"),
            "caseload": self.tr("Caseload"),
            "diary": self.tr("Diary"),
            "resources": self.tr("Resources"),
            "record": self.tr("Participant record"),
            "sync": self.tr("Sync"),
            "conflicts": self.tr("Conflicts"),
            "supervision": self.tr("Team dashboard"),
        }
        self.search_palette = SearchPalette(session, self)
        self.sync = SyncController(session, self)
        self.recording = RecordCommands(self)

        self._make_actions()
        self._make_menus()
        self._make_workspace()
        self._make_status_bar()
        self._connect()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.unlock_screen)
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)
        self._show_locked()
        # fields claim some Ctrl keys for editing (Ctrl+K "delete to end of line" on Linux
        # and macOS); search and lock must win wherever the focus is
        self._global_keys = {
            QKeySequence(SHORTCUTS["search"])[0].toCombined(),  # type: ignore[index]
            QKeySequence(SHORTCUTS["lock"])[0].toCombined(),  # type: ignore[index]
        }
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- building -------------------------------------------------------------------------
    def _action(
        self,
        key: str,
        text: str,
        icon_name: str | None,
        slot: Callable[[], None],
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icons.icon(icon_name, checkable=checkable))
            self._icon_of.append((action, icon_name))
        shortcut = SHORTCUTS.get(key)
        plain = text.replace("&", "").replace("…", "")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip or plain} ({native})")
        else:
            action.setToolTip(tip or plain)
        action.setStatusTip(tip or plain)
        action.setCheckable(checkable)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _make_actions(self) -> None:
        tr = self.tr
        self.action_lock = self._action(
            "lock", tr("&Lock"), "lock", self.lock, tr("Lock LinksDesk now")
        )
        self.action_search = self._action(
            "search",
            tr("&Search…"),
            "search",
            self.open_search,
            tr("Search participants, notes, goals and resources"),
        )
        self.action_settings = self._action(
            "settings", tr("Se&ttings…"), "settings", self.open_settings, tr("Settings")
        )
        self.action_quit = self._action("quit", tr("&Quit"), "quit", self._quit, tr("Quit"))
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.action_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action_new_participant = self._action(
            "new_participant",
            tr("New &participant…"),
            "new-participant",
            self.recording.new_participant,
            tr("Add a new participant"),
        )
        self.action_new_contact = self._action(
            "new_contact",
            tr("New &contact…"),
            "new-contact",
            self.recording.new_contact,
            tr("Record a contact with the participant whose record is open"),
        )
        self.action_new_note = self._action(
            "new_note",
            tr("New case &note"),
            "new-note",
            self.recording.new_note,
            tr("Write a case note for the participant whose record is open"),
        )
        self.action_record_outcome = self._action(
            "record_outcome",
            tr("Record &outcome…"),
            "new-contact",
            self.recording.record_outcome,
            tr("Record what happened at a booked contact, with its case note"),
        )
        self.action_same_person = self._action(
            "same_person",
            tr("Sa&me person as…"),
            None,
            self.recording.same_person,
            tr("The open record and another are one person (registered twice)"),
        )
        # their own tips, put back after a handed-over record
        tipped = (self.action_new_contact, self.action_new_note, self.action_same_person)
        self._record_tips = {action: action.toolTip() for action in tipped}
        self.action_sync_now = self._action(
            "sync_now",
            tr("S&ync now"),
            "sync",
            self.sync_now,
            tr("Send and fetch changes from your programme's server"),
        )
        self.action_sync_now.setVisible(False)  # shown once this laptop is enrolled
        self.action_enrol = self._action(
            "enrol",
            tr("Set up s&ync…"),
            "sync",
            self.open_enrol,
            tr("Set this laptop up to sync with your programme's server"),
        )
        self.action_export_bundle = QAction(tr("E&xport for a supervisor…"), self)
        self.action_export_bundle.triggered.connect(self.open_export_bundle)
        self.action_import_bundle = QAction(tr("&Import a bundle…"), self)
        self.action_import_bundle.triggered.connect(self.open_import_bundle)
        self.action_bundle_key = QAction(tr("Your bundle &key…"), self)
        self.action_bundle_key.triggered.connect(self.open_bundle_key)
        self.go_group = QActionGroup(self)
        self.go_group.setExclusive(True)
        self.go_actions: dict[str, QAction] = {}
        go_icons = {
            "today": "today",
            "caseload": "caseload",
            "diary": "diary",
            "resources": "resources",
            "record": "participant",
            "sync": "sync",
            "conflicts": "warning",
            "supervision": "chart",
        }
        for key, title in self._view_titles.items():
            action = self._action(
                f"go_{key}",
                title,
                go_icons[key],
                functools.partial(self.show_view, key),
                tr("Show {view}").format(view=title),
                checkable=True,
            )
            self.go_group.addAction(action)
            self.go_actions[key] = action
        self.action_about = self._action("about", tr("&About LinksDesk"), "help", self.about)
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.vault_actions = [
            self.action_lock,
            self.action_search,
            self.action_settings,
            self.action_new_participant,
            self.action_new_contact,
            self.action_new_note,
            self.action_record_outcome,
            self.action_same_person,
            self.action_sync_now,
            self.action_enrol,
            *self.go_actions.values(),
        ]
        # the documents made from the open record (its own record, the GP summary)
        self.record_documents = RecordDocuments(self.session, self.participant_view, self)
        self.action_print_record = self._action(
            "print_record",
            tr("&Print record…"),
            "print",
            self.record_documents.print_record,
            tr("Print everything held about the participant whose record is open"),
        )
        self.action_gp_summary = self._action(
            "gp_summary",
            tr("&GP summary…"),
            None,
            self.record_documents.open_gp_summary,
            tr("A summary for the participant's GP record (needs their GP consent)"),
        )
        self.vault_actions += [self.action_print_record, self.action_gp_summary]

    def _make_menus(self) -> None:
        tr = self.tr
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addAction(self.action_print_record)
        file_menu.addAction(self.action_gp_summary)
        file_menu.addSeparator()
        file_menu.addAction(self.action_sync_now)
        file_menu.addAction(self.action_enrol)
        file_menu.addAction(self.action_settings)
        self._add_backup_actions(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_export_bundle)
        file_menu.addAction(self.action_import_bundle)
        file_menu.addAction(self.action_bundle_key)
        file_menu.addSeparator()
        file_menu.addAction(self.action_lock)
        file_menu.addAction(self.action_quit)
        record_menu = bar.addMenu(tr("&Record"))
        record_menu.addAction(self.action_new_participant)
        record_menu.addAction(self.action_new_contact)
        record_menu.addAction(self.action_new_note)
        record_menu.addAction(self.action_record_outcome)
        record_menu.addSeparator()
        record_menu.addAction(self.action_same_person)
        go_menu = bar.addMenu(tr("&Go"))
        go_menu.addAction(self.action_search)
        go_menu.addSeparator()
        for action in self.go_actions.values():
            go_menu.addAction(action)
        help_menu = bar.addMenu(tr("&Help"))
        self._add_help_actions(help_menu)
        help_menu.addAction(self.action_about)
        for menu in (file_menu, record_menu, go_menu, help_menu):
            menu.setToolTipsVisible(True)

    def _nav_button(self, action: QAction) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIconSize(QSize(20, 20))
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setAccessibleName(action.text().replace("&", ""))
        button.setMinimumHeight(34)
        return button

    def _make_workspace(self) -> None:
        tr = self.tr
        self.workspace = QWidget(self)
        nav = QFrame(self.workspace)
        nav.setObjectName("navigation")
        nav.setAccessibleName(tr("Navigation"))
        nav.setFrameShape(QFrame.Shape.NoFrame)
        nav.setStyleSheet(
            "#navigation { background: palette(alternate-base);"
            " border-right: 1px solid palette(mid); }"
            "#navigation QToolButton { text-align: left; padding: 4px 10px; border-radius: 6px; }"
            "#navigation QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        nav_layout = QVBoxLayout(nav)
        nav_layout.setContentsMargins(8, 10, 8, 10)
        nav_layout.setSpacing(2)
        self.search_button = self._nav_button(self.action_search)
        self.search_button.setText(tr("Search"))
        nav_layout.addWidget(self.search_button)
        nav_layout.addSpacing(8)
        self.nav_buttons: dict[str, QToolButton] = {}
        for key, action in self.go_actions.items():
            button = self._nav_button(action)
            self.nav_buttons[key] = button
            nav_layout.addWidget(button)
        nav_layout.addStretch(1)
        self.lock_button = self._nav_button(self.action_lock)
        nav_layout.addWidget(self.lock_button)
        for button in (self.search_button, self.lock_button, *self.nav_buttons.values()):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setMinimumWidth(150)
        self.view_stack = QStackedWidget(self.workspace)
        for view in self.views.values():
            self.view_stack.addWidget(view)
        layout = QHBoxLayout(self.workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(nav)
        # above every page: unsaved work kept while locked, until it is taken up again
        self.kept_drafts = KeptDraftsBar(self.session, self.workspace)
        self.kept_drafts.sig_take_up.connect(self.recording.take_up_draft)
        column = QVBoxLayout()
        column.addWidget(self.kept_drafts)
        column.addWidget(self.view_stack, 1)
        layout.addLayout(column, 1)
        previous: QWidget = self.search_button
        for button in (*self.nav_buttons.values(), self.lock_button):
            QWidget.setTabOrder(previous, button)
            previous = button
        QWidget.setTabOrder(previous, self.view_stack)

    def _make_status_bar(self) -> None:
        tr = self.tr
        bar = self.statusBar()
        bar.setAccessibleName(tr("Status bar"))
        self.progress = QProgressBar(bar)
        self.progress.setAccessibleName(tr("Progress"))
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = QPushButton(tr("Cancel"), bar)
        self.cancel_button.setAccessibleName(tr("Cancel the running task"))
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.cancel_button.hide()
        self.sync_label = QLabel(bar)
        self.sync_label.setAccessibleName(tr("Sync status"))
        self.sync_label.hide()
        self.sync_button = QToolButton(bar)
        self.sync_button.setDefaultAction(self.action_sync_now)
        self.sync_button.setAutoRaise(True)
        self.sync_button.setAccessibleName(tr("Sync now"))
        self.sync_button.hide()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.sync_label)
        bar.addPermanentWidget(self.sync_button)

    def _connect(self) -> None:
        s = self.session
        s.sig_unlocked.connect(self._on_session_unlocked)
        s.sig_read_only.connect(lambda _reason: self._say_if_read_only())
        s.sig_locked.connect(self._on_session_locked)
        s.sig_changed.connect(self._on_session_changed)
        s.sig_status.connect(self.show_status)
        s.sig_lock_stopped.connect(lambda text: self.show_status(text, 60_000))
        s.runner.sig_unhandled.connect(self.report_error)
        s.runner.sig_progress.connect(self._on_runner_progress)
        s.runner.sig_done.connect(self._on_runner_finished)
        s.runner.sig_failed.connect(self._on_runner_finished)
        for view in self.views.values():
            signal = getattr(view, "sig_open_participant", None)
            if signal is not None:
                signal.connect(self.open_participant)
        self.caseload_view.sig_new_participant.connect(self.recording.new_participant)
        erased = getattr(self.participant_view, "sig_erased", None)
        if erased is not None:
            erased.connect(self._on_participant_erased)
        # a record that arrives read-only (a handed-over case) takes the record actions away
        self.participant_view.sig_loaded.connect(lambda _pid: self._update_record_actions())
        self.caseload_view.sig_new_contact.connect(self.recording.new_contact_for)
        self.caseload_view.sig_new_note.connect(self.recording.new_note_for)
        self.resources_view.sig_refer.connect(self.recording.refer_to_resource)
        self.search_palette.sig_open_hit.connect(self.open_hit)
        # the palette took the focus: give it back, so Ctrl+1…7 and Ctrl+K work again
        self.search_palette.finished.connect(lambda _r: self._focus_workspace())
        self.sync.sig_status.connect(self._on_sync_status)
        self.sync.sig_running.connect(self._on_sync_running)
        self.sync.sig_finished.connect(self._on_sync_finished)
        self.sync.sig_failed.connect(self._on_sync_failed)
        # a sync that brought nothing still adds a history line and may settle conflicts
        self.sync.sig_finished.connect(self._refresh_sync_views)
        self.sync.sig_failed.connect(self._refresh_sync_views)
        self.sync_view.sig_sync_now.connect(self.sync_now)
        self.sync_view.sig_open_conflicts.connect(lambda: self.show_view("conflicts"))
        open_conflicts = getattr(self.today_view, "sig_open_conflicts", None)
        if open_conflicts is not None:
            open_conflicts.connect(lambda: self.show_view("conflicts"))

    # -- locked / unlocked ----------------------------------------------------------------
    def _show_locked(self, message: str = "") -> None:
        self.stack.setCurrentWidget(self.unlock_screen)
        self.unlock_screen.reset(message)
        # the platform adds " — LinksDesk" itself (it said "LinksDesk — Locked — LinksDesk")
        self.setWindowTitle(self.tr("Locked — LinksDesk"))
        for action in self.vault_actions:
            action.setEnabled(False)
        self.statusBar().clearMessage()
        self._hide_progress()
        self.sync_label.hide()
        self.sync_button.hide()
        self.action_sync_now.setVisible(False)

    def _on_session_unlocked(self) -> None:
        for action in self.vault_actions:
            action.setEnabled(True)
        self._say_if_read_only()
        self._say_clock_behind(self.session.clock_warning)
        self.go_actions["record"].setEnabled(False)
        self._update_record_actions()
        self.stack.setCurrentWidget(self.workspace)
        # only the page shown loads now; the others when first shown (issue 15: unlock at
        # 10,000 participants paid for Today, the Diary and Resources before the caseload)
        for key, view in self.screens.items():
            if key != "record":
                view.mark_stale()
        resume, self._resume = self._resume, None
        if resume is not None and resume[0] == self.session.vault_path:
            # back where the worker was before the lock (the same vault only)
            _vault, key, pid = resume
            if pid:
                self.open_participant(pid)
            if key != "record" or pid:
                self.show_view(key)
                self._focus_workspace()
                return
        self.show_view("today")
        self._focus_workspace()  # the passphrase field had it, and nothing had it then
        self._open_dashboard_if_supervisor()

    def _open_dashboard_if_supervisor(self) -> None:
        """A supervisor's vault opens on the team dashboard."""
        cb = self.session.casebook
        if cb is None:
            return
        self.session.runner.submit(
            is_supervisor, cb,
            on_done=lambda yes: self.show_view("supervision") if yes else None,
        )  # fmt: skip

    def _say_if_read_only(self) -> None:
        """A damaged vault opens read-only: say so at once, and keep saying it, rather than
        let the worker find out at their first save."""
        reason = self.session.read_only_reason
        if reason is None or self._said_read_only:
            return  # said once per unlock (the page check may end after the unlock was shown)
        self._said_read_only = True
        self.statusBar().showMessage(reason)  # no timeout: stays until locked
        QMessageBox.warning(self, self.tr("This vault is open read-only"), reason)

    def _say_clock_behind(self, text: str | None) -> None:
        """This laptop's clock is behind the vault's newest work: every date filled in
        follows it, so it is said at unlock, and stays in the status bar until locked."""
        if text is None or self._said_clock:
            return
        self._said_clock = True
        if self.session.read_only_reason is None:
            self.statusBar().showMessage(text)
        QMessageBox.warning(self, self.tr("This laptop's clock is behind"), text)

    def _on_session_locked(self) -> None:
        self._said_read_only = self._said_clock = False
        # where the worker was, in memory only and only while locked (never written to disk)
        if self.stack.currentWidget() is self.workspace:
            pid = self.participant_view.participant_id
            self._resume = (self.session.vault_path, self.current_view_key(), pid)
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and not isinstance(dialog, CrashDialog):
                dialog.reject()
        self.search_palette.clear()
        for view in self.views.values():
            view.clear()  # type: ignore[attr-defined]
        self._show_locked(self.tr("LinksDesk is locked. Enter your passphrase to carry on."))

    def lock(self) -> None:
        """Ctrl+L: save drafts into the vault, lock it and clear the screen."""
        self.session.lock()

    # -- navigation -----------------------------------------------------------------------
    def current_view_key(self) -> str:
        current = self.view_stack.currentWidget()
        return next((k for k, v in self.views.items() if v is current), "today")

    def _quit(self) -> None:
        self.close()

    def show_view(self, key: str) -> None:
        if not self.session.is_unlocked:
            return
        view = self.views[key]
        self.view_stack.setCurrentWidget(view)
        screen = self.screens.get(key)
        if screen is not None and screen.load_pending:
            screen.reload()  # it was the current page already: no show event comes
        focus = QApplication.focusWidget()
        if isinstance(view.focusProxy(), QLineEdit | QTabWidget) and not (
            focus and view.isAncestorOf(focus)
        ):
            # the keyboard goes with the page shown (Ctrl+2 then type a name); never to a
            # list, which would pick its first row by itself
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.go_actions[key].setChecked(True)
        self.setWindowTitle(self.tr("{view} — LinksDesk").format(view=self._view_titles[key]))
        self._update_record_actions()
        self.sig_view_changed.emit(key)

    def open_participant(self, participant_id: str) -> None:
        if not self.session.is_unlocked or not participant_id:
            return
        self.participant_view.open(participant_id)
        self.go_actions["record"].setEnabled(True)
        self.show_view("record")

    def open_hit(self, ph: PaletteHit) -> None:
        hit = ph.hit
        if hit.kind == "resource":
            self.show_view("resources")
            opener = getattr(self.resources_view, "open_resource", None)
            if callable(opener):
                opener(hit.row_id)
        elif hit.participant_id:
            self.open_participant(hit.participant_id)
            if hit.kind in ("note", "goal"):
                self.participant_view.show_entry(hit.kind, hit.row_id)

    def _focus_workspace(self) -> None:
        if self.session.is_unlocked:
            focus_page(self, self.view_stack)

    def _on_participant_erased(self, _pid: str) -> None:
        self.go_actions["record"].setEnabled(False)
        self.show_view("caseload")

    def _update_record_actions(self) -> None:
        unlocked = self.session.is_unlocked
        read_only = self.recording.record_open() and self.participant_view.read_only
        # with no record open (or from another page) these ask whose record it is
        on_record = self.current_view_key() == "record"
        for action in (
            self.action_new_contact,
            self.action_new_note,
            self.action_record_outcome,
            self.action_same_person,
        ):
            action.setEnabled(unlocked and (not on_record or self.recording.record_editable()))
        for action, tip in self._record_tips.items():
            action.setToolTip(
                self.tr("This case was handed over: it can be read, not changed")
                if read_only
                else tip
            )
        self.record_documents.update_actions(self.action_print_record, self.action_gp_summary)

    # -- search and settings --------------------------------------------------------------
    def open_search(self) -> None:
        if self.session.is_unlocked:
            self.search_palette.popup()

    def open_settings(self) -> None:
        if self.session.is_unlocked:
            self.settings_dialog = SettingsDialog.ask(self.session, self)

    def open_export_bundle(self) -> None:
        if self.session.is_unlocked:
            ExportBundleDialog.ask(self.session, self)

    def open_import_bundle(self) -> None:
        if self.session.is_unlocked:
            ImportBundleDialog.ask(self.session, self)

    def open_bundle_key(self) -> None:
        if self.session.is_unlocked:
            BundleKeyDialog.ask(self.session, self)

    # -- sync ---------------------------------------------------------------------------
    def open_enrol(self) -> None:
        if self.session.is_unlocked:
            EnrolDialog(self.sync, self).opened()

    def sync_now(self) -> None:
        if self.session.is_unlocked and self.sync.enrolled and not self.sync.sync_now():
            self.show_status(self.tr("A sync is already running."))

    def _on_sync_status(self, _status: object) -> None:
        enrolled = self.sync.enrolled
        self.action_sync_now.setVisible(enrolled)
        self.action_enrol.setText(
            self.tr("Set up sync again…") if enrolled else self.tr("Set up s&ync…")
        )
        self.sync_label.setVisible(enrolled)
        self.sync_button.setVisible(enrolled)
        text = self.sync.describe()
        self.sync_label.setText(text)
        self.sync_label.setAccessibleDescription(text)

    def _refresh_sync_views(self, _payload: object = None) -> None:
        if self.session.is_unlocked:
            for view in (self.sync_view, self.conflicts_view, self.today_view):
                view.reload()  # now if shown, else when next shown

    def _on_sync_running(self, running: bool) -> None:
        self.action_sync_now.setEnabled(not running and self.session.is_unlocked)
        self._on_sync_status(None)

    def _on_sync_finished(self, report: object) -> None:
        message = getattr(report, "message", "") or self.tr("Sync finished.")
        # a clock found behind the server's: the whole message stays until locked (no box
        # in the middle of the worker's typing: a background sync finishes at any moment)
        self.show_status(message, 0 if getattr(report, "clock_warning", None) else 10_000)

    def _on_sync_failed(self, exc: object) -> None:
        if isinstance(exc, MassDeletionError):
            if confirm_mass_deletion(self, exc):
                self.sync.sync_now(allow_mass_delete=True)
            return
        if isinstance(exc, SyncAuthError) and self.session.is_unlocked:
            # no longer enrolled (revoked): a new code goes on at once, no lock and unlock
            EnrolDialog(self.sync, self).opened(why=str(exc))
        elif isinstance(exc, BaseException):
            self.show_status(str(exc), 20_000)

    # -- status, progress and errors ------------------------------------------------------
    def show_status(self, text: str, timeout_ms: int = 10_000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def report_error(self, exc: object) -> None:
        """User and environment errors in the status bar; anything else in a crash dialog."""
        if isinstance(exc, JobCancelled):
            return
        if isinstance(exc, LinksDeskError):
            if isinstance(exc, EnvironmentProblem):
                log.warning("environment problem shown: %s", type(exc).__name__)
            self.show_status(str(exc), 20_000)
            return
        if not isinstance(exc, BaseException):
            return
        if self.crash_dialog is not None and self.crash_dialog.isVisible():
            return  # one report at a time; the log keeps the rest
        self.crash_dialog = CrashDialog.ask(exc, self)
        self.crash_dialog.finished.connect(self._on_crash_dialog_finished)

    def _on_crash_dialog_finished(self, _result: int) -> None:
        self.crash_dialog = None

    def _on_session_changed(self, changes: Changes) -> None:
        for view in self.views.values():
            view.on_changes(changes)  # type: ignore[attr-defined]
        self._update_record_actions()

    def _on_runner_progress(self, job_id: int, done: int, total: int) -> None:
        self._progress_job = job_id
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total) if total > 0 else 0)
        self.progress.show()
        self.cancel_button.show()

    def _on_runner_finished(self, job_id: int, _payload: object) -> None:
        if job_id == self._progress_job:
            self._hide_progress()

    def _hide_progress(self) -> None:
        self._progress_job = None
        self.progress.hide()
        self.cancel_button.hide()

    def _on_cancel_clicked(self) -> None:
        if self._progress_job is not None:
            self.session.runner.cancel(self._progress_job)
            self.show_status(self.tr("Cancelling…"))
        self._hide_progress()

    def about(self) -> None:
        from linksdesk.ui.help_dialogs import AboutDialog

        self.about_dialog = AboutDialog(self)
        self.about_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog.open()

    # -- backups, moving laptops and the user guide (issue 16) ----------------------------
    def _add_backup_actions(self, menu: Any) -> None:
        from linksdesk.ui.backup_ui import BackupController

        self.backups = BackupController(self.session, self)
        self.action_backup = self._action(
            "backup",
            self.tr("&Back up…"),
            "folder",
            self.backups.back_up,
            self.tr("Copy the vault and its key file into one encrypted backup file"),
        )
        self.action_new_laptop = self._action(
            "new_laptop",
            self.tr("Moving to a &new laptop…"),
            "info",
            self.backups.explain_new_laptop,
            self.tr("What a new laptop gets by syncing, and what stays only on this one"),
        )
        menu.addSeparator()
        menu.addAction(self.action_backup)
        menu.addAction(self.action_new_laptop)
        self.vault_actions += [self.action_backup, self.action_new_laptop]

    def _add_help_actions(self, menu: Any) -> None:
        self.action_user_guide = self._action(
            "user_guide", self.tr("&User guide"), "help", self.open_user_guide
        )
        self.action_user_guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        menu.addAction(self.action_user_guide)

    def open_user_guide(self) -> None:
        from linksdesk.ui.help_dialogs import UserGuideWindow

        self.user_guide = UserGuideWindow(self)
        self.user_guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.user_guide.show()

    # -- Qt events ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # swallowing the override (not accepted by the field) lets the window's shortcut run
        return (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.keyCombination().toCombined() in self._global_keys
            and isinstance(watched, QWidget)
            and watched.window() is self
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            icons.clear_cache()
            for action, name in self._icon_of:
                action.setIcon(icons.icon(name, checkable=action.isCheckable()))
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.holds_unsaved_words and not ask_discard(
            self,
            self.tr("Quit LinksDesk?"),
            self.tr(
                "Words you wrote could not be kept in the vault because the disk is full. "
                "LinksDesk holds them until you unlock again: free some space and unlock. "
                "If you quit now, they are lost."
            ),
        ):
            event.ignore()
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.unlock_screen.abandon()
        self.session.lock()  # drafts are kept inside the vault, then it is locked
        super().closeEvent(event)
