"""The list side of the Drafts tab: status filter, debounced search, the posts table, a count."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services.posts import STATUS_FILTERS, PostQuery, PostService
from linkie_desktop.ui.drafts.model import (
    COLUMNS,
    POST_ID_ROLE,
    STATUS,
    STATUS_CELL_WIDEST,
    TITLE,
    UPDATED,
    PostsTableModel,
)
from linkie_desktop.ui.drafts.posts_view import PostsView
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import STATUS_LABELS

SEARCH_DELAY_MS = 250
# Longer searches find nothing a shorter one would miss, and a pasted book would make a LIKE
# pattern SQLite refuses (50,000 bytes at most); the box keeps this many characters and says so.
SEARCH_MAX_CHARS = 200
# The title says which post a row is: in a narrow window the status column gives up its room for
# the longest upload news ("Scheduled · uploading 100 %", elided then, the tooltip says all) so
# that the title keeps at least this much.
TITLE_ROOM = 200


class PostList(QWidget):
    post_chosen = Signal(str)  # the user moved to another row
    problem = Signal(str)  # the list could not be read: plain words for the user

    def __init__(self, service: PostService, tasks: TaskRunner) -> None:
        super().__init__()
        self.setObjectName("postsPanel")
        self.model = PostsTableModel(service, tasks)
        self.status_filter = named(QComboBox(), "statusFilter", "Show posts with status")
        for filter_key, label, _statuses in STATUS_FILTERS:
            self.status_filter.addItem(label, filter_key)
        self.search_edit = named(QLineEdit(), "searchPosts", "Search posts")
        self.search_edit.setPlaceholderText("Search title and text  (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaxLength(SEARCH_MAX_CHARS)  # typing and pasting alike
        self.search_hint = named(
            QLabel(f"Search uses the first {SEARCH_MAX_CHARS} characters."),
            "searchPostsHint",
            "Search length",
        )
        self.search_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.search_hint.hide()
        # Typing in the search box waits for a pause: one SQL query, not one per keystroke.
        self.search_timer = QTimer(self)
        self.search_timer.setObjectName("search-timer")
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.view = named(PostsView(), "postsTable", "Posts")
        self.count_label = named(QLabel(""), "postsCount", "Number of posts shown")
        self._set_up_view()

        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.search_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.search_hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.status_filter, self.search_edit)
        self.setTabOrder(self.search_edit, self.view)

        self.status_filter.currentIndexChanged.connect(self.apply_filter)
        self.search_edit.textChanged.connect(self._on_search_edited)
        self.search_edit.returnPressed.connect(self.apply_filter)
        self.search_timer.timeout.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.model.problem.connect(self.problem)
        self.model.counted.connect(self._show_count)

    def _set_up_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setIconSize(QSize(10, 10))
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setTabKeyNavigation(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setObjectName("postsTableHeader")
        header.setHighlightSections(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = view.fontMetrics()
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance("Yesterday 00:00_"))
        cell = 32  # the status dot, its gap and the cell's margins
        self._status_widths = (
            max(metrics.horizontalAdvance(label) for label in STATUS_LABELS.values()) + cell,
            metrics.horizontalAdvance(STATUS_CELL_WIDEST) + cell,
        )
        self.status_sized_by_user = False
        self._fitting = False
        header.sectionResized.connect(self._on_section_resized)
        view.viewport().installEventFilter(self)
        self._fit_status_column()
        header.setSortIndicator(UPDATED, Qt.SortOrder.DescendingOrder)
        view.setSortingEnabled(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self._fit_status_column()
        return super().eventFilter(watched, event)

    def _fit_status_column(self) -> None:
        """As wide as the longest status news, less in a window too narrow for it and the title
        (TITLE_ROOM), never less than the longest status; a width the user chose stays."""
        if self.status_sized_by_user:
            return
        header = self.view.horizontalHeader()
        least, widest = self._status_widths
        others = sum(
            header.sectionSize(column)
            for column in range(len(COLUMNS))
            if column not in (TITLE, STATUS)
        )
        room = self.view.viewport().width() - others - TITLE_ROOM
        self._fitting = True
        try:
            header.resizeSection(STATUS, max(least, min(widest, room)))
        finally:
            self._fitting = False

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == STATUS and not self._fitting:
            self.status_sized_by_user = True

    def add_context_actions(self, actions: tuple[QAction | None, ...]) -> None:
        """Right-click on the list offers these (None: a separator)."""
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in actions:
            if action is None:
                action = QAction(self.view)
                action.setSeparator(True)
            self.view.addAction(action)

    # --- filter and search -----------------------------------------------------------------------

    def current_query(self) -> PostQuery:
        statuses = STATUS_FILTERS[max(self.status_filter.currentIndex(), 0)][2]
        return replace(self.model.query, statuses=statuses, search=self.search_edit.text().strip())

    def _on_search_edited(self, text: str) -> None:
        self.search_hint.setVisible(len(text) >= SEARCH_MAX_CHARS)
        self.search_timer.start()

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self.model.set_query(self.current_query())

    def _show_count(self, count: int) -> None:
        # Only answers that were read whole arrive here: after a failed read the label still
        # counts the rows shown (the model said why).
        query = self.model.query
        noun = "post" if count == 1 else "posts"
        self.count_label.setText(f"{count:,} {noun}")
        if query.statuses is None and not query.search:
            empty = "No posts yet.\nStart writing on the right: Linkie saves as you type."
        else:
            empty = "No posts match this filter or search."
        self.view.set_empty_text(empty)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # --- selection -------------------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        post_id = current.data(POST_ID_ROLE) if current.isValid() else None
        if post_id is not None:
            self.post_chosen.emit(post_id)

    def select(self, post_id: str | None) -> None:
        """Highlight a post's row (if it is loaded) without announcing it as a new choice."""
        row = self.model.row_of(post_id) if post_id else None
        selection = self.view.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.setCurrentIndex(index, flags)
        self.view.scrollTo(index)
