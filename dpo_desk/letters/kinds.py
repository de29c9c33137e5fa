"""The letters DPO Desk writes, their names (scripts depend on them) and which ones disclose data."""

from __future__ import annotations

from enum import StrEnum

from dpo_desk.letters.language import ENGLISH, letter_language


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    IDENTITY_REQUEST = "identity-request"
    CLARIFICATION_REQUEST = "clarification-request"
    EXTENSION_NOTICE = "extension-notice"
    FEE_NOTICE = "fee-notice"
    REFUSAL = "refusal"
    ACCESS_RESPONSE = "access-response"
    RECTIFICATION_DONE = "rectification-done"
    ERASURE_DONE = "erasure-done"
    RESTRICTION_DONE = "restriction-done"
    RESTRICTION_LIFTING = "restriction-lifting"
    OBJECTION_DONE = "objection-done"
    CONSENT_WITHDRAWAL_DONE = "consent-withdrawal-done"
    CHILD_DELETION_DONE = "child-deletion-done"
    PORTABILITY_COVER = "portability-cover"
    RECIPIENT_NOTICE = "recipient-notice"
    RECIPIENTS_LIST = "recipients-list"

    @property
    def label(self) -> str:
        """The kind as the DPO's lists name it: "Access response"."""
        return self.value.replace("-", " ").capitalize()

    @property
    def heading(self) -> str:
        """The letter's title in English, as the DPO's lists describe the kind."""
        return letter_language(ENGLISH).term("titles", self.value)

    @property
    def discloses_data(self) -> bool:
        """Beyond the subject's name and address: these go through the disclosure gate, always encrypted."""
        return self in (LetterKind.ACCESS_RESPONSE, LetterKind.RECIPIENTS_LIST)
