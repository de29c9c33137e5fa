"""The case list: a model over ids from SQL, rows fetched in batches as they are painted.

Filtering and sorting happen in SQL (``CaseRepository.find_ids``), never in a proxy,
so the list stays instant at 100,000 cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.core.dates import long_date
from dpo_desk.core.models import CaseQuery, CaseSummary
from dpo_desk.gui.deadline_badge import days_left_colour, days_left_text
from dpo_desk.store.cases import CaseRepository

_Index = QModelIndex | QPersistentModelIndex
FindIds = Callable[[CaseQuery, date], list[int]]  # the ids a query finds on the day given, in a worker thread
BATCH = 200
CaseIdRole = Qt.ItemDataRole.UserRole + 1
BadgeColourRole = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("Reference", "Subject", "Rights", "Entity", "Received", "Due", "Days left", "Status")
# The SQL sort key of each column; days left sorts as the due date does, the answered cases after the open.
SORT_KEYS = ("reference", "subject", "rights", "entity", "received", "due", "days", "status")
REFERENCE, SUBJECT, RIGHTS, ENTITY, RECEIVED, DUE, DAYS_LEFT, STATUS = range(len(COLUMNS))
_DISPLAY, _TOOLTIP, _ALIGNMENT = (
    int(role) for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole)
)
# A painted cell is asked for seven to ten roles (see multiData); these are the roles the list answers, the
# others are answered before anything is looked up.
_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, int(CaseIdRole), int(BadgeColourRole)})
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)


class CaseTableModel(QAbstractTableModel):
    def __init__(
        self,
        repo: CaseRepository,
        today: Callable[[], date],
        due_soon_days: int,
        query: CaseQuery,
        parent: Any = None,
        aside: tuple[Runner, FindIds] | None = None,
    ) -> None:
        """``aside``: where :meth:`ask` runs queries once the list first showed (the window's runner, and the
        desk's search on its reading connection); without it every query runs here."""
        super().__init__(parent)
        self._repo = repo
        self._aside = aside
        self._today = today
        self._due_soon_days = due_soon_days
        self._query = query  # run when the view first sorts
        self._latest = query
        self._ids: list[int] = []
        self._rows: dict[int, CaseSummary] = {}
        # Each query asked for counts up; ids found for an older one than the last are dropped.
        self._asked = 0
        self._shown = 0
        self._when_shown: list[Callable[[], None]] = []

    @property
    def query(self) -> CaseQuery:
        """The last query asked for, shown or still running: the next one starts from its sort order."""
        return self._latest

    def set_query(self, query: CaseQuery) -> None:
        """Run ``query`` in SQL and show its ids; rows load when painted."""
        self._asked, self._latest = self._asked + 1, query
        self._show(self._asked, query, self._repo.find_ids(query, today=self._today()))

    def ask(self, query: CaseQuery) -> None:
        """As :meth:`set_query`, with the ids found in the ``aside`` thread once the list first showed, so that
        the window answers while a search or sort of 100,000 cases runs. The list changes when they arrive,
        unless another query was asked meanwhile; until then it shows what it showed. The query on its way
        is not asked again: QTableView.sortByColumn sorts twice (through its header's signal, then itself),
        and the second ask dropped the first's ids to wait for the same ones again (2 × 20-45 ms at 100,000
        cases). What the DPO changes is read again by :meth:`refresh`, never by asking the same query."""
        if self._aside is None or self._shown == 0:
            self.set_query(query)
            return
        if query == self._latest and self._shown != self._asked:
            return
        runner, find = self._aside
        self._asked, self._latest = self._asked + 1, query
        asked, today = self._asked, self._today()
        runner.start(
            Task("find cases", lambda task: find(query, today)),
            Listener(
                done=lambda ids: self._show(asked, query, ids),
                # Asked again here, where its error reaches the DPO as every error of the window does.
                failed=lambda error: self.set_query(query) if asked == self._asked else None,
            ),
        )

    def when_shown(self, then: Callable[[], None]) -> None:
        """Call ``then`` once the list shows the last query asked: now, or when its ids arrive."""
        if self._shown == self._asked:
            then()
        else:
            self._when_shown.append(then)

    def _show(self, asked: int, query: CaseQuery, ids: list[int]) -> None:
        if asked != self._asked:
            return
        self.beginResetModel()
        self._query, self._ids, self._rows, self._shown = query, ids, {}, asked
        self.endResetModel()
        waiting, self._when_shown = self._when_shown, []
        for then in waiting:
            then()

    def set_due_soon_days(self, days: int) -> None:
        self._due_soon_days = days

    def refresh(self) -> None:
        self.set_query(self._latest)

    def clear(self) -> None:
        """Forget every row (the window is locked), and any search still running; :meth:`refresh` reads them
        again."""
        self._asked += 1
        self._when_shown = []  # nothing waiting for a search may act on the locked window
        self._show(self._asked, self._query, [])

    def case_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, case_id: int) -> int | None:
        try:
            return self._ids.index(case_id)
        except ValueError:
            return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        self.ask(replace(self._latest, sort=SORT_KEYS[column], descending=descending))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED or not index.isValid():
            return None
        column = index.column()
        if role == CaseIdRole:
            return self._ids[index.row()]
        summary = self._summary(index.row())
        if summary is None:
            return None
        if role == _DISPLAY:
            return self._display(summary, column)
        if role == _TOOLTIP and column in (DUE, DAYS_LEFT):
            return f"Legal due date: {long_date(summary.due)}"
        if role == BadgeColourRole and column == DAYS_LEFT:
            return days_left_colour(summary.due, summary.status, self._today(), self._due_soon_days)
        if role == _ALIGNMENT and column in (RECEIVED, DUE):
            return _RIGHT_ALIGNED
        return None

    def multiData(self, index: _Index, roles: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role a painted cell asks for, in one call into Python where :meth:`data` takes one a role (1,218
        calls for a screen of rows). Each call waits its turn for the interpreter while a worker thread runs
        Python: one screen took 0.6-1.8 s to paint beside a busy thread, where alone it takes 11 ms."""
        for role_data in cast("Sequence[QModelRoleData]", roles):  # a sequence, though PySide6's stubs omit it
            value = self.data(index, role_data.role())
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _display(self, summary: CaseSummary, column: int) -> str:
        if column == REFERENCE:
            return summary.reference
        if column == SUBJECT:
            return summary.subject_name
        if column == RIGHTS:
            return ", ".join(right.label for right in summary.rights)
        if column == ENTITY:
            return summary.entity_name
        if column == RECEIVED:
            return summary.received_date.isoformat()
        if column == DUE:
            return summary.due.isoformat()
        if column == DAYS_LEFT:
            return days_left_text(summary.due, summary.status, self._today())
        return summary.status.label

    def _summary(self, row: int) -> CaseSummary | None:
        case_id = self._ids[row]
        if case_id not in self._rows:
            start = row - row % BATCH  # one query for the block around the row
            self._rows.update(self._repo.summaries(self._ids[start : start + BATCH]))
        return self._rows.get(case_id)


class DaysLeftDelegate(QStyledItemDelegate):
    """Paints "days left" as a coloured pill: green on track, amber due soon, red overdue."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        colour = index.data(BadgeColourRole)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(colour, QColor) or not text:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        if style is not None:
            # Selection and focus backgrounds first, so the pill sits on the row's colour.
            plain = QStyleOptionViewItem(option)
            self.initStyleOption(plain, index)
            plain.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 14
        height = metrics.height() + 4
        rect = QRect(option.rect.left() + 4, option.rect.center().y() - height // 2 + 1, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 22, hint.height() + 4)
