"""safe_reason and quote_value: whatever a participant wrote, a reason quoting it shows as
bounded text with every control character visible as an escape."""

import pytest

from oracle.text import MAX_REASON_CHARS, quote_value, safe_reason


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("bell\x07 esc\x1b[2J nul\x00 del\x7f", "bell\\x07 esc\\x1b[2J nul\\x00 del\\x7f"),
        ("csi\x9b tab\t", "csi\\x9b tab\\x09"),
        ("two\nlines\r", "two\\x0alines\\x0d"),
        ("rtl\u202eevil zero\u200bwidth sep\u2028", "rtl\\u202eevil zero\\u200bwidth sep\\u2028"),
        ("lone \udcff surrogate", "lone \\udcff surrogate"),
        ("accents é ü 漢字 stay", "accents é ü 漢字 stay"),
    ],
)  # fmt: skip
def test_control_and_format_characters_become_escapes(raw: str, shown: str) -> None:
    assert safe_reason(raw) == shown
    assert safe_reason(raw).encode("utf-8")  # no lone surrogate left to break a JSON writer


def test_a_long_reason_is_cut_to_the_limit_and_says_how_long_it_was() -> None:
    for raw in ("x" * 300_000, "\x1b" * 300_000, "ab\x07" * 100_000):
        reason = safe_reason(raw)
        assert len(reason) <= MAX_REASON_CHARS
        assert reason.endswith(f"… ({len(raw)} characters in all)")
        assert "\x1b" not in reason and "\x07" not in reason
        assert not reason.removesuffix(f"… ({len(raw)} characters in all)").endswith("\\")
    assert safe_reason("x" * 50, 10) == "xxxxxxxxx…"  # too short for the count: a bare ellipsis


def test_lines_can_be_kept_for_a_refusal_that_lists_problems() -> None:
    assert safe_reason("first\n  at a: \x1b", lines=True) == "first\n  at a: \\x1b"


def test_a_quoted_value_is_short_and_says_its_length() -> None:
    assert quote_value("r3") == "'r3'"
    assert quote_value("r3\x1b[31m") == "'r3\\x1b[31m'"
    long = quote_value("r" * 300_000)
    assert long == repr("r" * 40) + "… (300000 characters)"
