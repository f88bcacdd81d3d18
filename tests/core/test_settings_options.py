"""The office options are typed declarations that validate themselves: every refusal names
the field and leaves what was saved untouched; the values come back from the database file
as they were cleaned."""
import pytest

from gkdesk import settings
from gkdesk.db import close_database, open_database
from gkdesk.errors import ValidationError


def test_every_option_declared_once_with_a_title_and_a_default_it_accepts():
    keys = [o.key for o in settings.OPTIONS]
    assert len(keys) == len(set(keys))
    for opt in settings.OPTIONS:
        assert opt.title and opt.group
        assert opt.clean(opt.default) == opt.default, opt.key


def test_values_are_cleaned_and_stored_in_the_database_file(db_path):
    settings.save({"office.phone": "０５９５－２２３５５６６０", "security.idle_lock_minutes": "30",
                   "archive.retention_period": "永久", "process.fee_pauses_clock": False,
                   "numbering.kind_codes": {"reply": " 公开复 ", "fee": ""}}, user="admin")
    close_database()
    open_database(db_path)
    assert settings.get("office.phone") == "0595-22355660"
    assert settings.get("security.idle_lock_minutes") == 30
    assert settings.get("archive.retention_period") == "永久"
    assert settings.get("process.fee_pauses_clock") is False
    assert settings.get("numbering.kind_codes") == {"reply": "公开复"}


@pytest.mark.parametrize("key, value, says", [
    ("security.idle_lock_minutes", "十五", "闲置锁定（分钟）：请填写整数"),
    ("security.idle_lock_minutes", 2000, "闲置锁定（分钟）：应在0到1440之间"),
    ("security.idle_lock_minutes", True, "闲置锁定（分钟）：请填写整数"),
    ("process.fee_pauses_clock", "否", "收费期间不计入答复期限：应为“是”或“否”"),
    ("archive.retention_period", "5年", "默认保管期限：请从永久、30年、10年中选择"),
    ("office.postcode", "36280", "邮政编码：邮政编码应为6位数字"),
    ("office.email", "gkb@", "电子邮箱："),
    ("numbering.kind_codes", ["依复"], "文书类别代字：格式不正确"),
])
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(db_path, key, value, says):
    before = settings.get_all()
    with pytest.raises(ValidationError) as err:
        settings.save({"office.name": "泉港区人民政府办公室", key: value}, user="admin")
    assert err.value.problems[0].startswith(says)
    assert settings.get_all() == before          # the good value beside it is not saved either


def test_every_problem_is_listed_at_once(db_path):
    with pytest.raises(ValidationError) as err:
        settings.save({"office.postcode": "1", "security.idle_lock_minutes": -1}, user="admin")
    assert len(err.value.problems) == 2


def test_an_unknown_key_is_refused(db_path):
    with pytest.raises(KeyError):
        settings.save({"office.nmae": "x"}, user="admin")


def test_paths_apart_from_options(tmp_path, monkeypatch):
    from gkdesk import paths

    monkeypatch.setenv("GKDESK_DATA_DIR", str(tmp_path))
    assert paths.default_database_path() == tmp_path / "gkdesk.sqlite3"
    assert settings.data_dir() == paths.data_dir() == tmp_path    # the old name still answers
