"""DPO Desk: a Data Protection Officer's offline desk for data-subject requests."""

# Before anything can import sqlite-utils: it must bind to SQLCipher (see dpo_desk.store.driver).
from dpo_desk.store import driver as _driver  # noqa: F401

__version__ = "0.1.0"
APP_NAME = "DPO Desk"
APP_SLUG = "dpo-desk"
# The desktop's name for the app (reverse DNS): its .desktop entry, AppStream metainfo, icon and macOS bundle.
APP_ID = "io.github.dpodesk.DpoDesk"
ORG_NAME = "DPO Desk"
