"""Text that came from untrusted input, made safe to show: bounded, control characters escaped.

A reason (a submission's status reason, a refusal of a spec or a request) can quote what a
participant wrote, and it ends up in JSON reports, logs and the operator's terminal. Pass it
through `safe_reason` before it leaves the module that words it, and quote a value with
`quote_value`: ESC, BEL, NUL and the other C0/C1 controls, lone surrogates, and the Unicode
format characters that reorder or hide text (bidi overrides, zero-width spaces) become
visible escapes (`\\x1b`, `\\u202e`), and the length is capped, saying how long the text was.
Both run in time linear in their input.
"""

import re

MAX_REASON_CHARS = 1000  # a reason is at most this long once escaped, marker included
MAX_QUOTED_CHARS = 40  # a quoted value shows at most this many of its characters

_UNSAFE = re.compile(
    "([\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff])"
)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape(text: str, lines: bool) -> list[str]:
    """The text in pieces, each unsafe character replaced by its escape."""
    pieces = _UNSAFE.split(text)  # plain text at even indexes, one unsafe character at odd
    return [
        piece if index % 2 == 0 or (lines and piece == "\n") else _escaped(piece)
        for index, piece in enumerate(pieces)
    ]


def safe_reason(text: str, limit: int = MAX_REASON_CHARS, *, lines: bool = False) -> str:
    """`text` with every unsafe character escaped, cut to at most `limit` characters.

    A cut text ends with `… (N characters in all)`. With `lines=True` line breaks are kept
    (a refusal listing several problems, one per line); otherwise they are escaped too."""
    pieces = _escape(text[: limit + 1], lines)  # escaping only lengthens: the rest is cut
    if len(text) <= limit and sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    marker = f"… ({len(text)} characters in all)"
    marker = marker if len(marker) < limit else "…"
    room = max(limit - len(marker), 0)
    kept: list[str] = []
    size = 0
    for index, piece in enumerate(pieces):
        if size + len(piece) > room:
            if index % 2 == 0:  # plain text may be cut anywhere, an escape only whole
                kept.append(piece[: room - size])
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
