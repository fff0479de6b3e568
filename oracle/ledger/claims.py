"""Claiming rewards: from a posted root to tokens in the participant's wallet.

For each phase: the vault's current root (`getRoot`) and the RewardsPosted event that
posted it (its report CID); the report fetched from IPFS through the verifying store, its
leaves rebuilt into the Merkle tree (oracle/rewards/merkle.py) and the tree's root compared
with the one on chain; then the account's leaf and proof, and `claim`. Each reason not to
claim (no root, disputed, voided, nothing owed, claimed already, dispute window still
open) is a typed error that says what happens next and when.
"""

from dataclasses import dataclass, field

from web3 import Web3

from oracle.chain.challenges import read_challenge
from oracle.chain.clock import chain_now, time_text
from oracle.chain.platform import Platform
from oracle.chain.roots import RootState, read_root
from oracle.chain.sender import Sender, tx_hash_of
from oracle.errors import CoopError
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import RewardRootPosted
from oracle.ledger.replay import read_ledger
from oracle.rewards.merkle import MerkleTree, build_tree
from oracle.rewards.model import Leaf
from oracle.rewards.published import PendingRoot, fetch_report
from oracle.types import Address, wad_text


class ClaimRefused(CoopError):
    """Root of the reasons a reward cannot be claimed now."""


class NoRewardsRoot(ClaimRefused, LookupError):
    """No rewards root is posted for the phase (yet)."""


class RootDisputed(ClaimRefused, ValueError):
    """Someone disputed the root; the arbiter decides before claims can open."""


class RootVoided(ClaimRefused, ValueError):
    """The arbiter voided the root; the oracles must post a new one."""


class ReportUnusable(ClaimRefused, ValueError):
    """The root's report cannot be fetched, or its leaves do not rebuild the posted root."""


class NothingOwed(ClaimRefused, LookupError):
    """The account has no leaf (or a zero one) under the phase's root."""


class AlreadyClaimed(ClaimRefused, ValueError):
    """The account's leaf under this root was paid already."""


class NothingToClaim(ClaimRefused, ValueError):
    """No phase of the challenge can pay the account now; the message says why for each."""


class ClaimsNotOpen(ClaimRefused, ValueError):
    """The dispute window of the root is still open."""

    def __init__(self, message: str, claimable_at: int) -> None:
        super().__init__(message)
        self.claimable_at = claimable_at


@dataclass(frozen=True)
class PostedRoot:
    """A phase's current root: the vault's record joined with the event that posted it."""

    challenge_id: int
    phase: int
    seq: int
    merkle_root: str  # 0x-hex
    total: int
    report_cid: str
    claimable_at: int
    state: RootState
    block: int
    arbiter_deadline: int = 0  # when an open dispute lapses (0: none, or an older vault)


@dataclass(frozen=True)
class Claimable:
    """A verified leaf ready to be claimed, with its proof."""

    root: PostedRoot
    account: Address
    amount: int
    proof: tuple[str, ...]


@dataclass(frozen=True)
class ClaimPaid:
    claim: Claimable
    tx_hash: str


@dataclass
class ClaimResults:
    paid: list[ClaimPaid] = field(default_factory=list)
    refused: list[tuple[int, ClaimRefused]] = field(default_factory=list)  # (phase, why)

    @property
    def total(self) -> int:
        return sum(p.claim.amount for p in self.paid)


def root_event(platform: Platform, challenge_id: int, phase: int,
               merkle_root: str) -> RewardRootPosted | None:  # fmt: skip
    """The latest RewardsPosted of the phase naming `merkle_root` (0x-hex), with the
    disputes that followed it, read from the ledger; None when no event names it."""
    events = [r for r in read_ledger(platform).challenge(challenge_id).roots
              if r.phase == phase and "0x" + r.merkle_root.hex() == merkle_root]  # fmt: skip
    return events[-1] if events else None


def posted_root(platform: Platform, challenge_id: int, phase: int) -> PostedRoot:
    """The phase's current root; NoRewardsRoot when none was posted."""
    record = read_root(platform, challenge_id, phase)
    if record.state == RootState.NONE:
        raise NoRewardsRoot(
            f"no rewards root is posted for challenge {challenge_id} phase {phase} yet: the "
            "oracles post it after the phase's holdout reveal; `coop challenge status "
            f"{challenge_id}` shows where the phase stands"
        )
    merkle_root = record.merkle_root
    event = root_event(platform, challenge_id, phase, merkle_root)
    if event is None:
        raise ReportUnusable(
            f"the vault holds root {merkle_root} for phase {phase} but no RewardsPosted event "
            "names it; is the node fully synced?"
        )
    return PostedRoot(challenge_id, phase, record.seq, merkle_root, record.total,
                      event.report_cid, record.claimable_at, record.state, event.block,
                      record.arbiter_deadline)  # fmt: skip


def verified_tree(store: ContentStore, root: PostedRoot) -> MerkleTree | None:
    """The root's Merkle tree rebuilt from its report on IPFS; None for a report with no leaf."""
    pending = PendingRoot(root.challenge_id, root.seq, root.phase, root.merkle_root, root.total,
                          root.report_cid, root.block)  # fmt: skip
    outcome = fetch_report(store, pending)
    if outcome.status != "available" or outcome.report is None:
        raise ReportUnusable(
            f"the report of the phase {root.phase} root cannot be used: {outcome.detail}; try "
            "again later, or add an IPFS gateway that has it (COOP_GATEWAYS)"
        )
    if not outcome.report.leaves:
        return None
    return build_tree(Leaf(Address(leaf.account), leaf.amount) for leaf in outcome.report.leaves)


def check_claim(platform: Platform, store: ContentStore, challenge_id: int, phase: int,
                account: str) -> Claimable:  # fmt: skip
    """The account's verified leaf under the phase's root, if it can be claimed right now."""
    account = Address(Web3.to_checksum_address(account))
    root = posted_root(platform, challenge_id, phase)
    where = f"challenge {challenge_id} phase {phase}"
    if root.state == RootState.VOIDED:
        raise RootVoided(
            f"the arbiter voided the rewards root of {where}; the oracles post a corrected one, "
            "claim once it is posted and its dispute window has passed"
        )
    if root.state == RootState.DISPUTED:
        deadline = ""
        if root.arbiter_deadline:
            when = time_text(root.arbiter_deadline, chain_now(platform))
            deadline = f" by {when} (then the dispute lapses and the root stands)"
        raise RootDisputed(
            f"the rewards root of {where} is disputed: the challenge's arbiter rejects the "
            f"dispute (claims open at the end of the root's window) or voids the root (the "
            f"oracles repost){deadline}; try again after the decision"
        )
    tree = verified_tree(store, root)
    leaf = next((v for v, _ in tree.values if v.account == account), None) if tree else None
    if leaf is None or leaf.amount == 0:
        raise NothingOwed(
            f"{account} is owed nothing under the rewards root of {where} (report "
            f"{root.report_cid}); `coop profile {account}` lists what you are owed elsewhere"
        )
    assert tree is not None
    proof = tuple(tree.proof(account))
    vault = platform.vault.functions
    if vault.isClaimed(challenge_id, phase, account, leaf.amount, _proof_bytes(proof)).call():
        raise AlreadyClaimed(
            f"{account} claimed its {wad_text(leaf.amount)} tokens from {where} already"
        )
    now = chain_now(platform)
    if now < root.claimable_at:
        raise ClaimsNotOpen(
            f"{account} is owed {wad_text(leaf.amount)} tokens from {where}, but the root's "
            "dispute window is "
            f"open until {time_text(root.claimable_at, now)}; claim after that",
            root.claimable_at,
        )
    return Claimable(root, account, leaf.amount, proof)


def send_claim(platform: Platform, sender: Sender, claim: Claimable) -> ClaimPaid:
    """Sends `claim` (anyone may relay it: the tokens go to the leaf's account)."""
    r = claim.root
    proof = _proof_bytes(claim.proof)
    fn = platform.vault.functions.claim(r.challenge_id, r.phase, claim.account, claim.amount, proof)
    receipt = sender.transact(fn)
    return ClaimPaid(claim, tx_hash_of(receipt))


def claim_rewards(
    platform: Platform, store: ContentStore, sender: Sender, challenge_id: int,
    phase: int | None = None, account: str | None = None,
) -> ClaimResults:  # fmt: skip
    """Claims what `account` (default: the sender) is owed in one phase, or in every phase.

    With a phase given, a refusal is raised. Without, every phase with a root is tried and
    each refusal kept in the results; if nothing could be paid, the refusal is raised (the
    only one, or all of them in one message)."""
    who = account or sender.address
    if phase is not None:
        claimable = check_claim(platform, store, challenge_id, phase, who)
        return ClaimResults([send_claim(platform, sender, claimable)])
    results = ClaimResults()
    for index in range(len(read_challenge(platform, challenge_id).phases)):
        try:
            claimable = check_claim(platform, store, challenge_id, index, who)
        except ClaimRefused as why:
            results.refused.append((index, why))
            continue
        results.paid.append(send_claim(platform, sender, claimable))
    if results.paid:
        return results
    relevant = [(i, why) for i, why in results.refused if not isinstance(why, NoRewardsRoot)]
    if len(relevant) == 1 or len(results.refused) == 1:
        raise (relevant or results.refused)[0][1]
    if not relevant:
        raise NoRewardsRoot(
            f"no rewards root is posted for challenge {challenge_id} yet: the oracles post one "
            f"per phase after its holdout reveal; `coop challenge status {challenge_id}` shows "
            "where each phase stands"
        )
    raise NothingToClaim(
        f"nothing to claim from challenge {challenge_id} now: "
        + "; ".join(f"phase {i}: {why}" for i, why in relevant)
    )


def _proof_bytes(proof: tuple[str, ...]) -> list[bytes]:
    return [bytes.fromhex(node[2:]) for node in proof]
