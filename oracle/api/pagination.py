"""Pages: `limit` and an opaque `cursor` (the API issues it; anything else is a 422)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from oracle.api.problems import invalid

T = TypeVar("T")

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
SQLITE_MAX_INT = 2**63 - 1


@dataclass(frozen=True)
class PageRequest:
    limit: int
    cursor: str | None

    def after(self) -> int | None:
        """The number the cursor holds (a last id, or an offset); None without a cursor."""
        if self.cursor is None:
            return None
        text = self.cursor
        if not (text.isascii() and text.isdigit()) or int(text) > SQLITE_MAX_INT:
            raise invalid("invalid_cursor", f"cursor {text!r} was not issued by this API; "
                          "pass the next_cursor of the previous page, or none")  # fmt: skip
        return int(text)


def split_page(
    rows: Sequence[T], limit: int, cursor_of: Callable[[T], int]
) -> tuple[list[T], str | None]:
    """Rows were read with LIMIT limit + 1: keep `limit`, and say where the next page starts."""
    if len(rows) > limit:
        return list(rows[:limit]), str(cursor_of(rows[limit - 1]))
    return list(rows), None
