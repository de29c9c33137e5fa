"""The letters DPO Desk writes, their names (scripts depend on them) and which ones disclose data."""

from __future__ import annotations

from enum import StrEnum


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
        return TITLES[self]

    @property
    def discloses_data(self) -> bool:
        """Beyond the subject's name and address: these go through the disclosure gate, always encrypted."""
        return self in (LetterKind.ACCESS_RESPONSE, LetterKind.RECIPIENTS_LIST)


TITLES = {
    LetterKind.ACKNOWLEDGEMENT: "Your request has been received",
    LetterKind.IDENTITY_REQUEST: "We need to confirm your identity",
    LetterKind.CLARIFICATION_REQUEST: "Please help us specify your request",
    LetterKind.EXTENSION_NOTICE: "We need more time to answer your request",
    LetterKind.FEE_NOTICE: "Fee for your request",
    LetterKind.REFUSAL: "Decision on your request",
    LetterKind.ACCESS_RESPONSE: "Your personal data: access under Article 15 GDPR",
    LetterKind.RECTIFICATION_DONE: "Your data has been corrected",
    LetterKind.ERASURE_DONE: "Your data has been erased",
    LetterKind.RESTRICTION_DONE: "Processing of your data has been restricted",
    LetterKind.RESTRICTION_LIFTING: "The restriction of processing will be lifted",
    LetterKind.OBJECTION_DONE: "Your objection",
    LetterKind.CONSENT_WITHDRAWAL_DONE: "Your consent has been withdrawn",
    LetterKind.CHILD_DELETION_DONE: "The data of a child has been deleted",
    LetterKind.PORTABILITY_COVER: "Your data in a machine-readable format",
    LetterKind.RECIPIENT_NOTICE: "Notification under Article 19 GDPR",
    LetterKind.RECIPIENTS_LIST: "The recipients of your personal data",
}
LANGUAGES = ("en",)  # a language is a folder of templates: nb, fi and pl need no code
