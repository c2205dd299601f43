"""A keyring backend in a JSON file: child processes (`linkie publish-due`) share the test keys.

Select it in a child with `PYTHON_KEYRING_BACKEND=tests.fakes.file_keyring.FileKeyring` and
`LINKIE_TEST_KEYRING_FILE=<path>`; in the test process use `keyring.set_keyring(FileKeyring())`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors

ENV_FILE = "LINKIE_TEST_KEYRING_FILE"


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 1

    @property
    def path(self) -> Path:
        return Path(os.environ[ENV_FILE])

    def _entries(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        entries: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        return entries

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._entries() | {f"{service}/{username}": password}
        self.path.write_text(json.dumps(entries), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        if entries.pop(f"{service}/{username}", None) is None:
            raise keyring.errors.PasswordDeleteError("No such password!")
        self.path.write_text(json.dumps(entries), encoding="utf-8")


# keyring registers every backend class it sees and offers it to its chainer (and caches that
# list), so merely importing this module would route later tests' secrets into a file. This
# backend is for explicit use only: by name in PYTHON_KEYRING_BACKEND or via set_keyring().
keyring.backend.KeyringBackend._classes.discard(FileKeyring)
