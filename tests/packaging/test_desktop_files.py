"""What the desktop reads of DPO Desk: the .desktop entry and the AppStream metainfo, checked by the desktop's
own validators and against the app's id and version."""

from __future__ import annotations

import configparser
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from dpo_desk import APP_ID, APP_NAME, APP_SLUG, __version__
from tests.packaging.tools import ROOT

DESKTOP = ROOT / "resources" / f"{APP_ID}.desktop"
METAINFO = ROOT / "resources" / f"{APP_ID}.metainfo.xml"


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_metainfo_names_the_app_its_entry_and_its_version() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("name") == APP_NAME
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/binary") == APP_SLUG
    newest = component.find("releases/release")
    assert newest is not None and newest.get("version") == __version__, "add the release to the metainfo"


def test_the_validators_accept_the_metainfo_and_the_entry() -> None:
    subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], check=True, capture_output=True)
    subprocess.run(["desktop-file-validate", str(DESKTOP)], check=True)


def test_the_entry_starts_the_app_and_matches_its_window() -> None:
    entry = desktop_entry(DESKTOP)
    assert (entry["Name"], entry["Exec"], entry["Icon"]) == (APP_NAME, APP_SLUG, APP_ID)
    # X11 desktops match a window to its entry by WM_CLASS, which Qt takes from the program's name.
    assert entry["StartupWMClass"] == APP_SLUG
