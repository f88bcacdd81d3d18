"""What clerks type into the case list's search box, keystroke by keystroke.

Chinese of 1–4 characters (names, places, projects, documents), case-number fragments and
pinyin initials of applicants' names. Every prefix is measured: search-as-you-type runs a
query for each keystroke that survives the debounce.
"""

QUERIES = (
    # Chinese: surnames and names, places, projects, documents (1–4 characters)
    "王", "张伟", "林晓东", "陈志强", "泉港", "山腰镇", "征收", "拆迁", "补偿标准", "规划许可",
    "安置房", "环境影响", "会议纪要", "旧城改造",
    # case-number fragments
    "2025", "〔2024〕", "1234号", "依申〔2026〕5",
    # pinyin initials of applicants
    "wl", "czq", "lxd", "zw",
)


def typed_prefixes(queries=QUERIES) -> list[str]:
    """Every prefix of every query, in typing order (IME composition commits whole
    characters, so a Chinese prefix is a whole number of characters)."""
    out = []
    for q in queries:
        out += [q[:i] for i in range(1, len(q) + 1)]
    return out
