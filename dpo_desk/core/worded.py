"""Enumerations whose values are stored keys ("not-notified") and that the DPO reads as words."""

from __future__ import annotations

from enum import StrEnum


class Worded(StrEnum):
    """A stored key with the label the screens show: "not-notified" reads "Not notified"."""

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


def in_sentence(label: str) -> str:
    """A label inside a sentence: "National ID card" reads "national ID card", not "national id card"."""
    return label[:1].lower() + label[1:]
