"""Owner actions on challenges: create one (escrowing its bounty), add a phase, reveal a
phase's holdout; and the registry's view of a challenge, read in one place."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError
from web3.logs import DISCARD

from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.errors import CoopError
from oracle.types import ChallengeId


class ChallengeNotFound(CoopError, LookupError):
    """The registry has no challenge with this id."""


@dataclass(frozen=True)
class PhaseRules:
    """How a phase is judged, fixed on chain when it is added; scores and eta are WAD."""

    higher_is_better: bool
    baseline: int
    target: int
    eta: int


@dataclass(frozen=True)
class PhaseTerms:
    spec_cid: str
    rules: PhaseRules
    commit_start: int
    commit_end: int
    reveal_end: int
    holdout_commitment: bytes
    bounty: int

    def as_call_arg(self) -> tuple[object, ...]:
        return (
            self.spec_cid,
            self.rules.higher_is_better,
            self.rules.baseline,
            self.rules.target,
            self.rules.eta,
            self.commit_start,
            self.commit_end,
            self.reveal_end,
            self.holdout_commitment,
            self.bounty,
        )


@dataclass(frozen=True)
class ChallengeTerms:
    """Everything `createChallenge` fixes for the whole challenge (each phase's own rules are
    in its PhaseTerms)."""

    token: str
    bounty: int
    oracles: tuple[str, ...]
    quorum: int
    arbiter: str
    dispute_window: int = 3600
    dispute_bond: int = 0
    daily_cap: int = 0
    commit_bond: int = 0
    parent_challenge: int = 0
    notice_period: int = 7 * 86400  # a change of judges, or a new phase, opens this late
    scoring_deadline: int = 0  # seconds the oracles have to score a reveal; 0 = no protection
    max_outage_extension: int = 0  # the cap on a phase's extension after an outage; 0 = none

    def as_call_arg(self) -> tuple[object, ...]:
        oracles = sorted_oracles(self.oracles)
        return (
            Web3.to_checksum_address(self.token),
            self.bounty,
            oracles,
            self.quorum,
            self.dispute_window,
            self.dispute_bond,
            Web3.to_checksum_address(self.arbiter),
            self.notice_period,
            self.daily_cap,
            self.commit_bond,
            self.parent_challenge,
            self.scoring_deadline,
            self.max_outage_extension,
        )


def sorted_oracles(oracles: Iterable[str]) -> list[str]:
    """Checksummed and strictly ascending as 160-bit numbers: the order the registry wants."""
    return sorted((Web3.to_checksum_address(o) for o in oracles), key=lambda a: int(a, 16))


def create_challenge(
    platform: Platform, owner: Sender, terms: ChallengeTerms, spec_cid: str, phase0: PhaseTerms
) -> ChallengeId:
    """Approves the vault for the bounty, creates the challenge, returns its id."""
    if terms.bounty > 0:
        owner.transact(platform.token.functions.approve(platform.vault.address, terms.bounty))
    fn = platform.registry.functions.createChallenge(
        terms.as_call_arg(), spec_cid, phase0.as_call_arg()
    )
    receipt = owner.transact(fn)
    (event,) = platform.registry.events.ChallengeCreated().process_receipt(receipt, errors=DISCARD)
    return ChallengeId(int(event["args"]["challengeId"]))


def add_phase(
    platform: Platform, owner: Sender, challenge_id: int, phase: PhaseTerms, top_up: int = 0
) -> int:
    """Approves the vault for `top_up` (if any), appends the phase, returns its index."""
    if top_up > 0:
        owner.transact(platform.token.functions.approve(platform.vault.address, top_up))
    fn = platform.registry.functions.addPhase(challenge_id, phase.as_call_arg(), top_up)
    receipt = owner.transact(fn)
    (event,) = platform.registry.events.PhaseAdded().process_receipt(receipt, errors=DISCARD)
    return int(event["args"]["phase"])


@dataclass(frozen=True)
class PhaseView:
    """A phase as the registry stores it (times are unix seconds)."""

    index: int
    rules: PhaseRules
    commit_start: int
    commit_end: int
    reveal_end: int
    holdout_revealed: bool
    holdout_commitment: bytes
    bounty: int
    correction: int = 0  # corrections of its scorer or labels published so far


@dataclass(frozen=True)
class ChallengeView:
    """`getChallenge` and every `getPhase` of one challenge, with names."""

    challenge_id: int
    owner: str
    token: str
    arbiter: str  # of the newest announced judges (a phase's own: read_phase_judges)
    quorum: int  # of the newest announced judges
    config_version: int
    config_digest: str  # 0x-hex, of the newest announced judges
    notice_period: int  # seconds between announcing new judges or a phase and its start
    daily_cap: int
    commit_bond: int
    dispute_window: int
    dispute_bond: int
    bounty: int  # escrowed so far (creation + top-ups)
    allocated: int  # given to phases
    parent_challenge: int
    phases: tuple[PhaseView, ...]
    scoring_deadline: int = 0  # seconds; 0 = no quota protection (docs/participant.md)
    max_outage_extension: int = 0

    @property
    def unallocated(self) -> int:
        return self.bounty - self.allocated

    @property
    def last_reveal_end(self) -> int:
        return self.phases[-1].reveal_end

    def rules_of_spec(self) -> dict[str, object]:
        """The challenge-wide limits a phase's spec must repeat, keyed like the spec's fields
        (each phase has its own direction, baseline, target and eta)."""
        return {
            "limits.daily_cap": self.daily_cap,
            "limits.commit_bond_wei": self.commit_bond,
            "limits.scoring_deadline_s": self.scoring_deadline,
            "limits.max_outage_extension_s": self.max_outage_extension,
        }


def call_struct(contract_fn: Any) -> dict[str, Any]:
    """Calls a view that returns one struct; {field name: value}, names from the ABI (so a
    field added to the struct later does not shift the others)."""
    components = contract_fn.abi["outputs"][0]["components"]
    return {c["name"]: v for c, v in zip(components, contract_fn.call(), strict=True)}


def read_challenge(platform: Platform, challenge_id: int) -> ChallengeView:
    """The registry's record of a challenge and its phases; ChallengeNotFound if none."""
    registry = platform.registry.functions
    count = int(registry.challengeCount().call())
    if not 1 <= challenge_id <= count:
        known = f"ids 1 to {count}" if count else "none yet"
        raise ChallengeNotFound(
            f"challenge {challenge_id} does not exist on this deployment ({known}); check the "
            "id, or --deployment / COOP_DEPLOYMENT"
        )
    c = call_struct(registry.getChallenge(challenge_id))
    phases = []
    for index in range(int(c["phaseCount"])):
        p = call_struct(registry.getPhase(challenge_id, index))
        rules = PhaseRules(bool(p["higherIsBetter"]), int(p["baseline"]), int(p["target"]),
                           int(p["eta"]))  # fmt: skip
        phases.append(PhaseView(index, rules, int(p["commitStart"]), int(p["commitEnd"]),
                                int(p["revealEnd"]), bool(p["holdoutRevealed"]),
                                bytes(p["holdoutCommitment"]), int(p["bounty"]),
                                int(p["correction"])))  # fmt: skip
    return ChallengeView(
        challenge_id=challenge_id, owner=c["owner"], token=c["token"], arbiter=c["arbiter"],
        quorum=int(c["quorum"]),
        config_version=int(c["configVersion"]), daily_cap=int(c["dailyCap"]),
        config_digest="0x" + bytes(c["configDigest"]).hex(),
        notice_period=int(c["noticePeriod"]),
        commit_bond=int(c["commitBond"]), dispute_window=int(c["disputeWindow"]),
        dispute_bond=int(c["disputeBond"]), bounty=int(c["bounty"]),
        allocated=int(c["allocated"]), parent_challenge=int(c["parentChallenge"]),
        phases=tuple(phases), scoring_deadline=int(c["scoringDeadline"]),
        max_outage_extension=int(c["maxOutageExtension"]),
    )  # fmt: skip


@dataclass(frozen=True)
class PayoutRules:
    """`payoutRules`: what the vault reads to pay, dispute and refund a challenge."""

    token: str
    owner: str
    dispute_window: int  # seconds between a root and its first claim
    dispute_bond: int  # wei a disputer sends
    phase_count: int


def read_payout_rules(platform: Platform, challenge_id: int) -> PayoutRules:
    """One call for the owner, dispute window and bond; ChallengeNotFound if none."""
    try:
        values = platform.registry.functions.payoutRules(challenge_id).call()
    except (ContractCustomError, ContractLogicError):
        read_challenge(platform, challenge_id)  # raises ChallengeNotFound with the known ids
        raise
    token, owner, window, bond, phases = values
    return PayoutRules(token, owner, int(window), int(bond), int(phases))


@dataclass(frozen=True)
class PhaseJudges:
    """`phaseJudges`: the version of the judges in force when the phase's commits opened."""

    version: int
    config_digest: bytes
    active_from: int
    quorum: int
    arbiter: str
    oracles: tuple[str, ...]


def read_phase_judges(platform: Platform, challenge_id: int, phase: int) -> PhaseJudges:
    registry = platform.registry.functions
    version, judges = registry.phaseJudges(challenge_id, phase).call()
    digest, active_from, quorum, arbiter = judges
    oracles = tuple(registry.oraclesAt(challenge_id, version).call())
    return PhaseJudges(int(version), bytes(digest), int(active_from), int(quorum), arbiter,
                       oracles)  # fmt: skip


def reveal_holdout(
    platform: Platform, revealer: Sender, challenge_id: int, phase: int, labels_cid: str,
    labels_digest: bytes, split_salt: bytes,
) -> None:  # fmt: skip
    """Anyone holding the secret may reveal; the registry checks it against the commitment."""
    fn = platform.registry.functions.revealHoldout(
        challenge_id, phase, labels_cid, labels_digest, split_salt
    )
    revealer.transact(fn)
