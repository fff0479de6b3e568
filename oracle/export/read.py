"""Reading what an export is made of: the ledger from the chain, block times, verified leaves.

A root's leaves come from its report on IPFS and are kept only when they rebuild the Merkle
root posted on chain (the indexer's own check, oracle/indexer/reports.py); a report that
cannot be fetched or does not match stops the export with the reason, rather than leave
rows out.
"""

from collections.abc import Iterable

import pyarrow as pa

from oracle.chain.platform import Platform
from oracle.errors import CoopError
from oracle.export.tables import Sources, blocks_needed, build_tables
from oracle.ipfs.store import ContentStore
from oracle.ledger.licences import SpecReader, shown_licence
from oracle.ledger.model import Ledger
from oracle.ledger.replay import read_ledger
from oracle.rewards.model import Leaf
from oracle.rewards.published import PendingRoot, fetch_report
from oracle.submission_source import SourceManifest, artifact_source
from oracle.types import Address


class ReportNotVerified(CoopError, LookupError):
    """A rewards root's report could not be fetched, or its leaves do not rebuild the root."""


def read_export(platform: Platform, store: ContentStore,
                challenge_ids: Iterable[int] | None = None) -> dict[str, pa.Table]:  # fmt: skip
    """The export tables of these challenges (all of them when None), read from the chain now."""
    ledger = read_ledger(platform)
    chosen = sorted(ledger.challenges) if challenge_ids is None else sorted(challenge_ids)
    for cid in chosen:
        ledger.challenge(cid)  # an unknown id fails here, naming the known ones
    times = {
        block: int(platform.w3.eth.get_block(block)["timestamp"])
        for block in sorted(blocks_needed(ledger, chosen))
    }
    leaves = verified_leaves(ledger, chosen, store)
    sources = Sources(ledger, times, leaves, artifact_sources(ledger, chosen, store),
                      artifact_licences(ledger, chosen, store))  # fmt: skip
    return build_tables(sources, chosen)


def artifact_sources(ledger: Ledger, challenge_ids: Iterable[int],
                     store: ContentStore) -> dict[int, SourceManifest]:  # fmt: skip
    """The coop-source.json of each revealed folder artifact that has a well-formed one."""
    found: dict[int, SourceManifest] = {}
    for cid in challenge_ids:
        for s in ledger.submissions_of(cid):
            if s.reveal is None:
                continue
            manifest = artifact_source(store, s.reveal.artifact_cid)
            if manifest is not None:
                found[s.submission_id] = manifest
    return found


def artifact_licences(ledger: Ledger, challenge_ids: Iterable[int],
                      store: ContentStore) -> dict[int, str]:  # fmt: skip
    """The licence of each revealed submission whose artifact and spec could be read."""
    specs = SpecReader(store)
    found: dict[int, str] = {}
    for cid in challenge_ids:
        for s in ledger.submissions_of(cid):
            licence = shown_licence(ledger, store, s, specs)
            if licence is not None:
                found[s.submission_id] = licence.spdx
    return found


def verified_leaves(ledger: Ledger, challenge_ids: Iterable[int],
                    store: ContentStore) -> dict[tuple[int, int], tuple[Leaf, ...]]:  # fmt: skip
    leaves: dict[tuple[int, int], tuple[Leaf, ...]] = {}
    for cid in challenge_ids:
        for root in ledger.challenge(cid).roots:
            pending = PendingRoot(root.challenge_id, root.seq, root.phase,
                                  "0x" + root.merkle_root.hex(), root.total, root.report_cid,
                                  root.block)  # fmt: skip
            outcome = fetch_report(store, pending)
            if outcome.report is None:
                raise ReportNotVerified(
                    f"the rewards report of challenge {cid} phase {root.phase} (root seq "
                    f"{root.seq}) is not usable: {outcome.detail}. Point coop at a store that "
                    "has it (COOP_GATEWAYS=http://127.0.0.1:8000 reads the platform's API, "
                    "docs/auditor.md) and export again"
                )
            leaves[(cid, root.seq)] = tuple(
                Leaf(Address(leaf.account), leaf.amount) for leaf in outcome.report.leaves
            )
    return leaves
