"""The near-copy part of `make demo` (issue 16): a disguised copy to submit, and the lines
that say how the posted rewards credited it (docs/rewards.md, "Near-copies").

To show it, the demo submits `disguised_copy(outputs["ada"])` from a participant of its own
naming no parent, and once the rewards root is posted prints `credited_copies(...)`.
"""

import json

import numpy as np

from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Ledger, RootStanding
from oracle.rewards.published import PublishedReport
from oracle.rewards.report import REPORT_MAX_BYTES
from oracle.types import ppm_text

NOISE_OF_SPREAD = 0.005  # 0.5% of the predictions' spread: well below the 2% default


def disguised_copy(predictions_csv: bytes, seed: int = 16) -> bytes:
    """`id,prediction` rows with every value moved by a little Gaussian noise and the rows in
    reverse order: a copy a hash check misses and the near-copy distance catches."""
    header, *rows = predictions_csv.decode().splitlines()
    ids = [row.split(",", 1)[0] for row in rows]
    values = np.array([float(row.split(",", 1)[1]) for row in rows])
    rng = np.random.default_rng(seed)
    moved = values + rng.normal(0.0, NOISE_OF_SPREAD * float(values.std()), len(values))
    lines = [f"{i},{v!r}" for i, v in zip(ids, moved.tolist(), strict=True)]
    return ("\n".join([header, *lines[::-1]]) + "\n").encode()


def credited_copies(ledger: Ledger, challenge_id: int, store: ContentStore,
                    names: dict[str, str] | None = None) -> list[str]:  # fmt: skip
    """One line per near-copy in the challenge's live rewards reports, e.g. "#6 (0x…) is a
    near-copy of #1 (0x…), distance 0.004913: it passed 1,234.5 COOP of its 1,371.7 to #1,
    credited as a fork"; `names` puts a name for an address (the demo's participants)."""
    named = names or {}
    lines = []
    for root in ledger.challenges[challenge_id].roots:
        if root.state is RootStanding.VOIDED:
            continue
        raw = store.cat(root.report_cid, max_bytes=REPORT_MAX_BYTES)
        report = PublishedReport.model_validate(json.loads(raw))
        awards = {award.submission_id: award for award in report.submissions}
        for near in report.near_copies:
            award = awards[near.submission_id]
            passed = sum(p.amount for p in award.passes if p.parent_id == near.source_id)
            received = award.final + award.passed_to_parents
            who = ledger.submissions[near.submission_id].submitter
            source = near.source_submitter
            lines.append(
                f"#{near.submission_id} ({named.get(who, who)}) is a near-copy of "
                f"#{near.source_id} ({named.get(source, source)}), distance "
                f"{ppm_text(near.distance_ppm)}: it passed {passed / 10**18:,.2f} COOP of its "
                f"{received / 10**18:,.2f} to #{near.source_id}, credited as a fork"
            )
    return lines
