"""The task runner: work off the GUI thread, answers on it, known errors apart from bugs."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.ui.tasks import DATABASE_THREAD, NETWORK_THREAD, UNEXPECTED, TaskRunner

WAIT_MS = 5_000


class KnownProblemError(Exception):
    pass


def explain(exc: BaseException) -> str | None:
    return f"plain words: {exc}" if isinstance(exc, KnownProblemError) else None


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner(explain)
    yield runner
    assert runner.wait_idle(WAIT_MS)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)


def _gui_thread() -> QThread:
    app = QApplication.instance()
    assert app is not None
    return app.thread()


def test_db_work_runs_on_the_database_thread_and_answers_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    seen: dict[str, object] = {}

    def work() -> int:
        seen["work thread"] = threading.current_thread().name
        seen["work on gui"] = QThread.currentThread() == _gui_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["answer on gui"] = QThread.currentThread() == _gui_thread()

    runner.run_db(work, done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=WAIT_MS)
    assert seen == {
        "work thread": DATABASE_THREAD,
        "work on gui": False,
        "value": 42,
        "answer on gui": True,
    }


def test_db_tasks_never_overlap_while_network_tasks_do_not_wait_for_them(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    order: list[str] = []

    def slow_read() -> None:
        order.append("db 1 started")
        assert release.wait(WAIT_MS / 1000)
        order.append("db 1 ended")

    runner.run_db(slow_read)
    runner.run_db(lambda: order.append("db 2 started"))
    runner.run_network(lambda: order.append("network ran"), lambda _none: release.set())
    qtbot.waitUntil(lambda: "db 2 started" in order, timeout=WAIT_MS)
    # The network task ran while db 1 was blocked; db 2 only after db 1 had ended.
    assert order.index("network ran") < order.index("db 1 ended") < order.index("db 2 started")


def test_a_known_error_reaches_on_failure_in_plain_words(qtbot: QtBot, runner: TaskRunner) -> None:
    failures: list[str] = []

    def work() -> None:
        raise KnownProblemError("the disk is full")

    with qtbot.waitSignal(runner.known_failure) as heard:
        runner.run_db(work, lambda _none: failures.append("success?"), failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert failures == ["plain words: the disk is full"]
    assert isinstance(heard.args[0], KnownProblemError)  # start-up listens for these


def test_a_bug_reaches_the_excepthook_and_on_failure_hears_it_went_wrong(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    failures: list[str] = []

    def work() -> None:
        raise ZeroDivisionError("a bug")

    with qtbot.captureExceptions() as exceptions:
        runner.run_db(work, None, failures.append)
        qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert failures == [UNEXPECTED]
    assert [type(exc) for _type, exc, _tb in exceptions] == [ZeroDivisionError]


def test_only_the_newest_task_of_a_key_is_answered(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    answers: list[str] = []

    def first() -> str:
        assert release.wait(WAIT_MS / 1000)
        return "old search"

    runner.run_db(first, answers.append, key="search")
    runner.run_db(lambda: "new search", answers.append, key="search")
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert answers == ["new search"]


def test_a_forgotten_key_answers_nothing_until_asked_again(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    answers: list[str] = []

    def read() -> str:
        assert release.wait(WAIT_MS / 1000)
        return "the post asked for before"

    runner.run_db(read, answers.append, key="load")
    runner.forget("load")
    runner.forget("never asked")  # nothing on its way: nothing happens
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert answers == []
    runner.run_db(lambda: "asked again", answers.append, key="load")
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert answers == ["asked again"]


def test_an_answer_for_a_closed_widget_is_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    release = threading.Event()
    answers: list[object] = []
    owner = QWidget()

    runner.run_db(lambda: release.wait(WAIT_MS / 1000), answers.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=WAIT_MS)
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert answers == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


def test_a_closed_runner_finishes_what_it_had_and_starts_nothing_new(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    done: list[str] = []
    runner.run_db(lambda: "given before", done.append)
    assert runner.close()
    runner.run_db(lambda: "asked after", done.append)  # a late timer of a surviving widget
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert done == ["given before"]


def test_network_then_db_hands_what_was_heard_to_the_database_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    seen: dict[str, object] = {}

    def fetch() -> str:
        seen["fetch thread"] = threading.current_thread().name
        seen["fetch on gui"] = QThread.currentThread() == _gui_thread()
        return "what the server said"

    def store(heard: str) -> int:
        seen["store thread"] = threading.current_thread().name
        seen["heard"] = heard
        return len(heard)

    def done(value: int) -> None:
        seen["value"] = value
        seen["answer on gui"] = QThread.currentThread() == _gui_thread()

    runner.run_network_then_db(fetch, store, done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=WAIT_MS)
    assert seen == {
        "fetch thread": NETWORK_THREAD,
        "fetch on gui": False,
        "store thread": DATABASE_THREAD,
        "heard": "what the server said",
        "value": len("what the server said"),
        "answer on gui": True,
    }


def test_network_then_db_stores_nothing_when_the_server_step_fails(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    stored: list[str] = []
    failures: list[str] = []

    def fetch() -> str:
        raise KnownProblemError("the server is down")

    runner.run_network_then_db(fetch, stored.append, None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert failures == ["plain words: the server is down"]
    assert stored == []


def test_wait_idle_waits_for_the_write_a_network_step_handed_on(runner: TaskRunner) -> None:
    # Shut-down waits for the runner: a write handed on while it waited must not be cut off.
    store_may_end = threading.Event()
    stored: list[str] = []

    def store(heard: str) -> None:
        threading.Timer(0.1, store_may_end.set).start()  # let wait_idle look meanwhile
        assert store_may_end.wait(WAIT_MS / 1000)
        stored.append(heard)

    runner.run_network_then_db(lambda: "heard", store)
    assert runner.wait_idle(WAIT_MS)
    assert stored == ["heard"]


def test_network_then_db_keeps_what_was_heard_when_its_widget_is_gone(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    stored: list[str] = []
    answers: list[object] = []
    owner = QWidget()

    def fetch() -> str:
        assert release.wait(WAIT_MS / 1000)
        return "tokens"

    runner.run_network_then_db(fetch, stored.append, answers.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=WAIT_MS)
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert stored == ["tokens"]
    assert answers == []


def test_later_builds_in_its_turn_unless_the_runner_closed_or_the_owner_went(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    built: list[str] = []
    owner, gone = QObject(), QObject()
    runner.later(10, owner, lambda: built.append("on time"))
    runner.later(10, gone, lambda: built.append("for a deleted owner"))
    gone.deleteLater()
    assert built == []  # not at once: in its turn
    qtbot.waitUntil(lambda: built == ["on time"], timeout=5000)
    runner.later(10, owner, lambda: built.append("after close"))
    runner.close()
    qtbot.wait(50)
    assert built == ["on time"]
