"""Prizes go only to submissions under an open licence, when the spec asks for that.

`prize_contenders` gives the inputs the prize step ranks: the same, except that the
submissions in `prize_ineligible` (valid, but under a licence that is not open; oracle/
ledger/licences.py) do not compete, so the next eligible entries take their ranks. They
keep their improvement awards and their place in the fork graph.
"""

from dataclasses import replace

from oracle.rewards.model import RewardInputs


def prize_contenders(inputs: RewardInputs) -> RewardInputs:
    if not inputs.prize_ineligible:
        return inputs
    out = set(inputs.prize_ineligible)
    return replace(inputs, submissions=tuple(
        replace(r, valid=False) if r.submission_id in out else r for r in inputs.submissions
    ))  # fmt: skip
