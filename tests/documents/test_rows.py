"""The case and its records as a letter reads them (SELECTs compiled once, gkdesk.documents.rows):
the same rows peewee's own queries give, the latest record of each kind, and the case found
by id or by number."""
import datetime as dt

import pytest

from gkdesk.actors import SYSTEM
from gkdesk.db.models import Case, Correction, Fee
from gkdesk.documents import context, rows, service
from gkdesk.errors import NotFound

from tests.documents.helpers import RECEIVED, ready_case


def test_case_found_by_id_or_number_with_every_field(db_path):
    case = ready_case("reply.disclose")
    expected = Case.get_by_id(case.id).__data__
    for ref in (case.id, str(case.id), case.number, f"  {case.number} "):
        got = service.get_case(ref)
        assert got.__data__ == expected
        assert isinstance(got.received_date, dt.date)
    with pytest.raises(NotFound):
        service.get_case(case.id + 1000)
    with pytest.raises(NotFound):
        service.get_case("依申〔1999〕1号")


def test_latest_record_of_each_kind(db_path):
    case = ready_case("reply.disclose")
    other = ready_case("reply.disclose", name="李四")
    d = RECEIVED + dt.timedelta(days=2)
    early = Correction.create(case=case, notice_date=d, what_to_add="早的", period_end=d + dt.timedelta(days=14))
    late = Correction.create(case=case, notice_date=d + dt.timedelta(days=5), what_to_add="晚的",
                             period_end=d + dt.timedelta(days=20))
    Correction.create(case=other, notice_date=d + dt.timedelta(days=9), what_to_add="别的案件",
                      period_end=d + dt.timedelta(days=30))
    assert early.id < late.id
    records = context.records_for(case)
    assert records.correction.id == late.id and records.correction.what_to_add == "晚的"
    assert records.consultation is None and records.extension is None and records.fee is None
    assert records.served is None
    fee = Fee.create(case=other, method="per_volume", quantity=120, amount=1100, computation="",
                     notice_date=d, pay_by=d + dt.timedelta(days=28))
    assert context.records_for(other).fee.id == fee.id
    assert context.records_for(case).fee is None

    # the document a proof of service is for: the reply rather than an earlier receipt
    receipt = service.issue(case, "receipt", {}, SYSTEM)
    assert context.records_for(case).served.id == receipt.id
    reply = service.issue(case, "reply", {"provided": "文件一份"}, SYSTEM)
    served = context.records_for(case).served
    assert served.id == reply.id and served.fields["markup"]
    assert rows.latest_records(other.id) == {"correction": rows.latest_records(other.id)["correction"],
                                             "consultation": None, "extension": None, "fee": fee.id,
                                             "served": None}
