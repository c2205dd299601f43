"""The checks that touch the network before the browser opens: the redirect port bound for a
moment on 127.0.0.1, and LinkedIn (the test server) asked for the sign-in page first."""

from __future__ import annotations

import socket

import pytest

from linkie_desktop.services.loopback import CallbackServer
from linkie_desktop.services.oauth import LinkedInApp, authorization_url, new_code_verifier
from linkie_desktop.services.oauth_checks import (
    SetupError,
    SetupField,
    check_authorization,
    check_redirect_port,
)
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.oauth_helpers import app_for, free_port


def test_a_free_port_passes_and_stays_free() -> None:
    port = free_port()
    check_redirect_port(port)
    CallbackServer(port).close()  # the check let go of it: the listener can bind


def test_a_port_just_used_by_the_last_attempt_passes() -> None:
    """The last attempt's socket may linger (TIME_WAIT): the listener may bind, so the check too."""
    port = free_port()
    listener = CallbackServer(port)
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    listener.close()
    check_redirect_port(port)


@pytest.mark.parametrize("fixed", [False, True])
def test_a_port_another_program_listens_on_is_refused(fixed: bool) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = int(squatter.getsockname()[1])
        with pytest.raises(SetupError) as caught:
            check_redirect_port(taken, fixed)
    assert str(caught.value).startswith(f"Port {taken} is in use by another program")
    assert caught.value.field is SetupField.REDIRECT_PORT


def _url(server: FakeLinkedIn, register: bool = True) -> tuple[LinkedInApp, str]:
    app = app_for(server, register=register)
    return app, authorization_url(app, "state-probe", new_code_verifier())


def test_an_app_linkedin_knows_passes(linkedin_server: FakeLinkedIn) -> None:
    app, url = _url(linkedin_server)
    check_authorization(app, url)
    assert len(linkedin_server.requests_to("GET", "/oauth/v2/authorization")) == 1


def test_an_unregistered_redirect_url_is_refused(linkedin_server: FakeLinkedIn) -> None:
    app, url = _url(linkedin_server, register=False)
    with pytest.raises(SetupError) as caught:
        check_authorization(app, url)
    assert caught.value.field is SetupField.REDIRECT_PORT
    assert "The redirect_uri does not match the registered value" in str(caught.value)
    assert "(step 3)" in str(caught.value)


def test_a_client_id_linkedin_does_not_know_is_refused(linkedin_server: FakeLinkedIn) -> None:
    app, url = _url(linkedin_server)
    linkedin_server.client_id = "78someotherapp1"
    with pytest.raises(SetupError) as caught:
        check_authorization(app, url)
    assert caught.value.field is SetupField.CLIENT_ID and "(step 4)" in str(caught.value)


def test_an_answer_that_is_not_a_refusal_lets_the_browser_open(
    linkedin_server: FakeLinkedIn,
) -> None:
    app, url = _url(linkedin_server)
    linkedin_server.inject("GET", "/oauth/v2/authorization", 503)
    check_authorization(app, url)
    unreachable = url.replace(linkedin_server.base_url, f"http://127.0.0.1:{free_port()}")
    check_authorization(app, unreachable)
