"""phonenumbers for DPO Desk, which parses and formats numbers only: the metadata of every region, which the
library imports by region code as it needs it, and not the geocoder, carrier and time-zone data (22 MB). It
takes the place of pyinstaller-hooks-contrib's hook, which names every submodule."""

from PyInstaller.utils.hooks import collect_submodules

UNUSED = ("phonenumbers.geodata", "phonenumbers.carrierdata", "phonenumbers.tzdata")

hiddenimports = collect_submodules("phonenumbers", filter=lambda name: not name.startswith(UNUSED))
