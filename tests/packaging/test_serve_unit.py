"""The systemd user unit the .deb ships for `linkie serve` is the one Linkie itself writes, and the
package installs it where systemd looks for user units."""

from __future__ import annotations

from linkie_desktop.services.user_service import PACKAGED_UNIT_DIR, UNIT_NAME, unit_text
from tests.packaging.support import PACKAGING


def test_the_packaged_unit_is_the_one_linkie_writes_for_usr_bin_linkie() -> None:
    shipped = (PACKAGING / UNIT_NAME).read_text(encoding="utf-8")
    assert shipped == unit_text(["/usr/bin/linkie", "serve"])  # one source: user_service.py
    assert "ExecStart=/usr/bin/linkie serve\n" in shipped
    assert "Restart=on-failure\n" in shipped


def test_the_deb_installs_the_unit_under_usr_lib_systemd_user() -> None:
    build = (PACKAGING / "build-deb.sh").read_text(encoding="utf-8")
    target = f'"$STAGE{PACKAGED_UNIT_DIR}/{UNIT_NAME}"'
    assert f"install -m 644 packaging/{UNIT_NAME} {target}" in build
    check = (PACKAGING / "ci-check.sh").read_text(encoding="utf-8")
    assert f'UNIT="{PACKAGED_UNIT_DIR}/{UNIT_NAME}"' in check  # present once installed
    assert f"{PACKAGED_UNIT_DIR}/{UNIT_NAME}; do" in check  # and gone once removed
