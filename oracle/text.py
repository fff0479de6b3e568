"""Text that came from untrusted input, made safe to show: bounded, control characters escaped.

A reason (a submission's status reason, a refusal of a spec or a request) can quote what a
participant wrote, and it ends up in JSON reports, logs and the operator's terminal. Pass it
through `safe_reason` before it leaves the module that words it, and quote a value with
`quote_value`: every character Python does not call printable (ESC, BEL, NUL and the other
C0/C1 controls, line breaks, lone surrogates, unassigned code points, the format characters
that reorder or hide text such as bidi overrides and zero-width spaces) becomes a visible
escape as repr writes it (`\\x1b`, `\\u202e`), and the length is capped, saying how long the
text was. Both look at no more of their input than the limit.
"""

MAX_REASON_CHARS = 1000  # a reason is at most this long once escaped, marker included
MAX_QUOTED_CHARS = 40  # a quoted value shows at most this many of its characters


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _escape(text: str, lines: bool) -> list[str]:
    """The text one character at a time, each character that is not printable escaped."""
    return [
        char if char.isprintable() or (lines and char == "\n") else _escaped(char) for char in text
    ]


def safe_reason(text: str, limit: int = MAX_REASON_CHARS, *, lines: bool = False) -> str:
    """`text` with every unsafe character escaped, cut to at most `limit` characters.

    A cut text ends with `… (N characters in all)`. With `lines=True` line breaks are kept
    (a refusal listing several problems, one per line); otherwise they are escaped too."""
    if len(text) <= limit and text.isprintable():
        return text
    pieces = _escape(text[: limit + 1], lines)  # escaping only lengthens: the rest is cut
    if len(text) <= limit and sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    marker = f"… ({len(text)} characters in all)"
    marker = marker if len(marker) < limit else "…"
    room = max(limit - len(marker), 0)
    kept: list[str] = []
    size = 0
    for piece in pieces:  # whole pieces only: an escape is never cut in two
        if size + len(piece) > room:
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept) + marker


def quote_value(value: object, limit: int = MAX_QUOTED_CHARS) -> str:
    """`value` quoted for a reason as repr does (which escapes every unsafe character),
    showing at most `limit` of its characters: `'r3xxxx'… (300002 characters)`."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text)} characters)"
