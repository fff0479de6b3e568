"""Gas of every protocol step on anvil, against an ERC-20 transfer measured in the same run.

Writes rows to bench/report.json and docs/gas.md: the table of every step, and for the
steps with a target, where their gas goes (bench/gas_trace.py, from anvil's opcode traces).
"""

import datetime
import secrets
from dataclasses import dataclass
from pathlib import Path

from eth_abi.abi import encode
from eth_account import Account
from eth_utils.crypto import keccak
from web3 import Web3
from web3.logs import DISCARD
from web3.types import TxReceipt

from bench.gas_trace import KINDS, GasBreakdown, breakdown
from bench.report import Row, merge_rows
from bench.rollup import Prices, TxBytes, cost_table, measure_tx
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
    PhaseRules,
    PhaseTerms,
    create_challenge,
    read_phase_judges,
    reveal_holdout,
)
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import compute_commitment, wait_for_block_after
from oracle.rewards.merkle import MerkleTree, build_tree, path_code
from oracle.rewards.model import Leaf
from oracle.scoring.commitment import holdout_commitment_of_digest
from oracle.types import WAD, Address

ORACLE_KEYS = sorted(ANVIL_KEYS[7:10], key=lambda k: int(Account.from_key(k).address, 16))
PARTICIPANTS = 20
MID_TREE = 128  # the largest reward tree whose claims' marks all sit in the word posting writes
LARGE_TREE = 2_048  # leaves of the reward tree for the long-proof claims
ETA = 10**16
DOCS = Path(__file__).resolve().parents[1] / "docs" / "gas.md"
SALT0 = b"\x00" * 32


@dataclass(frozen=True)
class Submitted:
    submission_id: int
    commit: TxReceipt
    reveal: TxReceipt


class GasBench:
    def __init__(self, url: str) -> None:
        self.w3 = Web3(Web3.HTTPProvider(url))
        self.owner = Sender.from_key(self.w3, ANVIL_KEYS[0])
        self.p = Platform.connect(self.w3, deploy_platform(self.owner))
        # Fixed keys: the same reward tree (and proof lengths) in every run.
        self.keys = [
            "0x" + keccak(text=f"gas bench participant {n}").hex() for n in range(PARTICIPANTS)
        ]
        for key in self.keys:  # fund throw-away participants from anvil's first account
            address = Account.from_key(key).address
            self.w3.provider.make_request("anvil_setBalance", [address, hex(10**20)])  # type: ignore[arg-type]
        self.labels_digest, self.salt = secrets.token_bytes(32), secrets.token_bytes(32)

    def challenge(self, bounty: int, daily_cap: int = 0) -> int:
        self.owner.transact(self.p.token.functions.mint(self.owner.address, bounty))
        now = self.w3.eth.get_block("latest")["timestamp"]
        terms = ChallengeTerms(
            token=self.p.token.address, bounty=bounty,
            oracles=tuple(Account.from_key(k).address for k in ORACLE_KEYS),
            quorum=2, arbiter=self.owner.address, dispute_window=3600, dispute_bond=10**16,
            daily_cap=daily_cap,
        )  # fmt: skip
        commitment = holdout_commitment_of_digest(self.labels_digest, self.salt)
        phase = PhaseTerms(
            "bafkreispec",
            PhaseRules(True, 0, WAD, ETA),
            now,
            now + 86400,
            now + 2 * 86400,
            commitment,
            bounty,
        )
        return create_challenge(self.p, self.owner, terms, "bafkreispec", phase)

    def submit(self, challenge: int, key: str, parents: tuple[int, ...] = ()) -> Submitted:
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
        return Submitted(sub_id, committed, revealed)

    def post_scores(
        self, challenge: int, ids: list[int], seq: int
    ) -> tuple[TxReceipt, list[ScoreItem]]:
        items = []
        for n, sub_id in enumerate(ids):
            score = (n % 50 + 1) * ETA
            commitment = keccak(encode(["uint256", "int256", "bytes32"], [sub_id, score, SALT0]))
            items.append(ScoreItem(sub_id, 0, score, commitment, keccak(str(sub_id).encode())))
        digest = read_phase_judges(self.p, challenge, 0).config_digest
        batch = score_batch(challenge, 0, seq, digest, items)
        typed = score_batch_typed_data(batch, self.w3.eth.chain_id, self.p.score_board.address)
        sigs = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
        fn = self.p.score_board.functions.postScores(
            batch.as_call_arg(), items_as_call_arg(items), sigs
        )
        return self.owner.transact(fn), items

    def open_private_scores(self, challenge: int, seq: int, items: list[ScoreItem]) -> TxReceipt:
        scores = [i.public_score for i in items]  # private = public in this benchmark
        fn = self.p.score_board.functions.revealPrivateScores(
            challenge, seq, items_as_call_arg(items), scores, [SALT0] * len(items)
        )
        return self.owner.transact(fn)

    def grant(self, challenge: int, participant: str) -> tuple[TxReceipt, TxReceipt]:
        """Funds a GrantPool pool of 3 grants for any public score above 0, then claims one
        for `participant` (who holds no token yet); the two receipts."""
        grants = self.p.grants
        assert grants is not None
        self.owner.transact(self.p.token.functions.mint(self.owner.address, 3 * WAD))
        self.owner.transact(self.p.token.functions.approve(grants.address, 3 * WAD))
        fund = grants.functions.fund(challenge, 0, self.p.token.address, 0, WAD, 3, 0)
        funded = self.owner.transact(fund)
        pool_id = int(grants.functions.poolCount().call())
        return funded, self.owner.transact(grants.functions.claim(pool_id, participant))

    def teams(self) -> tuple[TxReceipt, TxReceipt]:
        """In a challenge capped at 5 commits a day, four participants commit once each, form
        two teams of two, then merge them into one of four: the forming consents' receipts
        (a pair, the merge)."""
        challenge = self.challenge(0, daily_cap=5)
        people = [Sender.from_key(self.w3, k) for k in self.keys[:4]]
        for who in people:
            who.transact(self.p.book.functions.commit(challenge, keccak(text=who.address)))
        pair = self.form_team(challenge, people[:2])
        self.form_team(challenge, people[2:])
        return pair, self.form_team(challenge, people)

    def form_team(self, challenge: int, members: list[Sender]) -> TxReceipt:
        """Equal shares; the first (by address) proposes, the others consent: the last
        consent's receipt."""
        ordered = sorted(members, key=lambda s: int(s.address, 16))
        shares = [1_000_000 // len(ordered)] * len(ordered)
        shares[0] += 1_000_000 - sum(shares)
        book = self.p.book
        proposal = book.functions.proposeTeam(challenge, [s.address for s in ordered], shares)
        (event,) = book.events.TeamProposed().process_receipt(
            ordered[0].transact(proposal), errors=DISCARD
        )
        consents = [s.transact(book.functions.joinTeam(event["args"]["teamId"]))
                    for s in ordered[1:]]  # fmt: skip
        return consents[-1]

    def warp(self, seconds: int) -> None:
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def reveal_holdout(self, challenge: int) -> None:
        reveal_holdout(
            self.p, self.owner, challenge, 0, "bafkreilabels", self.labels_digest, self.salt
        )

    def post_root(self, challenge: int, leaves: list[Leaf]) -> tuple[TxReceipt, MerkleTree]:
        tree = build_tree(leaves)
        total = sum(leaf.amount for leaf in leaves)
        digest = read_phase_judges(self.p, challenge, 0).config_digest
        merkle_root = bytes.fromhex(tree.root[2:])
        root = RewardRoot(
            challenge, 0, 0, 1, digest, merkle_root, total, keccak(text="bafkreireport")
        )
        typed = reward_root_typed_data(root, self.w3.eth.chain_id, self.p.vault.address)
        sigs = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
        fn = self.p.vault.functions.postRewards(root.as_call_arg(), "bafkreireport", sigs)
        return self.owner.transact(fn), tree

    def claim(self, challenge: int, leaf: Leaf, tree: MerkleTree) -> TxReceipt:
        fn = self.p.vault.functions.claim(
            challenge, 0, leaf.account, leaf.amount, tree.proof(leaf.account)
        )
        return self.owner.transact(fn)

    def post_root_of_size(self, bounty: int, leaves: list[Leaf], size: int) -> "PostedTree":
        """A new challenge whose root has `leaves` and fixed strangers, `size` leaves in all
        (so every run builds the same tree), open for claims."""
        challenge = self.challenge(bounty)
        self.warp(2 * 86400 + 1)
        self.reveal_holdout(challenge)
        strangers = [
            Leaf(Address(Web3.to_checksum_address(keccak(n.to_bytes(32, "big"))[12:])), 1)
            for n in range(size - len(leaves))
        ]
        _, tree = self.post_root(challenge, leaves + strangers)
        self.warp(3601)
        return PostedTree(challenge, tree, strangers)

    def give_token(self, account: str) -> None:
        """One base unit, so `account` holds the token before its claim."""
        self.owner.transact(self.p.token.functions.mint(self.owner.address, 1))
        self.owner.transact(self.p.token.functions.transfer(account, 1))


@dataclass(frozen=True)
class PostedTree:
    challenge: int
    tree: MerkleTree
    strangers: list[Leaf]

    def word_sharers(self, leaf: Leaf) -> tuple[Leaf, Leaf]:
        """A stranger whose claimed mark shares `leaf`'s word, and one in another word."""
        word = self._word(leaf)
        same = next(s for s in self.strangers if self._word(s) == word)
        other = next(s for s in self.strangers if self._word(s) != word)
        return same, other

    def _word(self, leaf: Leaf) -> int:
        return path_code(leaf, self.tree.proof(leaf.account)) >> 8


@dataclass(frozen=True)
class Measured:
    rows: list[Row]
    breakdowns: dict[str, GasBreakdown]
    data: list[TxBytes]  # the bytes of a commit, a reveal and a batch item (bench/rollup.py)


def measure() -> Measured:
    anvil = start_anvil(steps_tracing=True)
    try:
        b = GasBench(anvil.url)
        b.owner.transact(b.p.token.functions.mint(b.owner.address, 10**18))
        send_one = b.p.token.functions.transfer(Account.from_key(ANVIL_KEYS[1]).address, 1)
        transfer = b.owner.transact(send_one)["gasUsed"]  # to an account without the token
        transfer_to_holder = b.owner.transact(send_one)["gasUsed"]  # now it holds some
        bounty = 1000 * WAD
        challenge = b.challenge(bounty)
        print("  submitting 112 submissions from 20 participants ...")
        submitted = [b.submit(challenge, b.keys[n % PARTICIPANTS]) for n in range(111)]
        steady = submitted[PARTICIPANTS:]  # each participant's second and later commits
        ids = [s.submission_id for s in submitted]
        fork = b.submit(challenge, b.keys[0], (ids[0], ids[1]))
        commit_gas = sum(s.commit["gasUsed"] for s in steady) // len(steady)
        reveal_gas = sum(s.reveal["gasUsed"] for s in steady) // len(steady)
        print("  posting score batches of 1, 10 and 100 items (2-of-3 signatures) ...")
        r1, items1 = b.post_scores(challenge, ids[:1], 1)
        r10, items10 = b.post_scores(challenge, ids[1:11], 2)
        r100, items100 = b.post_scores(challenge, ids[11:111], 3)
        print("  funding a grant pool and claiming a grant mid-phase ...")
        grant_funded, grant_claimed = b.grant(challenge, Account.from_key(b.keys[5]).address)
        b.warp(2 * 86400 + 1)
        b.open_private_scores(challenge, 1, items1)
        b.open_private_scores(challenge, 2, items10)
        private = b.open_private_scores(challenge, 3, items100)
        b.reveal_holdout(challenge)
        leaves = [Leaf(Address(Account.from_key(k).address), (n + 1) * WAD)
                  for n, k in enumerate(b.keys)]  # fmt: skip
        posted, tree = b.post_root(challenge, leaves)
        b.warp(3601)
        # Leaves 1 and 2 sit on the deeper level of the 20-leaf tree (5-hash proofs), leaf 3
        # on the other (4 hashes).
        to_new_holder = b.claim(challenge, leaves[1], tree)  # holds no token yet
        for leaf in leaves[2:4]:
            b.give_token(leaf.account)
        holder_5 = b.claim(challenge, leaves[2], tree)
        holder_4 = b.claim(challenge, leaves[3], tree)
        print(f"  claims in trees of {MID_TREE} and {LARGE_TREE:,} leaves ...")
        mid_tree = b.post_root_of_size(bounty, leaves, MID_TREE)
        holder_7 = b.claim(mid_tree.challenge, leaves[2], mid_tree.tree)
        large = b.post_root_of_size(bounty, leaves, LARGE_TREE)
        # leaves[2]'s word opened by a stranger's claim first; a holder-stranger opens another.
        opener, fresh = large.word_sharers(leaves[2])
        b.claim(large.challenge, opener, large.tree)
        holder_11 = b.claim(large.challenge, leaves[2], large.tree)
        b.give_token(fresh.account)
        first_in_word = b.claim(large.challenge, fresh, large.tree)
        third = b.challenge(bounty)
        b.warp(2 * 86400 + 1)
        b.reveal_holdout(third)
        b.post_root(third, leaves)
        dispute_fn = b.p.vault.functions.dispute(third, 0, "bafkreireason")
        dispute = b.owner.transact(dispute_fn, 10**16)["gasUsed"]
        print("  two teams of two form, then merge ...")
        team_pair, team_merge = b.teams()
        print("  tracing the steps with a target ...")
        typical = steady[-1]
        breakdowns = {
            "commit": breakdown(b.w3, typical.commit["transactionHash"]),
            "reveal": breakdown(b.w3, typical.reveal["transactionHash"]),
            "postScores, 100 items (per item)": breakdown(b.w3, r100["transactionHash"]).scaled(
                100
            ),
            "claim to a holder (5-hash proof)": breakdown(b.w3, holder_5["transactionHash"]),
            "claim to a new holder (5-hash proof)": breakdown(
                b.w3, to_new_holder["transactionHash"]
            ),
        }
        data = [
            measure_tx(b.w3, "commit", typical.commit["transactionHash"]),
            measure_tx(b.w3, "reveal", typical.reveal["transactionHash"]),
            measure_tx(b.w3, "score batch item (of 100)", r100["transactionHash"], items=100),
            measure_tx(b.w3, "claim (5-hash proof)", holder_5["transactionHash"]),
        ]
    finally:
        anvil.stop()
    base = "erc20_transfer_to_new_holder"

    def to_holder(name: str, claim: TxReceipt) -> Row:
        """A claim paying an account that holds the token, against a transfer to one."""
        held = "erc20_transfer_to_holder"
        return Row(name, claim["gasUsed"], "gas", held, transfer_to_holder, "<= 60000")

    per = "gas/item"
    rows = [
        Row("gas.commit", commit_gas, "gas", base, transfer),
        Row("gas.reveal", reveal_gas, "gas", base, transfer),
        Row("gas.commit_plus_reveal", commit_gas + reveal_gas, "gas", base, transfer, "<= 110000"),
        Row("gas.reveal_with_2_parents", fork.reveal["gasUsed"], "gas", base, transfer),
        Row("gas.post_scores_per_item.batch_1", r1["gasUsed"], per, base, transfer),
        Row("gas.post_scores_per_item.batch_10", r10["gasUsed"] / 10, per, base, transfer),
        Row(
            "gas.post_scores_per_item.batch_100",
            r100["gasUsed"] / 100,
            per,
            base,
            transfer,
            "<= 15000",
        ),  # fmt: skip
        Row(
            "gas.reveal_private_scores_per_item.batch_100",
            private["gasUsed"] / 100,
            per,
            base,
            transfer,
        ),
        Row("gas.post_rewards", posted["gasUsed"], "gas", base, transfer),
        Row("gas.claim.to_new_holder", to_new_holder["gasUsed"], "gas", base, transfer, "<= 60000"),
        to_holder("gas.claim.to_holder.proof_4", holder_4),
        to_holder("gas.claim.to_holder.proof_5", holder_5),
        to_holder("gas.claim.to_holder.proof_7", holder_7),
        to_holder("gas.claim.to_holder.proof_11", holder_11),
        to_holder("gas.claim.to_holder.proof_11.first_in_its_word", first_in_word),
        Row("gas.dispute", dispute, "gas", base, transfer),
        Row("gas.grant.fund", grant_funded["gasUsed"], "gas", base, transfer),
        Row("gas.grant.claim.to_new_holder", grant_claimed["gasUsed"], "gas", base, transfer),
        Row("gas.team.form_pair", team_pair["gasUsed"], "gas", base, transfer),
        Row("gas.team.merge_two_pairs", team_merge["gasUsed"], "gas", base, transfer),
    ]
    return Measured(rows, breakdowns, data)


def met(row: Row) -> str:
    if not row.target:
        return ""
    limit = float(row.target.split()[-1])
    return "met" if row.value <= limit else f"MISSED by {row.value - limit:,.0f}"


def _breakdown_table(breakdowns: dict[str, GasBreakdown]) -> list[str]:
    names = list(breakdowns)
    lines = [
        "| where the gas goes | " + " | ".join(names) + " |",
        "| --- |" + " ---: |" * len(names),
    ]
    for kind in KINDS:
        values = [breakdowns[n].by_kind[kind] for n in names]
        if any(values):
            lines.append(f"| {kind} | " + " | ".join(f"{v:,}" for v in values) + " |")
    lines.append("| **total** | " + " | ".join(f"**{breakdowns[n].gas_used:,}**" for n in names)
                 + " |")  # fmt: skip
    return lines


def write_docs(measured: Measured, notes: str) -> None:
    rows = measured.rows
    baseline = rows[0].baseline_value
    holder = next(r.baseline_value for r in rows if r.name == "gas.claim.to_holder.proof_5")
    lines = [
        "# Gas (measured by `make bench`)",
        "",
        f"Measured {datetime.date.today()} on anvil, solc 0.8.30 (optimizer 10,000 runs, cancun),",
        "by `bench/gas.py`. Baselines in the same run: a CoopToken (ERC-20) `transfer` to an",
        f"account that never held the token = {baseline:,.0f} gas (its balance is written from",
        "zero), and for the claims to accounts that hold the token, a `transfer` to such an",
        f"account = {holder:,.0f} gas. Commit and reveal are steady-state averages (each of 20",
        "participants' second and later submissions, no commit bond, no daily cap). Score",
        "batches carry items from 20 participants, signed 2-of-3. Claims pay the same whether",
        "an account claims for the first time or not (the vault keeps nothing per account);",
        "what changes their gas is whether the account already holds the token, the proof's",
        "length and, in trees of more than 128 leaves, whether the claim is the first into its",
        "word of claimed marks. The 20-leaf reward tree (fixed accounts, so every run builds the",
        "same tree) has 12 leaves with 4-hash proofs and 8 with 5-hash proofs; the trees of",
        f"{MID_TREE} and {LARGE_TREE:,} leaves (the 20 accounts and fixed others) give 7- and",
        "11-hash proofs. Rows: a claim to an account that holds no token yet; claims to",
        "accounts that hold it, by proof length; and one that is first into its word. The",
        "grant rows: funding a GrantPool pool of 3 grants (the pool's first, five slots",
        "written from zero) and one grant claimed, mid-phase, to an account without the token.",
        "",
        "| step | gas | before | ratio to its baseline | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        target = f"{r.target} ({met(r)})" if r.target else ""
        before = f"{BEFORE[r.name]:,}" if r.name in BEFORE else ""
        name = r.name.removeprefix("gas.")
        lines.append(f"| {name} | {r.value:,.0f} | {before} | {r.ratio} | {target} |")
    lines += [
        "",
        "## Where the gas goes",
        "",
        "Each opcode's cost from anvil's trace of one transaction (`bench/gas_trace.py`),",
        "summed by kind; the columns add up to the receipts' `gasUsed`. The commit and reveal",
        "are the last steady-state pair; the score batch is the 100-item one, divided by 100.",
        "",
        *_breakdown_table(measured.breakdowns),
        "",
        "## On a rollup",
        "",
        "On an OP-stack rollup a transaction pays L2 execution (its gas at the L2's gas price)",
        "plus an L1 data fee for the bytes the sequencer posts to L1 (bench/rollup.py, the",
        "Fjord formula below). The bytes are measured from this run's transactions (the",
        "commit and reveal traced above, the 100-item score batch divided by 100, the",
        "holder's claim). The prices are example inputs, not live ones: "
        f"L1 base fee {PRICES.l1_base_fee / 10**9:g} gwei",
        f"(+ 0.1 gwei tip on L1), blob base fee {PRICES.l1_blob_base_fee / 10**9:g} gwei, OP "
        f"Mainnet's scalars (base fee {PRICES.base_fee_scalar:,}, blob fee",
        f"{PRICES.blob_fee_scalar:,}, both scaled by 1e6), an L2 gas price of "
        f"{PRICES.l2_gas_price / 10**9:g} gwei and {PRICES.eth_usd:,} USD per ETH.",
        "",
        *cost_table(measured.data, PRICES),
        "",
        "    l1FeeScaled   = baseFeeScalar * l1BaseFee * 16 + blobFeeScalar * l1BlobBaseFee",
        "    estimatedSize = max(100e6, -42,585,600 + 836,500 * fastlzSize)",
        "    l1DataFee     = estimatedSize * l1FeeScaled / 1e12",
        "",
        "fastlzSize (the FastLZ-compressed signed transaction) is taken at the GasPriceOracle's",
        "upper bound, signed size + size/255 + 16, so the rollup's data column is a ceiling:",
        "the ABI's zero padding (the zero bytes above) compresses, the hashes, salts and",
        "signatures do not. On the chain itself read the inputs from the GasPriceOracle",
        "(0x420000000000000000000000000000000000000F: `l1BaseFee()`, `blobBaseFee()`,",
        "`baseFeeScalar()`, `blobBaseFeeScalar()`) or ask it for one transaction with",
        "`getL1Fee(signedTx)`. The data fee is per transaction, so batching is what makes",
        "score items cheap on a rollup as on L1.",
        "",
        notes.strip(),
    ]
    DOCS.write_text("\n".join(lines) + "\n")


NOTES = Path(__file__).with_name("gas_notes.md")
PRICES = Prices()
# The first complete contracts (2026-11-28, optimizer 200 runs), for the `before` column.
BEFORE = {
    "gas.commit": 87_830,
    "gas.reveal": 57_032,
    "gas.commit_plus_reveal": 144_862,
    "gas.reveal_with_2_parents": 69_707,
    "gas.post_scores_per_item.batch_1": 173_882,
    "gas.post_scores_per_item.batch_10": 47_932,
    "gas.post_scores_per_item.batch_100": 18_778,
    "gas.reveal_private_scores_per_item.batch_100": 5_453,
    "gas.post_rewards": 199_349,
    "gas.claim.to_new_holder": 113_784,
    "gas.claim.to_holder.proof_5": 79_548,
    "gas.dispute": 88_140,
}


def main() -> None:
    measured = measure()
    merge_rows(measured.rows)
    write_docs(measured, NOTES.read_text() if NOTES.exists() else "")
    for r in measured.rows:
        print(f"  {r.name:48} {r.value:>10,.0f} {r.unit:9} {met(r)}")
