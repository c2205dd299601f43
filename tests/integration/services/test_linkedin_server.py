"""The LinkedIn test server itself is as strict as LINKEDIN-API.md: the other tests rely on it."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.fakes.linkedin_server import FakeLinkedIn, parse_little_text

REDIRECT = "http://127.0.0.1:8723/callback"
VERIFIER = "v" * 64
HEADERS = {
    "LinkedIn-Version": "202511",
    "X-Restli-Protocol-Version": "2.0.0",
    "Content-Type": "application/json",
}


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorization_url(server: FakeLinkedIn, **overrides: str) -> str:
    params = {
        "response_type": "code",
        "client_id": server.client_id,
        "redirect_uri": REDIRECT,
        "state": "s1",
        "scope": "openid profile email w_member_social",
        "code_challenge": _challenge(VERIFIER),
        "code_challenge_method": "S256",
    } | overrides
    return f"{server.base_url}/oauth/v2/authorization?{urlencode(params)}"


def _code(server: FakeLinkedIn) -> str:
    location = server.play_browser(_authorization_url(server))
    return parse_qs(urlsplit(location).query)["code"][0]


def _exchange(server: FakeLinkedIn, code: str, **overrides: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "code_verifier": VERIFIER,
    } | overrides
    return httpx.post(f"{server.base_url}/oauth/v2/accessToken", data=form)


def _post_body(server: FakeLinkedIn, commentary: str) -> dict[str, Any]:
    return {
        "author": f"urn:li:person:{server.profile['sub']}",
        "commentary": commentary,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


def _post(server: FakeLinkedIn, token: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    all_headers = HEADERS | {"Authorization": f"Bearer {token}"} | headers
    return httpx.post(f"{server.base_url}/rest/posts", json=body, headers=all_headers)


def test_little_text_truncates_at_first_unescaped_reserved_character() -> None:
    assert parse_little_text("Hello (world)") == "Hello "
    assert parse_little_text(r"Hello \(world\) \#tag") == "Hello (world) #tag"
    assert parse_little_text("a \\ b") == "a "


def test_full_oauth_flow_then_userinfo(linkedin_server: FakeLinkedIn) -> None:
    location = linkedin_server.play_browser(_authorization_url(linkedin_server))
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(REDIRECT + "?") and query["state"] == ["s1"]
    token = _exchange(linkedin_server, query["code"][0]).json()
    assert token["expires_in"] == 5_184_000 and "refresh_token" not in token
    me = httpx.get(
        f"{linkedin_server.base_url}/v2/userinfo",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert me.json()["sub"] == linkedin_server.profile["sub"]


def test_codes_are_single_use_and_need_the_pkce_verifier(linkedin_server: FakeLinkedIn) -> None:
    code = _code(linkedin_server)
    assert _exchange(linkedin_server, code, code_verifier="w" * 64).status_code == 400
    assert _exchange(linkedin_server, code).status_code == 400  # refused attempts burn the code
    fresh = _code(linkedin_server)
    assert _exchange(linkedin_server, fresh).status_code == 200
    assert _exchange(linkedin_server, fresh).status_code == 400


@pytest.mark.parametrize(
    ("field", "value", "status"),
    [
        ("client_secret", "wrong", 401),
        ("redirect_uri", "http://127.0.0.1:8724/callback", 400),
    ],
)
def test_token_exchange_is_strict(
    linkedin_server: FakeLinkedIn, field: str, value: str, status: int
) -> None:
    assert (
        _exchange(linkedin_server, _code(linkedin_server), **{field: value}).status_code == status
    )


def test_unregistered_redirect_uri_is_refused(linkedin_server: FakeLinkedIn) -> None:
    url = _authorization_url(linkedin_server, redirect_uri="http://127.0.0.1:9999/callback")
    assert httpx.get(url).status_code == 400


def test_cancelled_consent_redirects_with_the_error(linkedin_server: FakeLinkedIn) -> None:
    linkedin_server.consent = "cancel"
    location = linkedin_server.play_browser(_authorization_url(linkedin_server))
    assert parse_qs(urlsplit(location).query)["error"] == ["user_cancelled_authorize"]


def test_refresh_keeps_the_refresh_token_life(linkedin_server: FakeLinkedIn) -> None:
    linkedin_server.refresh_tokens_enabled = True
    first = _exchange(linkedin_server, _code(linkedin_server)).json()
    refreshed = httpx.post(
        f"{linkedin_server.base_url}/oauth/v2/accessToken",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": linkedin_server.client_id,
            "client_secret": linkedin_server.client_secret,
        },
    ).json()
    assert refreshed["refresh_token"] == first["refresh_token"]
    assert refreshed["refresh_token_expires_in"] <= first["refresh_token_expires_in"]


def test_post_is_stored_truncated_yet_answers_201(linkedin_server: FakeLinkedIn) -> None:
    token = linkedin_server.issue_token()
    response = _post(linkedin_server, token, _post_body(linkedin_server, "Big news (really)"))
    assert response.status_code == 201
    assert response.headers["x-restli-id"] == linkedin_server.posts[0].urn
    assert linkedin_server.posts[0].commentary == "Big news "


def test_duplicate_content_is_refused(linkedin_server: FakeLinkedIn) -> None:
    token = linkedin_server.issue_token()
    assert _post(linkedin_server, token, _post_body(linkedin_server, "Same")).status_code == 201
    again = _post(linkedin_server, token, _post_body(linkedin_server, "Same"))
    assert again.status_code == 422 and again.json()["code"] == "DUPLICATE_POST"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"LinkedIn-Version": "202301"}, 426),
        ({"LinkedIn-Version": "2025-11"}, 400),
        ({"X-Restli-Protocol-Version": "1.0.0"}, 400),
        ({"Authorization": "Bearer nope"}, 401),
    ],
)
def test_post_headers_are_strict(
    linkedin_server: FakeLinkedIn, headers: dict[str, str], status: int
) -> None:
    token = linkedin_server.issue_token()
    response = _post(linkedin_server, token, _post_body(linkedin_server, "x"), **headers)
    assert response.status_code == status
    assert set(response.json()) >= {"message", "serviceErrorCode", "status"}
    assert linkedin_server.posts == []


def test_expired_revoked_and_unscoped_tokens(linkedin_server: FakeLinkedIn) -> None:
    expired, revoked = linkedin_server.issue_token(), linkedin_server.issue_token()
    linkedin_server.expire_token(expired)
    linkedin_server.revoke_token(revoked)
    unscoped = linkedin_server.issue_token(scopes=("openid", "profile"))
    body = _post_body(linkedin_server, "x")
    assert _post(linkedin_server, expired, body).status_code == 401
    assert _post(linkedin_server, revoked, body).status_code == 401
    assert _post(linkedin_server, unscoped, body).status_code == 403


def test_unknown_body_field_is_refused(linkedin_server: FakeLinkedIn) -> None:
    body = _post_body(linkedin_server, "x") | {"text": "x"}
    response = _post(linkedin_server, linkedin_server.issue_token(), body)
    assert response.status_code == 422


def test_injected_status_with_retry_after(linkedin_server: FakeLinkedIn) -> None:
    linkedin_server.inject("POST", "/rest/posts", 429, retry_after=120)
    response = _post(
        linkedin_server, linkedin_server.issue_token(), _post_body(linkedin_server, "x")
    )
    assert response.status_code == 429 and response.headers["retry-after"] == "120"
    assert linkedin_server.posts == []


def test_dropped_connection_after_the_work_was_done(linkedin_server: FakeLinkedIn) -> None:
    linkedin_server.inject("POST", "/rest/posts", drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        _post(linkedin_server, linkedin_server.issue_token(), _post_body(linkedin_server, "x"))
    assert len(linkedin_server.posts) == 1  # LinkedIn published; the client never heard


def test_image_upload_then_post(linkedin_server: FakeLinkedIn) -> None:
    token = linkedin_server.issue_token()
    owner = f"urn:li:person:{linkedin_server.profile['sub']}"
    init = httpx.post(
        f"{linkedin_server.base_url}/rest/images?action=initializeUpload",
        json={"initializeUploadRequest": {"owner": owner}},
        headers=HEADERS | {"Authorization": f"Bearer {token}"},
    ).json()["value"]
    put = httpx.put(
        init["uploadUrl"], content=b"GIF89a", headers={"Authorization": f"Bearer {token}"}
    )
    assert put.status_code == 201
    body = _post_body(linkedin_server, "pic") | {
        "content": {"media": {"id": init["image"], "altText": "a cat"}}
    }
    assert _post(linkedin_server, token, body).status_code == 201
    assert linkedin_server.posts[0].image_urn == init["image"]
    assert linkedin_server.images[init["image"]] == b"GIF89a"
