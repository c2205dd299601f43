"""`linkie connect | status | disconnect` as real processes against the LinkedIn test server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import url2pathname

import httpx
import pytest

from linkie_desktop.cli import run
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.oauth_helpers import Browser, free_port, handoff_target

LINKIE = str(Path(sys.executable).with_name("linkie"))


@pytest.fixture
def env(tmp_path: Path, linkedin_server: FakeLinkedIn) -> dict[str, str]:
    port = free_port()
    linkedin_server.redirect_uris.add(f"http://127.0.0.1:{port}/callback")
    return {
        **os.environ,
        "LINKIE_DB": str(tmp_path / "cli.db"),
        "LINKIE_DATA_DIR": str(tmp_path / "data"),
        "LINKIE_LINKEDIN_API_BASE": linkedin_server.base_url,
        "LINKIE_LINKEDIN_AUTH_BASE": linkedin_server.base_url,
        "LINKIE_LINKEDIN_CLIENT_ID": linkedin_server.client_id,
        "LINKIE_LINKEDIN_CLIENT_SECRET": linkedin_server.client_secret,
        "LINKIE_OAUTH_PORT": str(port),
    }


def _linkie(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINKIE, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def _status(env: dict[str, str]) -> dict[str, object]:
    done = _linkie(env, "status", "--json")
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _connect(env: dict[str, str], browse: object) -> tuple[int, str, str]:
    """Start `linkie connect --no-browser`, hand the printed URL to `browse`, wait for the exit."""
    process = subprocess.Popen(
        [LINKIE, "connect", "--no-browser"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()  # printed and flushed before the wait
        assert callable(browse)
        browse(url)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, url + "\n" + out, err


def test_status_before_any_connection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", str(tmp_path / "fresh.db"), "status", "--json"]) == 0
    out, _ = capsys.readouterr()
    status = json.loads(out)
    assert status == {
        "connected": False,
        "status": "disconnected",
        "name": None,
        "person_urn": None,
        "expires_at": None,
        "days_left": None,
        "expiring_soon": False,
    }
    assert run(["--db", str(tmp_path / "fresh.db"), "status"]) == 0
    assert capsys.readouterr().out == "Not connected\n"


@pytest.mark.keyring
def test_connect_status_disconnect(env: dict[str, str], linkedin_server: FakeLinkedIn) -> None:
    browser = Browser(linkedin_server)
    code, out, err = _connect(env, browser.consent)

    assert code == 0, err
    [url] = out.splitlines()  # the address alone on stdout, nothing else
    assert url.startswith(f"{linkedin_server.base_url}/oauth/v2/authorization?")
    assert "Connected as Alex Rivera — token expires in 60 days" in err
    status = _status(env)
    assert status["connected"] is True and status["status"] == "connected"
    assert status["name"] == "Alex Rivera"
    assert status["person_urn"] == "urn:li:person:782bbtaQ"
    assert isinstance(status["expires_at"], str) and status["expires_at"].endswith("+00:00")

    done = _linkie(env, "disconnect")
    assert done.returncode == 0 and done.stdout == ""
    assert _status(env)["status"] == "disconnected"


@pytest.mark.keyring
def test_cancelled_consent_exits_1_and_stores_nothing(
    env: dict[str, str], linkedin_server: FakeLinkedIn
) -> None:
    linkedin_server.consent = "cancel"
    code, _out, err = _connect(env, Browser(linkedin_server).consent)
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("linkie: You cancelled")
    assert "Traceback" not in err
    assert _status(env)["status"] == "disconnected"


@pytest.mark.keyring
def test_a_forged_callback_is_turned_away_and_the_sign_in_goes_on(
    env: dict[str, str], linkedin_server: FakeLinkedIn
) -> None:
    forged: list[httpx.Response] = []
    browser = Browser(linkedin_server)

    def forge_then_consent(url: str) -> None:
        callback = f"http://127.0.0.1:{env['LINKIE_OAUTH_PORT']}/callback"
        forged.append(httpx.get(f"{callback}?code=AQTforged&state=forged", timeout=10))
        browser.consent(url)

    code, _out, err = _connect(env, forge_then_consent)
    assert code == 0, err
    assert [r.status_code for r in forged] == [400]
    assert "Connected as Alex Rivera" in err
    assert _status(env)["status"] == "connected"


def _browser_recorder(folder: Path) -> tuple[Path, Path]:
    """A 'browser' for $BROWSER (which Python's webbrowser honours) that writes down the command
    line it was started with; the script and where its record appears."""
    record = folder / "browser-argv.json"
    script = folder / "record-browser"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv))\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    return script, record


@pytest.mark.keyring
def test_connect_starts_the_browser_with_a_private_page_not_the_address(
    env: dict[str, str], linkedin_server: FakeLinkedIn, tmp_path: Path
) -> None:
    script, record = _browser_recorder(tmp_path)
    process = subprocess.Popen(
        [LINKIE, "connect"],
        env={**env, "BROWSER": str(script)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        deadline = time.monotonic() + 30  # bounds a broken test; the record comes at once
        while not record.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        argv: list[str] = json.loads(record.read_text(encoding="utf-8"))
        query = parse_qs(urlsplit(url).query)
        started_with = " ".join(argv)
        assert query["state"][0] not in started_with
        assert query["code_challenge"][0] not in started_with
        [address] = argv[1:]
        target = handoff_target(address)  # private, and still there while Linkie waits
        assert target == url
        Browser(linkedin_server).consent(target)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Could not open a browser" not in err
    assert not Path(url2pathname(urlsplit(address).path)).exists()  # removed when it ended
    assert _status(env)["status"] == "connected"


def test_no_keyring_refuses_before_printing_an_address(env: dict[str, str]) -> None:
    done = _linkie(
        {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        "connect",
        "--no-browser",
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "keyring" in done.stderr and "plain text" in done.stderr
    assert "Traceback" not in done.stderr
