"""What the bundle leaves out is never used: each rule of packaging/bundle_contents.py checked against what DPO
Desk loads (Babel's locales, holidays' catalogues, modules) and against the Qt plugins PySide6 ships."""

from __future__ import annotations

import gettext
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from holidays import holiday_base

from dpo_desk.core import calendars
from tests.packaging.tools import load

contents = load("bundle_contents")
PYSIDE6 = importlib.util.find_spec("PySide6")  # found, not imported: Qt stays out of tests that are not GUI's
assert PYSIDE6 is not None and PYSIDE6.submodule_search_locations
PLUGINS = Path(PYSIDE6.submodule_search_locations[0]) / "Qt" / "plugins"


def test_every_babel_locale_dpo_desk_loads_is_shipped() -> None:
    """In a fresh interpreter: Babel keeps each locale it has read, so in this one most are read already."""
    code = """
import babel.localedata
loaded = set()
load = babel.localedata.load
def recording(name, merge_inherited=True):
    loaded.add(name)
    return load(name, merge_inherited)
babel.localedata.load = recording
from dpo_desk.letters import authorities
from dpo_desk.letters.language import letter_language, letter_languages
authorities.country_of_address(["Norway"])  # reads the table of country names (no locale)
for code in letter_languages():
    language = letter_language(code)
    language.locale.plural_form(2)
    language.locale.get_display_name(code)
print(" ".join(sorted(loaded)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(done.stdout.split())
    assert {"root", "nb", "no", "pl", "fi"} <= loaded
    assert {name for name in loaded if not contents.keep_babel_locale(name)} == set()


def test_babel_keeps_the_eea_languages_with_their_regions_and_nothing_else() -> None:
    kept = ("babel/locale-data/root.dat", "babel/locale-data/nb.dat", "babel/locale-data/en_GB.dat")
    dropped = ("babel/locale-data/ja.dat", "babel/locale-data/zh_Hant.dat", "babel/locale-data/tr_CY.dat")
    assert all(map(contents.keep_data_file, kept)) and not any(map(contents.keep_data_file, dropped))
    assert contents.keep_data_file("babel/global.dat")


def test_holiday_names_are_asked_for_in_the_one_language_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: set[str] = set()

    def recording(domain: str, **options: Any) -> gettext.NullTranslations:
        asked.update(options.get("languages") or ["(the country's own)"])
        return gettext.translation(domain, **options)

    monkeypatch.setattr(holiday_base, "translation", recording)  # holidays' own name for it
    calendars.public_holidays.cache_clear()
    for calendar in calendars.CALENDARS:
        calendars.public_holidays(calendar, 2026)
    calendars.public_holidays.cache_clear()
    assert asked == {contents.HOLIDAYS_LANGUAGE}
    assert contents.keep_data_file("holidays/locale/en_US/LC_MESSAGES/NO.mo")
    assert not contents.keep_data_file("holidays/locale/nb/LC_MESSAGES/NO.mo")


def test_no_qt_translation_and_all_of_the_package_data_are_shipped() -> None:
    assert not contents.keep_data_file("PySide6/Qt/translations/qtbase_fi.qm")
    for shipped in ("dpo_desk/letters/templates/pl/catalogue.toml", "dpo_desk/resources/register/entities.json"):
        assert contents.keep_data_file(shipped)


def test_every_qt_plugin_type_pyside6_ships_has_a_decision() -> None:
    types = {folder.name for folder in PLUGINS.iterdir() if folder.is_dir()}
    decided = contents.DROPPED_PLUGIN_TYPES | set(contents.KEPT_PLUGINS) | contents.KEPT_WHOLE_PLUGIN_TYPES
    assert types - decided == set(), "decide in packaging/bundle_contents.py whether the bundle needs them"


def test_the_desktop_platforms_and_the_portal_are_kept_and_gtk_and_embedded_ones_are_not() -> None:
    keep = contents.keep_qt_plugin
    assert keep("platforms", "libqxcb.so") and keep("platforms", "libqwayland.so")
    assert keep("platforms", "qwindows.dll") and keep("platforms", "libqcocoa.dylib")
    assert keep("platforms", "libqoffscreen.so")  # the start probe and the smoke test
    assert not keep("platforms", "libqeglfs.so") and not keep("platforms", "libqvnc.so")
    assert keep("platformthemes", "libqxdgdesktopportal.so") and not keep("platformthemes", "libqgtk3.so")
    assert keep("printsupport", "libcupsprintersupport.so") and keep("styles", "qmodernwindowsstyle.dll")
    assert not keep("imageformats", "libqjpeg.so") and not keep("tls", "libqopensslbackend.so")
    for plugin_type, names in contents.KEPT_PLUGINS.items():  # a kept name that no longer exists is a typo
        here = {path.name.split(".")[0].removeprefix("lib") for path in (PLUGINS / plugin_type).iterdir()}
        assert names & here, plugin_type


def test_the_modules_left_out_are_never_imported(tmp_path: Path) -> None:
    """Every module of the package imported, a letter protected with an attachment (pikepdf's path that could
    reach Pillow), phone numbers read: none of the excluded modules is loaded."""
    code = f"""
import io, pkgutil, sys, importlib
import dpo_desk
for module in pkgutil.walk_packages(dpo_desk.__path__, "dpo_desk."):
    if module.name != "dpo_desk.__main__":
        importlib.import_module(module.name)
import pikepdf
from dpo_desk.letters.protect import finish
blank = pikepdf.new()
blank.add_blank_page()
buffer = io.BytesIO()
blank.save(buffer)
attached = {{"bundle.zip": (b"PK", "application/zip")}}
finish(buffer.getvalue(), title="t", author="a", subject="s", password="pw", attachments=attached)
from dpo_desk.core.identifiers import phone_key
phone_key("21 92 93 00", "NO")
excluded = {contents.EXCLUDED_MODULES!r}
print(sorted(name for name in sys.modules if any(name == x or name.startswith(x + ".") for x in excluded)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
