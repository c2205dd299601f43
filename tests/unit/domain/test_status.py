"""The one table of what may happen to a post in each status."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import linkie_desktop.domain
from linkie_desktop.domain import posts
from linkie_desktop.domain.status import ACTIONS, PostAction, PostStatus, allows

D, S, P, OK, F = (
    PostStatus.DRAFT,
    PostStatus.SCHEDULED,
    PostStatus.PUBLISHING,
    PostStatus.PUBLISHED,
    PostStatus.FAILED,
)

# The rules as the product states them, written out once more by hand on purpose: a change to the
# table must be a change to this list too.
EXPECTED: dict[PostAction, tuple[set[PostStatus], PostStatus | None]] = {
    PostAction.EDIT: ({D, S, F}, None),
    PostAction.SCHEDULE: ({D, S, F}, S),
    PostAction.UNSCHEDULE: ({S, F}, D),
    PostAction.PUBLISH_NOW: ({D, S, F}, S),
    PostAction.RETRY: ({F}, S),
    PostAction.MARK_PUBLISHED: ({F}, OK),
    PostAction.DUPLICATE: ({D, S, P, OK, F}, None),
    PostAction.DELETE: ({D, S, OK, F}, None),
    PostAction.CLAIM: ({S}, P),
    PostAction.SUCCEED: ({P}, OK),
    PostAction.FAIL: ({P}, F),
    PostAction.RETRY_LATER: ({P}, S),
    PostAction.GIVE_UP_STALE: ({P}, F),
    PostAction.MISS: ({S}, F),
}


@pytest.mark.parametrize("action", list(PostAction))
def test_each_action_is_allowed_from_exactly_its_statuses(action: PostAction) -> None:
    allowed, to = EXPECTED[action]
    assert {status for status in PostStatus if allows(status, action)} == allowed
    assert ACTIONS[action].to == to


def test_the_screens_rules_are_read_from_the_table() -> None:
    pairs = [
        (posts.is_editable, PostAction.EDIT),
        (posts.can_schedule, PostAction.SCHEDULE),
        (posts.can_unschedule, PostAction.UNSCHEDULE),
        (posts.can_publish_now, PostAction.PUBLISH_NOW),
        (posts.can_retry, PostAction.RETRY),
        (posts.can_mark_published, PostAction.MARK_PUBLISHED),
        (posts.can_delete, PostAction.DELETE),
    ]
    for rule, action in pairs:
        assert [rule(status) for status in PostStatus] == [
            allows(status, action) for status in PostStatus
        ], rule.__name__


def test_domain_imports_nothing_of_ours_above_it() -> None:
    folder = Path(linkie_desktop.domain.__file__).parent
    for source in folder.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(
                    ("linkie_desktop.db", "linkie_desktop.services", "linkie_desktop.ui")
                ), f"{source.name} imports {node.module}"
