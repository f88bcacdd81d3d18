"""The one safe way gkdesk opens an xlsx file that came from outside (every import).

``check_container`` looks at the file before openpyxl does: not empty, not too large, not an
old-format or encrypted Excel file (OLE header) or a renamed .xls/.et/.ods/.csv, a zip that is
an Excel workbook, whose members all pass the zip test and whose uncompressed size stays under
a limit (a zip bomb is refused before anything is unpacked). ``open_workbook`` then opens it
read-only without evaluating formulas or following external links.

Every refusal is an ``ImportError_`` whose Chinese message names the file and says what to do.
Limits are per import (``Limits``): an Annex form is small, a ledger of 100,000 rows is not.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from gkdesk.errors import ImportError_

XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_FORMATS = (".xls", ".et", ".ods", ".csv", ".wps")


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_unzipped_bytes: int
    what: str              # what the file should be, for messages: 「附件一、附件二的表格」「台账」
    too_big_hint: str = "请检查是否发错了文件"


def _mb(n: float) -> str:
    return f"{n / 1048576:.1f}".rstrip("0").rstrip(".")


def check_container(path: Path, display: str, limits: Limits) -> None:
    """Refuse, with a message for the clerk, anything that is not a sound xlsx within limits."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportError_(f"{display}：无法读取文件（{exc.strerror or exc}）") from None
    if suffix in OLD_FORMATS:
        raise ImportError_(f"{display}：不是 xlsx 文件（{suffix} 格式）。请在 Excel 或 WPS 中“另存为”"
                           f"Excel 工作簿（*.xlsx）后再导入")
    if size > limits.max_file_bytes:
        raise ImportError_(f"{display}：文件过大（{_mb(size)} MB，上限 {_mb(limits.max_file_bytes)} MB）。"
                           f"{limits.what}{limits.too_big_hint}")
    if size == 0:
        raise ImportError_(f"{display}：文件是空的（0 字节）")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportError_(f"{display}：这是旧版 Excel（.xls）或加密的文件，不是 xlsx。请另存为 .xlsx（不设密码）后再导入")
    if not head.startswith(b"PK"):
        raise ImportError_(f"{display}：不是 xlsx 文件（文件内容不是 Excel 工作簿）。请确认是 .xlsx 表格")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            if total > limits.max_unzipped_bytes:      # before testzip unpacks anything
                raise ImportError_(f"{display}：表格内容过大（解压后 {total / 1048576:.0f} MB，上限 "
                                   f"{_mb(limits.max_unzipped_bytes)} MB），已拒绝。{limits.too_big_hint}")
            if "xl/workbook.xml" not in names:
                raise ImportError_(f"{display}：不是 Excel 工作簿（可能是 Word 文档或其他压缩包）")
            bad = zf.testzip()
    except ImportError_:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ImportError_(f"{display}：文件已损坏，无法打开（{exc}）。请重新保存或重新发送") from None
    if bad:
        raise ImportError_(f"{display}：文件已损坏（{bad} 校验失败）。请重新保存或重新发送")


def open_workbook(path: Path, display: str, limits: Limits):
    """``check_container``, then openpyxl read-only, values as typed (formulas not evaluated,
    external links not loaded). The caller closes the workbook."""
    import openpyxl

    check_container(path, display, limits)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ImportError_(f"{display}：文件已损坏或不是有效的 xlsx，无法读取（{type(exc).__name__}：{exc}）") from None
