"""Submitting: check, add to IPFS, commit, reveal — the one implementation behind `coop
submit` and the notebook SDK's `submit`/`fork`.

Nothing is sent before every check passes (oracle/chain/submission_checks.py). The salt is
saved under the data dir before the commit is sent; when the reveal fails the pending file
stays, and the error says how `coop reveal` finishes or drops it.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oracle.artifact_manifest import MANIFEST
from oracle.chain.clock import iso_time
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender, ether_text
from oracle.chain.submission_checks import CommitPlan, check_submit
from oracle.chain.submissions import commit, reveal
from oracle.errors import TransactionReverted
from oracle.ipfs.store import ContentStore
from oracle.licences.table import licence as known_licence
from oracle.participant.licensed import check_licence, with_licence
from oracle.participant.local_run import phase_spec

Say = Callable[[str], None]


@dataclass(frozen=True)
class Submitted:
    submission_id: int
    cid: str
    plan: CommitPlan


def submit_path(platform: Platform, sender: Sender, store: ContentStore, data_dir: Path,
                challenge: int, path: Path, parents: tuple[int, ...] = (),
                weights: tuple[int, ...] = (), say: Say = lambda step: None,
                sending: Callable[[], None] = lambda: None,
                step_done: Callable[[], None] = lambda: None,
                licence: str | None = None) -> Submitted:  # fmt: skip
    """Submits the file or folder `path` to `challenge`; `sending` is called once the checks
    passed and the content is added, just before the commit is sent; `step_done` after the
    commit and after the reveal. With `licence` (an SPDX identifier the phase allows),
    `path` is submitted as a folder with a manifest naming it (oracle/participant/licensed.py)."""
    if licence is not None:
        known_licence(licence)  # an identifier outside the table: refused before any read
    plan = check_submit(platform, sender.address, challenge, parents, weights)
    say(f"phase {plan.phase} takes commits until {iso_time(plan.commit_end)}; commit bond "
        f"{ether_text(plan.bond)} (returned at the reveal)")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="coop-licence-") as scratch:
        if licence is not None:
            check_licence(phase_spec(platform, store, challenge, plan.phase)[0], licence)
            path = with_licence(path, licence, Path(scratch) / "artifact")
            say(f"licence {licence}, in {MANIFEST} inside the artifact")
        added = store.add_path(path)
    store.pin(added.cid)
    sending()
    pending = commit(platform, sender, data_dir, challenge, str(added.cid), parents, weights)
    step_done()
    try:
        submission_id = reveal(platform, sender, pending)
    except TransactionReverted as exc:
        raise TransactionReverted(
            f"{exc}; the commit of submission {pending.submission_id} is kept in "
            f"{pending.path(data_dir)}: `coop reveal` tries again, "
            f"`coop reveal --drop {pending.submission_id}` gives it up"
        ) from None
    step_done()
    pending.path(data_dir).unlink()
    return Submitted(submission_id, str(added.cid), plan)
