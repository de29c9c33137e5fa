"""DPO Desk's icon: the PNG sizes in the package are the SVG source as it is now, and the window and the About
box show them."""

from __future__ import annotations

import operator

import pytest
from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from dpo_desk.application import logs
from dpo_desk.gui.app_icon import app_icon
from dpo_desk.gui.main_window import MainWindow
from tests.packaging.tools import load

make_icons = load("make_icons")


def pixels(image: QImage) -> bytes:
    return bytes(image.convertToFormat(QImage.Format.Format_ARGB32).constBits())


@pytest.mark.parametrize("size", make_icons.SIZES)
def test_each_png_is_the_svg_rendered_at_its_size(qapp: QApplication, size: int) -> None:
    shipped = QImage(str(make_icons.ICONS / make_icons.png_name(size)))
    rendered = QImage.fromData(make_icons.render(size))
    assert shipped.size() == rendered.size() == QSize(size, size)
    a, b = pixels(shipped), pixels(rendered)
    # The same drawing; another Qt may shade an antialiased edge a little differently.
    mean_difference = sum(map(abs, map(operator.sub, a, b))) / len(a)
    assert mean_difference < 1.0, "run packaging/make_icons.py after editing resources/dpo-desk.svg"


def test_the_window_shows_the_icon_in_every_size(window: MainWindow) -> None:
    sizes = {QSize(size, size) for size in make_icons.SIZES}
    assert set(window.windowIcon().availableSizes()) == sizes
    assert set(app_icon().availableSizes()) == sizes


def test_the_about_box_shows_the_icon(qtbot: QtBot, window: MainWindow) -> None:
    log = logs.start("test")  # the About box names the log the app writes to
    seen: list[QImage] = []
    texts: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, look)
            return
        seen.append(box.iconPixmap().toImage())
        texts.append(box.text())
        box.accept()

    QTimer.singleShot(0, look)
    window.about_action.trigger()
    assert seen, "the About box did not open"
    expected = app_icon().pixmap(QSize(64, 64)).toImage()
    assert pixels(seen[0]) == pixels(expected)
    # A sentence, not "The log, /…/dpo-desk.log (it holds no personal data)".
    assert log is not None and f"The log is {log}: it records errors, commands and the steps taken on cases" in texts[0]
