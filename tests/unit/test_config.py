from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkie_desktop import config


def test_defaults_point_at_the_user_data_folder(tmp_path: Path) -> None:
    cfg = config.load(env={"LINKIE_DATA_DIR": str(tmp_path)})
    assert cfg.database_url == f"sqlite:///{tmp_path / 'linkie.db'}"
    assert cfg.linkedin_api_base == "https://api.linkedin.com"
    assert cfg.linkedin_auth_base == "https://www.linkedin.com"
    assert cfg.oauth_redirect_uri == "http://127.0.0.1:8723/callback"
    assert cfg.retry_base_s == 60
    assert cfg.publish_interval_s == 30
    assert len(cfg.linkedin_version) == 6 and cfg.linkedin_version.isdigit()


def test_every_override_of_the_design_is_read() -> None:
    env = {
        "LINKIE_DB": "sqlite:///elsewhere.db",
        "LINKIE_LINKEDIN_API_BASE": "http://127.0.0.1:9/",
        "LINKIE_LINKEDIN_AUTH_BASE": "http://127.0.0.1:10",
        "LINKIE_LINKEDIN_VERSION": "202401",
        "LINKIE_OAUTH_PORT": "9999",
        "LINKIE_RETRY_BASE_S": "0.5",
        "LINKIE_PUBLISH_INTERVAL_S": "2",
        "LINKIE_ANTHROPIC_BASE_URL": "http://127.0.0.1:11",
        "LINKIE_GEMINI_BASE_URL": "http://127.0.0.1:12",
    }
    cfg = config.load(env=env)
    assert cfg.database_url == "sqlite:///elsewhere.db"
    assert cfg.linkedin_api_base == "http://127.0.0.1:9"
    assert cfg.linkedin_auth_base == "http://127.0.0.1:10"
    assert cfg.linkedin_version == "202401"
    assert cfg.oauth_redirect_uri == "http://127.0.0.1:9999/callback"
    assert cfg.retry_base_s == 0.5
    assert cfg.publish_interval_s == 2
    assert cfg.anthropic_base_url == "http://127.0.0.1:11"
    assert cfg.gemini_base_url == "http://127.0.0.1:12"


def test_db_argument_wins_over_the_environment(tmp_path: Path) -> None:
    cfg = config.load(db=str(tmp_path / "x.db"), env={"LINKIE_DB": "/nowhere.db"})
    assert cfg.database_url == f"sqlite:///{tmp_path / 'x.db'}"


@pytest.mark.parametrize(
    ("name", "value"),
    [("LINKIE_OAUTH_PORT", "http"), ("LINKIE_OAUTH_PORT", "70000"), ("LINKIE_RETRY_BASE_S", "-1")],
)
def test_bad_overrides_are_refused_with_the_variable_named(name: str, value: str) -> None:
    with pytest.raises(config.ConfigError, match=name):
        config.load(env={name: value})


def test_migrations_and_resources_are_found_from_the_source_tree() -> None:
    assert (config.migrations_dir() / "env.py").is_file()
    assert config.resources_dir().is_dir()


def test_overrides_that_beat_settings_are_flagged_and_the_secret_is_never_printed() -> None:
    env = {
        "LINKIE_LINKEDIN_VERSION": "202601",
        "LINKIE_OAUTH_PORT": "9100",
        "LINKIE_LINKEDIN_CLIENT_ID": "cid",
        "LINKIE_LINKEDIN_CLIENT_SECRET": "very-secret",
    }
    cfg = config.load(env=env)
    assert cfg.linkedin_version_from_env and cfg.oauth_port_from_env
    assert (cfg.linkedin_client_id, cfg.linkedin_client_secret) == ("cid", "very-secret")
    assert "very-secret" not in repr(cfg)
    plain = config.load(env={})
    assert not plain.linkedin_version_from_env and not plain.oauth_port_from_env


def test_no_module_outside_config_reads_the_linkie_environment() -> None:
    package = config.install_root() / "linkie_desktop"
    readers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path.name != "config.py"
        and re.search(r"[\"']LINKIE_[A-Z_]+[\"']", path.read_text(encoding="utf-8"))
    ]
    assert readers == []


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://ann@db.example/linkie", "postgresql+psycopg://ann@db.example/linkie"),
        ("postgres://ann@/linkie?host=/run/pg", "postgresql+psycopg://ann@/linkie?host=/run/pg"),
        ("postgresql+psycopg://ann@db/linkie", "postgresql+psycopg://ann@db/linkie"),
    ],
)
def test_a_postgresql_address_as_libpq_writes_it_goes_through_psycopg(
    given: str, used: str
) -> None:
    assert config.load(db=given, env={}).database_url == used


def test_a_database_linkie_cannot_use_is_refused_in_plain_words() -> None:
    with pytest.raises(config.ConfigError, match="SQLite file or on a PostgreSQL server; mysql://"):
        config.load(db="mysql://ann@db/linkie", env={})
