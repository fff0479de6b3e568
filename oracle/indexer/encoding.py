"""How values are stored: bytes as 0x-hex, big integers as decimal text, sortable rank keys."""

INT256_OFFSET = 2**255
RANK_KEY_DIGITS = 65  # -(-2**255) + 2**255 = 2**256 needs 65


def hex32(value: bytes) -> str:
    return "0x" + bytes(value).hex()


def rank_key(score: int, higher_is_better: bool) -> str:
    """Fixed-width hex that sorts ascending from the best score to the worst.

    SQLite integers stop at 2**63, far below int256 WAD scores, so ordering is done on
    text: the score is negated when higher is better, shifted to be non-negative and
    written as 65 hex digits.
    """
    signed = -score if higher_is_better else score
    return format(signed + INT256_OFFSET, f"0{RANK_KEY_DIGITS}x")
