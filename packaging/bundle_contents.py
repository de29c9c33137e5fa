"""What the desktop bundle keeps and leaves out, for dpo-desk.spec (and its tests).

Every rule here was measured against a trial bundle of the app (see the README's "The desktop bundle"): what
is left out is never loaded by DPO Desk, and the smoke test runs the bundle without it.
"""

from __future__ import annotations

from pathlib import PurePath

# Python modules the analysis would take in but DPO Desk never imports:
EXCLUDED_MODULES = [
    # pikepdf imports Pillow only to read and write images inside PDFs; letters hold none (19 MB with its libraries)
    "PIL",
    # phonenumbers' geocoder, carrier and time-zone lookups and their data (22 MB of source; see hooks/): DPO Desk
    # parses and formats numbers only
    "phonenumbers.geocoder",
    "phonenumbers.carrier",
    "phonenumbers.timezone",
    "phonenumbers.geodata",
    "phonenumbers.carrierdata",
    "phonenumbers.tzdata",
    # Qt modules the PySide6 package names but the app does not use: no network, no QML, no SQL driver
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    # the test tools, and the toolkit nothing here draws with
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "tkinter",
]

# Modules only Windows imports: elsewhere their ctypes calls into Windows DLLs only make the build warn.
WINDOWS_ONLY_MODULES = ["platformdirs.windows", "click._winconsole", "dateutil.tz.win"]

# Qt plugin types the app never loads: embedded-device platforms and input, networking, SQL, QML tooling.
DROPPED_PLUGIN_TYPES = {
    "designer",
    "egldeviceintegrations",
    "generic",
    "networkinformation",
    "qmllint",
    "qmltooling",
    "sqldrivers",
    "tls",
    "vectorimageformats",
    "wayland-graphics-integration-server",
}
# Plugin types the app may load any plugin of: printing (CUPS), the xcb GL integrations, Wayland's window
# decorations and buffers, and the styles (the native look on Windows and macOS). A type in none of these lists is
# kept whole too, and tests/packaging/test_bundle_contents.py asks for a decision.
KEPT_WHOLE_PLUGIN_TYPES = {
    "printsupport",
    "styles",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "xcbglintegrations",
}
# Of these types, only the plugins named (by file name without "lib" and the suffix).
KEPT_PLUGINS = {
    # a desktop session (X11, Wayland, Windows, macOS) and the offscreen platform of the start probe and the tests
    "platforms": {"qxcb", "qwayland", "qwindows", "qcocoa", "qoffscreen"},
    # the desktop portal (file dialogs, the dark scheme); not GTK's theme, which drags in 35 host libraries (26 MB)
    "platformthemes": {"qxdgdesktopportal"},
    # dead keys and compose sequences (å, ø, ą, ł), and IBus input methods; not the QML virtual keyboard
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
    # the window icon is PNG, built into QtGui; SVG for the system's icon theme, in file dialogs
    "imageformats": {"qsvg"},
    "iconengines": {"qsvgicon"},
    # the shell every Wayland desktop speaks
    "wayland-shell-integration": {"xdg-shell"},
}

# The UI is English, Qt's own strings are English, and letters are written from DPO Desk's own catalogues: the
# app loads no Qt translation, so none is shipped (7 MB).
QT_TRANSLATIONS = PurePath("PySide6", "Qt", "translations")

# Babel's CLDR data for the EEA's languages: letters are written in four of them, and a subject's country is read
# from an address in any of them (dpo_desk/letters/authorities.py). Each locale's parents come with it ("nb" reads
# "no"), and root is every locale's last parent. The rest of CLDR is 26 MB.
EEA_LANGUAGES = {
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "is", "it", "lt", "lv", "mt",
    "nb", "nl", "nn", "no", "pl", "pt", "ro", "sk", "sl", "sv",
}  # fmt: skip
BABEL_LOCALE_DATA = PurePath("babel", "locale-data")

# holidays' names come from gettext catalogues, one per country and language; DPO Desk asks for them in English
# (dpo_desk/core/calendars.py), so only the en_US catalogues are read (1.8 MB of the 2.2 MB, in 772 files).
HOLIDAYS_LOCALE = PurePath("holidays", "locale")
HOLIDAYS_LANGUAGE = "en_US"


def keep_qt_plugin(plugin_type: str, file_name: str) -> bool:
    if plugin_type in DROPPED_PLUGIN_TYPES:
        return False
    kept = KEPT_PLUGINS.get(plugin_type)
    return kept is None or _plugin_name(file_name) in kept


def keep_data_file(destination: str) -> bool:
    """Whether a data file, by its path inside the bundle, is shipped."""
    path = PurePath(destination)
    if _under(path, QT_TRANSLATIONS):
        return False
    if _under(path, BABEL_LOCALE_DATA):
        return keep_babel_locale(path.stem)
    if _under(path, HOLIDAYS_LOCALE):
        return _under(path, HOLIDAYS_LOCALE / HOLIDAYS_LANGUAGE)
    return True


def keep_babel_locale(name: str) -> bool:
    """A locale file's name without ".dat", such as "root", "nb" or "en_GB"."""
    return name == "root" or name.split("_")[0] in EEA_LANGUAGES


def _plugin_name(file_name: str) -> str:
    return PurePath(file_name).name.split(".")[0].removeprefix("lib")  # libqxcb.so, qwindows.dll, libqcocoa.dylib


def _under(path: PurePath, folder: PurePath) -> bool:
    return path.parts[: len(folder.parts)] == folder.parts
