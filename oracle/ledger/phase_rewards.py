"""A phase's rewards by the rule its spec declares: v1, or v2 with compensation for a
correction (docs/rewards.md). The oracles (before posting a root) and the auditor (after)
both call `phase_rewards`, so a root is recomputed one way."""

from oracle.ledger.model import Ledger
from oracle.ledger.reward_inputs import reward_inputs
from oracle.rewards.model import NearCopy
from oracle.rewards.report import RewardReport
from oracle.rewards.rule_v1 import compute_rewards
from oracle.rewards.rule_v2 import compute_rewards_v2
from oracle.rewards.teams import with_teams
from oracle.spec import ChallengeSpec
from oracle.types import SubmissionId


def phase_rewards(
    ledger: Ledger, challenge_id: int, phase: int, spec: ChallengeSpec, escrow: int,
    prize_tie_groups: tuple[tuple[SubmissionId, ...], ...] = (),
    prize_ineligible: tuple[SubmissionId, ...] = (),
    near_copies: tuple[NearCopy, ...] = (),
) -> RewardReport:  # fmt: skip
    """`prize_tie_groups`, `prize_ineligible` and `near_copies` as reward_inputs takes them.
    The teams formed by the phase's holdout reveal rank once for prizes and then share
    their members' rewards by their shares (oracle/rewards/teams.py)."""
    args = (ledger, challenge_id, phase, spec, escrow, prize_tie_groups, prize_ineligible)
    inputs = reward_inputs(*args, near_copies)
    if spec.rewards.rule_version != 2:
        return with_teams(compute_rewards(inputs), inputs.teams)
    corrected = ledger.challenges[challenge_id].phases[phase].correction > 0
    before = reward_inputs(*args, near_copies, before_correction=True) if corrected else None
    report = compute_rewards_v2(inputs, before, spec.rewards.compensation_bps)
    return with_teams(report, inputs.teams)
