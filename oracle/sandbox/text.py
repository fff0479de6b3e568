"""Text that comes out of a sandbox, made safe to publish: bounded, escaped, no secrets.

A sandboxed program chooses every byte of its log and of the messages it raises. Before
any of it reaches a status reason, a report, a log line or a terminal it goes through
`safe_text`: control characters are escaped (no ESC, BEL or NUL arrives raw), the length
is bounded, and the values of the oracle's own secret settings are blanked out, should a
program ever get hold of one.
"""

import os
import re

_SECRET_NAME = re.compile(r"KEY|PASSWORD|SECRET|TOKEN|PRIVATE", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
REDACTED = "[redacted]"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def secrets_of_this_process() -> list[str]:
    """Values of COOP_* settings whose names say they are secret (keys, passwords, tokens)."""
    return sorted(
        (value for name, value in os.environ.items()
         if name.startswith("COOP_") and _SECRET_NAME.search(name) and len(value) >= 6),
        key=len, reverse=True,
    )  # fmt: skip


def safe_text(text: str, limit: int, *, keep_newlines: bool = False) -> str:
    """`text` escaped and cut to at most `limit` characters (the start kept: it says what)."""
    for secret in secrets_of_this_process():
        text = text.replace(secret, REDACTED)
    if not keep_newlines:
        text = " | ".join(line.strip() for line in text.splitlines() if line.strip())
    text = _CONTROL.sub(_escape, text.replace("\t", " "))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
