"""Connecting LinkedIn: the authorization-code flow with PKCE through the system browser (no Qt).

One attempt = a `linkedin_oauth_states` row (10 minutes, single use) + a PKCE verifier + the
one-shot loopback server of loopback.py. The answer's `state` must exist, be live, belong to this
user and this attempt; then the code is exchanged, `/v2/userinfo` read, and the connection stored
with the tokens sealed by secrets.TokenCipher. The waiting and asking (`receive`, a network
thread) never touch the database; the state row and the connection are written by `save` (the
database worker). Also here: the connection status and disconnect (the
publisher decrypts tokens itself with publisher.keyring_tokens).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import logging
import math
import re
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, IntEnum
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from linkie_desktop.config import ENV_CLIENT_ID, ENV_CLIENT_SECRET, Config
from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import Account, LinkedInOAuthState, OAuthStatus, User, UserSettings
from linkie_desktop.db.types import utc_now
from linkie_desktop.services.browser_handoff import HandoffPage, Launcher, system_browser
from linkie_desktop.services.linkedin import LinkedInClient, LinkedInError, Profile
from linkie_desktop.services.loopback import (
    CallbackError,
    CallbackServer,
    NotTheAnswerError,
    WaitCancelledError,
)
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.redact import redact
from linkie_desktop.services.secrets import (
    KeyringUnavailable,
    SecretName,
    SecretStore,
    TokenCipher,
    TokenUnreadableError,
)

log = logging.getLogger(__name__)

SCOPES = ("openid", "profile", "email", "w_member_social")
# The products of a LinkedIn developer app that grant those scopes, named as LinkedIn's Products
# tab names them: a scope whose product isn't added is refused with unauthorized_scope_error.
PRODUCT_SIGN_IN = "Sign In with LinkedIn using OpenID Connect"
PRODUCT_SHARE = "Share on LinkedIn"
SCOPE_PRODUCTS = {
    "openid": PRODUCT_SIGN_IN,
    "profile": PRODUCT_SIGN_IN,
    "email": PRODUCT_SIGN_IN,
    "w_member_social": PRODUCT_SHARE,
}
DEVELOPER_APPS_URL = "https://www.linkedin.com/developers/apps/new"


class SetupStep(IntEnum):
    """The steps of Settings › LinkedIn's guide, which messages point back to."""

    CREATE_APP = 1
    ADD_PRODUCTS = 2
    REDIRECT_URL = 3
    CREDENTIALS = 4


STATE_LIFETIME = timedelta(minutes=10)
LOGIN_TIMEOUT_S = STATE_LIFETIME.total_seconds()
EXPIRY_WARNING = timedelta(days=7)
PROVIDER = "linkedin"
# userinfo has no profile address; LinkedIn sends a signed-in member from /in/me/ to their own.
OWN_PROFILE_URL = "https://www.linkedin.com/in/me/"
_HTTP_TIMEOUT_S = 30.0


class OAuthError(Exception):
    """The connection could not be made or used; the message is plain words for the user.

    `in_app` says the same for the window, where only Settings can be changed: the command line's
    words may name an environment variable, the window's never do.
    """

    def __init__(self, message: str, in_app: str | None = None) -> None:
        super().__init__(message)
        self.in_app = in_app or message


class SetupField(Enum):
    """The field of Settings › LinkedIn a problem is about."""

    CLIENT_ID = "client_id"
    CLIENT_SECRET = "client_secret"  # noqa: S105 - a field's name
    REDIRECT_PORT = "redirect_port"


class SetupError(OAuthError):
    """A value of the LinkedIn app is missing or wrong, found before the browser opened: the
    window shows it beside `field`, in step `step` of its guide."""

    def __init__(
        self, message: str, field: SetupField, step: SetupStep, in_app: str | None = None
    ) -> None:
        super().__init__(message, in_app)
        self.field = field
        self.step = step


class StateRejectedError(OAuthError):
    """The answer's `state` is unknown, used, expired, another user's or another attempt's."""


class ConsentDeclinedError(OAuthError):
    """The member pressed Cancel on LinkedIn's page, or LinkedIn refused the request."""


class TokenExchangeError(OAuthError):
    """LinkedIn did not turn the code into a token."""


# Everything a connect attempt can end with that the UI and the CLI show as a message.
LOGIN_ERRORS: tuple[type[Exception], ...] = (
    OAuthError,
    CallbackError,
    KeyringUnavailable,
    TokenUnreadableError,
    LinkedInError,
)


@dataclass(frozen=True)
class LinkedInApp:
    """The LinkedIn developer app Linkie signs in through, and where LinkedIn lives."""

    client_id: str
    client_secret: str
    redirect_port: int
    auth_base: str
    api_base: str
    api_version: str

    @property
    def redirect_uri(self) -> str:
        return redirect_uri_for(self.redirect_port)

    def __repr__(self) -> str:  # the dataclass default would print the client secret
        return f"LinkedInApp(client_id={self.client_id!r}, redirect_uri={self.redirect_uri!r})"


MISSING_CLIENT_ID = (
    f"Enter your app's Client ID in step {SetupStep.CREDENTIALS} first: it is on the Auth tab "
    "of your app on LinkedIn's developer site."
)
MISSING_CLIENT_SECRET = (
    f"Enter your app's Primary Client Secret in step {SetupStep.CREDENTIALS} first: "
    "it is on the Auth tab of your app, under the Client ID."
)


def redirect_uri_for(port: int) -> str:
    return f"http://127.0.0.1:{port}/callback"


def effective_port(config: Config, prefs: Preferences) -> int:
    """LINKIE_OAUTH_PORT wins (tests, headless use); otherwise the port chosen in Settings."""
    return config.oauth_port if config.oauth_port_from_env else prefs.oauth_port


def effective_version(config: Config, prefs: Preferences) -> str:
    """LINKIE_LINKEDIN_VERSION wins; otherwise the API version chosen in Settings."""
    return config.linkedin_version if config.linkedin_version_from_env else prefs.linkedin_version


def linkedin_app(config: Config, prefs: Preferences, store: SecretStore) -> LinkedInApp:
    """The app's credentials: client ID from Settings (or LINKIE_LINKEDIN_CLIENT_ID), secret from
    the keyring (or LINKIE_LINKEDIN_CLIENT_SECRET, for headless use)."""
    client_id = prefs.linkedin_client_id.strip() or config.linkedin_client_id
    if not client_id:
        raise SetupError(
            "Enter your LinkedIn app's client ID in Settings → LinkedIn first "
            f"(or set {ENV_CLIENT_ID}).",
            SetupField.CLIENT_ID,
            SetupStep.CREDENTIALS,
            in_app=MISSING_CLIENT_ID,
        )
    client_secret = config.linkedin_client_secret or (
        store.get(SecretName.LINKEDIN_CLIENT_SECRET) or ""
    )
    if not client_secret:
        raise SetupError(
            "Enter your LinkedIn app's client secret in Settings → LinkedIn first "
            f"(or set {ENV_CLIENT_SECRET}).",
            SetupField.CLIENT_SECRET,
            SetupStep.CREDENTIALS,
            in_app=MISSING_CLIENT_SECRET,
        )
    return LinkedInApp(
        client_id=client_id,
        client_secret=client_secret,
        redirect_port=effective_port(config, prefs),
        auth_base=config.linkedin_auth_base,
        api_base=config.linkedin_api_base,
        api_version=effective_version(config, prefs),
    )


# --- PKCE and the authorization URL ------------------------------------------------------------


def new_code_verifier() -> str:
    """43–128 characters of the unreserved alphabet (RFC 7636): 64 random bytes give 86."""
    return secrets.token_urlsafe(64)


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_url(app: LinkedInApp, state: str, verifier: str) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": app.redirect_uri,
            "state": state,
            "scope": " ".join(SCOPES),
            "code_challenge": code_challenge(verifier),
            "code_challenge_method": "S256",
        },
        quote_via=quote,  # spaces as %20, as LinkedIn's documentation writes the scope
    )
    return f"{app.auth_base}/oauth/v2/authorization?{query}"


# --- states ------------------------------------------------------------------------------------


def clean_expired_states(session: Session, now: datetime) -> int:
    result = session.execute(delete(LinkedInOAuthState).where(LinkedInOAuthState.expires_at < now))
    return int(getattr(result, "rowcount", 0) or 0)


def create_state(engine: Engine, user_id: str, now: datetime | None = None) -> str:
    """A fresh state row for one attempt; expired rows of earlier attempts go at the same time."""
    now = now or utc_now()
    state = secrets.token_urlsafe(32)
    with transaction(engine) as session:
        clean_expired_states(session, now)
        session.add(
            LinkedInOAuthState(state=state, user_id=user_id, expires_at=now + STATE_LIFETIME)
        )
    return state


STATE_EXPIRED = (
    "This LinkedIn login took longer than 10 minutes and has expired. Nothing was "
    "changed; press Connect to try again."
)


def consume_state(engine: Engine, state: str, user_id: str, now: datetime | None = None) -> None:
    """Accept `state` once: the row is deleted whether or not it passes the checks, unless it is
    another person's (their sign-in in progress stays theirs)."""
    now = now or utc_now()
    with transaction(engine) as session:
        row = session.get(LinkedInOAuthState, state) if state else None
        if row is not None and row.user_id == user_id:
            session.delete(row)
    if row is None:
        raise StateRejectedError(
            "LinkedIn's answer doesn't match a login Linkie started (it may have been used "
            "already or forged). Nothing was changed; press Connect to try again."
        )
    if row.user_id != user_id:
        raise StateRejectedError(
            "LinkedIn's answer belongs to another profile's login. Nothing was changed."
        )
    if row.expires_at <= now:
        raise StateRejectedError(STATE_EXPIRED)


def discard_state(engine: Engine, state: str) -> None:
    with transaction(engine) as session:
        session.execute(delete(LinkedInOAuthState).where(LinkedInOAuthState.state == state))


# --- tokens ------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class TokenGrant:
    access_token: str
    expires_in: int
    refresh_token: str | None = None
    refresh_token_expires_in: int | None = None
    scope: str | None = None
    id_token: str | None = None

    def __repr__(self) -> str:
        return f"TokenGrant(expires_in={self.expires_in}, scope={self.scope!r})"


def _token_request(app: LinkedInApp, form: dict[str, str]) -> TokenGrant:
    # Here, not at the top: httpx is ~70 ms of a cold start the main window does not need.
    import httpx

    from linkie_desktop.services.http_deadline import request_once

    url = f"{app.auth_base}/oauth/v2/accessToken"
    try:
        # A whole-request deadline: a trickled answer must not hold the connect step open.
        response = request_once("POST", url, _HTTP_TIMEOUT_S, data=form)
    except httpx.RequestError as exc:  # transport trouble, or an answer httpx cannot decode
        raise TokenExchangeError(
            f"Linkie couldn't reach LinkedIn to finish connecting ({type(exc).__name__}). "
            "Check your internet connection and try again."
        ) from None
    body: Any
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
        detail = ""
        if isinstance(body, dict):
            detail = str(body.get("error_description") or body.get("error") or "")
        detail = redact(detail or f"HTTP {response.status_code}")
        if (
            response.status_code == 401
        ):  # invalid_client: the ID and the secret don't belong together
            raise TokenExchangeError(
                f"LinkedIn did not accept your app's Client ID and secret ({detail}). Copy the "
                "Client ID and the Primary Client Secret again from your app's Auth tab into "
                f"Settings → LinkedIn (step {SetupStep.CREDENTIALS}), then Connect again."
            )
        raise TokenExchangeError(f"LinkedIn refused to finish the connection: {detail}.")
    expires_in = body.get("expires_in")
    refresh_expires = body.get("refresh_token_expires_in")
    return TokenGrant(
        access_token=str(body["access_token"]),
        expires_in=int(expires_in) if isinstance(expires_in, int | float) else 0,
        refresh_token=str(body["refresh_token"]) if body.get("refresh_token") else None,
        refresh_token_expires_in=int(refresh_expires)
        if isinstance(refresh_expires, int | float)
        else None,
        scope=str(body["scope"]) if body.get("scope") else None,
        id_token=str(body["id_token"]) if body.get("id_token") else None,
    )


def exchange_code(app: LinkedInApp, code: str, verifier: str) -> TokenGrant:
    return _token_request(
        app,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app.redirect_uri,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "code_verifier": verifier,
        },
    )


# --- storing the connection --------------------------------------------------------------------


def _linkedin_account(session: Session, user_id: str) -> Account | None:
    stmt = select(Account).where(Account.user_id == user_id, Account.provider == PROVIDER)
    return session.scalars(stmt).first()


def store_connection(
    engine: Engine,
    user_id: str,
    grant: TokenGrant,
    profile: Profile,
    cipher: TokenCipher,
    now: datetime | None = None,
) -> None:
    """Save the member, the sealed tokens and the link in one transaction."""
    now = now or utc_now()
    sealed_access = cipher.encrypt(grant.access_token, "access_token")
    sealed_refresh = (
        cipher.encrypt(grant.refresh_token, "refresh_token") if grant.refresh_token else None
    )
    sealed_id = cipher.encrypt(grant.id_token, "id_token") if grant.id_token else None
    expires_at = now + timedelta(seconds=grant.expires_in)
    with transaction(engine) as session:
        previous = queries.get_user_settings(session, user_id)
        same_member = previous is not None and previous.linkedin_person_urn == profile.person_urn
        changes: queries.SettingsChanges = {
            "linkedin_person_urn": profile.person_urn,
            "linkedin_profile_url": OWN_PROFILE_URL,
            "linkedin_connected": 1,
            "linkedin_access_token": sealed_access,
            "linkedin_token_expires_at": expires_at,
            "linkedin_oauth_status": OAuthStatus.CONNECTED.value,
        }
        # No refresh token in this answer: keep the stored one (never overwrite it with nothing),
        # unless a different member signed in, whose tokens it would not be.
        if sealed_refresh is not None:
            changes["linkedin_refresh_token"] = sealed_refresh
        elif not same_member:
            changes["linkedin_refresh_token"] = None
        queries.upsert_user_settings(session, user_id, changes)

        user = session.get(User, user_id)
        if user is not None:
            # What the person wrote in Settings › Profile stays theirs; LinkedIn fills only the
            # blanks (the first profile's placeholder address included). Their address is how
            # they are chosen on a shared database (--user), so it never changes under them,
            # nor becomes another person's.
            user.name = user.name or profile.name
            if profile.email and user.email in ("", queries.LOCAL_USER_EMAIL):
                taken = session.scalar(
                    select(User.id).where(
                        func.lower(User.email) == profile.email.lower(), User.id != user_id
                    )
                )
                if taken is None:
                    user.email = profile.email
            user.image = profile.picture or user.image
            if profile.email and profile.email_verified:
                user.email_verified = user.email_verified or now

        account = _linkedin_account(session, user_id)
        if account is None or account.provider_account_id != profile.sub:
            if account is not None:
                session.delete(account)
            account = Account(
                user_id=user_id, type="oauth", provider=PROVIDER, provider_account_id=profile.sub
            )
            session.add(account)
        account.access_token = sealed_access
        if sealed_refresh is not None or not same_member:
            account.refresh_token = sealed_refresh
        account.expires_at = int(expires_at.timestamp())
        account.token_type = "Bearer"  # noqa: S105 - the scheme's name
        account.scope = grant.scope
        account.id_token = sealed_id
        session.flush()


# --- the attempt -------------------------------------------------------------------------------


def linkedin_refusal(error: str, description: str) -> ConsentDeclinedError:
    """LinkedIn sent the browser back with `error` instead of a code: what it means, in words
    that say which step of the guide fixes it."""
    detail = redact(html.unescape(description) or error)
    if error == "unauthorized_scope_error":
        # "Scope "w_member_social" is not authorized for your application": the product that
        # grants it isn't added. LinkedIn names one scope; say both products when it names none.
        named = {SCOPE_PRODUCTS[s] for s in SCOPES if re.search(rf"\b{s}\b", detail)}
        guide_order = (PRODUCT_SIGN_IN, PRODUCT_SHARE)
        products = [product for product in guide_order if product in named] or list(guide_order)
        which = " and ".join(f"“{product}”" for product in products)
        noun = "product" if len(products) == 1 else "products"
        return ConsentDeclinedError(
            f"LinkedIn refused because your app lacks the {noun} {which} ({detail}). Add the "
            f"{noun} {which} to your app (step {SetupStep.ADD_PRODUCTS}), then Connect again."
        )
    return ConsentDeclinedError(f"LinkedIn refused the connection: {detail}.")


@dataclass(frozen=True, repr=False)
class LoginAnswer:
    """What the network half of an attempt brought back, for the database half to save."""

    answered: bool  # LinkedIn's answer to this attempt arrived: its state is to be consumed
    grant: TokenGrant | None = None
    profile: Profile | None = None
    problem: Exception | None = None  # what ended the attempt; raised once the state is gone

    def __repr__(self) -> str:  # never the tokens
        return f"LoginAnswer(answered={self.answered}, problem={type(self.problem).__name__})"


class LinkedInLogin:
    """One connect attempt. `start()` (quick: the database worker) binds the port, writes the
    attempt's state and returns the URL (to show, never to pass to a program: see
    `open_browser`); `open_browser()` shows LinkedIn's page in the browser; `receive()`
    (blocking, no database: a network thread) waits for the answer and exchanges its code;
    `save(answer)` (the database worker) consumes the state and stores the connection;
    `finish()` is both in one thread; `cancel()` from any thread ends the wait. Nothing is
    stored unless every check passed."""

    def __init__(
        self,
        engine: Engine,
        user_id: str,
        app: LinkedInApp,
        store: SecretStore | None = None,
        timeout_s: float = LOGIN_TIMEOUT_S,
    ) -> None:
        self.engine = engine
        self.user_id = user_id
        self.app = app
        self.store = store or SecretStore()
        self.timeout_s = timeout_s
        self._server: CallbackServer | None = None
        self._state: str | None = None
        self._url: str | None = None
        self._handoff: HandoffPage | None = None
        self._expires_at: datetime | None = None
        self._answered = False
        self._verifier = new_code_verifier()
        self._cancelled = threading.Event()

    def start(self) -> str:
        self.store.check_available()  # no keyring: refuse before the browser opens
        self._server = CallbackServer(self.app.redirect_port)
        now = utc_now()
        try:
            self._state = create_state(self.engine, self.user_id, now)
            self._expires_at = now + STATE_LIFETIME
        except BaseException:
            self._server.close()
            raise
        self._url = authorization_url(self.app, self._state, self._verifier)
        return self._url

    def open_browser(self, launcher: Launcher = system_browser) -> bool:
        """After start(), before finish(): open LinkedIn's sign-in page through a private page
        (browser_handoff), so its state and PKCE challenge never appear on a command line. False
        when no browser could be opened: the member opens the address themselves."""
        if self._url is None:
            raise RuntimeError("start() first")
        try:
            self._handoff = HandoffPage(self._url)
        except (OSError, ValueError) as exc:  # a full disk; an auth base that isn't a web address
            log.warning("could not write the page for the browser: %s", exc)
            return False
        return self._handoff.open(launcher)

    def _judge(self, query: Mapping[str, str]) -> str:
        assert self._state is not None
        # Any page in any browser can call the listener; only the answer to this attempt (its
        # state, with LinkedIn's code or error) may end the wait. Anything else is turned away
        # without touching a state row, and the member's real answer can still arrive.
        offered = query.get("state", "").encode("utf-8", "replace")
        if not hmac.compare_digest(offered, self._state.encode("ascii")):
            raise NotTheAnswerError(
                "This page was not opened by the LinkedIn sign-in Linkie started, so Linkie "
                "ignored it and keeps waiting for LinkedIn's answer."
            )
        error = query.get("error")
        if not error and not query.get("code"):
            raise NotTheAnswerError(
                "This answer carries neither an authorization code nor an error, so Linkie "
                "ignored it and keeps waiting for LinkedIn's answer."
            )
        # LinkedIn's answer to this attempt: its state row is consumed by save(), on the
        # database worker. A late answer is refused here already, so that the browser's page
        # says so too (save() checks the row itself all the same).
        self._answered = True
        if self._expires_at is not None and utc_now() >= self._expires_at:
            raise StateRejectedError(STATE_EXPIRED)
        if error:
            if error.startswith("user_cancelled"):
                raise ConsentDeclinedError(
                    "You cancelled on LinkedIn's page, so Linkie is not connected. Nothing was "
                    "changed."
                )
            raise linkedin_refusal(error, query.get("error_description", ""))
        return "Linkie got LinkedIn's answer and is finishing the connection."

    def receive(self) -> LoginAnswer:
        """The network half (no database): wait for LinkedIn's answer, exchange its code for
        tokens and read who signed in. Whatever ends it is carried to `save`, which discards
        the attempt's state and raises it."""
        if self._server is None or self._state is None:
            raise RuntimeError("start() first")
        try:
            if self._cancelled.is_set():
                self._server.cancel()
            query = self._server.wait(self._judge, self.timeout_s)
            grant = exchange_code(self.app, query["code"], self._verifier)
            with LinkedInClient(self.app.api_base, self.app.api_version, grant.access_token) as c:
                profile = c.userinfo()
        except Exception as exc:  # noqa: BLE001 - raised again by save(), after its clean-up
            return LoginAnswer(self._answered, problem=exc)
        finally:
            self._server.close()
            if self._handoff is not None:
                self._handoff.remove()  # the browser has read it, or won't need it any more
        return LoginAnswer(self._answered, grant, profile)

    def save(self, answer: LoginAnswer) -> ConnectionInfo:
        """The database half: the state consumed (checked and deleted: single use), then the
        connection stored, or what ended the attempt raised. The state row is gone either way."""
        if self._state is None:
            raise RuntimeError("start() first")
        try:
            if answer.answered:
                consume_state(self.engine, self._state, self.user_id)
            if answer.problem is not None:
                raise answer.problem
            if answer.grant is None or answer.profile is None:
                raise RuntimeError("receive() brought neither tokens nor a problem")
            if self._cancelled.is_set():
                raise WaitCancelledError()
            store_connection(
                self.engine, self.user_id, answer.grant, answer.profile, TokenCipher(self.store)
            )
        finally:
            discard_state(self.engine, self._state)
        log.info("LinkedIn connected as %s", answer.profile.person_urn)
        return connection_status(self.engine, self.user_id)

    def finish(self) -> ConnectionInfo:
        """Both halves in this thread (the command line waits in its own)."""
        return self.save(self.receive())

    def cancel(self) -> None:
        self._cancelled.set()
        if self._server is not None:
            self._server.cancel()

    @property
    def cancelled(self) -> bool:
        """cancel() was called (then no browser should open for this attempt any more)."""
        return self._cancelled.is_set()


# --- status, disconnect, credentials -----------------------------------------------------------


@dataclass(frozen=True)
class ConnectionInfo:
    status: OAuthStatus
    name: str | None
    person_urn: str | None
    expires_at: datetime | None
    now: datetime

    @property
    def connected(self) -> bool:
        return self.status is OAuthStatus.CONNECTED

    @property
    def days_left(self) -> int | None:
        """Days until the token expires, to the nearest day (just connected: 60, not 59)."""
        if self.expires_at is None:
            return None
        return max(0, math.floor((self.expires_at - self.now).total_seconds() / 86400 + 0.5))

    @property
    def expiring_soon(self) -> bool:
        return (
            self.connected
            and self.expires_at is not None
            and self.expires_at - self.now < EXPIRY_WARNING
        )

    def why_not_publishable(self) -> str:
        """The plain reason Publish now is unavailable ("" when it is)."""
        if self.status is OAuthStatus.EXPIRED:
            return "The LinkedIn connection expired: reconnect in File › Settings… to publish."
        if not self.connected:
            return "Connect your LinkedIn account in File › Settings… to publish."
        return ""

    def status_line(self) -> str:
        """The window's status bar: short, with a warning once expiry is near."""
        if self.expiring_soon:
            days = self.days_left or 0
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            return f"LinkedIn: connection expires {when} — reconnect in Settings"
        if self.status is OAuthStatus.EXPIRED:
            return "LinkedIn: connection expired — reconnect in Settings"
        if self.connected:
            return f"LinkedIn: connected as {self.name}" if self.name else "LinkedIn: connected"
        return "LinkedIn: not connected"

    def summary(self) -> str:
        if self.status is OAuthStatus.EXPIRED:
            return "Expired — reconnect"
        if self.status is OAuthStatus.DISCONNECTED:
            return "Not connected"
        who = self.name or "your LinkedIn account"
        days = self.days_left
        if days is None:
            return f"Connected as {who}"
        if days == 0:
            return f"Connected as {who} — token expires today"
        return f"Connected as {who} — token expires in {days} day{'s' if days != 1 else ''}"


def decide_connection(
    settings: UserSettings | None, name: str | None, now: datetime
) -> ConnectionInfo:
    """THE rule for connected / expired / disconnected and the days left, from the stored row.

    Every screen and the publisher decide through here, so they never disagree. Connected: a
    token, a stored status of connected, and a token not yet past its expiry (a token past it
    reads as expired even before anyone wrote so).
    """
    stored = settings.linkedin_oauth_status if settings is not None else None
    if settings is None or not settings.linkedin_access_token:
        status = OAuthStatus.EXPIRED if stored == OAuthStatus.EXPIRED else OAuthStatus.DISCONNECTED
        return ConnectionInfo(status, name, None, None, now)
    expires_at = settings.linkedin_token_expires_at
    status = OAuthStatus(stored or OAuthStatus.DISCONNECTED.value)
    if status is OAuthStatus.CONNECTED and expires_at is not None and expires_at <= now:
        status = OAuthStatus.EXPIRED
    return ConnectionInfo(status, name, settings.linkedin_person_urn, expires_at, now)


def connection_status(engine: Engine, user_id: str, now: datetime | None = None) -> ConnectionInfo:
    """The user's connection as `decide_connection` describes it, read in one short read."""
    with reading(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        user = session.get(User, user_id)
        name = user.name if user is not None else None
    return decide_connection(settings, name, now or utc_now())


def disconnect(engine: Engine, user_id: str, store: SecretStore | None = None) -> None:
    """Forget the connection: token columns emptied, the link removed, the token key deleted.

    The database is wiped first, so even with a locked keyring (KeyringUnavailable, raised after)
    no token remains readable anywhere.
    """
    with transaction(engine) as session:
        queries.upsert_user_settings(
            session,
            user_id,
            {
                "linkedin_connected": 0,
                "linkedin_access_token": None,
                "linkedin_refresh_token": None,
                "linkedin_token_expires_at": None,
                "linkedin_oauth_status": OAuthStatus.DISCONNECTED.value,
            },
        )
        session.execute(
            delete(Account).where(Account.user_id == user_id, Account.provider == PROVIDER)
        )
        # Older versions sealed every token of the file under one key: keep that one while
        # another profile may still use it.
        others_sealed = session.scalar(
            select(func.count())
            .select_from(UserSettings)
            .where(UserSettings.linkedin_access_token.is_not(None))
        )
    store = store or SecretStore(user_id=user_id)
    if store.user_id is not None:
        TokenCipher(store).forget_key()  # this person's own key: theirs alone
    if not others_sealed:
        TokenCipher(SecretStore(store.service)).forget_key()
    log.info("LinkedIn disconnected")
