"""Text that comes out of a sandbox, made safe to publish: bounded, escaped, no secrets.

A sandboxed program chooses every byte of its log and of the messages it raises. Before
any of it reaches a status reason, a report, a log line or a terminal it goes through
`safe_text`: the values of the oracle's own secret settings are blanked out, should a
program ever get hold of one, then oracle.text.safe_reason escapes control characters (no
ESC, BEL or NUL arrives raw) and bounds the length.
"""

import os
import re

from oracle.text import safe_reason

_SECRET_NAME = re.compile(r"KEY|PASSWORD|SECRET|TOKEN|PRIVATE", re.IGNORECASE)
REDACTED = "[redacted]"


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
    return safe_reason(text.replace("\t", " "), limit, lines=keep_newlines)
