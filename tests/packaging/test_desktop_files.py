"""What the desktop reads of DPO Desk: the .desktop entry and the AppStream metainfo, checked by the desktop's
own validators and against the app's id and version; and install.sh, which puts them in ~/.local/share."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from dpo_desk import APP_ID, APP_NAME, APP_SLUG, __version__
from tests.packaging.tools import PACKAGING, ROOT

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


def launched_program(exec_value: str) -> str:
    """The program an Exec value starts, read as the Desktop Entry spec says: first the string's own escapes
    (a backslash is written twice), then the quoting (a backslash before " ` $ \\), then %% for %."""
    unescaped = exec_value.replace("\\\\", "\\")
    assert unescaped.startswith('"') and unescaped.endswith('"'), exec_value
    return re.sub(r'\\(["`$\\])', r"\1", unescaped[1:-1]).replace("%%", "%")


def fake_bundle(folder: Path) -> Path:
    """A bundle's folder as packaging/build leaves it, with a stand-in for the program."""
    folder.mkdir(parents=True)
    subprocess.run([str(PACKAGING / "linux" / "share-tree"), str(folder)], check=True)
    shutil.copy(PACKAGING / "linux" / "install.sh", folder)
    program = folder / APP_SLUG
    program.write_text("#!/bin/sh\necho dpo-desk from the bundle\n")
    program.chmod(0o755)
    return folder


def test_install_puts_the_entry_icon_and_command_in_the_home_folder_and_uninstall_takes_them_away(
    tmp_path: Path,
) -> None:
    bundle = fake_bundle(tmp_path / "Apps" / 'DPO "Desk" $1 100%')  # what an Exec line must quote and escape
    home = tmp_path / "home"
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}
    subprocess.run([str(bundle / "install.sh")], check=True, env=env, capture_output=True)

    share = home / ".local" / "share"
    installed = share / "applications" / DESKTOP.name
    subprocess.run(["desktop-file-validate", str(installed)], check=True)
    assert launched_program(desktop_entry(installed)["Exec"]) == str(bundle / APP_SLUG)
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    command = home / ".local" / "bin" / APP_SLUG
    started = subprocess.run([str(command)], capture_output=True, text=True, check=True)
    assert started.stdout == "dpo-desk from the bundle\n"

    subprocess.run([str(bundle / "install.sh"), "--uninstall"], check=True, env=env, capture_output=True)
    assert not command.exists() and not command.is_symlink()
    assert [path for path in share.rglob("*") if path.is_file()] == []
    assert (bundle / APP_SLUG).is_file()  # the folder itself stays
