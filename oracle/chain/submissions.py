"""Participant actions: commit, reveal (resumable), review and claim.

The salt of a commit is written to a pending-reveal file before the commit is sent, so an
interrupted `coop submit` can always be finished with `coop reveal`.
"""

import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from eth_abi.abi import encode
from eth_utils.crypto import keccak
from web3 import Web3
from web3.logs import DISCARD

from oracle.chain.dev_chains import is_anvil
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.errors import CoopError, OutOfGas
from oracle.types import PPM


class InvalidForkWeights(CoopError, ValueError):
    """Parents or weights break the contract's rules; nothing was sent."""


@dataclass(frozen=True)
class PendingReveal:
    chain_id: int
    book: str
    challenge_id: int
    submitter: str
    artifact_cid: str
    parents: tuple[int, ...]
    weights_ppm: tuple[int, ...]
    salt: str  # 0x-hex, 32 bytes
    submission_id: int | None = None
    commit_block: int | None = None  # the block of the commit (the book does not store it)

    def path(self, data_dir: Path) -> Path:
        name = f"{self.chain_id}-{self.book.lower()}-{self.challenge_id}-{self.salt[2:18]}.json"
        return data_dir / "pending" / name

    def save(self, data_dir: Path) -> Path:
        path = self.path(data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(asdict(self), handle, indent=2)
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: Path) -> "PendingReveal":
        data = json.loads(path.read_text())
        data["parents"] = tuple(data["parents"])
        data["weights_ppm"] = tuple(data["weights_ppm"])
        return cls(**data)


def pending_reveals(data_dir: Path) -> list[tuple[Path, PendingReveal]]:
    """The pending reveals in DATA_DIR/pending/, oldest commit first."""
    folder = data_dir / "pending"
    found = [(p, PendingReveal.load(p)) for p in sorted(folder.glob("*.json"))]
    return sorted(found, key=lambda item: item[1].submission_id or 0)


def drop_pending(path: Path) -> Path:
    """Moves a pending reveal that will not be revealed to pending/dropped/ (kept, not lost)."""
    target = path.parent / "dropped" / path.name
    target.parent.mkdir(exist_ok=True)
    path.replace(target)
    return target


def compute_commitment(
    chain_id: int, book: str, challenge_id: int, submitter: str, artifact_cid: str,
    parents: tuple[int, ...], weights_ppm: tuple[int, ...], salt: bytes,
) -> bytes:  # fmt: skip
    """The commitment exactly as SubmissionBook computes it (docs/contracts.md)."""
    fork_hash = keccak(encode(["uint256[]", "uint32[]"], [list(parents), list(weights_ppm)]))
    return keccak(
        encode(
            ["uint256", "address", "uint256", "address", "bytes32", "bytes32", "bytes32"],
            [chain_id, book, challenge_id, submitter, keccak(text=artifact_cid), fork_hash, salt],
        )
    )


def check_fork(parents: tuple[int, ...], weights_ppm: tuple[int, ...]) -> None:
    if len(parents) != len(weights_ppm):
        raise InvalidForkWeights(f"{len(parents)} parents but {len(weights_ppm)} weights")
    if len(parents) > 8:
        raise InvalidForkWeights(f"{len(parents)} parents; at most 8 are allowed")
    if list(parents) != sorted(set(parents)):
        raise InvalidForkWeights("parents must be distinct submission ids in ascending order")
    if parents and sum(weights_ppm) != PPM:
        raise InvalidForkWeights(
            f"weights sum to {sum(weights_ppm)} ppm; they must sum to {PPM} (100%)"
        )
    if any(w <= 0 for w in weights_ppm):
        raise InvalidForkWeights("every parent needs a weight above 0")


def commit(
    platform: Platform, sender: Sender, data_dir: Path, challenge_id: int, artifact_cid: str,
    parents: tuple[int, ...] = (), weights_ppm: tuple[int, ...] = (),
) -> PendingReveal:  # fmt: skip
    """Commits; the pending reveal (with its salt) is on disk before the transaction leaves."""
    check_fork(parents, weights_ppm)
    pending = PendingReveal(
        chain_id=platform.w3.eth.chain_id,
        book=platform.book.address,
        challenge_id=challenge_id,
        submitter=Web3.to_checksum_address(sender.address),
        artifact_cid=artifact_cid,
        parents=parents,
        weights_ppm=weights_ppm,
        salt="0x" + secrets.token_hex(32),
    )
    pending.save(data_dir)
    commitment = compute_commitment(
        pending.chain_id, pending.book, challenge_id, pending.submitter, artifact_cid,
        parents, weights_ppm, bytes.fromhex(pending.salt[2:]),
    )  # fmt: skip
    _, _, bond, _ = platform.registry.functions.commitRules(challenge_id).call()
    receipt = sender.transact(platform.book.functions.commit(challenge_id, commitment), bond)
    (event,) = platform.book.events.Committed().process_receipt(receipt, errors=DISCARD)
    pending = PendingReveal(
        **{
            **asdict(pending),
            "submission_id": event["args"]["submissionId"],
            "commit_block": receipt["blockNumber"],
        }
    )
    pending.save(data_dir)
    return pending


def wait_for_block_after(platform: Platform, block: int, timeout: float = 60.0) -> None:
    """Returns once the chain is past `block` (a reveal must come after its commit block).

    An automining anvil makes no block without a transaction, so there one is mined on
    request (a dev-only convenience); any other node is waited for.
    """
    w3 = platform.w3
    deadline = time.monotonic() + timeout
    anvil = is_anvil(w3)
    while w3.eth.block_number <= block:
        if anvil:
            w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            continue
        if time.monotonic() > deadline:
            raise CoopError(f"no block after {block} within {timeout:.0f} s; is the chain live?")
        time.sleep(0.5)


def reveal(platform: Platform, sender: Sender, pending: PendingReveal) -> int:
    """Reveals a committed submission; returns its id. Waits one block after the commit."""
    if pending.submission_id is None:
        raise CoopError("this pending reveal has no submission id: its commit was not mined")
    # A file saved before commit blocks were recorded: the commit is at or before the head.
    commit_block = pending.commit_block
    if commit_block is None:
        commit_block = platform.w3.eth.block_number
    wait_for_block_after(platform, commit_block)
    fn = platform.book.functions.reveal(
        pending.submission_id, pending.artifact_cid, list(pending.parents),
        list(pending.weights_ppm), bytes.fromhex(pending.salt[2:]),
    )  # fmt: skip
    try:
        sender.transact(fn)
    except OutOfGas as exc:
        raise OutOfGas(
            f"{exc}. Submission {pending.submission_id} stays committed: `coop reveal` "
            "reveals it (do not submit it again)"
        ) from None
    return pending.submission_id
