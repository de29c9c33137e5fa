"""Light and dark: the colours that say something stand out from the palette they are painted on (WCAG contrast
of 4.5:1 for text), in both schemes and after a change of scheme while the app is open (offscreen)."""

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory
from pytestqt.qtbot import QtBot

from dpo_desk.core.models import Scope
from dpo_desk.gui import deadline_badge
from dpo_desk.gui.dashboard_view import FigureButton
from dpo_desk.gui.form_dialog import FormDialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.reminders import ReminderBanner
from dpo_desk.gui.scheme import DARK, LIGHT, SCHEME_VARIABLE, Colours, follow_system, fusion_dark_palette
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, new_case

TEXT_ON = (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)
# Any dark palette, not only the one DPO Desk sets: the platform's (KDE, GTK, Windows) may be another.
SOME_DARK_PALETTE = QPalette(QColor("#303030"))


def contrast(one: QColor, other: QColor) -> float:
    """The WCAG 2 contrast ratio, 1 to 21."""

    def luminance(colour: QColor) -> float:
        channels = [
            value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
            for value in (colour.redF(), colour.greenF(), colour.blueF())
        ]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def span_colours(html: str) -> list[QColor]:
    return [QColor(colour) for colour in re.findall(r"color:\s*(#[0-9a-fA-F]{6})", html)]


@pytest.fixture
def light_again(qapp: QApplication) -> Iterator[None]:
    """The test may make the application dark; the next test starts light."""
    yield
    qapp.setPalette(QPalette())
    qapp.styleHints().unsetColorScheme()
    qapp.processEvents()


@pytest.mark.parametrize("colour", ["OVERDUE", "DUE_SOON", "ON_TRACK", "ANSWERED"])
def test_the_days_left_badges_keep_their_white_text_readable(colour: str) -> None:
    assert contrast(QColor("white"), getattr(deadline_badge, colour)) >= 4.5


@pytest.mark.parametrize(
    ("colours", "palette"),
    [(LIGHT, QStyleFactory.create("Fusion").standardPalette()), (DARK, fusion_dark_palette())],
    ids=["light", "dark"],
)
def test_each_text_colour_stands_out_from_its_scheme_s_backgrounds(colours: Colours, palette: QPalette) -> None:
    for text in (colours.warning, colours.error, colours.success, colours.hint):
        for role in TEXT_ON:
            assert contrast(QColor(text), palette.color(role)) >= 4.5, (text, role)
    assert contrast(QColor(colours.banner_text), QColor(colours.banner_background)) >= 4.5


def test_labels_coloured_when_made_follow_the_change_to_a_dark_palette(
    qtbot: QtBot, qapp: QApplication, light_again: None
) -> None:
    form = FormDialog("A form")
    banner = ReminderBanner()
    overdue = FigureButton(Scope.OVERDUE)
    for widget in (form, banner, overdue):
        qtbot.addWidget(widget)
    overdue.set_count(3)

    def readable(label: QLabel, background: QColor) -> bool:
        label.ensurePolished()
        return contrast(label.palette().color(QPalette.ColorRole.WindowText), background) >= 4.5

    window = qapp.palette().color(QPalette.ColorRole.Window)
    assert all(readable(label, window) for label in (form.problem, overdue.number))
    qapp.setPalette(SOME_DARK_PALETTE)
    window = SOME_DARK_PALETTE.color(QPalette.ColorRole.Window)
    qtbot.waitUntil(lambda: all(readable(label, window) for label in (form.problem, overdue.number)), timeout=2000)
    banner.ensurePolished()
    assert readable(banner.text, banner.palette().color(QPalette.ColorRole.Window))
    assert banner.palette().color(QPalette.ColorRole.Window).lightness() < 100  # a dark banner in a dark window


def test_the_case_shown_is_coloured_again_when_the_scheme_changes(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, repo: CaseRepository, light_again: None
) -> None:
    case_id = repo.add(new_case(), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    shown = (window.case_view.page.identity_tab.gate, window.case_view.page.deadline_tab.why)
    assert all(span_colours(label.text()) for label in shown)  # identity unsettled: disclosure blocked, in red

    qapp.setPalette(SOME_DARK_PALETTE)
    background = SOME_DARK_PALETTE.color(QPalette.ColorRole.Window)

    def readable() -> bool:
        colours = [colour for label in shown for colour in span_colours(label.text())]
        return all(contrast(colour, background) >= 4.5 for colour in colours)

    qtbot.waitUntil(readable, timeout=2000)


def test_widgets_with_a_style_sheet_take_the_new_palette_too(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, light_again: None
) -> None:
    styled = (window.navigation, window.case_view.page.subject)  # sheets that name only a font
    assert all(widget.styleSheet() for widget in styled)
    qapp.setPalette(SOME_DARK_PALETTE)
    qtbot.waitUntil(
        lambda: all(widget.palette().color(QPalette.ColorRole.Base).lightness() < 100 for widget in styled),
        timeout=2000,
    )
    assert window.navigation.palette().color(QPalette.ColorRole.Text) == SOME_DARK_PALETTE.color(
        QPalette.ColorRole.Text
    )


def test_a_dark_scheme_asked_for_gives_fusion_s_dark_palette_where_the_platform_gives_none(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, light_again: None
) -> None:
    # Offscreen, like xcb without a desktop theme, ignores a requested scheme and keeps the light palette.
    monkeypatch.setenv(SCHEME_VARIABLE, "dark")
    follow_system(qapp)
    window = qapp.palette().color(QPalette.ColorRole.Window)
    assert window == fusion_dark_palette().color(QPalette.ColorRole.Window)
    assert contrast(qapp.palette().color(QPalette.ColorRole.WindowText), window) >= 4.5
