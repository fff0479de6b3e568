"""Gas of every protocol step on anvil, against an ERC-20 transfer measured in the same run.

Writes rows to bench/report.json and the table in docs/gas.md.
"""

import datetime
import secrets
from pathlib import Path

from eth_abi.abi import encode
from eth_account import Account
from eth_utils.crypto import keccak
from web3 import Web3

from bench.report import Row, merge_rows
from oracle.chain.anvil import ANVIL_KEYS, start_anvil
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
from oracle.chain.challenges import (
    ChallengeTerms,
    PhaseTerms,
    create_challenge,
    holdout_commitment,
    reveal_holdout,
)
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import compute_commitment, wait_for_block_after
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.types import WAD, Address

ORACLE_KEYS = sorted(ANVIL_KEYS[7:10], key=lambda k: int(Account.from_key(k).address, 16))
PARTICIPANTS = 20
ETA = 10**16
DOCS = Path(__file__).resolve().parents[1] / "docs" / "gas.md"


class GasBench:
    def __init__(self, url: str) -> None:
        self.w3 = Web3(Web3.HTTPProvider(url))
        self.owner = Sender.from_key(self.w3, ANVIL_KEYS[0])
        self.p = Platform.connect(self.w3, deploy_platform(self.owner))
        self.keys = [Account.create().key.hex() for _ in range(PARTICIPANTS)]
        for key in self.keys:  # fund throw-away participants from anvil's first account
            address = Account.from_key(key).address
            self.w3.provider.make_request("anvil_setBalance", [address, hex(10**20)])  # type: ignore[arg-type]
        self.labels, self.salt = secrets.token_bytes(32), secrets.token_bytes(32)

    def challenge(self, bounty: int) -> int:
        self.owner.transact(self.p.token.functions.mint(self.owner.address, bounty))
        now = self.w3.eth.get_block("latest")["timestamp"]
        terms = ChallengeTerms(
            token=self.p.token.address, bounty=bounty, higher_is_better=True, baseline=0,
            target=WAD, eta=ETA, oracles=tuple(Account.from_key(k).address for k in ORACLE_KEYS),
            quorum=2, arbiter=self.owner.address, dispute_window=3600, dispute_bond=10**16,
        )  # fmt: skip
        commitment = holdout_commitment(self.labels, self.salt)
        phase = PhaseTerms("bafkreispec", now, now + 86400, now + 2 * 86400, commitment, bounty)
        return create_challenge(self.p, self.owner, terms, "bafkreispec", phase)

    def submit(
        self, challenge: int, key: str, parents: tuple[int, ...] = ()
    ) -> tuple[int, int, int]:
        """(submission id, commit gas, reveal gas)."""
        who = Sender.from_key(self.w3, key)
        weights = tuple(1_000_000 // len(parents) for _ in parents)
        if parents:
            weights = (weights[0] + 1_000_000 - sum(weights), *weights[1:])
        salt = secrets.token_bytes(32)
        cid = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
        commitment = compute_commitment(self.w3.eth.chain_id, self.p.book.address, challenge,
                                        who.address, cid, parents, weights, salt)  # fmt: skip
        committed = who.transact(self.p.book.functions.commit(challenge, commitment))
        sub_id = self.p.book.functions.submissionCount().call()
        wait_for_block_after(self.p, committed["blockNumber"])
        revealed = who.transact(
            self.p.book.functions.reveal(sub_id, cid, list(parents), list(weights), salt)
        )
        return sub_id, committed["gasUsed"], revealed["gasUsed"]

    def post_scores(self, challenge: int, ids: list[int], seq: int) -> tuple[int, list[ScoreItem]]:
        items = []
        for n, sub_id in enumerate(ids):
            score = (n % 50 + 1) * ETA
            salt = b"\x00" * 32
            commitment = keccak(encode(["uint256", "int256", "bytes32"], [sub_id, score, salt]))
            items.append(ScoreItem(sub_id, 0, score, commitment, keccak(str(sub_id).encode())))
        digest = self.p.registry.functions.configDigest(challenge).call()
        batch = score_batch(challenge, 0, seq, digest, items)
        typed = score_batch_typed_data(batch, self.w3.eth.chain_id, self.p.score_board.address)
        sigs = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
        fn = self.p.score_board.functions.postScores(
            batch.as_call_arg(), items_as_call_arg(items), sigs
        )
        return self.owner.transact(fn)["gasUsed"], items

    def warp(self, seconds: int) -> None:
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def post_root(self, challenge: int, leaves: list[Leaf], total: int) -> tuple[int, object]:
        tree = build_tree(leaves)
        digest = self.p.registry.functions.configDigest(challenge).call()
        merkle_root = bytes.fromhex(tree.root[2:])
        root = RewardRoot(challenge, 0, 1, digest, merkle_root, total, keccak(text="bafkreireport"))
        typed = reward_root_typed_data(root, self.w3.eth.chain_id, self.p.vault.address)
        sigs = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
        fn = self.p.vault.functions.postRewards(root.as_call_arg(), "bafkreireport", sigs)
        return self.owner.transact(fn)["gasUsed"], tree


def measure() -> list[Row]:
    anvil = start_anvil()
    try:
        b = GasBench(anvil.url)
        token_transfer = b.owner.transact(b.p.token.functions.mint(b.owner.address, 10**18))
        del token_transfer
        transfer = b.owner.transact(
            b.p.token.functions.transfer(Account.from_key(ANVIL_KEYS[1]).address, 1)
        )["gasUsed"]
        bounty = 1000 * WAD
        challenge = b.challenge(bounty)
        print("  submitting 113 submissions from 20 participants ...")
        ids, commits, reveals = [], [], []
        for n in range(111):
            sub_id, c, r = b.submit(challenge, b.keys[n % PARTICIPANTS])
            ids.append(sub_id)
            if n >= PARTICIPANTS:  # steady state: each participant's second and later commits
                commits.append(c)
                reveals.append(r)
        _, _, fork_reveal = b.submit(challenge, b.keys[0], (ids[0], ids[1]))
        commit_gas = sum(commits) // len(commits)
        reveal_gas = sum(reveals) // len(reveals)
        print("  posting score batches of 1, 10 and 100 items (2-of-3 signatures) ...")
        g1, _ = b.post_scores(challenge, ids[:1], 1)
        g10, _ = b.post_scores(challenge, ids[1:11], 2)
        g100, items100 = b.post_scores(challenge, ids[11:111], 3)
        b.warp(2 * 86400 + 1)
        scores = [i.public_score for i in items100]
        reveal_fn = b.p.score_board.functions.revealPrivateScores(
            challenge, 3, items_as_call_arg(items100), scores, [b"\x00" * 32] * 100
        )
        private = b.owner.transact(reveal_fn)["gasUsed"]
        reveal_holdout(b.p, b.owner, challenge, 0, "bafkreilabels", b.labels, b.salt)
        leaves = [Leaf(Address(Account.from_key(k).address), (n + 1) * WAD)
                  for n, k in enumerate(b.keys)]  # fmt: skip
        total = sum(leaf.amount for leaf in leaves)
        post_gas, tree = b.post_root(challenge, leaves, total)
        b.warp(3601)
        first = leaves[3]
        claim_fn = b.p.vault.functions.claim(
            challenge, 0, first.account, first.amount, tree.proof(first.account)
        )
        claim_gas = b.owner.transact(claim_fn)["gasUsed"]
        # A later claim, by an account that already holds the token (no new balance slot).
        later = leaves[4]
        b.owner.transact(b.p.token.functions.mint(b.owner.address, 1))
        b.owner.transact(b.p.token.functions.transfer(later.account, 1))
        later_fn = b.p.vault.functions.claim(
            challenge, 0, later.account, later.amount, tree.proof(later.account)
        )
        later_claim = b.owner.transact(later_fn)["gasUsed"]
        print("  dispute on a second challenge ...")
        other = b.challenge(bounty)
        b.warp(2 * 86400 + 1)
        reveal_holdout(b.p, b.owner, other, 0, "bafkreilabels", b.labels, b.salt)
        b.post_root(other, leaves, total)
        dispute = b.owner.transact(b.p.vault.functions.dispute(other, 0, "bafkreireason"), 10**16)[
            "gasUsed"
        ]
    finally:
        anvil.stop()
    base = "erc20_transfer"
    return [
        Row("gas.commit", commit_gas, "gas", base, transfer),
        Row("gas.reveal", reveal_gas, "gas", base, transfer),
        Row("gas.commit_plus_reveal", commit_gas + reveal_gas, "gas", base, transfer, "<= 110000"),
        Row("gas.reveal_with_2_parents", fork_reveal, "gas", base, transfer),
        Row("gas.post_scores_per_item.batch_1", g1, "gas/item", base, transfer),
        Row("gas.post_scores_per_item.batch_10", g10 / 10, "gas/item", base, transfer),
        Row(
            "gas.post_scores_per_item.batch_100", g100 / 100, "gas/item", base, transfer, "<= 15000"
        ),
        Row(
            "gas.reveal_private_scores_per_item.batch_100",
            private / 100,
            "gas/item",
            base,
            transfer,
        ),
        Row("gas.post_rewards", post_gas, "gas", base, transfer),
        Row("gas.claim.first_to_new_holder", claim_gas, "gas", base, transfer, "<= 60000"),
        Row("gas.claim.later_to_holder", later_claim, "gas", base, transfer, "<= 60000"),
        Row("gas.dispute", dispute, "gas", base, transfer),
    ]


def met(row: Row) -> str:
    if not row.target:
        return ""
    limit = float(row.target.split()[-1])
    return "met" if row.value <= limit else f"MISSED by {row.value - limit:,.0f}"


def write_docs(rows: list[Row], baseline: float) -> None:
    lines = [
        "# Gas (measured by `make bench`)",
        "",
        f"Measured {datetime.date.today()} on anvil, solc 0.8.30 (optimizer 200 runs, cancun),",
        "by `bench/gas.py`. Baseline in the same run: a CoopToken (ERC-20) `transfer` =",
        f"{baseline:,.0f} gas. Commit and reveal are steady-state averages (each of 20",
        "participants' second and later submissions, no commit bond, no daily cap). Score",
        "batches carry items from 20 participants, signed 2-of-3.",
        "",
        "| step | gas | ratio to an ERC-20 transfer | target |",
        "| --- | ---: | ---: | --- |",
    ]
    for r in rows:
        target = f"{r.target} ({met(r)})" if r.target else ""
        lines.append(f"| {r.name.removeprefix('gas.')} | {r.value:,.0f} | {r.ratio} | {target} |")
    DOCS.write_text("\n".join(lines) + "\n")


def main() -> None:
    rows = measure()
    merge_rows(rows)
    write_docs(rows, rows[0].baseline_value)
    for r in rows:
        print(f"  {r.name:48} {r.value:>10,.0f} {r.unit:9} {met(r)}")
