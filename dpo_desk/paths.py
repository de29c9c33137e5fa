"""Where DPO Desk keeps its files: the real store, the demo store, the seeded register, its log and cache."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from dpo_desk import APP_SLUG

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

STORE_FILE = "store.sqlite"


def data_dir() -> Path:
    """The user's data directory; ``DPO_DESK_HOME`` moves it (tests, portable installs)."""
    override = os.environ.get("DPO_DESK_HOME")
    return Path(override) if override else platformdirs.user_data_path(APP_SLUG, appauthor=False)


def log_dir() -> Path:
    """Where the log goes: the platform's user log folder, or ``logs`` under ``DPO_DESK_HOME``."""
    override = os.environ.get("DPO_DESK_HOME")
    return Path(override) / "logs" if override else platformdirs.user_log_path(APP_SLUG, appauthor=False)


def cache_dir() -> Path:
    """Where DPO Desk keeps what it can make again (compiled letter templates): the platform's user cache
    folder, or ``cache`` under ``DPO_DESK_HOME``. Never personal data."""
    override = os.environ.get("DPO_DESK_HOME")
    return Path(override) / "cache" if override else platformdirs.user_cache_path(APP_SLUG, appauthor=False)


def default_store() -> Path:
    return data_dir() / STORE_FILE


def demo_store() -> Path:
    """Kept in its own folder, so demo cases never mix with the DPO's real store or its backups."""
    return data_dir() / "demo" / STORE_FILE


def register_data_dir() -> Traversable:
    """The register a new store is seeded with, shipped in the package: a checkout, a wheel and a bundle
    alike find it through the import system."""
    from importlib.resources import files  # not for the commands that never seed a store (--version, due)

    return files("dpo_desk.resources").joinpath("register")
