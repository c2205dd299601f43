"""Studio requests end at a whole-request deadline, and any wait a vendor names is survived."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.services.ai_http import AiError, CancelToken, Problem
from linkie_desktop.services.ai_text import Brief
from linkie_desktop.services.studio import StudioService
from tests.fakes.ai_servers import AiServers
from tests.integration.studio_support import IDEA, saved_runs, studio_config, studio_for


@pytest.fixture
def studio(
    engine: Engine,
    user_id: str,
    tmp_path: Path,
    ai_env: AiServers,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> StudioService:
    return studio_for(engine, user_id, studio_config(tmp_path, db_url, monkeypatch), ai_env)


def test_a_reply_that_trickles_in_ends_at_the_deadline_and_saves_nothing(
    studio: StudioService, ai_env: AiServers, engine: Engine
) -> None:
    # Anthropic's whole reply (~1.5 kB) one byte every 0.05 s: over a minute; the deadline is 1 s.
    ai_env.anthropic.inject(trickle_s=0.05)
    with pytest.raises(AiError) as caught:
        replace(studio, request_deadline_s=1.0).generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is Problem.NETWORK
    assert ai_env.anthropic.wait_for_hang_up()
    assert saved_runs(engine) == 0


def test_images_that_trickle_in_end_at_the_deadline_and_save_nothing(
    studio: StudioService, ai_env: AiServers, engine: Engine
) -> None:
    ai_env.gemini.inject(trickle_s=0.05)
    with pytest.raises(AiError) as caught:
        replace(studio, request_deadline_s=1.0).generate_images(IDEA, CancelToken())
    assert caught.value.problem is Problem.NETWORK
    assert ai_env.gemini.wait_for_hang_up()
    assert saved_runs(engine) == 0


@pytest.mark.parametrize(
    ("retry_after", "words"),
    [
        ("1e400", "in 24 hours"),
        ("inf", "in 24 hours"),
        ("nan", "in a minute"),
    ],
)
def test_an_absurd_retry_after_from_anthropic_is_told_in_plain_words(
    studio: StudioService, ai_env: AiServers, retry_after: str, words: str
) -> None:
    ai_env.anthropic.inject(429, retry_after=retry_after)
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is Problem.RATE_LIMITED
    assert f"Try again {words}." in str(caught.value)


def test_an_absurd_retry_delay_from_gemini_is_told_in_plain_words(
    studio: StudioService, ai_env: AiServers
) -> None:
    ai_env.gemini.inject(429, retry_after="9" * 400)  # RetryInfo "999…9s": infinite as a float
    with pytest.raises(AiError) as caught:
        studio.generate_images(IDEA, CancelToken())
    assert caught.value.problem is Problem.RATE_LIMITED
    assert "Try again in 24 hours." in str(caught.value)
