"""Constants and helpers shared by the brownie tests (importable: pytest puts this folder on
sys.path). Encodings are computed here from docs/contracts.md, not read from the contracts."""

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from brownie import accounts, chain, web3
from brownie.exceptions import VirtualMachineError
from eth_abi.abi import encode
from eth_account import Account
from eth_utils.crypto import keccak

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.attestation import (
    RewardRoot,
    ScoreItem,
    items_as_call_arg,
    ordered_signatures,
    reward_root_typed_data,
    score_batch,
    score_batch_typed_data,
    sign_typed,
)
from oracle.rewards.merkle import MerkleTree, build_tree
from oracle.rewards.model import Leaf

ETA = 10**16
BOUNTY = 1000 * 10**18
DAY = 86400
DISPUTE_WINDOW = 3600
NOTICE_PERIOD = 7 * DAY
DISPUTE_BOND = 10**18
ORACLE_KEYS = sorted(ANVIL_KEYS[7:10], key=lambda k: int(Account.from_key(k).address, 16))
LABELS_DIGEST = keccak(b"labels")
SPLIT_SALT = keccak(b"salt")
ZERO = b"\x00" * 32
CID = "bafkreiart"
SALT = b"\x01" * 32
REPORT = "bafkreireport"
COMMIT_TYPES = ["uint256", "address", "uint256", "address", "bytes32", "bytes32", "bytes32"]


def fails(call: Callable[..., Any], *args: Any) -> str:
    """The revert message brownie decodes from the custom error: 'Name: value, value'."""
    with pytest.raises(VirtualMachineError) as caught:
        call(*args)
    return str(caught.value.revert_msg)


def low(account: Any) -> str:
    """An address as brownie prints it inside a decoded error."""
    return str(account.address if hasattr(account, "address") else account).lower()


def holdout_commitment() -> bytes:
    salt_hash = keccak(encode(["bytes32"], [SPLIT_SALT]))
    return keccak(encode(["bytes32", "bytes32"], [LABELS_DIGEST, salt_hash]))


def challenge_config(token: Any, oracles: Sequence[Any], owner: Any, /, **changes: Any) -> tuple:
    """A ChallengeConfig tuple; keyword arguments replace fields by their short names."""
    values = {
        "token": token.address,
        "bounty": 0,
        "oracles": [o.address for o in oracles],
        "quorum": 2,
        "window": DISPUTE_WINDOW,
        "bond": DISPUTE_BOND,
        "arbiter": owner.address,
        "notice": NOTICE_PERIOD,
        "cap": 0,
        "commit_bond": 0,
        "parent": 0,
        "scoring_deadline": 0,
        "max_extension": 0,
    }
    values.update(changes)
    return tuple(values.values())


PHASE_RULES = ("higher", "baseline", "target", "eta")


def phase_config(
    start_offset: int = 0,
    bounty: int = 0,
    commit: int = DAY,
    reveal: int = DAY,
    *,
    higher: bool = True,
    baseline: int = 0,
    target: int = 10**18,
    eta: int = ETA,
) -> tuple:
    """A PhaseConfig tuple whose commit window opens `start_offset` s after the last block,
    judged `higher` is better from `baseline` to `target` in steps of `eta`."""
    start = chain[-1].timestamp + start_offset
    return (
        "bafkreispec",
        higher,
        baseline,
        target,
        eta,
        start,
        start + commit,
        start + commit + reveal,
        holdout_commitment(),
        bounty,
    )


def create(registry: Any, token: Any, owner: Any, config: tuple, phase: tuple) -> int:
    """Approves the vault for the bounty, creates the challenge, returns its id."""
    if config[1]:
        token.mint(owner, config[1], {"from": owner})
        token.approve(registry.vault(), config[1], {"from": owner})
    tx = registry.createChallenge(config, "bafkreispec", phase, {"from": owner})
    return int(tx.events["ChallengeCreated"]["challengeId"])


def commitment(
    book: Any,
    challenge_id: int,
    who: Any,
    cid: str = CID,
    parents: Sequence[int] = (),
    weights: Sequence[int] = (),
    salt: bytes = SALT,
) -> bytes:
    fork = keccak(encode(["uint256[]", "uint32[]"], [list(parents), list(weights)]))
    submitter = who.address if hasattr(who, "address") else who
    values = [chain.id, book.address, challenge_id, submitter, keccak(text=cid), fork, salt]
    return keccak(encode(COMMIT_TYPES, values))


def fingerprint(commitment_: bytes, committer: Any) -> bytes:
    """What a pending submission stores: keccak256(abi.encode(commitment, committer)), low 49
    bits cleared (docs/contracts.md, "Storage of a submission")."""
    address = committer.address if hasattr(committer, "address") else committer
    hashed = int.from_bytes(keccak(encode(["bytes32", "address"], [commitment_, address])), "big")
    return (hashed >> 49 << 49).to_bytes(32, "big")


def commit(
    book: Any,
    challenge_id: int,
    who: Any,
    cid: str = CID,
    parents: Sequence[int] = (),
    weights: Sequence[int] = (),
    salt: bytes = SALT,
    value: int = 0,
) -> int:
    c = commitment(book, challenge_id, who, cid, parents, weights, salt)
    tx = book.commit(challenge_id, c, {"from": who, "value": value})
    return int(tx.events["Committed"]["submissionId"])


def reveal(
    book: Any,
    sub_id: int,
    who: Any,
    cid: str = CID,
    parents: Sequence[int] = (),
    weights: Sequence[int] = (),
    salt: bytes = SALT,
) -> Any:
    return book.reveal(sub_id, cid, list(parents), list(weights), salt, {"from": who})


def submit(book: Any, challenge_id: int, who: Any, salt: bytes = SALT) -> int:
    """Commits and reveals a submission without parents; returns its id."""
    sub_id = commit(book, challenge_id, who, salt=salt)
    reveal(book, sub_id, who, salt=salt)
    return sub_id


def private_commitment(sub_id: int, private_score: int, salt: bytes = ZERO) -> bytes:
    return keccak(encode(["uint256", "int256", "bytes32"], [sub_id, private_score, salt]))


def item(sub_id: int, score: int, status: int = 0, private: int | None = None) -> ScoreItem:
    """A score item whose private score (default: the public one) is salted with zeros."""
    opened = score if private is None else private
    return ScoreItem(sub_id, status, score, private_commitment(sub_id, opened), ZERO)


def sign_batch(
    board: Any,
    registry: Any,
    challenge_id: int,
    items: Sequence[ScoreItem],
    seq: int,
    keys: Sequence[str] = ORACLE_KEYS[:2],
    phase: int = 0,
) -> tuple[Any, list[bytes]]:
    digest = phase_digest(registry, challenge_id, phase)
    correction = int(registry.getPhase(challenge_id, phase)["correction"])
    batch = score_batch(challenge_id, phase, seq, digest, list(items), correction=correction)
    typed = score_batch_typed_data(batch, chain.id, board.address)
    return batch, ordered_signatures(sign_typed(typed, k) for k in keys)


def post_scores(
    board: Any,
    registry: Any,
    challenge_id: int,
    items: Sequence[ScoreItem],
    seq: int,
    keys: Sequence[str] = ORACLE_KEYS[:2],
    phase: int = 0,
) -> Any:
    batch, sigs = sign_batch(board, registry, challenge_id, items, seq, keys, phase)
    return board.postScores(
        batch.as_call_arg(), items_as_call_arg(list(items)), sigs, {"from": accounts[5]}
    )


def phase_digest(registry: Any, challenge_id: int, phase: int) -> bytes:
    """The config digest of the phase's judges (`phaseJudges`)."""
    _, judges = registry.phaseJudges(challenge_id, phase)
    return bytes(judges[0])


def end_phase(registry: Any, challenge_id: int, owner: Any, phase: int = 0) -> None:
    """Moves past the phase's reveal end and reveals its holdout."""
    reveal_end = registry.getPhase(challenge_id, phase)["revealEnd"]
    if chain[-1].timestamp <= reveal_end:
        chain.sleep(reveal_end - chain[-1].timestamp + 1)
        chain.mine()
    registry.revealHoldout(
        challenge_id, phase, "bafkreilabels", LABELS_DIGEST, SPLIT_SALT, {"from": owner}
    )


def reward_root(
    vault: Any,
    registry: Any,
    challenge_id: int,
    merkle_root: bytes,
    total: int,
    seq: int = 1,
    phase: int = 0,
    report: str = REPORT,
) -> RewardRoot:
    digest = phase_digest(registry, challenge_id, phase)
    correction = int(registry.getPhase(challenge_id, phase)["correction"])
    return RewardRoot(challenge_id, phase, correction, seq, digest, merkle_root, total,
                      keccak(text=report))  # fmt: skip


def sign_root(vault: Any, root: RewardRoot, keys: Sequence[str] = ORACLE_KEYS[:2]) -> list[bytes]:
    typed = reward_root_typed_data(root, chain.id, vault.address)
    return ordered_signatures(sign_typed(typed, k) for k in keys)


def post_root(
    vault: Any,
    registry: Any,
    challenge_id: int,
    leaves: Sequence[Leaf],
    total: int | None = None,
    seq: int = 1,
    phase: int = 0,
    keys: Sequence[str] = ORACLE_KEYS[:2],
) -> tuple[MerkleTree, Any]:
    """Builds the tree, signs its root with `keys` and posts it; (tree, receipt)."""
    tree = build_tree(list(leaves))
    amount = sum(leaf.amount for leaf in leaves) if total is None else total
    root = reward_root(
        vault, registry, challenge_id, bytes.fromhex(tree.root[2:]), amount, seq, phase
    )
    tx = vault.postRewards(
        root.as_call_arg(), REPORT, sign_root(vault, root, keys), {"from": accounts[5]}
    )
    return tree, tx


def set_storage(address: str, slot: int, value: int) -> None:
    """anvil_setStorageAt: puts a state the public functions cannot reach in a test's time."""
    web3.provider.make_request(  # type: ignore[union-attr]
        "anvil_setStorageAt", [address, hex(slot), "0x" + value.to_bytes(32, "big").hex()]
    )
    chain.mine()


def get_storage(address: str, slot: int) -> int:
    return int.from_bytes(bytes(web3.eth.get_storage_at(address, slot)), "big")


def mapping_slot(key: int, slot: int) -> int:
    return int.from_bytes(keccak(encode(["uint256", "uint256"], [key, slot])), "big")
