"""The charts of the statistics tab, painted with QPainter: bars, a donut, a rate ring."""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QSizePolicy, QWidget,
)


PALETTE = ("#2b5797", "#e07b39", "#3a9d5d", "#c0392b", "#8e6bbf", "#7a8599", "#d4a017", "#16a2b8")


def chart_frame(widget: QWidget, title: str):
    """Start painting a chart card: white background, bold title; returns the painter,
    the content rectangle and the font metrics."""
    p = QPainter(widget)
    p.setRenderHint(QPainter.Antialiasing)
    p.fillRect(widget.rect(), QColor("#ffffff"))
    r = widget.rect().adjusted(8, 8, -8, -8)
    fm = p.fontMetrics()
    bold = QFont(p.font())
    bold.setBold(True)
    p.setFont(bold)
    p.setPen(QColor("#23395d"))
    p.drawText(QRectF(r.left(), r.top(), r.width(), fm.height() + 4), Qt.AlignLeft | Qt.AlignVCenter, title)
    p.setFont(widget.font())
    return p, r, fm


class BarChart(QWidget):
    """Grouped bars per category (e.g. months), drawn with QPainter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[tuple[str, QColor, list[int]]] = []
        self.title = ""
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_data(self, title: str, categories: list[str], series: list[tuple[str, str, list[int]]]) -> None:
        self.title = title
        self.categories = list(categories)
        self.series = [(name, QColor(color), list(values)) for name, color, values in series]
        self.setToolTip("\n".join(
            f"{c}：" + "，".join(f"{n} {v[i]}" for n, _c, v in self.series) for i, c in enumerate(self.categories)))
        self.update()

    @staticmethod
    def nice_max(v: int) -> int:
        if v <= 5:
            return 5
        mag = 10 ** int(math.floor(math.log10(v)))
        for step in (1, 2, 2.5, 5, 10):
            top = step * mag
            if top >= v:
                return int(math.ceil(top))
        return v

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        p, r, fm = chart_frame(self, self.title)
        # legend
        x = r.right()
        for name, color, _v in reversed(self.series):
            w = fm.horizontalAdvance(name)
            x -= w
            p.setPen(QColor("#374151"))
            p.drawText(QRectF(x, r.top(), w + 2, fm.height() + 4), Qt.AlignVCenter, name)
            x -= 16
            p.fillRect(QRectF(x, r.top() + 5, 11, 11), color)
            x -= 14
        top = r.top() + fm.height() + 14
        left = r.left() + fm.horizontalAdvance("00000") + 6
        bottom = r.bottom() - fm.height() - 6
        right = r.right()
        if not self.categories or bottom - top < 20:
            p.end()
            return
        vmax = self.nice_max(max([max(v) if v else 0 for _n, _c, v in self.series] + [0]))
        plot_h = bottom - top
        p.setPen(QPen(QColor("#e5e7eb"), 1))
        for i in range(6):
            y = bottom - plot_h * i / 5
            p.drawLine(QPointF(left, y), QPointF(right, y))
            p.setPen(QColor("#6b7280"))
            label = f"{vmax * i / 5:g}"
            p.drawText(QRectF(r.left(), y - fm.height() / 2, left - r.left() - 6, fm.height()),
                       Qt.AlignRight | Qt.AlignVCenter, label)
            p.setPen(QPen(QColor("#e5e7eb"), 1))
        n = len(self.categories)
        slot = (right - left) / n
        k = max(1, len(self.series))
        bar_w = max(2.0, slot * 0.72 / k)
        for i, cat in enumerate(self.categories):
            x0 = left + slot * i + (slot - bar_w * k) / 2
            for s, (_name, color, values) in enumerate(self.series):
                v = values[i] if i < len(values) else 0
                h = plot_h * v / vmax if vmax else 0
                rect = QRectF(x0 + s * bar_w, bottom - h, bar_w - 1, h)
                p.fillRect(rect, color)
                if v and bar_w >= fm.horizontalAdvance(str(v)) - 2:
                    p.setPen(QColor("#374151"))
                    p.drawText(QRectF(rect.left() - 6, rect.top() - fm.height() - 1, rect.width() + 12, fm.height()),
                               Qt.AlignCenter, str(v))
            p.setPen(QColor("#374151"))
            p.drawText(QRectF(left + slot * i, bottom + 3, slot, fm.height() + 2), Qt.AlignCenter, cat)
        p.setPen(QPen(QColor("#9aa3b2"), 1))
        p.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        p.end()


class DonutChart(QWidget):
    """Shares of a whole (the outcome mix) as a ring with a legend."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slices: list[tuple[str, int, QColor]] = []
        self.title = ""
        self.setMinimumSize(320, 220)

    def set_data(self, title: str, slices: list[tuple[str, int]]) -> None:
        self.title = title
        self.slices = [(label, n, QColor(PALETTE[i % len(PALETTE)])) for i, (label, n) in enumerate(slices)]
        total = sum(n for _l, n, _c in self.slices)
        self.setToolTip("\n".join(f"{l}：{n}件" + (f"（{n / total:.1%}）" if total else "") for l, n, _c in self.slices))
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p, r, fm = chart_frame(self, self.title)
        total = sum(n for _l, n, _c in self.slices)
        top = r.top() + fm.height() + 10
        d = max(40, min(r.height() - (top - r.top()), r.width() * 0.45))
        ring = QRectF(r.left() + 4, top, d, d)
        if total == 0:
            p.setPen(QPen(QColor("#d6dbe3"), d * 0.18))
            p.drawEllipse(ring.adjusted(d * 0.09, d * 0.09, -d * 0.09, -d * 0.09))
            p.setPen(QColor("#6b7280"))
            p.drawText(ring, Qt.AlignCenter, "暂无数据")
        else:
            start = 90 * 16
            for _label, n, color in self.slices:
                span = -int(round(360 * 16 * n / total))
                if n:
                    p.setPen(Qt.NoPen)
                    p.setBrush(color)
                    p.drawPie(ring, start, span)
                start += span
            hole = ring.adjusted(d * 0.22, d * 0.22, -d * 0.22, -d * 0.22)
            p.setBrush(QColor("#ffffff"))
            p.drawEllipse(hole)
            p.setPen(QColor("#23395d"))
            bold = QFont(self.font())
            bold.setBold(True)
            p.setFont(bold)
            p.drawText(hole, Qt.AlignCenter, f"{total}\n件")
            p.setFont(self.font())
        # legend
        lx = ring.right() + 16
        ly = top
        for label, n, color in self.slices:
            p.fillRect(QRectF(lx, ly + 4, 11, 11), color)
            p.setPen(QColor("#374151"))
            share = f"  {n / total:.0%}" if total else ""
            p.drawText(QRectF(lx + 16, ly, r.right() - lx - 16, fm.height() + 4), Qt.AlignVCenter,
                       f"{label}  {n}件{share}")
            ly += fm.height() + 8
        p.end()


class RateRing(QWidget):
    """One proportion (the on-time rate) as a ring with the percentage inside."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.value: float | None = None
        self.caption = ""
        self.title = ""
        self.setMinimumSize(200, 220)

    def set_data(self, title: str, value: float | None, caption: str) -> None:
        self.title, self.value, self.caption = title, value, caption
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p, r, fm = chart_frame(self, self.title)
        top = r.top() + fm.height() + 10
        d = max(40, min(r.width() - 10, r.height() - (top - r.top()) - fm.height() - 10))
        ring = QRectF(r.center().x() - d / 2, top, d, d)
        w = d * 0.13
        inner = ring.adjusted(w / 2, w / 2, -w / 2, -w / 2)
        p.setPen(QPen(QColor("#e5e7eb"), w, Qt.SolidLine, Qt.FlatCap))
        p.drawArc(inner, 0, 360 * 16)
        if self.value is not None:
            color = QColor("#3a9d5d") if self.value >= 0.95 else QColor("#d99a00") if self.value >= 0.8 \
                else QColor("#c0392b")
            p.setPen(QPen(color, w, Qt.SolidLine, Qt.FlatCap))
            p.drawArc(inner, 90 * 16, -int(round(360 * 16 * self.value)))
            big = QFont(self.font())
            big.setPointSizeF(max(self.font().pointSizeF() * 2, 16))
            big.setBold(True)
            p.setFont(big)
            p.setPen(color)
            p.drawText(ring, Qt.AlignCenter, f"{self.value:.1%}")
        else:
            p.setPen(QColor("#6b7280"))
            p.drawText(ring, Qt.AlignCenter, "暂无答复")
        p.setFont(self.font())
        p.setPen(QColor("#374151"))
        p.drawText(QRectF(r.left(), ring.bottom() + 4, r.width(), fm.height() + 4), Qt.AlignCenter, self.caption)
        p.end()
