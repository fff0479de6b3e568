"""Auditing one challenge: replay the ledger, check the signatures on chain, then everything
the ledger and the content store give (content, licences, scores and those a correction set
aside, ties, near-copies, rewards, rank changes), then the grant payments on chain."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oracle.audit.corrections import check_corrections
from oracle.audit.findings import AuditReport
from oracle.audit.grants import check_grants
from oracle.audit.licences import check_licences
from oracle.audit.near_copies import check_near_copies
from oracle.audit.rank_changes import check_rank_changes
from oracle.audit.read_once import ReadOnce
from oracle.audit.recompute import Counted, Fetcher, check_rewards, check_scores
from oracle.audit.rerun import check_code_reruns
from oracle.audit.rules import note_rules
from oracle.audit.signatures import check_signatures
from oracle.audit.ties import check_ties
from oracle.chain.platform import Platform
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Challenge, Ledger
from oracle.ledger.replay import read_ledger

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Reruns:
    """Code submissions rerun in the sandbox: runtimes built in `runtime_dir`, all of them
    or `sample` drawn at random, each seeded with the chain's id."""

    chain_id: int
    runtime_dir: Path
    sample: int | None = None


def audit_challenge(platform: Platform, store: ContentStore, challenge_id: int,
                    progress: Progress = lambda step: None, runtime_dir: Path | None = None,
                    sample: int | None = None, *,
                    scores_counted: Counted = lambda done, total: None) -> AuditReport:  # fmt: skip
    """Checks everything the ledger says about `challenge_id`; report.ok when all matches.

    With `runtime_dir` (where runtimes are built), code submissions are rerun too: all, or
    `sample` of them drawn at random. `progress` hears each step's name, `scores_counted`
    (done, total) after each score recomputed."""
    progress("replaying events")
    ledger = read_ledger(platform)
    challenge = ledger.challenge(challenge_id)
    report = AuditReport(challenge_id, ledger.last_block)
    progress("checking signatures")
    check_signatures(platform, ledger, challenge, report)
    reruns = None if runtime_dir is None else Reruns(platform.w3.eth.chain_id, runtime_dir, sample)
    audit_ledger(ledger, challenge, store, report, progress, scores_counted, reruns)
    progress("checking grant payments")
    check_grants(platform, ledger, challenge, report)
    return report


def audit_ledger(ledger: Ledger, challenge: Challenge, store: ContentStore, report: AuditReport,
                 progress: Progress = lambda step: None,
                 scores_counted: Counted = lambda done, total: None,
                 reruns: Reruns | None = None) -> None:  # fmt: skip
    """The checks that need only the replayed `ledger` and the content `store` (no chain
    reads), recorded in `report`: every step of `audit_challenge` but the signatures and the
    grant payments, which read transactions and the GrantPool from the chain. Each block
    and file is fetched and verified once for all the steps (oracle/audit/read_once.py)."""
    note_rules(challenge, report)
    store = ReadOnce(store)
    fetch = Fetcher(store, report)
    progress("checking licences")
    check_licences(ledger, challenge, fetch)
    progress("recomputing scores")
    check_scores(ledger, challenge, fetch, scores_counted)
    progress("recomputing scores set aside by corrections")
    set_aside_clean = check_corrections(ledger, challenge, fetch)
    progress("recomputing rank intervals")
    tie_groups = check_ties(ledger, challenge, store, report)
    if reruns is not None:
        progress("rerunning code submissions")
        check_code_reruns(ledger, challenge, fetch, reruns.chain_id, reruns.runtime_dir,
                          reruns.sample, progress)  # fmt: skip
    progress("finding near-copies")
    near_copies = check_near_copies(ledger, challenge, store, report)
    progress("recomputing rewards")
    recomputed = check_rewards(ledger, challenge, fetch, tie_groups, near_copies)
    progress("recomputing rank changes")
    check_rank_changes(ledger, challenge, fetch, set_aside_clean, recomputed)
