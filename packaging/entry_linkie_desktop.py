"""Entry of the bundled window app; `--check-keyring` proves the bundle finds the OS keyring.

Entry points do not survive freezing by themselves, so the packaged build checks that keyring still
selects the system backend (Secret Service on Linux) and can store, read and delete a secret.
"""

import sys

# Alembic imports the migration scripts from files: writing their bytecode into /opt/linkie-desktop
# would leave files behind that dpkg does not know about.
sys.dont_write_bytecode = True

_PROBE_SERVICE = "linkie-desktop-check"


def check_keyring() -> int:
    import secrets

    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    print(f"keyring backend: {type(backend).__module__}.{type(backend).__qualname__}")
    if isinstance(backend, fail.Keyring):
        print("keyring: no usable backend found in this bundle", file=sys.stderr)
        return 1
    probe = secrets.token_hex(8)
    keyring.set_password(_PROBE_SERVICE, "probe", probe)
    try:
        round_trip = keyring.get_password(_PROBE_SERVICE, "probe") == probe
    finally:
        keyring.delete_password(_PROBE_SERVICE, "probe")
    print(f"keyring round trip: {'ok' if round_trip else 'FAILED'}")
    return 0 if round_trip else 1


if sys.argv[1:] == ["--check-keyring"]:
    sys.exit(check_keyring())

from linkie_desktop.app import launch  # noqa: E402

launch()
