"""Disputes, bonds, the refund and oracle rotation through `coop`, on a real chain.

Each test starts from the API tests' disputable challenge life (tests/api/test_disputes.py:
published with a one-hour dispute window and a 0.01 ETH dispute bond, three real
submissions scored by a 2-of-3 quorum, the phase ended, the rewards root posted); the owner
(anvil account 0) is also the arbiter. Everything after that is `coop` through click's
CliRunner, checked against the contracts' views and balances.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from eth_account import Account
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.challenges import read_challenge, read_phase_judges
from oracle.chain.platform import Platform
from oracle.chain.roots import RootState, read_root
from oracle.chain.sender import Sender
from oracle.cli.context import tokens
from oracle.cli.main import cli
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.disputes import DisputeWindowClosed, plan_dispute, send_dispute
from tests.api.test_disputes import BOND, WINDOW, disputable
from tests.indexer.story import scored
from tests.ledger.lifecycle import BOUNTY, ORACLE_KEYS, Life

OWNER, BOB, CAROL = ANVIL_KEYS[0], ANVIL_KEYS[2], ANVIL_KEYS[3]
ARBITER_PERIOD = 7 * 86400


def address(key: str) -> str:
    return str(Account.from_key(key).address)


@dataclass
class World:
    life: Life
    env: dict[str, str]

    @property
    def platform(self) -> Platform:
        return self.life.platform

    @property
    def w3(self) -> Web3:
        return self.life.w3

    def coop(self, key: str, *args: str) -> Result:
        return CliRunner().invoke(cli, list(args), env={**self.env, "COOP_PRIVATE_KEY": key})

    def coop_json(self, key: str, *args: str) -> Any:
        result = self.coop(key, *args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout.strip().splitlines()[-1])

    def refused(self, key: str, *args: str) -> str:
        """A refusal: exit status 2 and one `Error:` line, no traceback."""
        result = self.coop(key, *args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        (line,) = [x for x in result.output.splitlines() if x.startswith("Error:")]
        return line

    def travel(self, seconds: int) -> None:
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def credit(self, key: str) -> int:
        return int(self.platform.vault.functions.bondCredit(address(key)).call())

    def eth(self, key: str) -> int:
        return int(self.w3.eth.get_balance(address(key)))  # type: ignore[arg-type]

    def gas_paid(self, tx_hash: str) -> int:
        receipt = self.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
        return int(receipt["gasUsed"]) * int(receipt["effectiveGasPrice"])


def make_world(life: Life, anvil: Anvil, tmp_path: Path) -> World:
    life.platform.deployment.save(tmp_path / "deployment.json")
    env = {
        "COOP_RPC_URL": anvil.url,
        "COOP_DEPLOYMENT": str(tmp_path / "deployment.json"),
        "COOP_DATA_DIR": str(tmp_path),  # the life's IPFS store is tmp_path/ipfs
        "COOP_KEYSTORE_DIR": str(tmp_path / "keys"),
        "COOP_CONFIG": str(tmp_path / "absent.toml"),
    }
    return World(life, env)


@pytest.fixture
def published(fast_platform: Platform, anvil: Anvil, tmp_path: Path) -> World:
    """The challenge in its commit window: no root yet."""
    return make_world(disputable(fast_platform, tmp_path), anvil, tmp_path)


@pytest.fixture
def world(published: World) -> World:
    """Scored, phase ended, the rewards root posted: its one-hour dispute window is open."""
    life = published.life
    scored(life)
    life.end_phase()
    life.post_root(life.rewards())
    return published


def test_a_rejected_dispute_credits_the_bond_to_the_owner(world: World) -> None:
    p, cid = world.platform, world.life.challenge_id
    broke = Account.create()
    line = world.refused(broke.key.hex(), "rewards", "dispute", str(cid), "0", "--reason", "x")
    assert f"{broke.address} holds 0 ETH but the dispute bond of challenge {cid} is 0.01 ETH" \
        in line  # fmt: skip
    carol_before = world.eth(CAROL)
    reason = "audit: the review pool pays a reviewer of an invalid submission"
    result = world.coop(CAROL, "rewards", "dispute", str(cid), "0", "--reason", reason)
    assert result.exit_code == 0, result.output
    assert "you send the dispute bond of 0.01 ETH" in result.stderr
    assert f"to the owner {address(OWNER)} if the arbiter rejects it" in result.stderr
    assert f"Disputed the rewards root of challenge {cid} phase 0" in result.stdout
    assert "0.01 ETH locked" in result.stdout
    assert "(in 7 d)" in result.stdout or "(in 6 d 23 h)" in result.stdout  # chain time ticks
    tx = result.stdout.split("(tx ")[1].split(")")[0]
    assert world.eth(CAROL) == carol_before - BOND - world.gas_paid(tx)
    (event,) = p.vault.events.RewardsDisputed().get_logs(from_block=0)
    assert event["args"]["disputer"] == address(CAROL) and event["args"]["bond"] == BOND
    assert (
        EmbeddedStore(Path(world.env["COOP_DATA_DIR"]) / "ipfs").cat(event["args"]["reasonCid"])
        == reason.encode()
    )
    assert read_root(p, cid, 0).state == RootState.DISPUTED

    line = world.refused(BOB, "claim", str(cid))
    assert f"the rewards root of challenge {cid} phase 0 is disputed" in line
    line = world.refused(CAROL, "rewards", "resolve", str(cid), "0", "--reject")
    assert f"only the arbiter of challenge {cid} phase 0, {address(OWNER)}, decides" in line
    line = world.refused(BOB, "rewards", "dispute", str(cid), "0", "--reason", "me too")
    assert f"is disputed already (by {address(CAROL)})" in line

    done = world.coop_json(OWNER, "rewards", "resolve", str(cid), "0", "--reject")
    assert done["outcome"] == "rejected" and done["bond_to"] == address(OWNER)
    assert done["bond"] == str(BOND)
    assert world.credit(OWNER) == BOND and world.credit(CAROL) == 0
    assert read_root(p, cid, 0).state == RootState.POSTED

    line = world.refused(OWNER, "rewards", "resolve", str(cid), "0", "--uphold")
    assert "is settled already (rejected or lapsed): the root stands" in line
    line = world.refused(CAROL, "rewards", "withdraw-bonds")
    assert f"nothing to withdraw: no dispute bond is credited to {address(CAROL)}" in line

    # Issue 13, point 4: the rejected disputer cannot take the root's dispute again, and the
    # window resumed, so someone else still can.
    line = world.refused(CAROL, "rewards", "dispute", str(cid), "0", "--reason", "again")
    assert f"{address(CAROL)} disputed the rewards root of challenge {cid} phase 0 before" in line
    again = world.coop_json(BOB, "rewards", "dispute", str(cid), "0", "--reason", "mine")
    assert again["disputer"] == address(BOB)
    assert read_root(p, cid, 0).state == RootState.DISPUTED


def test_an_upheld_dispute_voids_the_root_and_the_disputer_withdraws_the_bond(
    world: World, tmp_path: Path
) -> None:
    p, cid = world.platform, world.life.challenge_id
    finding = tmp_path / "finding.md"
    finding.write_text("`coop audit` says the root pays 1000, the ledger gives 997\n")
    world.coop_json(CAROL, "rewards", "dispute", str(cid), "0", "--reason-file", str(finding))
    result = world.coop(OWNER, "rewards", "resolve", str(cid), "0", "--uphold")
    assert result.exit_code == 0, result.output
    assert f"will be voided and the bond of 0.01 ETH credited to the disputer {address(CAROL)}" \
        in result.stderr  # fmt: skip
    assert "Upheld the dispute of the rewards root" in result.stdout
    assert "the root is voided; the oracles post a corrected one" in result.stdout
    assert f"0.01 ETH credited to {address(CAROL)}" in result.stdout
    assert read_root(p, cid, 0).state == RootState.VOIDED
    assert world.credit(CAROL) == BOND and world.credit(OWNER) == 0

    world.travel(WINDOW + 1)
    line = world.refused(BOB, "claim", str(cid))
    assert f"the arbiter voided the rewards root of challenge {cid} phase 0" in line

    before, vault_before = world.eth(CAROL), world.w3.eth.get_balance(p.vault.address)
    withdrawn = world.coop_json(CAROL, "rewards", "withdraw-bonds")
    assert withdrawn == {"account": address(CAROL), "amount": str(BOND),
                         "tx_hash": withdrawn["tx_hash"]}  # fmt: skip
    assert world.eth(CAROL) == before + BOND - world.gas_paid(withdrawn["tx_hash"])
    assert world.w3.eth.get_balance(p.vault.address) == vault_before - BOND
    assert world.credit(CAROL) == 0
    line = world.refused(CAROL, "rewards", "withdraw-bonds")
    assert "nothing to withdraw" in line


def test_a_dispute_lapses_only_after_the_arbiter_deadline(world: World) -> None:
    p, cid = world.platform, world.life.challenge_id
    disputed = world.coop_json(CAROL, "rewards", "dispute", str(cid), "0", "--reason", "wrong")
    line = world.refused(BOB, "rewards", "lapse", str(cid), "0")
    assert f"the arbiter {address(OWNER)} may decide the dispute of challenge {cid} phase 0 " \
        "until" in line  # fmt: skip
    assert "(in 7 d)" in line or "(in 6 d 23 h)" in line
    assert disputed["arbiter_deadline"] == read_root(p, cid, 0).arbiter_deadline

    world.travel(ARBITER_PERIOD + 1)
    line = world.refused(OWNER, "rewards", "resolve", str(cid), "0", "--reject")
    assert "the arbiter's time to decide the dispute of" in line and "ago)" in line
    assert f"coop rewards lapse {cid} 0" in line
    result = world.coop(BOB, "rewards", "lapse", str(cid), "0")
    assert result.exit_code == 0, result.output
    assert "the arbiter's deadline passed at" in result.stderr
    assert "lapsed (the arbiter did not decide in time): the root stands; claims are open" \
        in result.stdout  # fmt: skip
    assert f"0.01 ETH credited to {address(CAROL)}" in result.stdout
    assert read_root(p, cid, 0).state == RootState.POSTED
    assert world.credit(CAROL) == BOND
    line = world.refused(BOB, "rewards", "lapse", str(cid), "0")
    assert "is settled already" in line


def test_the_refund_waits_for_the_final_root_then_pays_the_owner(
    world: World, tmp_path: Path
) -> None:
    p, cid = world.platform, world.life.challenge_id
    # Issue 13, point 3: a third party cannot refund (and so close) the challenge.
    line = world.refused(BOB, "challenge", "refund", str(cid))
    assert f"only the owner {address(OWNER)} of challenge {cid} can refund it" in line
    line = world.refused(OWNER, "challenge", "refund", str(cid))
    assert f"the rewards root of phase 0 of challenge {cid} is in its dispute window until" \
        in line  # fmt: skip
    assert "(in 1 h)" in line or "(in 59 min" in line

    carol = Sender.from_key(world.w3, CAROL)
    planned = plan_dispute(p, carol.address, cid, 0)  # checked while the window is open ...
    world.travel(WINDOW + 1)
    with pytest.raises(DisputeWindowClosed, match="closed at"):  # ... sent after it closed
        send_dispute(p, carol, planned, "bafkreilate")
    line = world.refused(CAROL, "rewards", "dispute", str(cid), "0", "--reason", "late")
    assert f"the dispute window of the rewards root of challenge {cid} phase 0 closed at" in line
    assert "ago): claims are open" in line
    line = world.refused(CAROL, "rewards", "dispute", str(cid), "3", "--reason", "no such")
    assert f"challenge {cid} has phases 0 to 0, not 3" in line

    total = read_root(p, cid, 0).total
    owner_before = int(p.token.functions.balanceOf(address(OWNER)).call())
    result = world.coop(OWNER, "challenge", "refund", str(cid))
    assert result.exit_code == 0, result.output
    assert 0 < total < BOUNTY
    left = BOUNTY - total
    assert f"Refunded {tokens(left)} tokens of challenge {cid} to its owner {address(OWNER)}" \
        in result.stdout  # fmt: skip
    assert int(p.token.functions.balanceOf(address(OWNER)).call()) == owner_before + left
    assert p.vault.functions.isClosed(cid).call()
    line = world.refused(OWNER, "challenge", "refund", str(cid))
    assert f"the remainder of challenge {cid} was refunded already" in line
    # A closed challenge takes no phase: said before the spec is even read or anything uploaded.
    spec = tmp_path / "unread-spec.json"
    spec.write_text("not even JSON")
    line = world.refused(OWNER, "challenge", "add-phase", str(cid), str(spec), "--data",
                         str(tmp_path))  # fmt: skip
    assert f"challenge {cid} is closed (its remainder was refunded)" in line


def test_set_oracles_by_the_owner_changes_the_config_digest(published: World) -> None:
    p, cid = published.platform, published.life.challenge_id
    line = published.refused(CAROL, "rewards", "dispute", str(cid), "0", "--reason", "early")
    assert f"challenge {cid} phase 0 has no rewards root to dispute yet" in line
    line = published.refused(CAROL, "rewards", "dispute", "99", "0", "--reason", "which?")
    assert "challenge 99 does not exist on this deployment (ids 1 to 1)" in line
    line = published.refused(CAROL, "rewards", "dispute", str(cid), "0")
    assert "give the reason with --reason TEXT or --reason-file PATH" in line
    line = published.refused(OWNER, "rewards", "resolve", str(cid), "0")
    assert "decide with --uphold (void the root) or --reject (it stands)" in line
    line = published.refused(OWNER, "challenge", "refund", str(cid))
    assert "has no rewards root yet; the refund waits for it" in line

    old = read_phase_judges(p, cid, 0)
    new_set = [address(k) for k in ORACLE_KEYS[:2]] + [address(ANVIL_KEYS[6])]
    args = [a for o in new_set for a in ("--oracle", o)] + ["--arbiter", address(ANVIL_KEYS[5])]
    line = published.refused(CAROL, "challenge", "set-oracles", str(cid), *args)
    assert f"only its owner may rotate its oracles (you sign as {address(CAROL)})" in line
    line = published.refused(OWNER, "challenge", "set-oracles", str(cid), *args, "--quorum", "4")
    assert "quorum 4 is impossible with 3 oracle(s)" in line
    zero = "0x" + "00" * 20  # the last --arbiter given is the one taken
    line = published.refused(OWNER, "challenge", "set-oracles", str(cid), *args, "--quorum", "2",
                             "--arbiter", zero)  # fmt: skip
    assert f"the arbiter '{zero}' is the zero address (--arbiter)" in line
    assert read_phase_judges(p, cid, 0) == old

    # Issue 13, point 2: the owner's change reaches only phases opening a notice period later.
    result = published.coop(OWNER, "challenge", "set-oracles", str(cid), *args, "--quorum", "2")
    assert result.exit_code == 0, result.output
    digest = read_challenge(p, cid).config_digest
    assert digest != "0x" + old.config_digest.hex()
    assert f"config version 2, digest {digest}" in result.stdout
    assert "in force for phases whose commits open from" in result.stdout
    assert f"phases opening before keep version 1, digest 0x{old.config_digest.hex()}" in (
        result.stdout.replace("\n  ", " ")
    )
    assert read_phase_judges(p, cid, 0) == old, "the open phase keeps its judges"
    on_chain = p.registry.functions.oraclesAt(cid, 2).call()
    assert on_chain == sorted(new_set, key=lambda a: int(a, 16))


def test_show_gives_the_arbiter_the_root_the_dispute_and_its_reason(world: World) -> None:
    cid = str(world.life.challenge_id)
    before = world.coop(BOB, "rewards", "show", cid, "0")
    assert before.exit_code == 0, before.output
    assert "state:   posted: anyone may dispute it until" in before.stdout
    assert "dispute:" not in before.stdout

    reason = "audit: phase 0 pays 12 tokens too many\nsee the report's review pool"
    assert world.coop(CAROL, "rewards", "dispute", cid, "0", "--reason", reason).exit_code == 0
    shown = world.coop(BOB, "rewards", "show", cid, "0")
    assert shown.exit_code == 0, shown.output
    assert f"dispute: by {address(CAROL)}, bond 0.01 ETH" in shown.stdout
    assert "    | audit: phase 0 pays 12 tokens too many\n    | see the report's review pool" \
        in shown.stdout  # fmt: skip
    assert f"the arbiter {address(OWNER)} decides by" in shown.stdout
    assert f"coop rewards resolve {cid} 0 --uphold | --reject" in shown.stdout
    data = world.coop_json(BOB, "rewards", "show", cid, "0")
    assert data["state"] == "disputed" and data["dispute"]["reason"] == reason
    assert data["dispute"]["bond"] == str(BOND) and data["arbiter"] == address(OWNER)

    assert world.coop(OWNER, "rewards", "resolve", cid, "0", "--uphold").exit_code == 0
    voided = world.coop_json(BOB, "rewards", "show", cid, "0")
    assert voided["state"] == "voided" and voided["dispute"]["disputer"] == address(CAROL)


def test_show_before_any_root_says_what_comes_first(published: World) -> None:
    cid = str(published.life.challenge_id)
    line = published.refused(BOB, "rewards", "show", cid, "0")
    assert f"challenge {cid} phase 0 has no rewards root yet" in line
