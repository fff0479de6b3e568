"""Rewards engine: reward rule v1 and the OpenZeppelin-compatible Merkle tree of its payouts."""

from oracle.rewards.merkle import MerkleTree, build_tree, leaf_hash, verify
from oracle.rewards.model import (
    Leaf,
    ParentRef,
    Review,
    RewardInputs,
    SubmissionRecord,
)
from oracle.rewards.report import RULE_VERSION, RewardReport
from oracle.rewards.rule_v1 import compute_rewards
from oracle.spec import Direction

__all__ = [
    "RULE_VERSION",
    "Direction",
    "Leaf",
    "MerkleTree",
    "ParentRef",
    "Review",
    "RewardInputs",
    "RewardReport",
    "SubmissionRecord",
    "build_tree",
    "compute_rewards",
    "leaf_hash",
    "verify",
]
