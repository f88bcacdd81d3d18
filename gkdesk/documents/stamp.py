"""The office's electronic seal: a transparent PNG imported once into the file store
(``<files>/seal.png``, with its printed diameter in ``seal.json``), placed at the seal
position the layout computes (GB/T 9704 7.3.5.1)."""
from __future__ import annotations

import io
import json
from pathlib import Path

from gkdesk.errors import ValidationError

SEAL_FILE = "seal.png"
SEAL_META = "seal.json"
DEFAULT_DIAMETER_MM = 42.0     # 县级机关印章直径 4.2 cm


def _files_dir() -> Path:
    from gkdesk.db import current

    return current().files_dir


def seal_path() -> Path | None:
    """The imported seal image, or None when the office has not imported one."""
    p = _files_dir() / SEAL_FILE
    return p if p.is_file() else None


def seal_diameter_mm() -> float:
    p = _files_dir() / SEAL_META
    try:
        return float(json.loads(p.read_text(encoding="utf-8")).get("diameter_mm", DEFAULT_DIAMETER_MM))
    except (OSError, ValueError, AttributeError):
        return DEFAULT_DIAMETER_MM


def import_seal(path, actor, diameter_mm: float = DEFAULT_DIAMETER_MM) -> Path:
    """Check and store the seal image. It must be a PNG (or other image Pillow reads) with
    a transparent background, roughly square, at least 200 pixels across."""
    from PIL import Image, UnidentifiedImageError

    from gkdesk import audit
    from gkdesk.actors import require
    from gkdesk.db import write_transaction
    from gkdesk.fileio import atomic_write, sha256_file

    require(actor, ("admin",), "导入电子印章")
    label = "电子印章图片"
    try:
        diameter_mm = float(diameter_mm)
    except (TypeError, ValueError):
        raise ValidationError("印章直径：请填写数字（毫米）", "印章直径") from None
    if not 20 <= diameter_mm <= 60:
        raise ValidationError("印章直径：应在20至60毫米之间（县级机关印章一般为42毫米）", "印章直径")
    path = Path(path)
    try:
        with Image.open(path) as im:
            im.load()
            img = im.convert("RGBA")
    except FileNotFoundError:
        raise ValidationError(f"{label}：找不到文件“{path}”", label) from None
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(f"{label}：“{path.name}”不是可识别的图片（{exc}）", label) from None
    w, h = img.size
    if min(w, h) < 200:
        raise ValidationError(f"{label}：图片太小（{w}×{h}像素），请使用至少200×200像素的清晰图片", label)
    if not 0.8 <= w / h <= 1.25:
        raise ValidationError(f"{label}：图片应接近正方形（现为{w}×{h}像素），请裁去印章四周的空白", label)
    alpha = img.getchannel("A")
    lo, _hi = alpha.getextrema()
    if lo == 255:
        raise ValidationError(f"{label}：图片没有透明背景，盖在文字上会遮住文字。请使用背景透明的PNG图片", label)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    dest = _files_dir() / SEAL_FILE
    atomic_write(dest, buf.getvalue(), private=True)          # the seal: owner only
    atomic_write(_files_dir() / SEAL_META,
                 json.dumps({"diameter_mm": diameter_mm}, ensure_ascii=False).encode("utf-8"))
    with write_transaction():
        audit.record("seal.import", user=actor.username, summary="导入电子印章",
                     details={"source": path.name, "size": [w, h], "diameter_mm": diameter_mm,
                              "sha256": sha256_file(dest)})
    return dest


def remove_seal(actor) -> None:
    from gkdesk import audit
    from gkdesk.actors import require
    from gkdesk.db import write_transaction

    require(actor, ("admin",), "删除电子印章")
    p = seal_path()
    if p is not None:
        p.unlink()
        with write_transaction():
            audit.record("seal.remove", user=actor.username, summary="删除电子印章")
