"""Render DPO Desk's icon from its source, resources/dpo-desk.svg.

    python packaging/make_icons.py                 # the PNG sizes the app shows, into dpo_desk/resources/icons/
    python packaging/make_icons.py --platform DIR  # dpo-desk.ico (Windows) and dpo-desk.icns (macOS), into DIR

The PNGs are committed, since a checkout runs the app without a build step: run this after editing the SVG
(tests/gui/test_app_icon.py fails until the PNGs match it). The ICO and ICNS are made when a bundle is built.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "dpo-desk.svg"
ICONS = ROOT / "dpo_desk" / "resources" / "icons"
# What desktops ask for: the hicolor theme's sizes, which also cover the window, the tray and the About box.
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an ICO entry can say
# ICNS entries by pixel size; the @2x types reuse the PNG of twice the point size.
ICNS_TYPES = {
    16: [b"icp4"],
    32: [b"icp5", b"ic11"],
    64: [b"icp6", b"ic12"],
    128: [b"ic07"],
    256: [b"ic08", b"ic13"],
    512: [b"ic09", b"ic14"],
    1024: [b"ic10"],
}


def png_name(size: int) -> str:
    return f"dpo-desk-{size}.png"


def render(size: int, source: Path = SOURCE) -> bytes:
    """The SVG drawn at ``size`` pixels square, as PNG bytes (needs a QGuiApplication)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {source} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon holding each PNG as it is (Windows Vista and later read PNG entries)."""
    sizes = sorted(pngs)
    offset = 6 + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        # width and height 0 mean 256; no palette; 1 plane; 32 bits a pixel
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset + len(images))
        images += data
    return struct.pack("<HHH", 0, 1, len(sizes)) + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon: one PNG element per type, each with its 8-byte header."""
    elements = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for size, kinds in sorted(ICNS_TYPES.items())
        for kind in kinds
    )
    return b"icns" + struct.pack(">I", 8 + len(elements)) + elements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render DPO Desk's icon sizes from resources/dpo-desk.svg.")
    parser.add_argument(
        "--platform", type=Path, metavar="DIR", help="write dpo-desk.ico and dpo-desk.icns here instead"
    )
    args = parser.parse_args(argv)

    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(["make_icons", "-platform", "offscreen"])  # kept alive while QPainter draws
    if args.platform is None:
        ICONS.mkdir(exist_ok=True)
        for size in SIZES:
            (ICONS / png_name(size)).write_bytes(render(size))
        print(f"wrote {len(SIZES)} PNGs to {ICONS.relative_to(ROOT)}")
        return 0
    pngs = {size: render(size) for size in sorted(set(ICO_SIZES) | set(ICNS_TYPES))}
    args.platform.mkdir(parents=True, exist_ok=True)
    (args.platform / "dpo-desk.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (args.platform / "dpo-desk.icns").write_bytes(icns(pngs))
    print(f"wrote dpo-desk.ico and dpo-desk.icns to {args.platform}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
