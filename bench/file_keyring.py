"""A keyring in a JSON file, for the bench's synthetic stores only: the app's start with its key in a
keyring, measured on a machine without a desktop's Secret Service. Never for real keys: the file is plain."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

VARIABLE = "DPO_DESK_BENCH_KEYRING"  # the file


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = self._secrets()
        secrets[f"{service}/{username}"] = password
        self._file().write_text(json.dumps(secrets))

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._secrets()
        if secrets.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._file().write_text(json.dumps(secrets))

    def _file(self) -> Path:
        return Path(os.environ[VARIABLE])

    def _secrets(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._file().read_text()))
        except FileNotFoundError:
            return {}
