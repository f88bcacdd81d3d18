"""Where things live, and the office's own facts, declared once with defaults and titles.

Office facts are stored in the database (``Setting`` rows), so every gkdesk pointed at the
same database prints the same letterhead. Per-machine preferences (window geometry) are
the UI's business (QSettings).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from gkdesk.errors import ValidationError


def data_dir() -> Path:
    """The user's data folder; ``GKDESK_DATA_DIR`` overrides it (tests, portable installs)."""
    env = os.environ.get("GKDESK_DATA_DIR")
    path = Path(env) if env else Path(platformdirs.user_data_dir("gkdesk", appauthor=False))
    return path


def default_database_path() -> Path:
    return data_dir() / "gkdesk.sqlite3"


def resources_dir() -> Path:
    """The ``resources/`` folder (source checkout, wheel or frozen app): gkdesk.resources
    is the one place that knows where it is."""
    from gkdesk import resources

    return resources.resources_dir()


@dataclass(frozen=True)
class Option:
    key: str
    title: str            # the Chinese label in 设置
    default: Any
    kind: str = "text"    # text / multiline / int / bool / phone / email / postcode
    group: str = "本机关信息"
    help: str = ""


OPTIONS: tuple[Option, ...] = (
    Option("office.name", "机关名称", "某某区人民政府办公室", help="印在所有文书、表格、报表上"),
    Option("office.disclosure_office", "政府信息公开工作机构", "某某区人民政府办公室政务公开科"),
    Option("office.address", "通讯地址", "某某区某某路1号"),
    Option("office.postcode", "邮政编码", "362800", kind="postcode"),
    Option("office.phone", "联系电话", "0595-22355669", kind="phone"),
    Option("office.email", "电子邮箱", "gkb@example.gov.cn", kind="email"),
    Option("office.hours", "办公时间", "工作日 上午8:00-12:00，下午14:30-17:30"),
    Option("remedy.reconsideration_body", "行政复议机关", "某某区人民政府",
           group="救济途径", help="答复书告知申请人可向其申请行政复议"),
    Option("remedy.court", "行政诉讼法院", "某某区人民法院", group="救济途径"),
    Option("numbering.case_prefix", "受理编号前缀", "依申", group="编号",
           help="受理编号形如 依申〔2026〕17号"),
    Option("numbering.doc_prefix", "发文字号前缀", "某政办", group="编号",
           help="文号形如 某政办依复〔2026〕12号：前缀 + 文书类别代字"),
    Option("numbering.kind_codes", "文书类别代字", {
        "receipt": "依收", "correction": "依补", "not-request": "依告", "consultation": "依征",
        "consultation-notice": "依征告", "extension": "依延", "fee": "依费", "reply": "依复",
        "termination": "依终", "service-proof": "依送", "application_form": "依登",
        "handoff": "依交",
        "reminder": "催", "supervision": "督",
    }, kind="mapping", group="编号"),
    Option("process.fee_pauses_clock", "收费期间不计入答复期限", True, kind="bool", group="办理规则",
           help="自发出收费通知至收到缴费之日不计算在答复期限内"),
    Option("process.require_confidentiality_review", "答复公开前须经保密审查", False, kind="bool", group="办理规则",
           help="开启后，予以公开、部分公开的答复须先在案件中登记保密审查（审查人、日期、结论、是否去标识化）"),
    Option("archive.retention_period", "默认保管期限", "10年", group="办理规则"),
    Option("security.idle_lock_minutes", "闲置锁定（分钟）", 15, kind="int", group="安全"),
    Option("backup.dir", "备份文件夹", "", group="备份", help="留空则保存在数据文件夹的 backups 子文件夹"),
)
OPTIONS_BY_KEY = {o.key: o for o in OPTIONS}


def get(key: str) -> Any:
    """The stored value of ``key``, or its default."""
    from gkdesk.db.models import Setting

    opt = OPTIONS_BY_KEY.get(key)
    if opt is None:
        raise KeyError(f"未知的设置项：{key}")
    row = Setting.get_or_none(Setting.key == key)
    return opt.default if row is None or row.value is None else row.value


def get_all() -> dict[str, Any]:
    from gkdesk.db.models import Setting

    stored = {s.key: s.value for s in Setting.select()}
    return {o.key: stored.get(o.key, o.default) if stored.get(o.key) is not None else o.default
            for o in OPTIONS}


def _validate(opt: Option, value: Any) -> Any:
    from gkdesk import validation

    if opt.kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(f"{opt.title}：请填写整数", opt.title) from None
    if opt.kind == "bool":
        return bool(value)
    if opt.kind == "mapping":
        if not isinstance(value, dict):
            raise ValidationError(f"{opt.title}：格式不正确", opt.title)
        return value
    value = validation.normalise(value)
    if opt.kind == "phone" and value:
        return validation.check_phone(value, opt.title)
    if opt.kind == "email" and value:
        return validation.check_email(value, opt.title)
    if opt.kind == "postcode" and value:
        return validation.check_postcode(value, opt.title)
    return value


# Who may change the office's settings (the settings page shows them read-only to others).
EDIT_ROLES = ("admin",)


def save(values: dict[str, Any], user=None) -> None:
    """Validate every value first, then write them all in one transaction. ``user`` is the
    acting ``Actor`` (or a user name): only an administrator may change settings."""
    from gkdesk import audit, changes
    from gkdesk.actors import require
    from gkdesk.auth import actor_of
    from gkdesk.db import write_transaction
    from gkdesk.db.models import Setting

    actor = actor_of(user)
    require(actor, EDIT_ROLES, "修改设置")

    clean = {}
    problems = []
    for key, value in values.items():
        opt = OPTIONS_BY_KEY.get(key)
        if opt is None:
            raise KeyError(f"未知的设置项：{key}")
        try:
            clean[key] = _validate(opt, value)
        except ValidationError as exc:
            problems.append(exc.message)
    if problems:
        raise ValidationError("；".join(problems), problems=problems)
    with write_transaction():
        before = get_all()
        for key, value in clean.items():
            Setting.insert(key=key, value=value).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: value}).execute()  # SQLite and PostgreSQL
        changed = {k: [before.get(k), v] for k, v in clean.items() if before.get(k) != v}
        if changed:
            audit.record("settings", user=actor.username, summary="修改设置", details=changed)
            changes.note("settings")
