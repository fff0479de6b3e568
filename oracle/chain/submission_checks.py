"""What can be checked before a commit or a reveal is sent: the challenge and its open
phase, the daily cap, the parents, the commit bond and the ETH to pay for it all; and
whether a pending reveal can still succeed (docs/participant.md, "When something is wrong").

A refused submit sends nothing: no daily commit is spent on a reveal that must revert.
"""

from dataclasses import dataclass

from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError

from oracle.chain.challenges import read_challenge
from oracle.chain.clock import chain_now, time_text
from oracle.chain.platform import Platform
from oracle.chain.sender import describe_revert, ether_text
from oracle.chain.submissions import PendingReveal, check_fork
from oracle.errors import CoopError

# Gas of a reveal without parents, and per parent, rounded up from bench/report.json; used
# only to say how much ETH a submit needs before its commit is sent.
REVEAL_GAS = 120_000
REVEAL_GAS_PER_PARENT = 15_000


class SubmitRefused(CoopError, ValueError):
    """A submit that would fail on chain; nothing was sent."""


@dataclass(frozen=True)
class CommitPlan:
    phase: int
    bond: int  # wei, refunded at the reveal
    commit_end: int
    reveal_end: int


def check_submit(platform: Platform, submitter: str, challenge_id: int,
                 parents: tuple[int, ...], weights_ppm: tuple[int, ...]) -> CommitPlan:  # fmt: skip
    """Everything a commit and its reveal need, checked with views and a simulated commit."""
    check_fork(parents, weights_ppm)
    registry, book = platform.registry.functions, platform.book.functions
    now = chain_now(platform)
    count = registry.challengeCount().call()
    if not 1 <= challenge_id <= count:
        raise SubmitRefused(
            f"there is no challenge {challenge_id} (this deployment has {count}); "
            "`coop challenge status ID` shows one"
        )
    try:
        phase, _, bond, _ = registry.commitRules(challenge_id).call()
    except (ContractCustomError, ContractLogicError):
        raise SubmitRefused(_closed_reason(platform, challenge_id, now)) from None
    view = read_challenge(platform, challenge_id).phases[phase]
    commit_end, reveal_end = view.commit_end, view.reveal_end
    for parent in parents:
        _check_parent(platform, parent)
    address = Web3.to_checksum_address(submitter)
    balance = platform.w3.eth.get_balance(address)
    probe = book.commit(challenge_id, b"\x00" * 32)
    gas = 100_000
    if balance >= bond:
        try:
            gas = probe.estimate_gas({"from": address, "value": bond})
        except (ContractCustomError, ContractLogicError) as exc:
            raise SubmitRefused(_commit_refusal(describe_revert(probe, exc))) from None
    price = platform.w3.eth.gas_price
    needed = bond + (gas + REVEAL_GAS + REVEAL_GAS_PER_PARENT * len(parents)) * price
    if balance < needed:
        raise SubmitRefused(
            f"{address} holds {ether_text(balance)}; a submit to challenge {challenge_id} needs "
            f"about {ether_text(needed)} (a commit bond of {ether_text(bond)}, returned at the "
            "reveal, and the gas of two transactions): send ETH to it first "
            "(on the dev chain: `coop account fund ADDRESS`)"
        )
    return CommitPlan(phase, bond, commit_end, reveal_end)


def _closed_reason(platform: Platform, challenge_id: int, now: int) -> str:
    phases = read_challenge(platform, challenge_id).phases
    starts = [p.commit_start for p in phases if p.commit_start > now]
    if starts:
        return (
            f"commits to challenge {challenge_id} are not open yet: the next phase opens "
            f"{time_text(min(starts), now)}"
        )
    last_end = phases[-1].commit_end if phases else 0
    return (
        f"commits to challenge {challenge_id} are closed: its last phase took commits until "
        f"{time_text(last_end, now)}, and no later phase was added"
    )


def _check_parent(platform: Platform, parent: int) -> None:
    try:
        found = platform.book.functions.getSubmission(parent).call()
    except (ContractCustomError, ContractLogicError):
        total = platform.book.functions.submissionCount().call()
        raise SubmitRefused(
            f"parent {parent} is not a submission (ids go from 1 to {total}): "
            "check the id with `coop leaderboard CHALLENGE`"
        ) from None
    if not found[_REVEALED]:
        raise SubmitRefused(
            f"parent {parent} is committed but not revealed: a parent must be revealed before "
            "your commit (a fork names only what it could see); wait for its reveal, or leave "
            "it out"
        )


# getSubmission's tuple: submitter, challengeId, phase, forkMark, revealed, fingerprint
_CHALLENGE, _PHASE, _FORK_MARK, _REVEALED = 1, 2, 3, 4


def _commit_refusal(decoded: str) -> str:
    if "DailyCapReached" in decoded:
        return (
            f"{decoded}: you reached the challenge's daily commit cap; "
            "commit again after that time"
        )
    return decoded


def reveal_blocker(platform: Platform, pending: PendingReveal) -> str | None:
    """Why `pending` can never be revealed (it should be dropped), or None when it still can.

    A reveal that is only early (the commit's own block) is not blocked."""
    book = platform.book.functions
    now = chain_now(platform)
    if pending.submission_id is None:
        return "its commit never reached the chain"
    try:
        found = book.getSubmission(pending.submission_id).call()
    except (ContractCustomError, ContractLogicError):
        return f"submission {pending.submission_id} does not exist on this chain (a new chain?)"
    if found[_REVEALED]:
        return f"submission {pending.submission_id} is revealed already"
    rules = platform.registry.functions.revealRules(found[_CHALLENGE], found[_PHASE])
    reveal_end = rules.call()[0]
    if now > reveal_end:
        return (
            f"the reveal window of submission {pending.submission_id} closed "
            f"{time_text(reveal_end, now)}"
        )
    for parent in pending.parents:
        try:
            seen = book.getSubmission(parent).call()
        except (ContractCustomError, ContractLogicError):
            return f"its parent {parent} does not exist"
        if not seen[_REVEALED] or seen[_FORK_MARK] > pending.submission_id:
            return (
                f"its parent {parent} was not revealed before this commit "
                f"(submission {pending.submission_id}), and never can be"
            )
    fn = book.reveal(pending.submission_id, pending.artifact_cid, list(pending.parents),
                     list(pending.weights_ppm), bytes.fromhex(pending.salt[2:]))  # fmt: skip
    try:
        fn.call({"from": Web3.to_checksum_address(pending.submitter)})
    except (ContractCustomError, ContractLogicError) as exc:
        decoded = describe_revert(fn, exc)
        if "CommitmentMismatch" in decoded:
            return (
                f"submission {pending.submission_id} on this chain is another commit than this "
                "file's (was the chain restarted?)"
            )
    return None


def is_for(platform: Platform, pending: PendingReveal) -> bool:
    """Whether `pending` was committed on this chain and deployment (a data dir may hold
    pending reveals of several networks; the others are left alone)."""
    return pending.chain_id == platform.w3.eth.chain_id and (
        pending.book.lower() == platform.book.address.lower()
    )
