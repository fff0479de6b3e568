"""The export's tables: every column's name, Arrow type and meaning, in one place.

docs/export.md shows this schema (a test keeps the two equal). Scores and token amounts
are exact decimals with 18 fractional digits (a WAD divided by 10**18); times are UTC
timestamps of the block that recorded the event; addresses are checksummed strings.
"""

from dataclasses import dataclass

import pyarrow as pa

DECIMAL = pa.decimal128(38, 18)  # WAD scores and token amounts, exact; DuckDB: DECIMAL(38,18)
TIME = pa.timestamp("s", tz="UTC")


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    meaning: str
    nullable: bool = False


def _c(name: str, type_: pa.DataType, meaning: str, nullable: bool = False) -> Column:
    return Column(name, type_, meaning, nullable)


TABLES: dict[str, tuple[Column, ...]] = {
    "challenges": (
        _c("challenge_id", pa.int64(), "the challenge's id on the registry"),
        _c("owner", pa.string(), "who created it"),
        _c("token", pa.string(), "the reward token's address"),
        _c("dispute_window_seconds", pa.int64(), "how long a rewards root can be disputed"),
        _c("dispute_bond", DECIMAL, "ETH a dispute locks"),
        _c("arbiter", pa.string(), "who decides disputes (at creation)"),
        _c("daily_cap", pa.int64(), "commits per address per rolling day"),
        _c("commit_bond", DECIMAL, "ETH a commit locks until its reveal"),
        _c("parent_challenge", pa.int64(), "the challenge this one forks (0: none)"),
        _c("spec_cid", pa.string(), "the challenge spec on IPFS"),
        _c("created_block", pa.int64(), "block of ChallengeCreated"),
        _c("created_at", TIME, "time of that block"),
    ),
    "phases": (
        _c("challenge_id", pa.int64(), "the challenge"),
        _c("phase", pa.int32(), "the phase index (0 first)"),
        _c("spec_cid", pa.string(), "the phase's spec (metric, dataset version) on IPFS"),
        _c("higher_is_better", pa.bool_(), "the phase's score direction"),
        _c("baseline", DECIMAL, "the score the improvement ladder starts from"),
        _c("target", DECIMAL, "the score that closes the whole gap"),
        _c("eta", DECIMAL, "the Ladder's grid: the smallest gain that counts"),
        _c("commit_start", TIME, "commits open"),
        _c("commit_end", TIME, "commits close"),
        _c("reveal_end", TIME, "reveals close"),
        _c("bounty", DECIMAL, "tokens the phase pays"),
        _c("holdout_commitment", pa.string(), "keccak commitment to the hidden labels (hex)"),
        _c("added_block", pa.int64(), "block of PhaseAdded"),
        _c("holdout_labels_cid", pa.string(), "revealed labels on IPFS", True),
        _c("holdout_revealed_at", TIME, "when the holdout was revealed", True),
        _c("holdout_revealer", pa.string(), "who revealed it", True),
    ),
    "submissions": (
        _c("submission_id", pa.int64(), "the submission's id (global, in commit order)"),
        _c("challenge_id", pa.int64(), "its challenge"),
        _c("phase", pa.int32(), "the phase it was committed in"),
        _c("submitter", pa.string(), "who committed it"),
        _c("commit_block", pa.int64(), "block of the commit (its priority)"),
        _c("committed_at", TIME, "time of that block"),
        _c("bond", DECIMAL, "ETH locked with the commit"),
        _c("artifact_cid", pa.string(), "the revealed file or folder on IPFS", True),
        _c("revealed_at", TIME, "when it was revealed", True),
        _c("status", pa.string(), "committed, revealed, or the scored status (VALID, …)"),
        _c("status_code", pa.int32(), "the on-chain status code once scored", True),
        _c("public_score", DECIMAL, "the public score the oracles posted", True),
        _c("scored_at", TIME, "when the score batch was posted", True),
        _c("score_seq", pa.int64(), "the score batch that carried it", True),
        _c("receipt_digest", pa.string(), "digest of the oracles' per-submission report", True),
        _c("private_score", DECIMAL, "the private score, once opened", True),
        _c("improvement", pa.bool_(), "it moved the phase's public best (the Ladder)"),
        _c("parents", pa.int32(), "how many submissions it forks"),
        _c(
            "source_repository",
            pa.string(),
            "the git repository its coop-source.json "
            "names (`coop submit --from-git`); null for a file, a folder without one, or an "
            "artifact the store could not deliver",
            True,
        ),
        _c("source_commit", pa.string(), "the commit that manifest names", True),
        _c(
            "licence",
            pa.string(),
            "the SPDX licence it carries: its coop-source.json's, else its phase's default "
            "(docs/licences.md); null before the reveal or when the artifact or spec could "
            "not be read",
            True,
        ),
    ),
    "forks": (
        _c("child_id", pa.int64(), "the forking submission"),
        _c("parent_id", pa.int64(), "a submission it builds on (any challenge)"),
        _c("weight_ppm", pa.int64(), "the parent's share, parts per million"),
        _c("position", pa.int32(), "the parent's place in the reveal"),
        _c("challenge_id", pa.int64(), "the child's challenge"),
        _c("parent_challenge_id", pa.int64(), "the parent's challenge", True),
        _c("parent_submitter", pa.string(), "who made the parent", True),
    ),
    "reviews": (
        _c("submission_id", pa.int64(), "the reviewed submission"),
        _c("challenge_id", pa.int64(), "its challenge"),
        _c("reviewer", pa.string(), "who reviewed"),
        _c("verdict", pa.int32(), "1 approve, 2 concern, 3 reject"),
        _c("review_cid", pa.string(), "the review's text on IPFS"),
        _c("block", pa.int64(), "block of the review"),
        _c("reviewed_at", TIME, "time of that block"),
    ),
    "score_batches": (
        _c("challenge_id", pa.int64(), "the challenge"),
        _c("phase", pa.int32(), "the phase scored"),
        _c("seq", pa.int64(), "the batch's sequence number"),
        _c("item_count", pa.int64(), "scores in the batch"),
        _c("items_hash", pa.string(), "keccak of the items the oracles signed (hex)"),
        _c("relayer", pa.string(), "who sent the transaction"),
        _c("posted_at", TIME, "time of the posting block"),
        _c("tx_hash", pa.string(), "the posting transaction"),
    ),
    "reward_roots": (
        _c("challenge_id", pa.int64(), "the challenge"),
        _c("phase", pa.int32(), "the phase paid"),
        _c("seq", pa.int64(), "the root's sequence number"),
        _c("merkle_root", pa.string(), "the posted root (hex)"),
        _c("total", DECIMAL, "tokens the root pays"),
        _c("report_cid", pa.string(), "the per-submission reward report on IPFS"),
        _c("state", pa.string(), "live, disputed or voided"),
        _c("disputes", pa.int32(), "disputes filed against it"),
        _c("claimable_at", TIME, "claims open"),
        _c("posted_at", TIME, "time of the posting block"),
        _c("tx_hash", pa.string(), "the posting transaction"),
    ),
    "rewards": (
        _c("challenge_id", pa.int64(), "the challenge"),
        _c("phase", pa.int32(), "the phase"),
        _c("seq", pa.int64(), "the root whose Merkle leaf this is"),
        _c("account", pa.string(), "who may claim"),
        _c("amount", DECIMAL, "tokens the leaf pays"),
        _c("root_state", pa.string(), "the root's state: a voided root pays nothing"),
    ),
    "claims": (
        _c("challenge_id", pa.int64(), "the challenge"),
        _c("phase", pa.int32(), "the phase"),
        _c("account", pa.string(), "who claimed"),
        _c("amount", DECIMAL, "tokens paid"),
        _c("claimed_at", TIME, "time of the claim's block"),
    ),
    "escrow": (
        _c("challenge_id", pa.int64(), "the challenge"),
        _c("block", pa.int64(), "block of the change"),
        _c("log_index", pa.int64(), "its place in the block"),
        _c("cause", pa.string(), "deposit, root posted, root voided or refund"),
        _c("amount", DECIMAL, "signed change of the unallocated escrow, tokens"),
    ),
}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in TABLES[table]])
