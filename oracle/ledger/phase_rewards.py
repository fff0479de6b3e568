"""A phase's rewards by the rule its spec declares: v1, or v2 with compensation for a
correction (docs/rewards.md). The oracles (before posting a root) and the auditor (after)
both call `phase_rewards`, so a root is recomputed one way."""

from oracle.ledger.model import Ledger
from oracle.ledger.reward_inputs import reward_inputs
from oracle.rewards.report import RewardReport
from oracle.rewards.rule_v1 import compute_rewards
from oracle.rewards.rule_v2 import compute_rewards_v2
from oracle.spec import ChallengeSpec
from oracle.types import SubmissionId


def phase_rewards(
    ledger: Ledger, challenge_id: int, phase: int, spec: ChallengeSpec, escrow: int,
    prize_tie_groups: tuple[tuple[SubmissionId, ...], ...] = (),
) -> RewardReport:  # fmt: skip
    inputs = reward_inputs(ledger, challenge_id, phase, spec, escrow, prize_tie_groups)
    if spec.rewards.rule_version != 2:
        return compute_rewards(inputs)
    corrected = ledger.challenges[challenge_id].phases[phase].correction > 0
    before = (
        reward_inputs(ledger, challenge_id, phase, spec, escrow, prize_tie_groups, True)
        if corrected
        else None
    )
    return compute_rewards_v2(inputs, before, spec.rewards.compensation_bps)
