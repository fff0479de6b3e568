"""ChallengeRegistry: creation escrows the bounty; owners add phases, rotate oracles, reveal
holdouts; every refusal by its custom error with its values."""

import pytest
from brownie import ChallengeRegistry, accounts, chain
from brownie_helpers import (
    BOUNTY,
    DAY,
    ETA,
    LABELS_DIGEST,
    NOTICE_PERIOD,
    PHASE_RULES,
    SPLIT_SALT,
    challenge_config,
    create,
    fails,
    get_storage,
    holdout_commitment,
    low,
    mapping_slot,
    phase_config,
    set_storage,
)
from eth_abi.abi import encode
from eth_utils.crypto import keccak

CHALLENGES_SLOT = 2  # ChallengeRegistry storage: _vault 0, _challengeCount 1, _challenges 2
PHASE_COUNT_SHIFT = 96  # Record slot 0: uint96 commitBond, then uint32 phaseCount


def test_create_escrows_bounty_and_emits_config(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    assert token.balanceOf(vault) == BOUNTY and vault.escrowBalance(challenge) == BOUNTY
    stored = registry.getChallenge(challenge)
    assert stored["owner"] == owner and stored["bounty"] == BOUNTY
    phase = registry.getPhase(challenge, 0)
    assert phase["eta"] == ETA and phase["higherIsBetter"] and phase["target"] == 10**18
    assert stored["phaseCount"] == 1 and stored["allocated"] == BOUNTY
    assert stored["configVersion"] == 1 and stored["token"] == token
    assert registry.challengeCount() == 1 and stored["quorum"] == 2
    assert stored["noticePeriod"] == NOTICE_PERIOD


def test_create_emits_everything_an_auditor_needs(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    config = challenge_config(token, oracles, owner, bounty=5 * 10**18, cap=2)
    phase = phase_config(bounty=5 * 10**18)
    token.mint(owner, 5 * 10**18, {"from": owner})
    token.approve(registry.vault(), 5 * 10**18, {"from": owner})
    tx = registry.createChallenge(config, "bafkreispec", phase, {"from": owner})
    created = tx.events["ChallengeCreated"]
    assert created["specCid"] == "bafkreispec" and created["config"]["dailyCap"] == 2
    assert tx.events["OraclesRotated"]["configVersion"] == 1
    assert tx.events["OraclesRotated"]["activeFrom"] == 0  # version 1 judges from the start
    assert tx.events["PhaseAdded"]["phase"] == 0 and tx.events["PhaseAdded"]["topUp"] == 0
    assert tx.events["BountyEscrowed"]["amount"] == 5 * 10**18


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"eta": 0}, "InvalidEta: 0"),
        ({"eta": 10**18 + 1}, f"EtaExceedsScoreRange: {10**18 + 1}, {10**18}"),
        ({"target": -1}, "InvalidScoreRange: 0, -1, True"),
        ({"higher": False}, "InvalidScoreRange: 0, 1000000000000000000, False"),
        ({"cap": 7}, "InvalidDailyCap: 7, 6"),
        ({"quorum": 4}, "InvalidOracleSet: 3, 4"),
        ({"quorum": 0}, "InvalidOracleSet: 3, 0"),
        ({"parent": 99}, "UnknownChallenge: 99"),
        ({"arbiter": "0x" + "00" * 20}, "InvalidArbiter: "),
        ({"token": "0x" + "00" * 20}, "InvalidToken: "),
        ({"token": "0x" + "77" * 20}, "InvalidToken: "),  # an address without code
        ({"commit_bond": 2**96}, f"SafeCastOverflowedUintDowncast: 96, {2**96}"),
    ],
)
def test_create_rejects_bad_config(platform, oracles, owner, changes, expected) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    rules = {k: v for k, v in changes.items() if k in PHASE_RULES}
    config = challenge_config(
        token, oracles, owner, **{k: v for k, v in changes.items() if k not in PHASE_RULES}
    )
    count = registry.challengeCount()
    phase = phase_config(**rules)
    assert fails(registry.createChallenge, config, "s", phase, {"from": owner}) == expected
    assert registry.challengeCount() == count


def test_eta_may_equal_the_whole_range(platform, oracles, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    config = challenge_config(token, oracles, owner)
    phase = phase_config(higher=False, baseline=10**18, target=0, eta=10**18)
    challenge_id = create(registry, token, owner, config, phase)
    eta, higher_is_better, _, correction = registry.scoringRules(challenge_id, 0)
    assert eta == 10**18 and higher_is_better is False and correction == 0


def test_create_rejects_bad_oracles_and_windows(platform, oracles, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    reversed_set = challenge_config(token, oracles[::-1], owner)
    error = fails(registry.createChallenge, reversed_set, "s", phase_config(), {"from": owner})
    assert error == f"OraclesNotSorted: 1, {low(oracles[2])}, {low(oracles[1])}"
    no_oracles = challenge_config(token, [], owner)
    assert fails(registry.createChallenge, no_oracles, "s", phase_config(), {"from": owner}) == (
        "InvalidOracleSet: 0, 2"
    )
    start = chain[-1].timestamp
    backwards = ("s", True, 0, 10**18, ETA, start, start, start + 10, b"\x01" * 32, 0)
    config = challenge_config(token, oracles, owner)
    assert fails(registry.createChallenge, config, "s", backwards, {"from": owner}) == (
        f"InvalidWindows: {start}, {start}, {start + 10}, 0"
    )
    too_rich = phase_config(bounty=1)
    assert fails(registry.createChallenge, config, "s", too_rich, {"from": owner}) == (
        "PhaseBountyExceedsEscrow: 1, 0"
    )


def test_create_needs_the_approval_for_the_bounty(platform, oracles, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    config = challenge_config(token, oracles, owner, bounty=10)
    token.mint(owner, 10, {"from": owner})
    assert fails(registry.createChallenge, config, "s", phase_config(), {"from": owner}) == (
        f"ERC20InsufficientAllowance: {low(vault)}, 0, 10"
    )


def test_a_fee_on_transfer_token_is_refused(platform, oracles, owner, adversaries) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, _, _ = platform
    fee_token = adversaries.FeeOnTransferToken.deploy({"from": owner})
    fee_token.mint(owner, 1000, {"from": owner})
    fee_token.approve(vault, 1000, {"from": owner})
    config = challenge_config(fee_token, oracles, owner, bounty=1000)
    count = registry.challengeCount()
    assert fails(registry.createChallenge, config, "s", phase_config(), {"from": owner}) == (
        f"EscrowAmountMismatch: {low(fee_token)}, 1000, 990"
    )
    assert fee_token.balanceOf(vault) == 0 and registry.challengeCount() == count


def test_a_registry_without_its_vault_refuses_challenges(owner, oracles, platform) -> None:  # type: ignore[no-untyped-def]
    _, token, _, vault, _, _ = platform
    fresh = ChallengeRegistry.deploy({"from": owner})
    assert fresh.vault() == "0x" + "00" * 20
    config = challenge_config(token, oracles, owner)
    assert fails(fresh.createChallenge, config, "s", phase_config(), {"from": owner}) == (
        "VaultNotBound: "
    )
    assert fails(fresh.bindVault, vault, {"from": accounts[1]}) == (
        f"NotDeployer: {low(accounts[1])}, {low(owner)}"
    )
    tx = fresh.bindVault(vault, {"from": owner})
    assert tx.events["VaultBound"]["vault"] == vault and fresh.vault() == vault
    assert fails(fresh.bindVault, vault, {"from": owner}) == f"VaultAlreadyBound: {low(vault)}"


def test_ids_stop_at_32_bits(platform, oracles, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    set_storage(registry.address, 1, 2**32 - 1)  # as if 4,294,967,295 challenges existed
    config = challenge_config(token, oracles, owner)
    assert fails(registry.createChallenge, config, "s", phase_config(), {"from": owner}) == (
        f"ChallengeIdOverflow: {2**32}"
    )


def test_add_phase_only_by_owner_and_after_previous(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    assert fails(registry.addPhase, challenge, phase_config(), 0, {"from": accounts[1]}) == (
        f"NotChallengeOwner: {challenge}, {low(accounts[1])}, {low(owner)}"
    )
    assert fails(registry.addPhase, 42, phase_config(), 0, {"from": owner}) == (
        "UnknownChallenge: 42"
    )
    early = phase_config(start_offset=NOTICE_PERIOD - DAY)  # announced a day too late
    refused = fails(registry.addPhase, challenge, early, 0, {"from": owner})
    assert refused.startswith(f"PhaseNoticeTooShort: {challenge}, {early[5]}, ")
    assert int(refused.rsplit(", ", 1)[1]) >= early[5] + DAY  # the earliest allowed start
    later = phase_config(start_offset=NOTICE_PERIOD + DAY, bounty=300)
    assert fails(registry.addPhase, challenge, later, 0, {"from": owner}) == (
        "PhaseBountyExceedsEscrow: 300, 0"
    )
    token.mint(owner, 300, {"from": owner})
    token.approve(vault, 300, {"from": owner})
    tx = registry.addPhase(challenge, later, 300, {"from": owner})
    assert tx.events["PhaseAdded"]["phase"] == 1 and tx.events["PhaseAdded"]["topUp"] == 300
    stored = registry.getChallenge(challenge)
    assert stored["phaseCount"] == 2 and stored["bounty"] == BOUNTY + 300
    assert vault.escrowBalance(challenge) == BOUNTY + 300
    assert registry.getPhase(challenge, 0)["bounty"] == BOUNTY  # the old phase is unchanged


def test_phases_stop_at_65536(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, _, _ = platform
    slot = mapping_slot(challenge, CHALLENGES_SLOT)
    word = get_storage(registry.address, slot)
    count_mask = (2**32 - 1) << PHASE_COUNT_SHIFT
    set_storage(registry.address, slot, (word & ~count_mask) | (2**16 << PHASE_COUNT_SHIFT))
    assert registry.getChallenge(challenge)["phaseCount"] == 2**16
    later = phase_config(start_offset=NOTICE_PERIOD + DAY)
    assert fails(registry.addPhase, challenge, later, 0, {"from": owner}) == (
        f"TooManyPhases: {challenge}, {2**16}"
    )


def test_rotation_announces_judges_for_later_phases_only(
    platform, challenge, owner, oracles
) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, _, _ = platform
    version, old = registry.phaseJudges(challenge, 0)
    tx = registry.setOracles(challenge, [oracles[2].address], 1, accounts[4], {"from": owner})
    expected = keccak(
        encode(["uint256", "uint32", "address[]", "uint8"], [challenge, 2, [oracles[2].address], 1])
    )
    event = tx.events["OraclesRotated"]
    assert bytes(event["configDigest"]) == expected and event["arbiter"] == accounts[4]
    assert event["activeFrom"] == tx.timestamp + NOTICE_PERIOD == tx.return_value
    assert bytes(registry.computeConfigDigest(challenge, 2, [oracles[2].address], 1)) == expected
    assert registry.isOracleAt(challenge, 2, oracles[2]) and not registry.isOracleAt(
        challenge, 2, oracles[0]
    )
    assert registry.oraclesAt(challenge, 2) == [oracles[2]]
    assert registry.phaseJudges(challenge, 0) == (version, old), "phase 0 keeps its judges"
    assert fails(
        registry.setOracles, challenge, [oracles[0].address], 1, owner, {"from": accounts[1]}
    ) == (f"NotChallengeOwner: {challenge}, {low(accounts[1])}, {low(owner)}")
    assert fails(
        registry.setOracles, challenge, [oracles[0].address], 2, owner, {"from": owner}
    ) == ("InvalidOracleSet: 1, 2")
    zero = "0x" + "00" * 20
    assert fails(
        registry.setOracles, challenge, [oracles[0].address], 1, zero, {"from": owner}
    ) == ("InvalidArbiter: ")
    unsorted = [oracles[1].address, oracles[0].address]
    assert fails(registry.setOracles, challenge, unsorted, 1, owner, {"from": owner}) == (
        f"OraclesNotSorted: 1, {low(oracles[1])}, {low(oracles[0])}"
    )


def test_parameters_out_of_their_bounds_are_refused(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    cases = [
        ({"window": 0}, "InvalidDisputeWindow: 0, 300, 2592000"),
        ({"bond": 2 * 10**18}, f"DisputeBondTooHigh: {2 * 10**18}, {10**18}"),
        ({"notice": 3600}, "InvalidNoticePeriod: 3600, 86400, 7776000"),
    ]
    for changes, expected in cases:
        config = challenge_config(token, oracles, owner, **changes)
        assert fails(registry.createChallenge, config, "s", phase_config(), {"from": owner}) == (
            expected
        )
    config = challenge_config(token, oracles, owner)
    beyond = phase_config(target=2**247)
    assert fails(registry.createChallenge, config, "s", beyond, {"from": owner}) == (
        f"ScoreOutOfRange: {2**247}, {-(2**247)}, {2**247 - 1}"
    )
    now = chain[-1].timestamp
    over = ("s", True, 0, 10**18, ETA, now - 3, now - 2, now - 1, holdout_commitment(), 0)
    config = challenge_config(token, oracles, owner)
    error = fails(registry.createChallenge, config, "s", over, {"from": owner})
    assert error.startswith(f"WindowsOutOfRange: {now - 3}, {now - 1}, ")


def test_holdout_reveal_checks_time_and_commitment(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, _, _ = platform
    reveal_end = registry.getPhase(challenge, 0)["revealEnd"]
    error = fails(
        registry.revealHoldout, challenge, 0, "cid", LABELS_DIGEST, SPLIT_SALT, {"from": owner}
    )
    assert error.startswith(f"HoldoutTooEarly: {challenge}, 0, {reveal_end}, ")
    chain.sleep(3 * DAY)
    assert (
        fails(
            registry.revealHoldout, challenge, 3, "cid", LABELS_DIGEST, SPLIT_SALT, {"from": owner}
        )
        == f"UnknownPhase: {challenge}, 3, 1"
    )
    wrong_salt = keccak(encode(["bytes32"], [b"\x09" * 32]))
    computed = keccak(encode(["bytes32", "bytes32"], [LABELS_DIGEST, wrong_salt]))
    assert (
        fails(
            registry.revealHoldout,
            challenge,
            0,
            "cid",
            LABELS_DIGEST,
            b"\x09" * 32,
            {"from": owner},
        )
        == f"HoldoutMismatch: {holdout_commitment()}, {computed}"
    )
    # Anyone holding the secret reveals it (here not the owner): the event names who.
    tx = registry.revealHoldout(
        challenge, 0, "bafkreilabels", LABELS_DIGEST, SPLIT_SALT, {"from": accounts[1]}
    )
    assert tx.events["HoldoutRevealed"]["labelsCid"] == "bafkreilabels"
    assert tx.events["HoldoutRevealed"]["revealer"] == accounts[1]
    assert registry.getPhase(challenge, 0)["holdoutRevealed"]
    assert (
        fails(
            registry.revealHoldout, challenge, 0, "cid", LABELS_DIGEST, SPLIT_SALT, {"from": owner}
        )
        == f"HoldoutAlreadyRevealed: {challenge}, 0"
    )


def test_views_answer_what_each_contract_needs(platform, challenge, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    phase, data = registry.openPhase(challenge)
    assert phase == 0 and data["bounty"] == BOUNTY
    assert [int(x) for x in registry.commitRules(challenge)] == [0, 0, 0, False]
    assert [int(x) for x in registry.revealRules(challenge, 0)] == [data["revealEnd"], 0, False]
    assert [int(x) for x in registry.quotaRules(challenge, 0)] == [0, 0, 0]
    assert list(registry.scoringRules(challenge, 0)) == [ETA, True, data["revealEnd"], 0]
    rules = registry.payoutRules(challenge)
    assert (rules[0], rules[1]) == (token.address, owner.address)
    assert [int(x) for x in rules[2:]] == [3600, 10**18, 1]
    version, judges = registry.phaseJudges(challenge, 0)
    assert version == 1 and judges[2] == 2 and judges[3] == owner  # quorum, arbiter
    assert registry.oraclesAt(challenge, 1) == [o.address for o in oracles]
    assert registry.isOracleAt(challenge, 1, oracles[1])
    assert not registry.isOracleAt(challenge, 1, owner)
    assert registry.vault() == vault
    assert (registry.MAX_DAILY_CAP(), registry.MAX_ORACLES(), registry.MAX_PHASES()) == (
        6,
        32,
        2**16,
    )
    assert not registry.isOracleAt(77, 1, oracles[1]) and registry.oraclesAt(77, 1) == []
    for view in (
        registry.getChallenge,
        registry.payoutRules,
        registry.openPhase,
        registry.commitRules,
    ):
        assert fails(view, 77) == "UnknownChallenge: 77"
    for view in (registry.getPhase, registry.revealRules, registry.scoringRules):
        assert fails(view, challenge, 1) == f"UnknownPhase: {challenge}, 1, 1"
        assert fails(view, 77, 0) == "UnknownChallenge: 77"
    chain.sleep(DAY + 1)
    chain.mine()
    now = chain[-1].timestamp
    assert fails(registry.openPhase, challenge).startswith(f"NoOpenPhase: {challenge}, ")
    assert int(fails(registry.commitRules, challenge).split(", ")[1]) >= now
