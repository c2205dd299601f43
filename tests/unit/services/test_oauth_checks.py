"""The checks Connect makes before the browser opens, and the window's words for what failed."""

from __future__ import annotations

import pytest

from linkie_desktop import config
from linkie_desktop.services.loopback import PortInUseError
from linkie_desktop.services.oauth import (
    PRODUCT_SHARE,
    PRODUCT_SIGN_IN,
    OAuthError,
    linkedin_app,
    linkedin_refusal,
)
from linkie_desktop.services.oauth_checks import (
    SetupField,
    client_id_problem,
    client_secret_problem,
    in_app_words,
    port_busy_message,
)
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.secrets import SecretStore
from tests.fakes.keyrings import MemoryKeyring

# Client IDs of real LinkedIn apps, as published in open-source projects' sample URLs.
REAL_IDS = ["77dsuygh5i0zj5", "78zvij188dntsk", "77n8woevltj8fw", "750c8k09ptha6k"]


@pytest.mark.parametrize("client_id", [*REAL_IDS, "  77dsuygh5i0zj5\n", "75df1h2e3sk4"])
def test_linkedin_shaped_client_ids_pass(client_id: str) -> None:
    assert client_id_problem(client_id) is None


@pytest.mark.parametrize(
    ("client_id", "words"),
    [
        ("", "Enter your app's Client ID first"),
        ("77dsuygh 5i0zj5", "has a space in it"),
        ("77dsuygh\t5i0zj5", "has a space in it"),
        ("https://www.linkedin.com/developers/apps/2187/auth", "holds a web address"),
        ("www.linkedin.com/developers", "holds a web address"),
        ("WPL_AP1.Zk3xQ9aB.cD7e==", "seems to hold the client secret"),
        ("abc/def+ghi=", "seems to hold the client secret"),
        ("77dsu", "is not a LinkedIn Client ID"),
        ("77dsuygh-5i0zj5", "is not a LinkedIn Client ID"),
        ("x" * 40, "“xxxxxxxxxxxxxxxxxxxx…” is not a LinkedIn Client ID"),
    ],
)
def test_what_cannot_be_a_client_id_is_named(client_id: str, words: str) -> None:
    problem = client_id_problem(client_id)
    assert problem is not None and words in str(problem)
    assert problem.field is SetupField.CLIENT_ID and "(step 4)" in str(problem)


@pytest.mark.parametrize("secret", ["WPL_AP1.Zk3xQ9aBcD7eF1gH.a1b2C3==", "aB3dE5fG7hJ9kL1m"])
def test_linkedin_shaped_secrets_pass(secret: str) -> None:
    assert client_secret_problem(secret, "77dsuygh5i0zj5") is None


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        ("", "Enter your app's client secret first"),
        ("77dsuygh5i0zj5", "holds the Client ID"),
        ("WPL_AP1 Zk3xQ9aB", "has a space in it"),
        ("https://www.linkedin.com/developers/apps", "holds a web address"),
        ("abc12", "too short"),
    ],
)
def test_what_cannot_be_the_secret_is_named(secret: str, words: str) -> None:
    problem = client_secret_problem(secret, "77dsuygh5i0zj5")
    assert problem is not None and words in str(problem)
    assert problem.field is SetupField.CLIENT_SECRET and "(step 4)" in str(problem)


def test_a_missing_credential_names_the_variable_only_on_the_command_line(
    memory_keyring: MemoryKeyring,
) -> None:
    for prefs, variable in (
        (Preferences(), "LINKIE_LINKEDIN_CLIENT_ID"),
        (Preferences(linkedin_client_id="77dsuygh5i0zj5"), "LINKIE_LINKEDIN_CLIENT_SECRET"),
    ):
        with pytest.raises(OAuthError) as caught:
            linkedin_app(config.load(env={}), prefs, SecretStore())
        assert variable in str(caught.value)  # `linkie connect` reads it from there
        window = in_app_words(caught.value)
        assert "LINKIE_" not in window and "step 4" in window


@pytest.mark.parametrize("fixed", [False, True])
def test_a_taken_port_is_told_in_the_windows_words(fixed: bool) -> None:
    exc = PortInUseError(8723)
    assert "LINKIE_OAUTH_PORT" in str(exc)  # the loopback's own words, for the command line
    window = in_app_words(exc, port_fixed=fixed)
    assert window == port_busy_message(8723, fixed) and "LINKIE_" not in window
    assert window.startswith("Port 8723 is in use by another program")
    assert ("Settings › LinkedIn" in window) is not fixed  # a fixed port can't be changed there


@pytest.mark.parametrize(
    ("description", "products"),
    [
        (
            "Scope &quot;w_member_social&quot; is not authorized for your application",
            [PRODUCT_SHARE],
        ),
        ('Scope "openid" is not authorized for your application', [PRODUCT_SIGN_IN]),
        (
            'Scope "r_liteprofile" is not authorized for your application',
            [PRODUCT_SIGN_IN, PRODUCT_SHARE],
        ),
        ("", [PRODUCT_SIGN_IN, PRODUCT_SHARE]),
    ],
)
def test_an_unauthorized_scope_names_the_product_to_add(
    description: str, products: list[str]
) -> None:
    message = str(linkedin_refusal("unauthorized_scope_error", description))
    noun = "product" if len(products) == 1 else "products"
    which = " and ".join(f"“{product}”" for product in products)
    assert f"Add the {noun} {which} to your app (step 2), then Connect again." in message
    assert "&quot;" not in message


def test_other_refusals_keep_linkedins_words() -> None:
    message = str(linkedin_refusal("access_denied", "The member declined"))
    assert message == "LinkedIn refused the connection: The member declined."
