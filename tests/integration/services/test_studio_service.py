"""The Studio service against the Anthropic and Gemini test servers and a real SQLite file."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from linkie_desktop import config as app_config
from linkie_desktop.config import Config
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Generation
from linkie_desktop.domain.images import inspect_image
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.ai_http import AiError, CancelToken, Problem
from linkie_desktop.services.ai_text import ANTHROPIC_VERSION, MAX_TOKENS, Brief
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import Preferences, PreferencesStore, save_preferences
from linkie_desktop.services.secrets import SecretName, SecretStore
from linkie_desktop.services.studio import StudioService, keyring_key
from tests.fakes.ai_servers import DEFAULT_VARIATIONS, AiServers, FakeAnthropic, FakeGemini
from tests.integration.studio_support import IDEA, saved_runs, studio_config, studio_for


@pytest.fixture
def cfg(tmp_path: Path, ai_env: AiServers, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Config:
    return studio_config(tmp_path, db_url, monkeypatch)


@pytest.fixture
def studio(engine: Engine, user_id: str, cfg: Config, ai_env: AiServers) -> StudioService:
    return studio_for(engine, user_id, cfg, ai_env)


def _media_files(cfg: Config) -> list[Path]:
    return sorted(cfg.media_dir.glob("*")) if cfg.media_dir.exists() else []


# --- text -----------------------------------------------------------------------------------------


def test_generate_sends_the_documented_request_and_saves_the_run(
    studio: StudioService, ai_env: AiServers, engine: Engine, user_id: str
) -> None:
    run = studio.generate(Brief(IDEA, tone="bold", length="short"), CancelToken())

    (request,) = ai_env.anthropic.requests
    assert request.path == "/v1/messages"
    assert request.headers["x-api-key"] == ai_env.anthropic.api_key
    assert request.headers["anthropic-version"] == ANTHROPIC_VERSION
    assert request.headers["content-type"] == "application/json"
    body = request.json()
    assert body["model"] == Preferences().anthropic_model
    assert body["max_tokens"] == MAX_TOKENS
    assert body["messages"][0]["role"] == "user"
    assert IDEA in body["messages"][0]["content"]
    assert "bold" in body["messages"][0]["content"]
    assert "300 to 600" in body["messages"][0]["content"]

    assert run.variations == tuple(DEFAULT_VARIATIONS)
    with transaction(engine) as session:
        (row,) = session.scalars(select(Generation)).all()
        assert row.user_id == user_id
        assert row.idea == IDEA
        assert json.loads(row.text_variations_json) == DEFAULT_VARIATIONS
        assert json.loads(row.images_json) == []


def test_the_model_comes_from_the_preferences(
    engine: Engine, user_id: str, ai_env: AiServers, cfg: Config
) -> None:
    store = PreferencesStore(cfg.data_dir)
    studio = studio_for(engine, user_id, cfg, ai_env, store.current_getter())
    store.save(Preferences(anthropic_model="claude-opus-5-5"))  # Settings, after the tab opened
    studio.generate(Brief(IDEA), CancelToken())
    assert ai_env.anthropic.requests[0].json()["model"] == "claude-opus-5-5"


def test_the_service_asks_the_preferences_object_not_the_file(
    engine: Engine, user_id: str, ai_env: AiServers, cfg: Config
) -> None:
    store = PreferencesStore(cfg.data_dir)
    studio = studio_for(engine, user_id, cfg, ai_env, store.current_getter())
    # Another process rewrites the file: this window's one object is what counts.
    save_preferences(cfg.data_dir, Preferences(anthropic_model="claude-opus-5-5"))
    studio.generate(Brief(IDEA), CancelToken())
    assert ai_env.anthropic.requests[0].json()["model"] == Preferences().anthropic_model


def test_a_fenced_reply_after_thinking_blocks_is_still_understood(
    studio: StudioService, ai_env: AiServers
) -> None:
    ai_env.anthropic.reply_text = (
        "```json\n" + json.dumps({"variations": ["a", "b", "c"]}) + "\n```"
    )
    assert studio.generate(Brief(IDEA), CancelToken()).variations == ("a", "b", "c")


@pytest.mark.parametrize(
    ("inject", "problem", "words"),
    [
        ({"status": 401}, Problem.INVALID_KEY, "did not accept your API key"),
        ({"status": 429, "retry_after": 30}, Problem.RATE_LIMITED, "in 30 seconds"),
        ({"status": 529}, Problem.OVERLOADED, "overloaded"),
        ({"status": 500}, Problem.OVERLOADED, "overloaded"),
        ({"drop": True}, Problem.NETWORK, "could not reach Anthropic"),
        (
            {"status": 200, "body": "<html>proxy error</html>"},
            Problem.BAD_REPLY,
            "nothing was saved",
        ),
        ({"status": 400}, Problem.REFUSED, "refused"),
    ],
)
def test_each_anthropic_failure_is_told_in_plain_words_and_nothing_is_saved(
    studio: StudioService,
    ai_env: AiServers,
    engine: Engine,
    inject: dict[str, object],
    problem: Problem,
    words: str,
) -> None:
    ai_env.anthropic.inject(**inject)  # type: ignore[arg-type]
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is problem
    assert words in str(caught.value)
    assert saved_runs(engine) == 0


def test_rate_limit_wait_is_passed_on(studio: StudioService, ai_env: AiServers) -> None:
    ai_env.anthropic.inject(429, retry_after=30)
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.retry_after_s == 30


@pytest.mark.parametrize(
    "reply_text",
    [
        "Sure! Here are three posts: 1. ...",
        json.dumps({"variations": ["only", "two"]}),
        json.dumps({"variations": ["one", "", "three"]}),
        json.dumps({"posts": ["a", "b", "c"]}),
    ],
)
def test_a_reply_of_the_wrong_shape_is_a_bad_reply(
    studio: StudioService, ai_env: AiServers, engine: Engine, reply_text: str
) -> None:
    ai_env.anthropic.reply_text = reply_text
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is Problem.BAD_REPLY
    assert saved_runs(engine) == 0


def test_an_answer_cut_off_at_max_tokens_says_so(
    studio: StudioService, ai_env: AiServers, engine: Engine
) -> None:
    ai_env.anthropic.reply_text = '{"variations": ["one", "two", "thr'
    ai_env.anthropic.stop_reason = "max_tokens"
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is Problem.BAD_REPLY
    assert "cut off" in str(caught.value)
    assert saved_runs(engine) == 0


def test_a_refusal_is_passed_on(studio: StudioService, ai_env: AiServers) -> None:
    ai_env.anthropic.reply_text = "I can't help with that."
    ai_env.anthropic.stop_reason = "refusal"
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is Problem.REFUSED


def test_a_wrong_key_is_refused_by_the_server_as_invalid(
    engine: Engine, user_id: str, cfg: Config, ai_env: AiServers
) -> None:
    studio = StudioService(engine, user_id, cfg, lambda: "sk-ant-wrong", lambda: "wrong")
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is Problem.INVALID_KEY
    with pytest.raises(AiError) as caught:
        studio.generate_images(IDEA, CancelToken())
    assert caught.value.problem is Problem.INVALID_KEY
    assert saved_runs(engine) == 0


def test_no_key_asks_for_one_without_calling_anyone(
    engine: Engine, user_id: str, cfg: Config, ai_env: AiServers
) -> None:
    studio = StudioService(engine, user_id, cfg, lambda: None, lambda: "  ")
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is Problem.NO_KEY
    assert "Add your Anthropic API key in Settings" in str(caught.value)
    with pytest.raises(AiError) as caught:
        studio.generate_images(IDEA, CancelToken())
    assert "Add your Google Gemini API key" in str(caught.value)
    assert ai_env.anthropic.requests == [] and ai_env.gemini.requests == []


def test_an_empty_idea_is_refused_before_any_request(
    studio: StudioService, ai_env: AiServers
) -> None:
    with pytest.raises(ValidationError):
        studio.generate(Brief("   "), CancelToken())
    assert ai_env.anthropic.requests == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_network_down_is_told_plainly(
    engine: Engine, user_id: str, tmp_path: Path, db_url: str
) -> None:
    base = f"http://127.0.0.1:{_closed_port()}"
    cfg = app_config.load(
        db=db_url,
        env={
            "LINKIE_DATA_DIR": str(tmp_path / "d"),
            "LINKIE_ANTHROPIC_BASE_URL": base,
            "LINKIE_GEMINI_BASE_URL": base,
        },
    )
    studio = StudioService(engine, user_id, cfg, lambda: "k", lambda: "k")
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), CancelToken())
    assert caught.value.problem is Problem.NETWORK
    assert "Check your internet connection" in str(caught.value)
    with pytest.raises(AiError) as caught:
        studio.generate_images(IDEA, CancelToken())
    assert caught.value.problem is Problem.NETWORK


# --- cancel ---------------------------------------------------------------------------------------


def test_cancel_aborts_the_request_in_flight_and_saves_nothing(
    studio: StudioService, ai_env: AiServers, engine: Engine
) -> None:
    ai_env.anthropic.inject(delay_s=60)
    token = CancelToken()
    outcome: list[BaseException] = []

    def work() -> None:
        try:
            studio.generate(Brief(IDEA), token)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    arrived = threading.Event()
    while not arrived.wait(0.01):
        if ai_env.anthropic.requests:
            arrived.set()
    assert token.cancel() is True
    worker.join()
    (error,) = outcome
    assert isinstance(error, AiError) and error.problem is Problem.CANCELLED
    assert saved_runs(engine) == 0
    # The connection was really closed: the server saw the client leave while it waited.
    while ai_env.anthropic.disconnects == 0:
        arrived.wait(0.01)
    assert ai_env.anthropic.disconnects == 1


def test_cancel_before_the_request_sends_nothing(studio: StudioService, ai_env: AiServers) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(AiError) as caught:
        studio.generate(Brief(IDEA), token)
    assert caught.value.problem is Problem.CANCELLED
    assert ai_env.anthropic.requests == []


def test_cancel_is_refused_once_the_result_is_being_saved() -> None:
    token = CancelToken()
    with token.committing():
        assert token.cancel() is False
    assert not token.cancelled


# --- images ---------------------------------------------------------------------------------------


def test_images_are_requested_as_documented_and_saved_in_the_media_folder(
    studio: StudioService, ai_env: AiServers, cfg: Config, engine: Engine
) -> None:
    run = studio.generate(Brief(IDEA), CancelToken())
    ai_env.gemini.images_per_reply = 2
    with_images = studio.generate_images(IDEA, CancelToken(), run.id, run.variations[0])

    (request,) = ai_env.gemini.requests
    model = Preferences().gemini_image_model
    assert request.path == f"/v1beta/models/{model}:generateContent"
    assert request.headers["x-goog-api-key"] == ai_env.gemini.api_key
    assert "key" not in request.query  # the key never goes in the URL (logs, proxies)
    body = request.json()
    assert IDEA in body["contents"][0]["parts"][0]["text"]
    assert "IMAGE" in body["generationConfig"]["responseModalities"]

    assert with_images.id == run.id
    assert with_images.variations == run.variations
    assert len(with_images.images) == 2
    for path in map(Path, with_images.images):
        assert path.parent == cfg.media_dir
        assert inspect_image(path).kind == "png"
    assert _media_files(cfg) == sorted(map(Path, with_images.images))
    assert studio.get(run.id).images == with_images.images
    assert saved_runs(engine) == 1


def test_a_thinking_models_draft_images_are_not_kept(
    studio: StudioService, ai_env: AiServers, cfg: Config
) -> None:
    ai_env.gemini.thought_images = 2
    run = studio.generate_images(IDEA, CancelToken())
    (image,) = run.images
    assert inspect_image(Path(image)).width == 96  # the answer, not an 8x8 draft
    assert len(_media_files(cfg)) == 1


def test_images_without_a_run_make_a_run_of_their_own(
    studio: StudioService, engine: Engine
) -> None:
    run = studio.generate_images(IDEA, CancelToken())
    assert run.variations == () and len(run.images) == 1
    assert saved_runs(engine) == 1


@pytest.mark.parametrize(
    ("inject", "problem", "words"),
    [
        ({"status": 429, "retry_after": 17}, Problem.RATE_LIMITED, "in 17 seconds"),
        ({"status": 503}, Problem.OVERLOADED, "overloaded"),
        ({"status": 403}, Problem.INVALID_KEY, "did not accept your API key"),
        ({"drop": True}, Problem.NETWORK, "could not reach Google Gemini"),
        ({"status": 200, "body": '{"candidates": '}, Problem.BAD_REPLY, "nothing was saved"),
        ({"status": 200, "body": {"candidates": []}}, Problem.BAD_REPLY, "does not understand"),
    ],
)
def test_each_gemini_failure_is_told_plainly_and_leaves_no_file_or_row(
    studio: StudioService,
    ai_env: AiServers,
    engine: Engine,
    cfg: Config,
    inject: dict[str, object],
    problem: Problem,
    words: str,
) -> None:
    ai_env.gemini.inject(**inject)  # type: ignore[arg-type]
    with pytest.raises(AiError) as caught:
        studio.generate_images(IDEA, CancelToken())
    assert caught.value.problem is problem
    assert words in str(caught.value)
    assert saved_runs(engine) == 0
    assert _media_files(cfg) == []


def test_an_image_that_is_not_one_is_a_bad_reply_and_not_kept(
    studio: StudioService, ai_env: AiServers, engine: Engine, cfg: Config
) -> None:
    run = studio.generate(Brief(IDEA), CancelToken())
    ai_env.gemini.images_per_reply = 2
    ai_env.gemini.image_data = b"this is not a PNG at all"
    with pytest.raises(AiError) as caught:
        studio.generate_images(IDEA, CancelToken(), run.id)
    assert caught.value.problem is Problem.BAD_REPLY
    assert _media_files(cfg) == []
    assert studio.get(run.id).images == ()


def test_a_safety_block_says_gemini_declined(studio: StudioService, ai_env: AiServers) -> None:
    ai_env.gemini.finish_reason = "IMAGE_SAFETY"
    with pytest.raises(AiError) as caught:
        studio.generate_images(IDEA, CancelToken())
    assert caught.value.problem is Problem.REFUSED
    assert "declined" in str(caught.value)


def test_the_image_model_comes_from_the_preferences(
    engine: Engine, user_id: str, ai_env: AiServers, cfg: Config
) -> None:
    store = PreferencesStore(cfg.data_dir)
    studio = studio_for(engine, user_id, cfg, ai_env, store.current_getter())
    store.save(Preferences(gemini_image_model="gemini-3-pro-image"))
    studio.generate_images(IDEA, CancelToken())
    assert ai_env.gemini.requests[0].path == "/v1beta/models/gemini-3-pro-image:generateContent"


# --- history and drafts ---------------------------------------------------------------------------


def test_recent_runs_reopen_newest_first_and_only_the_users_own(
    studio: StudioService, engine: Engine, other_user_id: str, cfg: Config, ai_env: AiServers
) -> None:
    first = studio.generate(Brief("first idea"), CancelToken())
    second = studio.generate(Brief("second idea"), CancelToken())
    theirs = StudioService(
        engine, other_user_id, cfg, lambda: ai_env.anthropic.api_key, lambda: None
    ).generate(Brief("someone else's idea"), CancelToken())
    ids = [run.id for run in studio.recent()]
    assert set(ids) == {first.id, second.id}
    assert studio.get(first.id) == first
    with pytest.raises(ValidationError):
        studio.get(theirs.id)


def test_use_as_draft_makes_a_draft_with_a_copy_of_the_image(
    studio: StudioService, engine: Engine, user_id: str, cfg: Config
) -> None:
    run = studio.generate_images(IDEA, CancelToken())
    draft = studio.use_as_draft("Post text", IDEA, Path(run.images[0]))
    stored = PostService(engine, user_id).get(draft.id)
    assert stored.status == "draft"
    assert stored.content == "Post text"
    assert stored.title == IDEA
    assert stored.image_path is not None
    assert Path(stored.image_path).parent == cfg.media_dir
    assert stored.image_path != run.images[0]  # the run keeps its own file
    assert Path(run.images[0]).is_file()


def test_use_as_draft_with_a_missing_image_makes_no_draft(
    studio: StudioService, engine: Engine, user_id: str, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError):
        studio.use_as_draft("Post text", IDEA, tmp_path / "gone.png")
    assert PostService(engine, user_id).list() == []
    with engine.connect() as connection:  # not even in the trash: the user never saw it
        assert connection.execute(text("SELECT count(*) FROM posts")).scalar_one() == 0


# --- keys from the keyring ------------------------------------------------------------------------


@pytest.mark.usefixtures("memory_keyring")
def test_keys_are_read_from_the_keyring_where_settings_put_them() -> None:
    store = SecretStore()
    store.set(SecretName.ANTHROPIC_API_KEY, "sk-ant-from-keyring")
    assert keyring_key(SecretName.ANTHROPIC_API_KEY)() == "sk-ant-from-keyring"
    assert keyring_key(SecretName.GEMINI_API_KEY)() is None


@pytest.mark.usefixtures("unavailable_keyring")
def test_an_unusable_keyring_reads_as_no_key_with_the_reason() -> None:
    with pytest.raises(AiError) as caught:
        keyring_key(SecretName.ANTHROPIC_API_KEY)()
    assert caught.value.problem is Problem.NO_KEY
    assert "keyring" in str(caught.value)


def test_the_fake_servers_refuse_what_the_vendors_refuse(
    anthropic_server: FakeAnthropic, gemini_server: FakeGemini
) -> None:
    import httpx

    good = {"x-api-key": anthropic_server.api_key, "anthropic-version": ANTHROPIC_VERSION}
    minimal = {
        "model": "claude-sonnet-5-5",
        "max_tokens": 10,
        "messages": [{"role": "user", "content": "hi"}],
    }
    url = f"{anthropic_server.base_url}/v1/messages"
    assert httpx.post(url, headers=good, json=minimal).status_code == 200
    no_version = {"x-api-key": anthropic_server.api_key}
    assert httpx.post(url, headers=no_version, json=minimal).status_code == 400
    assert httpx.post(url, headers=good, json={**minimal, "max_tokens": 0}).status_code == 400
    assert httpx.post(url, headers=good, json={**minimal, "prompt": "x"}).status_code == 400
    assert httpx.post(url, headers=good, json={**minimal, "model": "claude-2"}).status_code == 404
    gem = f"{gemini_server.base_url}/v1beta/models/gemini-3.1-flash-image:generateContent"
    body = {"contents": [{"parts": [{"text": "a cat"}]}]}
    assert httpx.post(gem, json=body).status_code == 403
    assert (
        httpx.post(
            gem, headers={"x-goog-api-key": gemini_server.api_key}, json={"contents": []}
        ).status_code
        == 400
    )
    ok = httpx.post(gem, headers={"x-goog-api-key": gemini_server.api_key}, json=body)
    assert ok.status_code == 200
    assert (
        ok.json()["candidates"][0]["content"]["parts"][1]["inlineData"]["mimeType"] == "image/png"
    )
