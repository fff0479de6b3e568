"""ChallengeRegistry: creation escrows the bounty; owners add phases, rotate oracles, reveal."""

import pytest
from brownie import accounts, chain
from brownie.exceptions import VirtualMachineError
from brownie_helpers import BOUNTY, ETA, LABELS_DIGEST, SPLIT_SALT


def config(token, oracles, owner, **changes):  # type: ignore[no-untyped-def]
    values = {"token": token.address, "bounty": 0, "higher": True, "baseline": 0,
              "target": 10**18, "eta": ETA, "oracles": [o.address for o in oracles],
              "quorum": 2, "window": 3600, "bond": 0, "arbiter": owner.address, "cap": 0,
              "commit_bond": 0, "parent": 0}  # fmt: skip
    values.update(changes)
    return tuple(values.values())


def phase(start_offset: int = 0, bounty: int = 0):  # type: ignore[no-untyped-def]
    now = chain[-1].timestamp + start_offset
    return ("bafkreispec", now, now + 100, now + 200, b"\x01" * 32, bounty)


def test_create_escrows_bounty_and_emits_config(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    assert token.balanceOf(vault) == BOUNTY and vault.escrowBalance(challenge) == BOUNTY
    stored = registry.getChallenge(challenge)
    assert stored["owner"] == owner and stored["eta"] == ETA and stored["bounty"] == BOUNTY
    assert registry.challengeCount() == 1 and registry.quorum(challenge) == 2


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"eta": 0}, "InvalidEta: 0"),
        ({"target": -1}, "InvalidScoreRange: 0, -1, True"),
        ({"cap": 7}, "InvalidDailyCap: 7, 6"),
        ({"quorum": 4}, "InvalidOracleSet: 3, 4"),
        ({"parent": 99}, "UnknownChallenge: 99"),
    ],
)
def test_create_rejects_bad_config(platform, oracles, owner, changes, expected) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    with pytest.raises(VirtualMachineError) as caught:
        registry.createChallenge(config(token, oracles, owner, **changes), "bafkreispec",
                                 phase(), {"from": owner})  # fmt: skip
    assert caught.value.revert_msg == expected


def test_unsorted_oracles_rejected(platform, oracles, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    reversed_set = config(token, oracles[::-1], owner)
    with pytest.raises(VirtualMachineError) as caught:
        registry.createChallenge(reversed_set, "bafkreispec", phase(), {"from": owner})
    assert caught.value.revert_msg.startswith("OraclesNotSorted: 1, ")


def test_add_phase_only_by_owner_and_after_previous(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, _, _ = platform
    with pytest.raises(VirtualMachineError) as caught:
        registry.addPhase(challenge, phase(), 0, {"from": accounts[1]})
    assert (
        caught.value.revert_msg
        == f"NotChallengeOwner: {challenge}, {accounts[1].address.lower()}, {owner.address.lower()}"
    )
    with pytest.raises(VirtualMachineError) as caught:
        registry.addPhase(challenge, phase(), 0, {"from": owner})
    assert caught.value.revert_msg.startswith("InvalidWindows:")
    later = phase(start_offset=3 * 86400)
    tx = registry.addPhase(challenge, later, 0, {"from": owner})
    assert (
        tx.events["PhaseAdded"]["phase"] == 1
        and registry.getChallenge(challenge)["phaseCount"] == 2
    )


def test_rotation_changes_digest_and_membership(platform, challenge, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, _, _ = platform
    old = registry.configDigest(challenge)
    registry.setOracles(challenge, [oracles[2].address], 1, {"from": owner})
    assert registry.configDigest(challenge) != old
    assert not registry.isOracle(challenge, oracles[0]) and registry.isOracle(challenge, oracles[2])


def test_holdout_reveal_checks_time_and_commitment(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, _, _ = platform
    with pytest.raises(VirtualMachineError) as caught:
        registry.revealHoldout(challenge, 0, "cid", LABELS_DIGEST, SPLIT_SALT, {"from": owner})
    assert caught.value.revert_msg.startswith(f"HoldoutTooEarly: {challenge}, 0, ")
    chain.sleep(3 * 86400)
    with pytest.raises(VirtualMachineError) as caught:
        registry.revealHoldout(challenge, 0, "cid", LABELS_DIGEST, b"\x09" * 32, {"from": owner})
    assert caught.value.revert_msg.startswith("HoldoutMismatch:")
    tx = registry.revealHoldout(
        challenge, 0, "bafkreilabels", LABELS_DIGEST, SPLIT_SALT, {"from": owner}
    )
    assert tx.events["HoldoutRevealed"]["labelsCid"] == "bafkreilabels"
    with pytest.raises(VirtualMachineError) as caught:
        registry.revealHoldout(challenge, 0, "cid", LABELS_DIGEST, SPLIT_SALT, {"from": owner})
    assert caught.value.revert_msg == f"HoldoutAlreadyRevealed: {challenge}, 0"


def test_bind_vault_only_once(platform, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, _, _ = platform
    with pytest.raises(VirtualMachineError) as caught:
        registry.bindVault(vault, {"from": owner})
    assert caught.value.revert_msg == f"VaultAlreadyBound: {vault.address.lower()}"
