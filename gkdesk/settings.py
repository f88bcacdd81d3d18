"""The office's own facts (options), declared once as typed options that validate themselves.

Office facts are stored in the database (``Setting`` rows), so every gkdesk pointed at the
same database prints the same letterhead. Where things live on this computer (data folder,
default database) is gkdesk.paths, re-exported here for callers. Per-machine preferences
(window geometry) are the UI's business (QSettings).

Each option is one declaration (Picard's ``BoolOption`` style): a ``TextOption``,
``IntOption``, ``BoolOption``, ``ChoiceOption`` or ``MappingOption`` with its key, default,
Chinese title (the label in 设置, and the field named in a refusal), group (the tab) and
help. ``option.clean(value)`` answers the value to store or raises ``ValidationError``
naming the field; ``save`` runs every option's own ``clean``, and the settings page builds
its editors from ``kind`` and the declared bounds and choices.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from gkdesk import validation
from gkdesk.errors import ValidationError
from gkdesk.paths import data_dir, default_database_path, resources_dir  # noqa: F401  (callers use settings.data_dir)


@dataclass(frozen=True)
class Option:
    """One office option. Subclasses say how a value is checked (``clean``)."""
    key: str
    title: str            # the Chinese label in 设置
    default: Any
    group: str = "本机关信息"
    help: str = ""
    kind: ClassVar[str] = "text"

    def clean(self, value: Any) -> Any:
        raise NotImplementedError

    def _refuse(self, what: str) -> ValidationError:
        return ValidationError(f"{self.title}：{what}", self.title)


@dataclass(frozen=True)
class TextOption(Option):
    """Text, normalised (full-width digits and letters to half-width, stripped);
    ``validator(value, title)`` checks a non-empty value and answers its clean form."""
    validator: Callable[[str, str], str] | None = None
    multiline: bool = False
    editor: str = "text"          # the editor the page shows: text / phone / email / postcode

    @property
    def kind(self) -> str:       # type: ignore[override]
        return "multiline" if self.multiline else self.editor

    def clean(self, value: Any) -> str:
        if value is not None and not isinstance(value, str):
            raise self._refuse("请填写文字")
        text = validation.normalise(value)
        return self.validator(text, self.title) if text and self.validator else text


@dataclass(frozen=True)
class IntOption(Option):
    minimum: int = 0
    maximum: int = 1_000_000
    kind: ClassVar[str] = "int"

    def clean(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self._refuse("请填写整数")
        try:
            number = int(str(value).strip()) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            raise self._refuse("请填写整数") from None
        if isinstance(value, float) and value != number:
            raise self._refuse("请填写整数")
        if not self.minimum <= number <= self.maximum:
            raise self._refuse(f"应在{self.minimum}到{self.maximum}之间，现为{number}")
        return number


@dataclass(frozen=True)
class BoolOption(Option):
    kind: ClassVar[str] = "bool"

    def clean(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self._refuse("应为“是”或“否”")
        return value


@dataclass(frozen=True)
class ChoiceOption(Option):
    """One of ``choices`` (the stored values, shown as they are)."""
    choices: tuple[str, ...] = ()
    kind: ClassVar[str] = "choice"

    def __post_init__(self):
        assert self.default in self.choices, f"{self.key}: the default is one of the choices"

    def clean(self, value: Any) -> str:
        text = validation.normalise(value) if isinstance(value, str) else value
        if text not in self.choices:
            raise self._refuse(f"请从{'、'.join(self.choices)}中选择")
        return text


@dataclass(frozen=True)
class MappingOption(Option):
    """Code → text (each text normalised; an empty text drops the code)."""
    kind: ClassVar[str] = "mapping"

    def clean(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self._refuse("格式不正确")
        out = {}
        for code, text in value.items():
            if not isinstance(code, str) or not isinstance(text, str):
                raise self._refuse("格式不正确")
            text = validation.normalise(text)
            if text:
                out[code] = text
        return out


OPTIONS: tuple[Option, ...] = (
    TextOption("office.name", "机关名称", "某某区人民政府办公室", help="印在所有文书、表格、报表上"),
    TextOption("office.disclosure_office", "政府信息公开工作机构", "某某区人民政府办公室政务公开科"),
    TextOption("office.address", "通讯地址", "某某区某某路1号"),
    TextOption("office.postcode", "邮政编码", "362800", editor="postcode", validator=validation.check_postcode),
    TextOption("office.phone", "联系电话", "0595-22355669", editor="phone", validator=validation.check_phone),
    TextOption("office.email", "电子邮箱", "gkb@example.gov.cn", editor="email", validator=validation.check_email),
    TextOption("office.hours", "办公时间", "工作日 上午8:00-12:00，下午14:30-17:30"),
    TextOption("remedy.reconsideration_body", "行政复议机关", "某某区人民政府",
               group="救济途径", help="答复书告知申请人可向其申请行政复议"),
    TextOption("remedy.court", "行政诉讼法院", "某某区人民法院", group="救济途径"),
    TextOption("numbering.case_prefix", "受理编号前缀", "依申", group="编号",
               help="受理编号形如 依申〔2026〕17号"),
    TextOption("numbering.doc_prefix", "发文字号前缀", "某政办", group="编号",
               help="文号形如 某政办依复〔2026〕12号：前缀 + 文书类别代字"),
    MappingOption("numbering.kind_codes", "文书类别代字", {
        "receipt": "依收", "correction": "依补", "not-request": "依告", "consultation": "依征",
        "consultation-notice": "依征告", "extension": "依延", "fee": "依费", "reply": "依复",
        "termination": "依终", "service-proof": "依送", "application_form": "依登",
        "handoff": "依交",
        "reminder": "催", "supervision": "督",
    }, group="编号"),
    BoolOption("process.fee_pauses_clock", "收费期间不计入答复期限", True, group="办理规则",
               help="自发出收费通知至收到缴费之日不计算在答复期限内"),
    BoolOption("process.require_confidentiality_review", "答复公开前须经保密审查", False, group="办理规则",
               help="开启后，予以公开、部分公开的答复须先在案件中登记保密审查（审查人、日期、结论、是否去标识化）"),
    # the retention periods of the archives rules (永久, 定期30年, 定期10年)
    ChoiceOption("archive.retention_period", "默认保管期限", "10年", group="办理规则",
                 choices=("永久", "30年", "10年"), help="归档时未填写保管期限的案件取此值"),
    IntOption("security.idle_lock_minutes", "闲置锁定（分钟）", 15, group="安全", minimum=0, maximum=1440,
              help="无键盘鼠标操作达此分钟数后锁定，须重新输入密码；0 表示不锁定"),
    TextOption("backup.dir", "备份文件夹", "", group="备份", help="留空则保存在数据文件夹的 backups 子文件夹"),
)
OPTIONS_BY_KEY = {o.key: o for o in OPTIONS}
assert len(OPTIONS_BY_KEY) == len(OPTIONS), "every option declared once"


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
            clean[key] = opt.clean(value)
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
