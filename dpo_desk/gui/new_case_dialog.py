"""The new-case dialog: validates as the DPO types and names the field at fault."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dpo_desk.core.dates import day_month_year
from dpo_desk.core.errors import InputError
from dpo_desk.core.fees import repeat_warning
from dpo_desk.core.identifiers import phone_key
from dpo_desk.core.intake import check_not_future, parse_rights, subject_details
from dpo_desk.core.models import Channel, EarlierCase, Entity, NewCase, Right, SubjectDetails
from dpo_desk.gui.form_dialog import FormDialog
from dpo_desk.gui.modal import run_modal
from dpo_desk.gui.rich_text import escape, sentence
from dpo_desk.gui.scheme import colours, recolour
from dpo_desk.letters.language import ENGLISH, letter_language, letter_languages, office_language
from dpo_desk.mail.draft import MailDraft, TextDraft
from dpo_desk.mail.language import guess_language
from dpo_desk.mail.rights import Suggestion

FIELD_LABELS = {
    "entity": "Entity",
    "subject.name": "Name",
    "subject.emails": "E-mails",
    "subject.phones": "Phones",
    "subject.birth_date": "Birth date",
    "subject": "Contact",
    "rights": "Rights",
    "received": "Received",
}

# The person's earlier cases for what was typed, and the receiving entity's country (Desk.earlier_of).
EarlierLookup = Callable[[SubjectDetails, str], tuple[list[EarlierCase], list[EarlierCase]]]


class NewCaseDialog(FormDialog):
    def __init__(
        self,
        entities: Sequence[Entity],
        now: Callable[[], datetime],
        earlier_cases: EarlierLookup,
        parent: QWidget | None = None,
    ) -> None:
        # Scrolling: with a mail's lines and a repeat warning below it, the form outgrew a laptop's 768 pixels
        # and pushed Create case off the screen.
        super().__init__("New case", parent, ok_text="Create case", scrolling=True)
        self.setMinimumWidth(560)
        self._now = now
        self._earlier_cases = earlier_cases
        self._value: NewCase | None = None

        self.entity = QComboBox()
        # Never a silent default: the deadline depends on the entity's calendar and time zone.
        self.entity.addItem("Choose the receiving entity…", None)
        for entity in entities:
            self.entity.addItem(entity.name, entity)
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(channel.label, channel)
        self.received = QDateTimeEdit()
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.zone_hint = QLabel()
        self.rights: dict[Right, QCheckBox] = {right: QCheckBox(right.label) for right in Right}
        rights_box = QWidget()
        grid = QGridLayout(rights_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for number, box in enumerate(self.rights.values()):
            grid.addWidget(box, number // 3, number % 3)
        self.name = QLineEdit()
        self.emails = QLineEdit()
        self.emails.setPlaceholderText("one or more, separated by commas")
        self.phones = QLineEdit()
        self.phones.setPlaceholderText("optional, separated by commas")
        self.address = QPlainTextEdit()
        self.address.setPlaceholderText("postal address, as it goes on the envelope")
        self.address.setFixedHeight(64)
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText("YYYY-MM-DD, if known")
        self.child = QCheckBox("Chi&ld: under the age of digital consent")
        self.child.setToolTip("Tick when the subject is known to be a child but the birth date is not known (Art. 8)")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("what the subject asked for, in their words")
        for multi_line in (self.address, self.text):
            multi_line.setTabChangesFocus(True)  # Tab goes to the next field, as in every other one
        self.letter_lang = QComboBox()
        for code in letter_languages():
            self.letter_lang.addItem(letter_language(code).name, code)
        self.lang_hint = QLabel()
        self._lang_picked = False  # by the DPO: else proposed by the request's words, else the office's
        self._lang_proposed = False
        self.earlier = QLabel()
        self.earlier.setWordWrap(True)
        recolour(self.earlier, lambda: self.earlier.setStyleSheet(f"color: {colours().warning};"))
        self.mail_info = QLabel()  # what the e-mail said, when the case comes from one
        self.mail_info.setWordWrap(True)
        self.mail_info.setTextFormat(Qt.TextFormat.RichText)
        self.mail_info.hide()
        self.link_subject = QCheckBox()  # offered when the sender's address is known; never ticked for the DPO
        self.link_subject.hide()
        self._link_case_id: int | None = None
        # The moment of receipt: now, a mail's, or what the DPO typed in the entity's time. Choosing another
        # entity keeps this moment and shows it in that entity's time (05:21 in Buenos Aires is 09:21 in Oslo).
        self._instant = self._now()

        form = self.form
        form.addRow("&Entity", self.entity)
        form.addRow("C&hannel", self.channel)
        form.addRow("Recei&ved", self.received)
        form.addRow("", self.zone_hint)
        rights_label = QLabel("Ri&ghts")
        rights_label.setBuddy(self.rights[Right.ACCESS])  # Alt+G; then Tab and Space go through the others
        form.addRow(rights_label, rights_box)
        form.addRow("&Name", self.name)
        form.addRow("E-&mails", self.emails)
        form.addRow("&Phones", self.phones)
        form.addRow("&Address", self.address)
        form.addRow("&Birth date", self.birth_date)
        form.addRow("", self.child)
        form.addRow("Re&quest", self.text)
        form.addRow("Le&tters in", self.letter_lang)
        form.addRow("", self.lang_hint)
        self.below.addWidget(self.mail_info)
        self.below.addWidget(self.link_subject)
        self.below.addWidget(self.earlier)

        self.entity.currentIndexChanged.connect(self._entity_changed)
        self.letter_lang.activated.connect(self._language_picked)
        self.text.textChanged.connect(self._propose_language)
        for changed in (self.text.textChanged, self.letter_lang.activated):
            changed.connect(self._validate)  # the case as it would be created: its text and language too
        for line in (self.name, self.emails, self.phones, self.birth_date):
            line.textChanged.connect(self._validate)
        self.address.textChanged.connect(self._validate)
        self.child.toggled.connect(self._validate)
        for line in (self.name, self.emails, self.phones):
            line.textChanged.connect(self._show_earlier_cases)
        self.address.textChanged.connect(self._show_earlier_cases)
        self.received.dateTimeChanged.connect(self._time_typed)
        for box in self.rights.values():
            box.toggled.connect(self._validate)
        self._entity_changed()

    @classmethod
    def ask(
        cls,
        entities: Sequence[Entity],
        now: Callable[[], datetime],
        earlier_cases: EarlierLookup,
        parent: QWidget | None = None,
    ) -> NewCase | None:
        """The one call site for callers, and the one thing tests replace."""
        dialog = cls(entities, now, earlier_cases, parent)
        return dialog.value() if run_modal(dialog) else None

    @classmethod
    def ask_for_mail(
        cls,
        entities: Sequence[Entity],
        now: Callable[[], datetime],
        earlier_cases: EarlierLookup,
        draft: MailDraft,
        same_sender: list[EarlierCase],
        duplicates: list[str],
        parent: QWidget | None = None,
    ) -> tuple[NewCase, int | None] | None:
        """The dialog prefilled from an e-mail; returns the confirmed case and the case to share a subject with."""
        dialog = cls(entities, now, earlier_cases, parent)
        dialog.prefill(draft, same_sender, duplicates)
        if not run_modal(dialog) or dialog.value() is None:
            return None
        value = dialog.value()
        assert value is not None
        return value, dialog.linked_case()

    @classmethod
    def ask_for_text(
        cls,
        entities: Sequence[Entity],
        now: Callable[[], datetime],
        earlier_cases: EarlierLookup,
        draft: TextDraft,
        parent: QWidget | None = None,
    ) -> NewCase | None:
        """The dialog with a pasted request's text and the rights its words suggest; the confirmed case."""
        dialog = cls(entities, now, earlier_cases, parent)
        dialog.prefill_text(draft)
        return dialog.value() if run_modal(dialog) else None

    def set_aside_key(self) -> tuple[str, ...]:
        """Per e-mail or pasted text: what was typed for one request never comes back in another's form."""
        return (*super().set_aside_key(), self.mail_info.text())

    def prefill_text(self, draft: TextDraft) -> None:
        """The request and the rights its words suggest; who sent it and who received it, the DPO fills in."""
        self.setWindowTitle("New case from pasted text")
        for right, box in self.rights.items():
            box.setChecked(right in draft.rights)
        self.text.setPlainText(draft.text)
        lines = ["<b>From the pasted text</b>: DPO Desk takes no sender or entity from it; fill them in."]
        lines.append(_suggested(draft.suggestions))
        self.mail_info.setText("<br>".join(lines))
        self.mail_info.show()
        self._validate()

    def prefill(self, draft: MailDraft, same_sender: list[EarlierCase], duplicates: list[str]) -> None:
        """Fill the form from the mail; the DPO confirms or corrects every field before the case exists."""
        mail = draft.mail
        self.setWindowTitle("New case from e-mail")
        self._instant = mail.received
        if draft.entity is not None:
            self.entity.setCurrentIndex(self.entity.findText(draft.entity.name))
        self.channel.setCurrentIndex(self.channel.findData(Channel.EMAIL))
        self._show_instant(mail.received)
        self.name.setText(mail.sender_name or mail.sender_address)
        self.emails.setText(mail.sender_address)
        for right, box in self.rights.items():
            box.setChecked(right in draft.rights)
        self.text.setPlainText(draft.text)
        lines = [
            f"<b>From the e-mail</b> of {escape(mail.sender_address or 'an unknown sender')}: "
            f"{escape(draft.entity_note)}."
        ]
        lines.append(_suggested(draft.suggestions))
        if mail.attachments:
            count = len(mail.attachments)
            lines.append(f"{count} attachment{'' if count == 1 else 's'} will be kept with the case.")
        warnings = list(mail.warnings)
        if duplicates:
            warnings.append(f"this message (same Message-ID) was imported before: {', '.join(duplicates)}")
        lines += [f"<span style='color:{colours().error}'>⚠ {escape(sentence(w))}</span>" for w in warnings]
        self.mail_info.setText("<br>".join(lines))
        self.mail_info.show()
        if same_sender:
            earlier = same_sender[0].summary
            self._link_case_id = earlier.id
            self.link_subject.setText(
                f"Same person as in {earlier.reference} ({earlier.subject_name}): link the cases. "
                "Tick only if you are sure: the From: line can be forged."
            )
            self.link_subject.setChecked(False)
            self.link_subject.show()
        self._show_earlier_cases()
        self._validate()

    def linked_case(self) -> int | None:
        return self._link_case_id if self.link_subject.isChecked() else None

    def value(self) -> NewCase | None:
        return self._value

    def _zone(self) -> ZoneInfo:
        entity: Entity | None = self.entity.currentData()
        return ZoneInfo(entity.time_zone if entity is not None else "UTC")

    @Slot()
    def _entity_changed(self) -> None:
        entity: Entity | None = self.entity.currentData()
        self.received.setEnabled(entity is not None)  # a time means nothing before its zone is known
        if entity is None:
            self.zone_hint.setText("choose the receiving entity first: the time is its local time")
        else:
            self.zone_hint.setText(f"local time at {entity.name} ({entity.time_zone})")
        self.zone_hint.setStyleSheet("color: palette(placeholder-text);")
        self._propose_language()
        self._show_instant(self._instant)
        self._validate()

    @Slot()
    def _propose_language(self) -> None:
        """Unless the DPO chose one: the language the request is written in, where there are letters in it
        (the subject reads the answer), else the receiving office's."""
        if self._lang_picked:
            return
        guess = guess_language(self.text.toPlainText())
        index = self.letter_lang.findData(guess.lang) if guess.lang else -1
        self._lang_proposed = index >= 0
        if self._lang_proposed:
            self.letter_lang.setCurrentIndex(index)
            self._hint_language(f"the request is written in it: {guess.explain()}")
            return
        entity: Entity | None = self.entity.currentData()
        if entity is None:
            self.letter_lang.setCurrentIndex(self.letter_lang.findData(ENGLISH))
            self._hint_language("the receiving office's language, unless the request or you choose one")
            return
        self.letter_lang.setCurrentIndex(self.letter_lang.findData(office_language(entity.country)))
        self._hint_language(f"the language of {entity.name}'s office")

    @Slot()
    def _language_picked(self) -> None:
        self._lang_picked = True
        self._hint_language("chosen for this case; each letter may still be written in another")

    def _hint_language(self, text: str) -> None:
        self.lang_hint.setText(text)
        self.lang_hint.setStyleSheet("color: palette(placeholder-text);")

    def _show_instant(self, moment: datetime) -> None:
        local = moment.astimezone(self._zone())
        self.received.blockSignals(True)
        self.received.setDateTime(QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0))
        self.received.blockSignals(False)

    @Slot()
    def _time_typed(self) -> None:
        self._instant = self._received()  # the DPO's wall-clock time at the entity shown: that moment
        self._validate()

    def _received(self) -> datetime:
        shown = self.received.dateTime()
        date, time = shown.date(), shown.time()
        return datetime(date.year(), date.month(), date.day(), time.hour(), time.minute(), tzinfo=self._zone())

    @Slot()
    def _validate(self) -> None:
        try:
            self._value = self._build()
        except InputError as error:
            self._value = None
            field, _, message = str(error).partition(": ")
            label = FIELD_LABELS.get(field)
            self.show_problem(f"{label}: {message}" if label and message else str(error))
        else:
            self.show_problem("")

    def _build(self) -> NewCase:
        subject = subject_details(
            self.name.text(),
            self.emails.text().split(","),
            self.phones.text().split(","),
            self.address.toPlainText(),
            birth_date=self._birth_date(),
            child=self.child.isChecked(),
            today=self._now().date(),
        )
        ticked = [right.value for right, box in self.rights.items() if box.isChecked()]
        if not ticked:  # in the form's words: the command line's "give a list with at least one of …" is for JSON
            raise InputError("rights: tick at least one right the request invokes")
        rights = parse_rights(ticked)
        entity: Entity | None = self.entity.currentData()
        if entity is None:
            raise InputError("entity: choose the entity that received the request")
        for phone in subject.phones:  # read as the receiving entity's country when typed without a code
            phone_key(phone, entity.country)
        return NewCase(
            entity_name=entity.name,
            channel=Channel(self.channel.currentData()),  # Qt hands string enums back as str
            received=check_not_future(self._received(), now=self._now()),
            rights=rights,
            subject=subject,
            text=self.text.toPlainText().strip(),
            letter_lang=str(self.letter_lang.currentData()) if self._lang_picked or self._lang_proposed else "",
        )

    def _birth_date(self) -> date | None:
        text = self.birth_date.text().strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InputError(f"subject.birth_date: {text!r} is not a date YYYY-MM-DD") from None

    @Slot()
    def _show_earlier_cases(self) -> None:
        typed = SubjectDetails(
            self.name.text(),
            tuple(e.strip() for e in self.emails.text().split(",") if e.strip()),
            tuple(p.strip() for p in self.phones.text().split(",") if p.strip()),
            self.address.toPlainText(),
        )
        entity: Entity | None = self.entity.currentData()
        earlier, same_name = self._earlier_cases(typed, entity.country if entity is not None else "")
        lines = []
        if earlier:
            repeat = repeat_warning(
                [(e.summary.reference, e.summary.received_date) for e in earlier], self._received().date()
            )
            warning = "⚠ Repeat request: one within the last 12 months. " if repeat else ""
            lines.append(f"{warning}Earlier cases of this person: {_listed(earlier)}.")
        if same_name:
            lines.append(f"Same name only, check before relying on it: {_listed(same_name)}.")
        self.earlier.setText("\n".join(lines))

    def accept(self) -> None:
        self._validate()
        if self._value is not None:
            super().accept()


def _listed(earlier: Sequence[EarlierCase], shown: int = 3) -> str:
    listed = ", ".join(
        f"{e.summary.reference} ({day_month_year(e.summary.received_date)}, {e.summary.status.label.lower()};"
        f" by {e.matched_by})"
        for e in earlier[:shown]
    )
    return listed + (f" and {len(earlier) - shown} more" if len(earlier) > shown else "")


def _suggested(suggestions: Sequence[Suggestion]) -> str:
    if not suggestions:
        return "No right recognised in the text: choose them."
    return "Rights suggested by the words: " + "; ".join(escape(s.explain()) for s in suggestions)
