"""Light and dark: the colours that say something stand out from the palette they are painted on (WCAG contrast
of 4.5:1 for text)."""

import pytest
from PySide6.QtGui import QColor

from dpo_desk.gui import deadline_badge


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


@pytest.mark.parametrize("colour", ["OVERDUE", "DUE_SOON", "ON_TRACK", "ANSWERED"])
def test_the_days_left_badges_keep_their_white_text_readable(colour: str) -> None:
    assert contrast(QColor("white"), getattr(deadline_badge, colour)) >= 4.5
