"""The posts list as a Qt table model: pages of rows fetched from SQL as the view scrolls.

Every read runs on the task runner's database worker; the GUI thread only applies answers.

Filtering, search and sorting happen in the database; the model only ever holds the rows the view
has scrolled to, so 50,000 posts cost the same to open as 50.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from sqlalchemy.exc import OperationalError

from linkie_desktop.db.queries import PostSummary
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import display_title
from linkie_desktop.services.oauth import ConnectionInfo, connection_status
from linkie_desktop.services.overview import waiting_label
from linkie_desktop.services.posts import PostQuery, PostRecord, PostService
from linkie_desktop.services.upload_progress import UploadState
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.local_time import local_time_text
from linkie_desktop.ui.widgets.palette import status_colour, status_label, warning_colour

log = logging.getLogger(__name__)

PAGE_SIZE = 200
POST_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

# (header, sort key in SQL, the first sort direction people expect when they click it)
COLUMNS: tuple[tuple[str, str, Qt.SortOrder], ...] = (
    ("Title", "title", Qt.SortOrder.AscendingOrder),
    ("Status", "status", Qt.SortOrder.AscendingOrder),
    ("Scheduled", "scheduled_at", Qt.SortOrder.AscendingOrder),
    ("Last change", "updated_at", Qt.SortOrder.DescendingOrder),
)
TITLE, STATUS, SCHEDULED, UPDATED = range(len(COLUMNS))

_Index = QModelIndex | QPersistentModelIndex
_T = TypeVar("_T")

# SQLAlchemy's OperationalError is a fault of the database file rather than of the code: locked
# by another program, a table gone, disk trouble. The user can act on it, so they are told;
# anything else is a bug and is raised.


def database_reason(exc: OperationalError) -> str:
    """SQLite's own short reason ("database is locked")."""
    return str(exc.orig if exc.orig is not None else exc)


def read_problem_text(exc: OperationalError) -> str:
    return (
        f"Linkie could not read your posts just now ({database_reason(exc)}). The list shows "
        "what it showed before and reads again at the next change or search."
    )


def summary_of(record: PostRecord) -> PostSummary:
    return PostSummary(
        id=record.id,
        title=record.title,
        snippet=record.content[:300],
        status=record.status,
        scheduled_at=record.scheduled_at,
        updated_at=record.updated_at,
        has_image=record.image_path is not None,
    )


def _dot_pixmap(colour: QColor, ring: QColor | None) -> QPixmap:
    # Drawn at twice the size and marked so, to stay crisp on HiDPI screens.
    pixmap = QPixmap(24, 24)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen if ring is None else QPen(ring, 1.5))
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(1, 1, 10, 10))
    painter.end()
    return pixmap


def _dot(colour: QColor) -> QIcon:
    """The status dot; on a selected row ringed in white, as a blue dot vanished on the blue
    selection (Qt tints an icon's Selected mode with the highlight)."""
    icon = QIcon(_dot_pixmap(colour, None))
    icon.addPixmap(_dot_pixmap(colour, QColor("white")), QIcon.Mode.Selected)
    return icon


@dataclass(frozen=True)
class _Read(Generic[_T]):
    """A read's answer: the value, or (value None) the problem in plain words."""

    value: _T | None
    problem: str = ""


def _reading(read: Callable[[], _T]) -> Callable[[], _Read[_T]]:
    """On the database worker: a fault of the database file becomes an answer, not a crash."""

    def run() -> _Read[_T]:
        try:
            return _Read(read())
        except OperationalError as exc:
            log.warning("posts list: reading failed: %s", exc)
            return _Read(None, read_problem_text(exc))

    return run


@dataclass(frozen=True)
class _FirstPage:
    query: PostQuery
    rows: list[PostSummary]
    count: int
    uploads: dict[str, UploadState]
    connection: ConnectionInfo


STATUS_CELL_WIDEST = "Scheduled · uploading 100 %"


def _status_text(status: str, upload: UploadState | None, waiting: str = "") -> str:
    """The status cell: the status, and how its uploads stand when there is news ("Scheduled ·
    uploading 45 %"), short enough for the column (STATUS_CELL_WIDEST); the tooltip says all."""
    label = waiting or status_label(status)  # "Waiting — reconnect LinkedIn" for a due post
    if upload is None:
        return label
    if upload.failed:
        return f"{label} · upload failed"
    if upload.percent is not None:
        return f"{label} · uploading {upload.percent} %"
    return f"{label} · processing"  # LinkedIn processes the video (the tooltip says so)


class PostsTableModel(QAbstractTableModel):
    """The rows always belong to `query`; every read runs on the task runner's database worker.

    A read that fails changes nothing (the rows and the count stay those of the shown query):
    answers are applied whole, inside one reset, or not at all.
    """

    problem = Signal(str)  # a read failed: plain words for the user
    counted = Signal(int)  # how many posts the shown query matches in all

    def __init__(
        self, service: PostService, tasks: TaskRunner | None = None, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__()
        self._service = service
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        self._page_size = page_size
        self._query = PostQuery()  # the query the rows belong to
        self._asked = self._query  # the query last asked for (its first page may be on its way)
        self._rows: list[PostSummary] = []
        self._row_of: dict[str, int] = {}
        self._count: int | None = None
        self._exhausted = True
        self._fetching = False
        # Bumped whenever another first page is shown: answers read for older rows are stale.
        self._generation = 0
        self._first_page_key = object()  # a newer search supersedes an older one still running
        self._dots: dict[str, QIcon] = {}
        # How the uploads of the rows shown stand (the publisher announces each progress write).
        self._uploads: dict[str, UploadState] = {}
        # The LinkedIn connection, read with the rows: a due post it cannot send is "Waiting".
        self._connection: ConnectionInfo | None = None
        self._load(self._query)

    # --- reading, and resetting, safely ----------------------------------------------------------

    def _read(
        self,
        read: Callable[[], _T],
        apply: Callable[[_T], None],
        key: Hashable | None = None,
        failed: Callable[[], None] | None = None,
    ) -> None:
        """Every database read of the model: `apply` gets the value on the GUI thread; a known
        fault becomes `problem` (and `failed`), and nothing is changed."""

        def answer(outcome: _Read[_T]) -> None:
            if outcome.value is None:
                if failed is not None:
                    failed()
                self.problem.emit(outcome.problem)
                return
            apply(outcome.value)

        self.tasks.run_db(_reading(read), answer, owner=self, key=key)

    @contextmanager
    def _resetting(self) -> Iterator[None]:
        """The one way the model resets: the reset ends even if the code inside raises."""
        self.beginResetModel()
        try:
            yield
        finally:
            self.endResetModel()

    # --- what is shown ---------------------------------------------------------------------------

    @property
    def query(self) -> PostQuery:
        """The query asked for last (its rows may still be on their way)."""
        return self._asked

    @property
    def count(self) -> int | None:
        """How many posts the shown query matches; None until the first answer."""
        return self._count

    def set_query(self, query: PostQuery) -> None:
        """Show another filter, search or order: one SQL page, never the whole table.

        If the database cannot answer, the previous query and its rows stay (the user is told).
        """
        if query == self._asked:
            return
        self._load(query)

    def reload(self) -> None:
        self._load(self._asked)

    def _load(self, query: PostQuery) -> None:
        self._asked = query
        service, size = self._service, self._page_size

        def first_page() -> _FirstPage:
            rows = list(service.page(query, 0, size))
            uploads = service.upload_states([row.id for row in rows])
            connection = connection_status(service.engine, service.user_id)
            return _FirstPage(query, rows, service.count(query), uploads, connection)

        def keep_what_is_shown() -> None:
            self._asked = self._query  # asking the same again later reads again

        self._read(
            first_page, self._show_first_page, key=self._first_page_key, failed=keep_what_is_shown
        )

    def _show_first_page(self, page: _FirstPage) -> None:
        with self._resetting():
            self._query, self._rows = page.query, page.rows
            self._exhausted = len(self._rows) < self._page_size
            self._fetching = False
            self._generation += 1
            self._reindex()
            self._dots.clear()
            self._uploads = dict(page.uploads)
            self._connection = page.connection
        self._set_count(page.count)

    def _set_count(self, count: int) -> None:
        self._count = count
        self.counted.emit(count)

    def _reindex(self) -> None:
        self._row_of = {row.id: number for number, row in enumerate(self._rows)}

    # --- incremental loading ---------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802
        # Views ask again on every scroll while a page is on its way; one at a time is enough.
        if parent.isValid() or self._exhausted or self._fetching:
            return
        self._fetching = True
        first, query, generation = len(self._rows), self._query, self._generation
        service, size = self._service, self._page_size

        def stop_asking() -> None:
            # Views ask again on every scroll; one message is enough until the next reload.
            if generation == self._generation:
                self._fetching = False
                self._exhausted = True

        def read() -> tuple[list[PostSummary], dict[str, UploadState]]:
            page = list(service.page(query, first, size))
            return page, service.upload_states([row.id for row in page])

        self._read(
            read,
            lambda answer: self._append(*answer, generation, first),
            failed=stop_asking,
        )

    def _append(
        self,
        page: list[PostSummary],
        uploads: dict[str, UploadState],
        generation: int,
        first: int,
    ) -> None:
        if generation != self._generation:
            return  # read for rows that are no longer shown
        if first != len(self._rows):
            self._fetching = False  # rows left meanwhile: the next scroll reads from the end
            return
        self._exhausted = len(page) < self._page_size
        if not page:
            self._fetching = False
            return
        self._uploads.update(uploads)
        # Still "fetching" while the rows go in: a view (or tester) asking for more from inside
        # rowsInserted would read the same page again.
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            for number, row in enumerate(page, start=first):
                self._row_of[row.id] = number
            self.endInsertRows()
        finally:
            self._fetching = False

    # --- Qt model API ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        upload = self._uploads.get(row.id) if column == STATUS else None
        if role == Qt.ItemDataRole.AccessibleTextRole and upload is not None:
            return f"{status_label(row.status)}. {upload.text}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            return display_title(row.title, row.snippet, limit=200)
        if role == Qt.ItemDataRole.ToolTipRole and upload is not None:
            return upload.text
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return self._dot(row.status)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return (
                warning_colour()
                if upload is not None and upload.failed
                else status_colour(row.status)
            )
        if role == POST_ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return row.status
        return None

    def _text(self, row: PostSummary, column: int) -> str:
        if column == TITLE:
            return display_title(row.title, row.snippet)
        if column == STATUS:
            return _status_text(row.status, self._uploads.get(row.id), self._waiting(row))
        if column == SCHEDULED:
            return local_time_text(row.scheduled_at)
        return local_time_text(row.updated_at)

    def _waiting(self, row: PostSummary) -> str:
        if self._connection is None:
            return ""
        return waiting_label(row.status, row.scheduled_at, utc_now(), self._connection)

    def _dot(self, status: str) -> QIcon:
        if status not in self._dots:
            self._dots[status] = _dot(status_colour(status))
        return self._dots[status]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._asked, sort=COLUMNS[column][1], descending=descending))

    # --- finding rows ----------------------------------------------------------------------------

    def row_of(self, post_id: str) -> int | None:
        return self._row_of.get(post_id)

    def post_id_at(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    # --- staying in sync -------------------------------------------------------------------------

    def apply_changes(self, post_ids: Sequence[str]) -> None:
        """Bring the shown rows up to date after posts changed somewhere in the app.

        Rows already shown are updated in place (no jump while the user types); a post that
        left the filter disappears; a post that is new to this list reloads the first page.
        """
        if not post_ids:
            self.reload()
            return
        ids, query, generation = list(post_ids), self._query, self._generation
        service = self._service

        def read() -> tuple[dict[str, PostRecord], int, dict[str, UploadState]]:
            return service.records(ids), service.count(query), service.upload_states(ids)

        def apply(answer: tuple[dict[str, PostRecord], int, dict[str, UploadState]]) -> None:
            if generation != self._generation:
                self.reload()  # other rows came meanwhile: read them again, with the change
                return
            records, count, uploads = answer
            for post_id in ids:  # the news of these posts, none for those without any
                self._uploads.pop(post_id, None)
            self._uploads.update(uploads)
            self._apply_records(ids, records)
            self._set_count(count)

        self._read(read, apply)

    def show_saved(self, record: PostRecord) -> None:
        """A post this window just wrote: its row shows the saved record, with no query
        (a post new to the list, or one that left it, reads the first page again)."""
        row = self._row_of.get(record.id)
        if row is not None and self._matches(record):
            self._replace_row(row, record)
        elif row is not None or self._matches(record):
            self.reload()

    def _apply_records(self, post_ids: Sequence[str], records: dict[str, PostRecord]) -> None:
        needs_reload = False
        gone: list[int] = []
        for post_id in post_ids:
            record = records.get(post_id)
            row = self._row_of.get(post_id)
            if record is None or not self._matches(record):
                if row is not None:
                    gone.append(row)
            elif row is None:
                needs_reload = True
            else:
                self._replace_row(row, record)
        if needs_reload:
            self.reload()
            return
        self._remove_rows(gone)

    def _replace_row(self, row: int, record: PostRecord) -> None:
        self._rows[row] = summary_of(record)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _matches(self, record: PostRecord) -> bool:
        query = self._query
        if query.statuses is not None and record.status not in query.statuses:
            return False
        needle = query.search.strip().casefold()
        haystack = f"{record.title or ''}\n{record.content}".casefold()
        return not needle or needle in haystack

    def _remove_rows(self, rows: Iterable[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        self._reindex()
