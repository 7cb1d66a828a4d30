"""Personal data as people type it, and a check that none of it comes back from a surface.

Each sample is (what a person types, the core that must never be shown again). The check
normalises what came back the same way (full-width to ASCII, separators out) before looking
for each core, so a number typed with spaces cannot come back unmasked in another spelling.
"""

from __future__ import annotations

import unicodedata

SAMPLES: tuple[tuple[str, str], ...] = (
    # mainland mobiles
    ("13912345678", "13912345678"),
    ("139 1234 5678", "13912345678"),
    ("139-1234-5678", "13912345678"),
    ("+86 138 0013 8000", "13800138000"),
    ("0086-15800001111", "15800001111"),
    ("１３７１２３４５６７８", "13712345678"),
    ("１８６－１２３４－５６７８", "18612345678"),
    # landlines
    ("021-61234567", "61234567"),
    ("(021) 6123 4567", "61234567"),
    ("（０２１）６９８７６５４３", "69876543"),
    ("0571 8888 7777", "88887777"),
    ("座机 6234 5566", "62345566"),
    ("5432-1987", "54321987"),
    # resident ID numbers: with check digit, with X, typed without the check digit, old 15
    ("11010519491231002X", "1949123100"),
    ("110105 19491231 002x", "1949123100"),
    ("310101-19900101-1234", "1990010112"),
    ("31010119900307123", "1990030712"),
    ("３１０１０１１９９００３０７１２３４", "1990030712"),
    ("110105491231002", "491231002"),
    # bank cards
    ("6222 0212 3456 7890 123", "022123456789"),
    ("6228480402564890018", "048040256489"),
    ("4392-2500-1234-5678", "500123456"),
    ("６２１７ ０００１ ２３４５ ６７８９", "000123456"),
    # e-mail addresses
    ("zhang.san@qq.com", "zhang.san@"),
    ("rider_007@163.com", "rider_007@"),
    ("ｗａｎｇｗｕ＠１２６．ｃｏｍ", "wangwu@"),
    # licence plates
    ("沪A12345", "沪A12345"),
    ("沪A·D12345", "沪AD12345"),
    ("粤B 6789X", "粤B6789X"),
    ("浙Ａ－８８８８８", "浙A88888"),
)

_SEPARATORS = " \u00a0\u3000-\u2010\u2011\u2012\u2013\u2014\u2015\uff0d·・()（）"


def normalise(text: str) -> str:
    """Full-width to ASCII, separators out, lower case: how a leak is looked for."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if ch not in _SEPARATORS).lower()


def corpus_text() -> str:
    """Every sample in one note, the way a rider or an officer would write it."""
    return "；".join(f"联系方式 {typed}" for typed, _core in SAMPLES)


def leaks(text: str) -> list[str]:
    """The samples whose core appears in `text` (empty when everything was masked)."""
    seen = normalise(text)
    return [typed for typed, core in SAMPLES if normalise(core) in seen]


def corpus_notes(size: int = 8) -> list[str]:
    """The corpus split into notes short enough for any field (a timeline line keeps 500)."""
    return [
        "；".join(f"联系 {typed}" for typed, _core in SAMPLES[i : i + size])
        for i in range(0, len(SAMPLES), size)
    ]
