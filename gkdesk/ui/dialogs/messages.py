"""Every message box of gkdesk goes through these functions (one place to style them,
one place tests replace with ``monkeypatch``)."""
from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from gkdesk.errors import GkError

log = logging.getLogger("gkdesk.ui")


def _box(parent, icon, title: str, text: str, detail: str = "", informative: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    if informative:
        box.setInformativeText(informative)
    if detail:
        box.setDetailedText(detail)
    box.button(QMessageBox.Ok).setText("确定")
    return box


def info(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    _box(parent, QMessageBox.Information, title, text, informative=informative).exec()


def warning(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    _box(parent, QMessageBox.Warning, title, text, informative=informative).exec()


def error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    _box(parent, QMessageBox.Critical, title, text, detail=detail).exec()


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "确定", no: str = "取消") -> bool:
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.Yes | QMessageBox.No, parent)
    box.button(QMessageBox.Yes).setText(yes)
    box.button(QMessageBox.No).setText(no)
    box.setDefaultButton(QMessageBox.No)
    return box.exec() == QMessageBox.Yes


def choose(parent: QWidget | None, title: str, text: str, choices: list[str], informative: str = "") -> int | None:
    """A warning with a button per choice (the first is the default) and 关闭; returns the
    index of the choice clicked, or None for 关闭."""
    box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    buttons = [box.addButton(c, QMessageBox.AcceptRole) for c in choices]
    close = box.addButton("关闭", QMessageBox.RejectRole)
    box.setEscapeButton(close)
    if buttons:
        box.setDefaultButton(buttons[0])
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None


def describe(exc: BaseException) -> tuple[str, str, str]:
    """(title, text, detail) of an exception as the user sees it."""
    if isinstance(exc, GkError):
        problems = getattr(exc, "problems", None) or []
        text = str(exc)
        if len(problems) > 1:
            text = "\n".join(f"• {p}" for p in problems)
        titles = {"ValidationError": "输入有误", "WorkflowError": "不能执行此操作",
                  "PermissionDenied": "没有权限", "ConflictError": "数据已被修改",
                  "NotFound": "找不到记录", "TemplateError": "模板有误",
                  "ImportError_": "导入失败", "DatabaseError": "数据库错误"}
        title = next((titles[c.__name__] for c in type(exc).__mro__ if c.__name__ in titles), "提示")
        return title, text, ""
    detail = getattr(exc, "__traceback_text__", "") or "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__))
    text = ("程序遇到了意外错误，刚才的操作可能没有完成。\n"
            f"错误信息：{type(exc).__name__}: {exc}\n\n"
            "详细信息已记入日志，请联系技术支持。")
    return "意外错误", text, detail


def show_exception(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    t, text, detail = describe(exc)
    if not isinstance(exc, GkError):
        log.error("意外错误：%s", detail)
        error(parent, title or t, text, detail)
    else:
        warning(parent, title or t, text)
