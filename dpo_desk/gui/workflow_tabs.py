"""The workflow tabs of the case view: identity, fee and refusal, outcomes, recipients.

Each tab shows where the case stands and offers the next actions; the actions go
through the same store calls as the command line, so the rules and messages match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.core.dates import long_date
from dpo_desk.core.deadlines import PauseKind
from dpo_desk.core.errors import DeskError, InputError
from dpo_desk.core.fees import FeeBasis, FeeDecision, FeeState, cost_item, validate_fee
from dpo_desk.core.identity import (
    Evidence,
    IdentityCheck,
    IdentityStatus,
    Method,
    Outcome,
    copies_to_delete,
    progress,
    validate_check,
)
from dpo_desk.core.models import Case, Right, Status
from dpo_desk.core.outcomes import CHILD, ERASURE_EXCEPTIONS, ERASURE_GROUNDS, validate_outcome
from dpo_desk.core.recipients import NoticeState, needs_notices
from dpo_desk.core.refusal import Refusal, RefusalGround, validate_refusal
from dpo_desk.gui.fields_dialog import Field, FieldsDialog
from dpo_desk.gui.rich_text import escape, sentence
from dpo_desk.store.decisions import Decisions
from dpo_desk.store.outcomes import Outcomes
from dpo_desk.store.workflow import Workflow

BUTTONS_PER_ROW = 3
SETTLED = (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN)


def lock_if_settled(case: Case, buttons: Sequence[QPushButton]) -> None:
    """A closed, refused or withdrawn case is a record: its actions wait until it is reopened."""
    if case.status in SETTLED:
        for button in buttons:
            button.setEnabled(False)
            button.setToolTip(f"The case is {case.status.label.lower()}: reopen it (Change status) to change it")


def data_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(table.columnCount() - 1, QHeaderView.ResizeMode.Stretch)


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [(member.value, getattr(member, "label", member.value)) for member in enum]


class WorkflowTab(QWidget):
    """Signals:
    changed: the case was changed here; the view shows it again.
    """

    changed = Signal()

    def __init__(self, actor: str, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._now = now
        self.case: Case | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QGridLayout()  # three a row: the case view stays narrow enough for a laptop
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.summary)

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        count = self.buttons.count()
        self.buttons.addWidget(button, count // BUTTONS_PER_ROW, count % BUTTONS_PER_ROW)
        return button

    def _finish(self) -> None:
        self.layout_.addLayout(self.buttons)

    def forget(self) -> None:
        """Drop the case shown: its texts and table rows (the tab is hidden, or locked away)."""
        self.case = None
        self.summary.clear()
        for table in self.findChildren(QTableWidget):
            table.setRowCount(0)

    def action_buttons(self) -> list[QPushButton]:
        items = (self.buttons.itemAt(i) for i in range(self.buttons.count()))
        widgets = (item.widget() for item in items if item is not None)
        return [widget for widget in widgets if isinstance(widget, QPushButton)]

    def _today(self) -> date:
        return self._now().astimezone().date()

    def _apply(self, change: Callable[[], object]) -> object:
        try:
            result = change()
        except DeskError as error:
            QMessageBox.warning(self, "Not recorded", str(error))
            return None
        self.changed.emit()
        return result


class IdentityTab(WorkflowTab):
    def __init__(self, workflow: Workflow, actor: str, now: Callable[[], datetime], parent: QWidget | None = None):
        super().__init__(actor, now, parent)
        self._workflow = workflow
        self.checks = data_table(
            ["Evidence", "Method", "Checked by", "When", "Outcome", "Ref.", "Copy deleted", "Note"]
        )
        self.gate = QLabel()
        self.gate.setWordWrap(True)
        self.layout_.addWidget(self.checks, 1)
        self.layout_.addWidget(self.gate)
        self.record_button = self._button("&Record check…", self.record_check)
        self.doubt_button = self._button("&Doubt: ask for more…", self.record_doubt)
        self.answer_button = self._button("&Answer received…", self.answer_received)
        self.waive_button = self._button("No check &needed…", lambda: self.decide(IdentityStatus.NOT_REQUIRED))
        self.fail_button = self._button("Cannot &identify…", lambda: self.decide(IdentityStatus.FAILED))
        self._finish()

    def forget(self) -> None:
        super().forget()
        self.gate.clear()

    def show_case(self, case: Case) -> None:
        self.case = case
        checks = self._workflow.checks(case.id)
        decision = self._workflow.decision(case.id)
        policy = self._workflow.policy()
        lines = [f"<b>{escape(progress(checks, decision, policy))}</b>", f"Policy: {policy.describe()}."]
        if decision is not None:
            lines.append(f"Decision by {escape(decision.decided_by)}: {escape(decision.reason)}")
        for kept in copies_to_delete(checks):
            lines.append(
                f"<span style='color:#c62828'>⚠ The copy of the {kept.evidence.label.lower()} received "
                "is not recorded as deleted: delete it and record the date.</span>"
            )
        self.summary.setText("<br>".join(lines))
        fill_table(
            self.checks,
            [
                (
                    c.evidence.label,
                    c.method.label,
                    c.checked_by,
                    f"{c.checked_at.astimezone():%Y-%m-%d %H:%M}",
                    c.outcome.value,
                    c.reference,
                    c.copy_deleted_on.isoformat() if c.copy_deleted_on else "",
                    c.note,
                )
                for c in checks
            ],
        )
        try:
            self._workflow.check_disclosure(case.id)
        except DeskError as error:
            self.gate.setText(f"<span style='color:#c62828'><b>Disclosure blocked:</b> {escape(str(error))}</span>")
        else:
            self.gate.setText("<span style='color:#2e7d32'><b>Disclosure allowed:</b> identity is settled.</span>")
        waiting = any(p.kind.value == "identity" for p in case.open_pauses)
        self.doubt_button.setEnabled(not waiting)
        self.answer_button.setEnabled(waiting)
        self.answer_button.setToolTip("" if waiting else "No request for identity information is open")

    def _check_from(self, values: dict[str, Any]) -> IdentityCheck:
        return IdentityCheck(
            evidence=Evidence(values["evidence"]),
            method=Method(values["method"]),
            checked_by=values["checked_by"],
            checked_at=values["checked_at"].astimezone(),
            outcome=Outcome(values["outcome"]),
            reference=values.get("reference", ""),
            copy_deleted_on=values["copy_deleted_on"] if values.get("copy_deleted") else None,
            note=values.get("note", ""),
        )

    @Slot()
    def record_check(self) -> None:
        assert self.case is not None
        fields = [
            Field("evidence", "&Evidence", "choice", _choices(Evidence)),
            Field("method", "&Method", "choice", _choices(Method)),
            Field("outcome", "&Outcome", "choice", _choices(Outcome)),
            Field("checked_by", "Checked &by", default=self._actor),
            Field("checked_at", "&When", "datetime", default=self._now().astimezone().replace(tzinfo=None)),
            Field("reference", "&Reference", hint="at most 4 characters, never the document number", optional=True),
            Field("copy_deleted", "Copy", "bool", hint="a received copy was deleted on:"),
            Field("copy_deleted_on", "Deleted &on", "date", default=self._today()),
            Field("note", "N&ote", "long", hint="e.g. 'ID card was checked'; no numbers", optional=True),
        ]
        values = FieldsDialog.ask(
            "Record an identity check", fields, lambda v: validate_check(self._check_from(v)), self
        )
        if values is not None:
            case_id = self.case.id
            self._apply(
                lambda: self._workflow.record_check(
                    case_id, self._check_from(values), actor=self._actor, now=self._now()
                )
            )

    @Slot()
    def record_doubt(self) -> None:
        assert self.case is not None
        fields = [
            Field("reason", "Concrete &doubt", "long", hint="e.g. written from an address not on file"),
            Field("start", "More information &asked on", "date", default=self._today()),
        ]
        values = FieldsDialog.ask("Doubt about identity", fields, _needs("reason"), self)
        if values is not None:
            case_id = self.case.id
            self._apply(
                lambda: self._workflow.pause(
                    case_id, PauseKind.IDENTITY, values["start"], values["reason"], actor=self._actor, now=self._now()
                )
            )

    @Slot()
    def answer_received(self) -> None:
        assert self.case is not None
        values = FieldsDialog.ask(
            "Identity information received",
            [Field("end", "Answer &received on", "date", default=self._today())],
            lambda v: None,
            self,
        )
        if values is not None:
            case_id = self.case.id
            self._apply(
                lambda: self._workflow.resume(
                    case_id, PauseKind.IDENTITY, values["end"], actor=self._actor, now=self._now()
                )
            )

    def decide(self, status: IdentityStatus) -> None:
        assert self.case is not None
        title = (
            "No identity check needed" if status is IdentityStatus.NOT_REQUIRED else "Identity cannot be established"
        )
        values = FieldsDialog.ask(title, [Field("reason", "&Reason", "long")], _needs("reason"), self)
        if values is not None:
            case_id = self.case.id
            self._apply(
                lambda: self._workflow.decide_identity(
                    case_id, status, values["reason"], actor=self._actor, now=self._now()
                )
            )


def _needs(*names: str) -> Callable[[dict[str, Any]], None]:
    def validate(values: dict[str, Any]) -> None:
        for name in names:
            if not str(values.get(name, "")).strip():
                raise InputError(f"{name}: required")

    return validate


class FeeTab(WorkflowTab):
    """The fee decision (Art. 12(5), 15(3)) and the refusal (Art. 12(4))."""

    def __init__(self, decisions: Decisions, actor: str, now: Callable[[], datetime], parent: QWidget | None = None):
        super().__init__(actor, now, parent)
        self._decisions = decisions
        self.items = data_table(["Cost item", "Quantity", "Unit cost", "Amount"])
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.layout_.addWidget(self.items, 1)
        self.layout_.addWidget(self.refusal)
        self.fee_button = self._button("Decide &fee…", self.decide_fee)
        self.answer_button = self._button("Fee &answer…", self.fee_answer)
        self.refuse_button = self._button("&Refuse…", self.refuse)
        self._finish()

    def forget(self) -> None:
        super().forget()
        self.refusal.clear()

    def show_case(self, case: Case) -> None:
        self.case = case
        fee = self._decisions.fee(case.id)
        lines = []
        warning = self._decisions.repeat_warning(case.id)
        if warning:
            lines.append(f"<span style='color:#8a5a00'>⚠ {escape(sentence(warning))}.</span>")
        if fee is None:
            lines.append("No fee: the answer is free of charge (Art. 12(5)).")
        else:
            lines.append(
                f"<b>{escape(fee.basis.label)}</b>: {fee.total} {fee.currency}, announced "
                f"{long_date(fee.announced_on)}; <b>{fee.state.value}</b>"
                + (f" on {long_date(fee.settled_on)}" if fee.settled_on else "")
            )
            lines.append(f"Facts: {escape(fee.facts)}")
            if fee.earlier_cases:
                lines.append("Earlier cases: " + ", ".join(fee.earlier_cases))
        self.summary.setText("<br>".join(lines))
        currency = fee.currency if fee else ""
        fill_table(
            self.items,
            [
                (i.description, str(i.quantity), f"{i.unit_cost} {currency}", f"{i.amount} {currency}")
                for i in (fee.items if fee else ())
            ],
        )
        self.fee_button.setEnabled(fee is None)
        self.answer_button.setEnabled(fee is not None and fee.state in (FeeState.ANNOUNCED, FeeState.ACCEPTED))
        refusal = self._decisions.refusal(case.id)
        if refusal is None:
            self.refusal.setText(f"No refusal. A refusal is due by {long_date(case.deadlines.extension_notice_due)}.")
        else:
            grounds = ", ".join(g.label for g in refusal.grounds)
            kind = "Partial" if refusal.partial else "Full"
            self.refusal.setText(
                f"<b>{kind} refusal</b> on {long_date(refusal.decided_on)} ({grounds}): {escape(refusal.reasons)}"
            )

    def _fee_from(self, values: dict[str, Any]) -> FeeDecision:
        items = []
        for line in values.get("items", "").splitlines():
            if line.strip():
                parts = [part.strip() for part in line.split(";")]
                if len(parts) != 3:
                    raise InputError(f"items: {line.strip()!r} must read description; quantity; unit cost")
                items.append(cost_item(*parts))
        return FeeDecision(
            basis=FeeBasis(values["basis"]),
            facts=values["facts"],
            earlier_cases=tuple(values.get("earlier_cases", [])),
            items=tuple(items),
            currency=values["currency"],
            announced_on=values["announced_on"],
        )

    @Slot()
    def decide_fee(self) -> None:
        assert self.case is not None
        case = self.case
        earlier = [s.reference for s in self._decisions.cases.earlier_cases(case)]
        fields = [
            Field("basis", "&Basis", "choice", _choices(FeeBasis)),
            Field("facts", "&Facts", "long", hint="what makes the request unfounded, excessive or a further copy"),
            Field("earlier_cases", "&Earlier cases", "list", default=earlier[:3], optional=True),
            Field("items", "&Cost items", "long", hint="one per line: description; quantity; unit cost"),
            Field("currency", "C&urrency", default="EUR"),
            Field("announced_on", "&Announced on", "date", default=self._today()),
        ]
        values = FieldsDialog.ask(
            "Fee decision",
            fields,
            lambda v: validate_fee(self._fee_from(v), received=case.received_date, today=self._today()),
            self,
            ok_text="Announce fee",
        )
        if values is not None:
            self._apply(
                lambda: self._decisions.decide_fee(case.id, self._fee_from(values), actor=self._actor, now=self._now())
            )

    @Slot()
    def fee_answer(self) -> None:
        assert self.case is not None
        options = [(s.value, s.value.capitalize()) for s in FeeState if s is not FeeState.ANNOUNCED]
        fields = [Field("state", "&Answer", "choice", options), Field("on", "&On", "date", default=self._today())]
        values = FieldsDialog.ask("The subject's answer to the fee", fields, lambda v: None, self)
        if values is not None:
            case_id = self.case.id
            self._apply(
                lambda: self._decisions.settle_fee(
                    case_id, FeeState(values["state"]), values["on"], actor=self._actor, now=self._now()
                )
            )

    def _refusal_from(self, values: dict[str, Any]) -> Refusal:
        return Refusal(
            partial=values["partial"],
            grounds=(RefusalGround(values["ground"]),),
            reasons=values["reasons"],
            decided_on=values["decided_on"],
            other_ground=values.get("other_ground", ""),
        )

    @Slot()
    def refuse(self) -> None:
        assert self.case is not None
        fields = [
            Field("partial", "Extent", "bool", hint="partial refusal (part of the request is answered)"),
            Field("ground", "&Legal ground", "choice", _choices(RefusalGround)),
            Field("other_ground", "&Other ground", hint="for 'Other ground': the provision", optional=True),
            Field("reasons", "&Reasons", "long", hint="the specific reasons the subject will read"),
            Field("decided_on", "&Decided on", "date", default=self._today()),
        ]
        values = FieldsDialog.ask(
            "Refuse the request",
            fields,
            lambda v: validate_refusal(self._refusal_from(v)),
            self,
            ok_text="Record refusal",
        )
        if values is not None:
            case_id = self.case.id
            warning = self._apply(
                lambda: self._decisions.refuse(case_id, self._refusal_from(values), actor=self._actor, now=self._now())
            )
            if warning:
                QMessageBox.warning(self, "Late refusal", sentence(str(warning)))


# The form of each outcome; the core checks what is entered (dpo_desk.core.outcomes).
OUTCOME_FORMS: dict[str, list[Field]] = {
    Right.ACCESS: [Field("provided_on", "Copy &provided on", "date"), Field("note", "&Note", optional=True)],
    Right.RECTIFICATION: [Field("corrected", "What was &corrected", "long"), Field("done_on", "&Done on", "date")],
    Right.ERASURE: [
        Field("ground", "Art. 17(1) &ground", "choice", [(g, g) for g in ERASURE_GROUNDS]),
        Field("exception", "Art. 17(3) &exception", "choice", [(e, e or "none") for e in ERASURE_EXCEPTIONS]),
        Field("systems", "&Systems erased", "list"),
        Field("backups_beyond_use", "&Backups", "bool", hint="put beyond use until overwritten"),
        Field("done_on", "&Done on", "date"),
    ],
    Right.RESTRICTION: [
        Field("applied_on", "&Applied on", "date"),
        Field("lifted", "Lifted", "bool", hint="the restriction was lifted"),
        Field("lifting_notice_on", "Art. 18(3) &notice on", "date"),
        Field("lifted_on", "&Lifted on", "date"),
    ],
    Right.OBJECTION: [
        Field("direct_marketing", "&Direct marketing", "bool", hint="objection to direct marketing (absolute)"),
        Field("assessment", "&Assessment", "long", hint="other objections: the weighing", optional=True),
        Field("upheld", "&Upheld", "bool", hint="processing stopped"),
        Field("done_on", "&Done on", "date"),
    ],
    Right.PORTABILITY: [
        Field("conditions_met", "&Art. 20 conditions", "bool", hint="consent or contract, and automated means"),
        Field("note", "&Note", optional=True),
        Field("done_on", "&Done on", "date"),
    ],
    Right.CONSENT_WITHDRAWAL: [Field("consents", "&Consents withdrawn", "list"), Field("done_on", "&Done on", "date")],
    Right.OTHER: [Field("note", "&What was done", "long"), Field("done_on", "&Done on", "date")],
    CHILD: [
        Field("age_basis", "&Age under 16 shown by", "long"),
        Field("systems", "&Systems erased", "list"),
        Field("done_on", "&Done on", "date"),
    ],
}


def _outcome_details(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    details = {key: value.isoformat() if isinstance(value, date) else value for key, value in values.items()}
    if kind == Right.RESTRICTION and not details.pop("lifted", False):
        details.pop("lifting_notice_on", None)
        details.pop("lifted_on", None)
    return details


class OutcomesTab(WorkflowTab):
    def __init__(self, outcomes: Outcomes, actor: str, now: Callable[[], datetime], parent: QWidget | None = None):
        super().__init__(actor, now, parent)
        self._outcomes = outcomes
        self.table = data_table(["Right", "Outcome"])
        self.layout_.addWidget(self.table, 1)
        self.record_buttons: dict[str, QPushButton] = {}
        self._finish()

    def show_case(self, case: Case) -> None:
        self.case = case
        recorded = self._outcomes.outcomes(case.id)
        kinds = [right.value for right in case.rights] + [CHILD]
        missing = [k for k in kinds[:-1] if k not in recorded]
        self.summary.setText(
            "All rights have an outcome."
            if not missing
            else f"<b>{len(missing)} right(s) without an outcome:</b> {', '.join(missing)}"
        )
        fill_table(
            self.table,
            [
                (
                    kind,
                    "; ".join(f"{key}: {value}" for key, value in recorded[kind].items()) if kind in recorded else "—",
                )
                for kind in kinds
                if kind in recorded or kind != CHILD
            ],
        )
        while self.buttons.count():  # one button per right: rebuilt for each case
            item = self.buttons.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.record_buttons = {
            kind: self._button(f"{kind.replace('-', ' ').capitalize()}…", self._recorder(kind)) for kind in kinds
        }

    def _recorder(self, kind: str) -> Callable[[], None]:
        return lambda: self.record(kind)

    def record(self, kind: str) -> None:
        assert self.case is not None
        case = self.case
        values = FieldsDialog.ask(
            f"Outcome: {kind}",
            OUTCOME_FORMS[kind],
            lambda v: validate_outcome(kind, _outcome_details(kind, v), case.rights),
            self,
            ok_text="Record outcome",
        )
        if values is not None:
            self._apply(
                lambda: self._outcomes.record_outcome(
                    case.id, kind, _outcome_details(kind, values), actor=self._actor, now=self._now()
                )
            )


class RecipientsTab(WorkflowTab):
    """Art. 19: the recipients to tell of a rectification, erasure or restriction."""

    def __init__(self, outcomes: Outcomes, actor: str, now: Callable[[], datetime], parent: QWidget | None = None):
        super().__init__(actor, now, parent)
        self._outcomes = outcomes
        self.table = data_table(["Recipient", "State", "Notified", "Channel", "Confirmed", "Reason"])
        self.layout_.addWidget(self.table, 1)
        self.sources_button = self._button("&Sources of the data…", self.choose_sources)
        self.notified_button = self._button("&Notified…", lambda: self.advance(NoticeState.NOTIFIED))
        self.confirmed_button = self._button("&Confirmed…", lambda: self.advance(NoticeState.CONFIRMED))
        self.not_notified_button = self._button("Not noti&fied…", lambda: self.advance(NoticeState.NOT_NOTIFIED))
        self.told_button = self._button("&Told the subject…", self.told_subject)
        self._finish()

    def show_case(self, case: Case) -> None:
        self.case = case
        notices = self._outcomes.notices(case.id)
        sources = self._outcomes.sources(case.id)
        told = self._outcomes.recipients_told_on(case.id)
        open_count = sum(1 for n in notices if n.state.is_open)
        if not needs_notices(case.rights):
            text = "Art. 19 applies to rectification, erasure and restriction; this case invokes none of them."
        elif not sources:
            text = "<b>Say where the subject's data came from</b> (Sources…): the register proposes the recipients."
        else:
            text = f"Sources: {', '.join(sources)}. <b>{open_count} recipient(s) still to notify.</b>"
            if told:
                text += f" The subject was told who the recipients are on {long_date(told)}."
        self.summary.setText(text)
        fill_table(
            self.table,
            [
                (
                    n.service,
                    n.state.value,
                    n.notified_on.isoformat() if n.notified_on else "",
                    n.channel,
                    n.confirmed_on.isoformat() if n.confirmed_on else "",
                    n.reason,
                )
                for n in notices
            ],
        )
        for button in (self.notified_button, self.confirmed_button, self.not_notified_button, self.told_button):
            button.setEnabled(bool(notices))

    @Slot()
    def choose_sources(self) -> None:
        assert self.case is not None
        chosen = set(self._outcomes.sources(self.case.id))
        register = self._outcomes.cases.register
        fields = [
            Field(s.key, s.name, "bool", default=s.key in chosen, hint="the subject's data came from here")
            for s in register.sources()
        ]
        values = FieldsDialog.ask("Where the subject's data came from", fields, lambda v: None, self)
        if values is not None:
            case_id = self.case.id
            keys = [key for key, picked in values.items() if picked]
            self._apply(lambda: self._outcomes.set_sources(case_id, keys, actor=self._actor, now=self._now()))

    def _selected_key(self) -> str | None:
        assert self.case is not None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "Choose a recipient", "Select the recipient in the list first.")
            return None
        return self._outcomes.notices(self.case.id)[rows[0].row()].processor_key

    def advance(self, state: NoticeState) -> None:
        key = self._selected_key()
        if key is None or self.case is None:
            return
        fields = {
            NoticeState.NOTIFIED: [
                Field("on", "Notified &on", "date", default=self._today()),
                Field("channel", "&Channel", hint="e.g. e-mail to privacy@…"),
            ],
            NoticeState.CONFIRMED: [Field("on", "Confirmed &on", "date", default=self._today())],
            NoticeState.NOT_NOTIFIED: [
                Field("reason", "&Reason", "long", hint="why notifying is impossible or disproportionate")
            ],
        }[state]
        values = FieldsDialog.ask(f"Recipient: {state.value}", fields, lambda v: None, self)
        if values is not None:
            case_id = self.case.id
            self._apply(
                lambda: self._outcomes.notify(
                    case_id,
                    key,
                    state,
                    on=values.get("on"),
                    channel=values.get("channel", ""),
                    reason=values.get("reason", ""),
                    actor=self._actor,
                    now=self._now(),
                )
            )

    @Slot()
    def told_subject(self) -> None:
        assert self.case is not None
        values = FieldsDialog.ask(
            "Subject told who the recipients are",
            [Field("on", "&On", "date", default=self._today())],
            lambda v: None,
            self,
        )
        if values is not None:
            case_id = self.case.id
            self._apply(lambda: self._outcomes.told_subject(case_id, values["on"], actor=self._actor, now=self._now()))
