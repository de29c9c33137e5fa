"""The home view: what is due (six counts and the next ten deadlines) and how we did (two charts).

Every count and every bar opens the case list filtered to exactly the cases it counts (``list_cases``); a
deadline opens its case (``open_case``). The charts are painted with QPainter: two simple bar charts do not
justify PySide6-Addons (QtCharts), about 90 MB more in the bundle. They take the keyboard too: Left and
Right move between bars, Enter opens the one chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.dashboard import FIGURES, DashboardFigures, MonthBar, QuarterBar
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.core.dates import day_month_year
from dpo_desk.core.models import Answer, CaseQuery, Right, Scope
from dpo_desk.gui.accessible import named
from dpo_desk.gui.deadline_badge import days_left_text
from dpo_desk.gui.scheme import colours, recolour

# One colour a right, told apart also by the legend's order (the bars stack in the same order).
RIGHT_COLOURS = {
    Right.ACCESS: "#1f77b4",
    Right.RECTIFICATION: "#ff7f0e",
    Right.ERASURE: "#2ca02c",
    Right.RESTRICTION: "#d62728",
    Right.OBJECTION: "#9467bd",
    Right.PORTABILITY: "#8c564b",
    Right.CONSENT_WITHDRAWAL: "#e377c2",
    Right.OTHER: "#7f7f7f",
}
ON_TIME, EXTENDED, LATE = QColor("#2e7d32"), QColor("#81c784"), QColor("#c62828")
FIGURE_HINTS = {
    Scope.OPEN: "Cases that still owe the subject an answer",
    Scope.DUE_SOON: "Open cases due today or in the next 6 days",
    Scope.OVERDUE: "Open cases past their due date",
    Scope.PAUSED: "Open cases waiting on the subject's answer; their clock is paused",
    Scope.EXTENSION_NOTICE_DUE: "Open, not extended, and the last day to notify an extension is within 7 days",
    Scope.NOTICES_OUTSTANDING: "Cases with a recipient still to notify of a rectification, erasure or restriction",
}


def legend(keys: list[tuple[str, str]]) -> str:
    """A chart's key, a coloured square before each label: a line breaks between keys, never inside one
    ("Consent" at a line's end and "withdrawal" below read as two keys)."""
    return " &nbsp; ".join(
        f"<span style='color:{colour}'>■</span>&nbsp;{escape(label).replace(' ', '&nbsp;')}" for colour, label in keys
    )


class DashboardView(QWidget):
    """Signals:
    list_cases(object): list the cases of this CaseQuery.
    open_case(int): open this case.
    shown(): the figures of the last refresh are shown.
    """

    list_cases = Signal(object)
    open_case = Signal(int)
    shown = Signal()

    def __init__(self, desk: Desk, runner: Runner, parent: Any = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self._asked = 0  # each refresh counts up; figures read for an older one are dropped
        self.figures: dict[Scope, FigureButton] = {}
        counts = QGridLayout()
        for index, scope in enumerate(FIGURES):
            button = FigureButton(scope)
            query = CaseQuery(scope=scope, sort="due", descending=False)
            button.clicked.connect(lambda _=False, chosen=query: self.list_cases.emit(chosen))
            counts.addWidget(button, index // 3, index % 3)
            self.figures[scope] = button

        self.deadlines = named(QTableWidget(0, 4), "Next deadlines", "Enter opens the case")
        self.deadlines.setHorizontalHeaderLabels(["Reference", "Due", "Days left", "Next step"])
        self.deadlines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.deadlines.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.deadlines.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.deadlines.verticalHeader().hide()
        self.deadlines.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.deadlines.horizontalHeader().setStretchLastSection(True)
        self.deadlines.setToolTip("Double-click or press Enter to open the case")
        self.deadlines.itemActivated.connect(lambda item: self.open_case.emit(item.data(Qt.ItemDataRole.UserRole)))
        next_box = QGroupBox("Next deadlines")
        QVBoxLayout(next_box).addWidget(self.deadlines)

        self.months = BarChart(self._month_stacks, "Requests received per month, by right")
        self.months.chosen.connect(lambda query: self.list_cases.emit(query))
        self.quarters = BarChart(self._quarter_stacks, "Answered per quarter: on time, after an extension, late")
        self.quarters.chosen.connect(lambda query: self.list_cases.emit(query))
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        charts = QHBoxLayout()
        for title, chart, note in (
            ("Rights invoked per month, last 12 months (a request may invoke several)", self.months, self.legend),
            ("Cases answered per quarter, and how many on time", self.quarters, None),
        ):
            box = QGroupBox(title)
            column = QVBoxLayout(box)
            column.addWidget(chart, 1)
            if note is not None:
                column.addWidget(note)
            else:
                key = QLabel(
                    legend([(ON_TIME.name(), "on time"), (EXTENDED.name(), "on time, extended"), (LATE.name(), "late")])
                )
                column.addWidget(key)
            charts.addWidget(box, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(counts)
        layout.addWidget(next_box, 1)
        layout.addLayout(charts, 1)
        self._month_bars: list[MonthBar] = []
        self._quarter_bars: list[QuarterBar] = []

    def refresh(self) -> None:
        """Read the figures again, in the runner's thread; they replace the shown ones when they arrive, unless
        the window locked or another refresh was asked meanwhile."""
        self._asked += 1
        asked = self._asked
        self._runner.start(
            Task("dashboard", lambda task: self._desk.dashboard_figures()),
            Listener(done=lambda figures: self._show(asked, figures), failed=lambda error: self._failed(asked, error)),
        )

    def _failed(self, asked: int, error: Exception) -> None:
        if asked == self._asked:
            raise error  # on the window's thread, where every unexpected error reaches the DPO

    def _show(self, asked: int, figures: DashboardFigures) -> None:
        if asked != self._asked:
            return
        today = figures.today
        for scope, count in figures.counts.items():
            self.figures[scope].set_count(count)
        deadlines = figures.deadlines
        self.deadlines.setRowCount(len(deadlines))
        for row, deadline in enumerate(deadlines):
            cells = (
                deadline.summary.reference,
                day_month_year(deadline.summary.due),
                days_left_text(deadline.summary.due, deadline.summary.status, today),
                deadline.next_step,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, deadline.summary.id)
                self.deadlines.setItem(row, column, item)
        self._month_bars = figures.months
        self._quarter_bars = figures.quarters
        shown = [right for right in Right if any(right in bar.by_right for bar in self._month_bars)]
        self.legend.setText(legend([(RIGHT_COLOURS[right], right.label) for right in shown]))
        self.months.set_bars(len(self._month_bars))
        self.quarters.set_bars(len(self._quarter_bars))
        self.shown.emit()

    def clear(self) -> None:
        """The window is locked: no case reference stays on screen, nor arrives from a refresh running."""
        self._asked += 1
        self.deadlines.setRowCount(0)

    def _month_stacks(self) -> list[Bar]:
        return [
            Bar(
                bar.label,
                [
                    Segment(bar.by_right[right], QColor(RIGHT_COLOURS[right]), bar.query(right), right.label)
                    for right in Right
                    if right in bar.by_right
                ],
                bar.query(),
                f"{sum(bar.by_right.values()):,} rights invoked in the requests received in {bar.label}",
            )
            for bar in self._month_bars
        ]

    def _quarter_stacks(self) -> list[Bar]:
        bars = []
        for bar in self._quarter_bars:
            rate = bar.on_time_rate
            caption = f"{rate:.0%}" if rate is not None else "none"
            segments = [
                Segment(count, colour, bar.query(how), how.label)
                for count, colour, how in (
                    (bar.on_time, ON_TIME, Answer.ON_TIME),
                    (bar.on_time_extended, EXTENDED, Answer.ON_TIME_EXTENDED),
                    (bar.late, LATE, Answer.LATE),
                )
                if count
            ]
            summary = f"{bar.answered:,} answered in {bar.label}: {bar.on_time:,} on time, "
            summary += f"{bar.on_time_extended:,} on time after an extension, {bar.late:,} late"
            bars.append(Bar(f"{bar.label}\n{caption}", segments, bar.query(), summary))
        return bars


class FigureButton(QPushButton):
    """A count in large type above what it counts; a click lists those cases."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope
        self.setToolTip(FIGURE_HINTS[scope] + "; click to list them")
        self.setMinimumHeight(68)
        self.number = QLabel("–")
        self._alarming = False
        recolour(self.number, self._colour_number)
        self.caption = QLabel(scope.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 6)
        layout.setSpacing(0)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)

    def set_count(self, count: int) -> None:
        self.number.setText(f"{count:,}")
        self._alarming = count > 0 and self.scope is Scope.OVERDUE
        self._colour_number()
        self.setAccessibleName(f"{self.scope.label}: {count:,}")

    def _colour_number(self) -> None:
        colour = f" color: {colours().error};" if self._alarming else ""
        self.number.setStyleSheet(f"font-size: 20pt; font-weight: bold;{colour}")


@dataclass(frozen=True, slots=True)
class Segment:
    count: int
    colour: QColor
    query: CaseQuery
    what: str


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # under the bar; a second line for a rate
    segments: list[Segment]
    query: CaseQuery  # the whole bar
    summary: str  # its tooltip and accessible description


def fitted_labels(labels: list[str], width: float, metrics: QFontMetrics) -> list[str]:
    """The bars' labels within their columns: when a one-line label is wider than its column, each one-line
    label goes on two lines, all alike ("Mar 26" as "Mar" over "26"; at 1,024 pixels the months ran into
    each other, "Mar 26Apr 26"). A label of two lines already stays: the box holds no third."""
    if all("\n" in label or metrics.horizontalAdvance(label) <= width for label in labels):
        return labels
    return [label if "\n" in label else label.replace(" ", "\n", 1) for label in labels]


class BarChart(QWidget):
    """Stacked bars; a click on a segment (or Enter on the bar chosen with the arrows) lists its cases.

    Signals:
    chosen(object): the CaseQuery of the segment or bar clicked.
    """

    chosen = Signal(object)
    LABEL_HEIGHT = 34

    def __init__(self, bars: Callable[[], Sequence[Bar]], description: str) -> None:
        super().__init__()
        self._bars = bars
        self._count = 0
        self.current = -1
        self.setMinimumHeight(180)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(description)

    def set_bars(self, count: int) -> None:
        self._count = count
        self.current = min(self.current, count - 1)
        self.update()

    def _columns(self) -> list[tuple[Bar, QRectF, list[tuple[Segment, QRectF]]]]:
        bars = list(self._bars())
        if not bars:
            return []
        top: float = max((sum(s.count for s in bar.segments) for bar in bars), default=0) or 1
        width = self.width() / len(bars)
        height = self.height() - self.LABEL_HEIGHT - 16
        laid: list[tuple[Bar, QRectF, list[tuple[Segment, QRectF]]]] = []
        for index, bar in enumerate(bars):
            left = index * width + width * 0.18
            bottom: float = 16 + height
            segments = []
            for segment in bar.segments:
                tall = height * segment.count / top
                segments.append((segment, QRectF(left, bottom - tall, width * 0.64, tall)))
                bottom -= tall
            laid.append((bar, QRectF(index * width, 0, width, self.height()), segments))
        return laid

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        columns = self._columns()
        width = columns[0][1].width() if columns else 0.0
        labels = fitted_labels([bar.label for bar, _, _ in columns], width, painter.fontMetrics())
        for index, ((_bar, column, segments), label) in enumerate(zip(columns, labels, strict=True)):
            if index == self.current and self.hasFocus():
                painter.fillRect(column, self.palette().color(QPalette.ColorRole.AlternateBase))
            for segment, box in segments:
                painter.fillRect(box, segment.colour)
            total = sum(segment.count for segment, _ in segments)
            painter.setPen(text)
            above = min((box.top() for _, box in segments), default=column.bottom() - self.LABEL_HEIGHT)
            count_box = QRectF(column.left(), above - 16, column.width(), 16)
            painter.drawText(count_box, Qt.AlignmentFlag.AlignCenter, f"{total:,}")
            label_box = QRectF(column.left(), column.bottom() - self.LABEL_HEIGHT, column.width(), self.LABEL_HEIGHT)
            painter.drawText(label_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
        painter.end()

    def _hit(self, x: float, y: float) -> tuple[int, Segment | None] | None:
        for index, (_bar, column, segments) in enumerate(self._columns()):
            if column.left() <= x < column.right():
                return index, next((segment for segment, box in segments if box.contains(x, y)), None)
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self._hit(event.position().x(), event.position().y())
        if hit is None:
            self.setToolTip("")
            return
        bar = list(self._bars())[hit[0]]
        segment = hit[1]
        listed = f"\n{segment.count:,} {segment.what}: click to list them" if segment else ""
        self.setToolTip(bar.summary + listed)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self._hit(event.position().x(), event.position().y())
        if hit is None:
            return
        index, segment = hit
        self.current = index
        bar = list(self._bars())[index]
        self.chosen.emit(segment.query if segment is not None else bar.query)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._count:
            step = -1 if key == Qt.Key.Key_Left else 1
            self.current = max(0, min(self._count - 1, (self.current if self.current >= 0 else self._count) + step))
            self.setAccessibleDescription(list(self._bars())[self.current].summary)
            self.setToolTip(list(self._bars())[self.current].summary)
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and 0 <= self.current < self._count:
            self.chosen.emit(list(self._bars())[self.current].query)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self.current < 0 and self._count:
            self.current = self._count - 1  # the latest
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)
