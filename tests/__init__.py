"""DPO Desk's tests."""

# Before any test imports sqlite-utils: it must bind to SQLCipher (see dpo_desk.store.driver).
import dpo_desk  # noqa: F401
