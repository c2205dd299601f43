"""Fast checks of the bundle recipe; the real build, install and removal run in ci-check.sh."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.packaging.support import PACKAGING, run_python

ENTRY = str(PACKAGING / "entry_linkie_desktop.py")


def test_spec_takes_name_version_and_data_from_the_package() -> None:
    spec = (PACKAGING / "linkie-desktop.spec").read_text(encoding="utf-8")
    assert "importlib.metadata.version(NAME)" in spec
    assert 'for folder in ("migrations", "resources")' in spec
    assert "copy_metadata(NAME)" in spec  # __version__ reads it inside the bundle
    assert "platformthemes/libqgtk3.so" in spec  # GTK stays out
    # The window's tabs are imported by name: its analysis is given every ui module.
    assert 'WINDOW_HIDDEN = collect_submodules("linkie_desktop.ui")' in spec
    assert '_analysis("entry_linkie_desktop.py", WINDOW_HIDDEN)' in spec
    assert '_analysis("entry_linkie.py")' in spec
    for script in ("entry_linkie_desktop.py", "entry_linkie.py"):
        assert (PACKAGING / script).is_file()


def test_system_depends_maps_unbundled_libraries_to_debian_packages(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    true = shutil.which("true")
    assert true
    shutil.copy(true, bundle / "tool")  # links against libc only

    done = run_python(str(PACKAGING / "system_depends.py"), str(bundle), "fontconfig")

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "libc6, fontconfig"


def test_check_keyring_says_when_no_backend_is_usable() -> None:
    done = run_python(
        ENTRY, "--check-keyring", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )

    assert done.returncode == 1
    assert "keyring backend: keyring.backends.fail.Keyring" in done.stdout
    assert "no usable backend" in done.stderr


@pytest.mark.keyring
def test_check_keyring_selects_secret_service_and_round_trips() -> None:
    if os.environ.get("LINKIE_KEYRING_DAEMON") != "1":
        pytest.fail("needs the real Secret Service: run through scripts/with-keyring.sh")

    done = run_python(ENTRY, "--check-keyring")

    assert done.returncode == 0, done.stderr
    assert "keyring backend: keyring.backends.SecretService.Keyring" in done.stdout
    assert "keyring round trip: ok" in done.stdout
