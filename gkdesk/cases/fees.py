"""Information-processing fees (国办函〔2020〕109号): both sliding scales, never both at once."""
from __future__ import annotations

from dataclasses import dataclass

from gkdesk.domain import rules
from gkdesk.errors import ValidationError


@dataclass(frozen=True)
class FeeQuote:
    method: str          # per_item / per_volume
    quantity: int
    amount: int          # 元
    computation: str     # the sliding-scale computation, as printed in the notice


def item_rate(n: int) -> int:
    """Rate in 元 for the ``n``-th item an applicant asks for in a calendar month."""
    if n <= rules.FEE_ITEM_FREE:
        return 0
    if n <= rules.FEE_ITEM_FIRST_BAND_END:
        return rules.FEE_ITEM_FIRST_RATE
    band = (n - rules.FEE_ITEM_FIRST_BAND_END - 1) // rules.FEE_ITEM_BAND
    return rules.FEE_ITEM_FIRST_RATE + rules.FEE_ITEM_BAND_STEP * (band + 1)


def per_item(items: int, earlier_this_month: int = 0) -> FeeQuote:
    """Items ``earlier+1 … earlier+items`` of this applicant's calendar month."""
    if items <= 0:
        raise ValidationError("件数：应为正整数", "件数")
    if earlier_this_month < 0:
        raise ValidationError("本月此前件数：不能为负数", "本月此前件数")
    parts: list[str] = []
    amount = 0
    first = earlier_this_month + 1
    last = earlier_this_month + items
    n = first
    while n <= last:
        rate = item_rate(n)
        m = n
        while m + 1 <= last and item_rate(m + 1) == rate:
            m += 1
        count = m - n + 1
        amount += rate * count
        parts.append(f"第{n}-{m}件 {count}件×{rate}元" if m > n else f"第{n}件 1件×{rate}元")
        n = m + 1
    text = "；".join(parts) + f"；合计{amount}元"
    if earlier_this_month:
        text = f"本月此前已申请{earlier_this_month}件；" + text
    return FeeQuote("per_item", items, amount, text)


def per_volume(pages: int) -> FeeQuote:
    if pages <= 0:
        raise ValidationError("页数：应为正整数", "页数")
    parts: list[str] = []
    amount = 0
    for first, last, rate in rules.FEE_VOLUME_BANDS:
        if pages < first:
            break
        top = pages if last is None else min(pages, last)
        count = top - first + 1
        amount += count * rate
        parts.append(f"第{first}-{top}页 {count}页×{rate}元")
    return FeeQuote("per_volume", pages, amount, "；".join(parts) + f"；合计{amount}元")


def quote(method: str, quantity: int, earlier_this_month: int = 0) -> FeeQuote:
    if method == "per_item":
        return per_item(quantity, earlier_this_month)
    if method == "per_volume":
        return per_volume(quantity)
    raise ValidationError("计收方式：请选择按件计收或按量计收（二者不得同时适用）", "计收方式")
