"""Every path and environment override of the app, in one place (see DESIGN.md, Configuration)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from linkie_desktop import APP_NAME

DEFAULT_API_BASE = "https://api.linkedin.com"
DEFAULT_AUTH_BASE = "https://www.linkedin.com"
# LinkedIn retires a version about a year after release; the settings dialog can override it.
DEFAULT_LINKEDIN_VERSION = "202511"
DEFAULT_OAUTH_PORT = 8723
DEFAULT_RETRY_BASE_S = 60.0
DEFAULT_PUBLISH_INTERVAL_S = 30.0
DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com"
DEFAULT_GEMINI_BASE_URL = "https://generativelanguage.googleapis.com"
KEYRING_SERVICE = APP_NAME

ENV_DB = "LINKIE_DB"
ENV_DATA_DIR = "LINKIE_DATA_DIR"
ENV_LINKEDIN_VERSION = "LINKIE_LINKEDIN_VERSION"
ENV_OAUTH_PORT = "LINKIE_OAUTH_PORT"
ENV_CLIENT_ID = "LINKIE_LINKEDIN_CLIENT_ID"
ENV_CLIENT_SECRET = "LINKIE_LINKEDIN_CLIENT_SECRET"  # noqa: S105 - a variable's name


class ConfigError(ValueError):
    """An environment override holds a value the app cannot use."""


@dataclass(frozen=True)
class Config:
    data_dir: Path
    log_dir: Path
    database_url: str
    linkedin_api_base: str
    linkedin_auth_base: str
    linkedin_version: str
    oauth_port: int
    retry_base_s: float
    publish_interval_s: float
    anthropic_base_url: str
    gemini_base_url: str
    # Set in the environment, these win over the same choice made in Settings.
    linkedin_version_from_env: bool = False
    oauth_port_from_env: bool = False
    # For headless use (`linkie connect`): otherwise the client ID is a setting and the secret
    # lives in the keyring. Never printed.
    linkedin_client_id: str = ""
    linkedin_client_secret: str = field(default="", repr=False)

    @property
    def oauth_redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.oauth_port}/callback"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"


def database_url_from(value: str) -> str:
    """Accept a plain path or a SQLAlchemy URL, as `--db` and `LINKIE_DB` both do. A PostgreSQL
    address as libpq and most tools write it (`postgresql://`, `postgres://`) goes through
    psycopg 3, the driver Linkie ships."""
    for scheme in ("postgresql://", "postgres://"):
        if value.startswith(scheme):
            return "postgresql+psycopg://" + value.removeprefix(scheme)
    if "://" in value:
        scheme = value.split("://", 1)[0]
        if scheme.split("+", 1)[0] != "sqlite" and scheme != "postgresql+psycopg":
            raise ConfigError(
                f"Linkie keeps its posts in a SQLite file or on a PostgreSQL server; {scheme}:// "
                "is neither. Give a file's path, or an address such as "
                "postgresql://user@host/database."
            )
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than zero, not {raw!r}")
    return value


def _port(env: Mapping[str, str]) -> int:
    raw = env.get(ENV_OAUTH_PORT)
    if raw is None or raw.strip() == "":
        return DEFAULT_OAUTH_PORT
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError(f"{ENV_OAUTH_PORT} must be a port number from 1 to 65535, not {raw!r}")
    return int(raw)


def load(db: str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Build the configuration from defaults, the environment and an explicit `--db`."""
    env = os.environ if env is None else env
    data_dir = Path(env.get(ENV_DATA_DIR) or platformdirs.user_data_dir(APP_NAME, appauthor=False))
    log_dir = (
        data_dir / "logs"
        if env.get(ENV_DATA_DIR)
        else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    )
    db_value = db or env.get(ENV_DB) or str(data_dir / "linkie.db")
    return Config(
        data_dir=data_dir,
        log_dir=log_dir,
        database_url=database_url_from(db_value),
        linkedin_api_base=env.get("LINKIE_LINKEDIN_API_BASE", DEFAULT_API_BASE).rstrip("/"),
        linkedin_auth_base=env.get("LINKIE_LINKEDIN_AUTH_BASE", DEFAULT_AUTH_BASE).rstrip("/"),
        linkedin_version=env.get(ENV_LINKEDIN_VERSION) or DEFAULT_LINKEDIN_VERSION,
        oauth_port=_port(env),
        retry_base_s=_number(env, "LINKIE_RETRY_BASE_S", DEFAULT_RETRY_BASE_S),
        publish_interval_s=_number(env, "LINKIE_PUBLISH_INTERVAL_S", DEFAULT_PUBLISH_INTERVAL_S),
        anthropic_base_url=env.get("LINKIE_ANTHROPIC_BASE_URL", DEFAULT_ANTHROPIC_BASE_URL).rstrip(
            "/"
        ),
        gemini_base_url=env.get("LINKIE_GEMINI_BASE_URL", DEFAULT_GEMINI_BASE_URL).rstrip("/"),
        linkedin_version_from_env=bool(env.get(ENV_LINKEDIN_VERSION, "").strip()),
        oauth_port_from_env=bool(env.get(ENV_OAUTH_PORT, "").strip()),
        linkedin_client_id=env.get(ENV_CLIENT_ID, "").strip(),
        linkedin_client_secret=env.get(ENV_CLIENT_SECRET, "").strip(),
    )


def install_root() -> Path:
    """Where `migrations/` and `resources/` live: the bundle when frozen, else the source tree."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def migrations_dir() -> Path:
    return install_root() / "migrations"


def resources_dir() -> Path:
    return install_root() / "resources"
