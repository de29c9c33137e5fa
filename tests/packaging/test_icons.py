"""The icon files made from the PNG sizes: the ones the package ships, and the Windows ICO and macOS ICNS a
bundle is built with, read back by Pillow as another program would."""

from __future__ import annotations

import io
import struct

from PIL import Image

from tests.packaging.tools import load

make_icons = load("make_icons")


def shipped(size: int) -> bytes:
    return (make_icons.ICONS / make_icons.png_name(size)).read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_package_ships_each_size_as_a_square_png_and_nothing_else() -> None:
    names = sorted(path.name for path in make_icons.ICONS.iterdir())
    assert names == sorted(map(make_icons.png_name, make_icons.SIZES))
    for size in make_icons.SIZES:
        assert png_size(shipped(size)) == (size, size)


def test_the_ico_holds_every_size_windows_asks_for() -> None:
    data = make_icons.ico({size: shipped(size) for size in make_icons.ICO_SIZES})
    with Image.open(io.BytesIO(data)) as icon:
        assert icon.format == "ICO"
        assert sorted(icon.ico.sizes()) == [(size, size) for size in make_icons.ICO_SIZES]
        icon.size = (256, 256)
        assert icon.convert("RGBA").getpixel((128, 128))[3] == 255  # the tile is opaque in the middle


def test_the_icns_holds_every_size_and_its_retina_twin() -> None:
    pngs = {size: shipped(size) for size in make_icons.SIZES}
    pngs[1024] = shipped(512)  # Pillow checks the entries, not how large the 1024 one is drawn
    data = make_icons.icns(pngs)
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    with Image.open(io.BytesIO(data)) as icon:
        assert icon.format == "ICNS"
        assert {(width, scale) for width, _, scale in icon.info["sizes"]} >= {
            (16, 1), (16, 2), (32, 1), (32, 2), (128, 1), (128, 2), (256, 1), (256, 2), (512, 1),
        }  # fmt: skip
