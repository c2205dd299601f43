"""The posts table model: a valid Qt model that loads pages from SQL as the view scrolls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QIcon
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post, PostMedia
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import Attachments, PostQuery, PostService
from linkie_desktop.ui.drafts.model import (
    POST_ID_ROLE,
    STATUS,
    STATUS_ROLE,
    TITLE,
    PostsTableModel,
)
from linkie_desktop.ui.widgets.palette import status_colour, warning_colour
from tests.fakes.media_files import write_pdf


def _answered(qtbot: QtBot, model: PostsTableModel) -> PostsTableModel:
    """Wait until every read the model started has been answered (bounded)."""
    qtbot.waitUntil(lambda: model.tasks.pending == 0, timeout=5000)
    return model


def _add_posts(service: PostService, count: int) -> None:
    with transaction(service.engine) as session:
        for number in range(count):
            status = PostStatus.FAILED if number % 5 == 0 else PostStatus.DRAFT
            session.add(
                Post(
                    user_id=service.user_id, title=f"Post {number:03d}", content="x", status=status
                )
            )


def test_model_passes_qtmodeltester_across_paging_and_filters(
    qtbot: QtBot, qtmodeltester: ModelTester, service: PostService
) -> None:
    _add_posts(service, 45)
    model = _answered(qtbot, PostsTableModel(service, page_size=10))
    qtmodeltester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        _answered(qtbot, model)
    assert model.rowCount() == 45
    model.set_query(PostQuery(statuses=(PostStatus.FAILED,)))
    model.sort(TITLE, Qt.SortOrder.DescendingOrder)
    _answered(qtbot, model)
    assert model.rowCount() == 9
    assert model.index(0, TITLE).data() == "Post 040"


def test_rows_arrive_a_page_at_a_time(qtbot: QtBot, service: PostService) -> None:
    _add_posts(service, 25)
    model = _answered(qtbot, PostsTableModel(service, page_size=10))
    assert model.rowCount() == 10
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # asked again while the page is on its way: one read
    _answered(qtbot, model)
    assert model.rowCount() == 20
    model.fetchMore(QModelIndex())
    _answered(qtbot, model)
    assert model.rowCount() == 25
    assert not model.canFetchMore(QModelIndex())
    ids = {model.index(row, 0).data(POST_ID_ROLE) for row in range(25)}
    assert len(ids) == 25  # paging neither skips nor repeats a post


def test_status_cell_has_text_and_colour(qtbot: QtBot, service: PostService) -> None:
    failed = service.create_draft("Broken", "x")

    with transaction(service.engine) as session:
        queries.update_post(session, failed.id, {"status": PostStatus.FAILED}, service.user_id)
    model = _answered(qtbot, PostsTableModel(service))
    index = model.index(0, STATUS)
    assert index.data() == "Failed"
    assert index.data(Qt.ItemDataRole.ForegroundRole) == status_colour(PostStatus.FAILED)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None


def test_the_status_dot_stays_visible_on_a_selected_row(qtbot: QtBot, service: PostService) -> None:
    post = service.create_draft("Soon", "x")
    with transaction(service.engine) as session:
        queries.update_post(session, post.id, {"status": PostStatus.SCHEDULED}, service.user_id)
    model = _answered(qtbot, PostsTableModel(service))
    icon = model.index(0, STATUS).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    normal = icon.pixmap(24, 24, QIcon.Mode.Normal).toImage()
    selected = icon.pixmap(24, 24, QIcon.Mode.Selected).toImage()
    edge, middle = QPoint(2, 12), QPoint(12, 12)  # device pixels of the 24 px picture
    assert normal.pixelColor(middle) == selected.pixelColor(middle)
    assert normal.pixelColor(middle) == status_colour(PostStatus.SCHEDULED)
    assert normal.pixelColor(edge) != QColor("white")
    assert selected.pixelColor(edge) == QColor("white")  # ringed: Qt tints it into the selection


def test_a_post_without_title_shows_its_first_line(qtbot: QtBot, service: PostService) -> None:
    service.create_draft("", "\n  First line here\nsecond line")
    model = _answered(qtbot, PostsTableModel(service))
    assert model.index(0, TITLE).data() == "First line here"


def test_the_status_cell_says_how_the_uploads_stand(
    qtbot: QtBot, service: PostService, tmp_path: Path
) -> None:
    document = write_pdf(tmp_path / "deck.pdf", pages=3)
    at = datetime.now(UTC) + timedelta(minutes=20)
    post = service.add("Our deck", at=at, attachments=Attachments(document=(document, "Deck")))
    with transaction(service.engine) as session:  # as the publisher writes it mid-upload
        [media] = session.scalars(select(PostMedia).where(PostMedia.post_id == post.id)).all()
        assert media.size_bytes
        media.uploaded_bytes = -(-media.size_bytes // 2)  # half of it, rounded up
    model = _answered(qtbot, PostsTableModel(service))
    index = model.index(model.row_of(post.id) or 0, STATUS)
    assert index.data() == "Scheduled · uploading 50 %"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Uploading document: 50 %"

    with transaction(service.engine) as session:
        stored = session.get(PostMedia, media.id)
        assert stored is not None
        stored.upload_error = "LinkedIn did not answer"
    model.apply_changes([post.id])  # the publisher announces each write
    qtbot.waitUntil(lambda: index.data() == "Scheduled · upload failed", timeout=5000)
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith("Upload failed: LinkedIn did not")
    assert index.data(Qt.ItemDataRole.ForegroundRole) == warning_colour()


def test_a_due_post_the_connection_cannot_send_reads_waiting(
    qtbot: QtBot, service: PostService
) -> None:
    post = service.create_draft("Late", "x")
    past = datetime.now(UTC) - timedelta(minutes=5)
    with transaction(service.engine) as session:  # due while no LinkedIn account is connected
        changes: queries.PostChanges = {"status": PostStatus.SCHEDULED, "scheduled_at": past}
        queries.update_post(session, post.id, changes, service.user_id)
    model = _answered(qtbot, PostsTableModel(service))
    index = model.index(model.row_of(post.id) or 0, STATUS)
    assert index.data() == "Waiting — connect LinkedIn"
    assert index.data(STATUS_ROLE) == PostStatus.SCHEDULED  # the status itself does not move
