"""Prizes shared equally within a tie group of the private board (spec `ties.share_prizes`).

Kept apart from the rule's steps so that any rule version can apply it after its prizes:
the prizes the group's members won are pooled and each member gets floor(pooled / members),
ranked or not; the rounding remainder stays unassigned (docs/rewards.md, "Ties").
"""

from oracle.types import SubmissionId

Prizes = dict[SubmissionId, tuple[int | None, int]]  # submission → (rank or None, amount)


def share_tied_prizes(
    prizes: dict[SubmissionId, tuple[int, int]],
    groups: tuple[tuple[SubmissionId, ...], ...],
) -> Prizes:
    """The prizes after sharing within each tie group; members keep their rank (if any)."""
    shared: Prizes = dict(prizes)
    for group in groups:
        pooled = sum(prizes[sid][1] for sid in group if sid in prizes)
        if pooled == 0:
            continue
        each = pooled // len(group)
        for sid in group:
            rank = prizes[sid][0] if sid in prizes else None
            shared[sid] = (rank, each)
    return shared
