"""禁则 line breaking (docs/pitfalls.md #6): no line starts with closing/pause punctuation, none
ends with opening punctuation, —— and …… never split, Latin words kept whole."""
from hypothesis import given, settings, strategies as st

from gkdesk.documents import linebreak as lb
from gkdesk.documents.linebreak import NO_END, NO_START, wrap_simple


def test_comma_never_starts_a_line():
    # 5 cells per line: "五" would end line 1 and "，" start line 2 — push 五 down instead.
    assert wrap_simple("一二三四五，六七八九十。", 5) == ["一二三四", "五，六七八", "九十。"]


def test_full_stop_and_closing_quote_pulled_back_together():
    lines = wrap_simple("甲乙丙丁戊己庚辛”。后面的字", 8)
    assert lines[0] == "甲乙丙丁戊己庚"
    assert lines[1].startswith("辛”。")


def test_opening_bracket_never_ends_a_line():
    lines = wrap_simple("一二三四（五六七八）九十", 5)
    assert lines[0] == "一二三四"
    assert lines[1].startswith("（")
    lines = wrap_simple("一二三四《五六七", 5)
    assert not lines[0].endswith("《")


def test_dash_and_ellipsis_not_split():
    for text in ("一二三四——五六七八", "一二三四……五六七八"):
        lines = wrap_simple(text, 5)
        assert all(not ln.endswith(("—", "…")) or ln.endswith(("——", "……")) for ln in lines), lines
        assert "".join(lines) == text


def test_latin_words_kept_whole():
    assert lb.units("电话0595-22355669，邮箱a@b.cn。") == [
        "电", "话", "0595-22355669", "，", "邮", "箱", "a@b.cn", "。"]
    lines = wrap_simple("联系电话0595-22355669", 6)
    assert "0595-22355669" in lines


def test_units_rejoin_to_text():
    text = "《中华人民共和国政府信息公开条例》第三十六条（二）——2026年11月23日……abc def"
    assert "".join(lb.units(text)) == text


_ALPHABET = "一二三四五六七八九十，。、；：？！）》」』”（《「『“——……ab12 "


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=120), st.integers(min_value=4, max_value=28))
def test_property_rules_hold_and_text_is_kept(text, width):
    lines = wrap_simple(text, width)
    # nothing lost except spaces dropped at a break
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for i, ln in enumerate(lines):
        assert len(ln) <= width or len(lb.units(ln)) == 1
        if i > 0 and ln:
            prev = lines[i - 1]
            # a rule may only break when the whole line offers no allowed place at all
            if ln[0] in NO_START or (prev.rstrip() and prev.rstrip()[-1] in NO_END):
                n_prev = len(lb.units(prev))
                both = lb.units(prev) + lb.units(ln)
                assert all(not lb._allowed(both, k, 0) for k in range(1, n_prev)), (prev, ln)
