"""The demo's next sprint: the owner adds a phase that changes the figure of merit (MAE with
its own baseline and target instead of RMSE), and says what changed as `coop challenge
status` and the web app's timeline do (oracle/figure_of_merit.py); once the phase is played,
its public board under the new figure of merit (`played_sprint`)."""

import json
from dataclasses import dataclass
from pathlib import Path

from oracle.chain.platform import Platform
from oracle.chain.publish import PhaseOptions, Published, publish_phase
from oracle.chain.sender import Sender
from oracle.ipfs.store import ContentStore
from oracle.ledger.boards import BoardEntry, public_board, score_text
from oracle.ledger.challenge_status import PhaseStatus, challenge_status
from oracle.ledger.replay import read_ledger
from oracle.spec import SPEC_MAX_BYTES, ZERO_HASH
from oracle.types import wad_text

# The second sprint's figure of merit: mean absolute error, from the mean's 70 to 40.
NEXT_SPRINT = {"metric": {"name": "mae"}, "baseline": "70", "target": "40"}
SPRINT_TOP_UP = 2_000 * 10**18


@dataclass(frozen=True)
class Sprint:
    """A phase announced by `announce_next_sprint`, as `coop challenge status` tells it."""

    published: Published
    status: PhaseStatus

    def describe(self) -> str:
        merit, changed = self.status.merit, "; ".join(self.status.changed)
        return (
            f"phase {self.published.phase} of challenge {self.published.challenge_id} is judged "
            f"by {merit.metric}, {merit.direction} is better, baseline {wad_text(merit.baseline)}, "
            f"target {wad_text(merit.target)} (changed: {changed}); {self.status.next_step}, "
            "after the challenge's notice period, so participants read the new rules first"
        )


def announce_next_sprint(platform: Platform, store: ContentStore, owner: Sender, data_dir: Path,
                         challenge_id: int, data: Path) -> Sprint:  # fmt: skip
    """Adds a phase to `challenge_id` whose spec is the newest phase's with NEXT_SPRINT's
    figure of merit and a fresh holdout split, on the same files (`data` holds labels.csv
    and the public files, hidden test features included), topped up by SPRINT_TOP_UP minted
    to the owner (a dev token); its windows last as long as the newest phase's."""
    phases = read_ledger(platform).challenge(challenge_id).phases
    last = phases[-1]
    spec = json.loads(store.cat(last.spec_cid, max_bytes=SPEC_MAX_BYTES)) | NEXT_SPRINT
    spec["split"]["salt_hash"] = ZERO_HASH  # publishing draws the new phase's split salt
    spec_file = data_dir / f"challenge-{challenge_id}-phase-{len(phases)}.json"
    spec_file.write_text(json.dumps(spec, indent=2) + "\n")
    owner.transact(platform.token.functions.mint(owner.address, SPRINT_TOP_UP))
    options = PhaseOptions(top_up=SPRINT_TOP_UP, commit_seconds=last.commit_end - last.commit_start,
                           reveal_seconds=last.reveal_end - last.commit_end)  # fmt: skip
    published = publish_phase(platform, owner, store, data_dir, challenge_id, spec_file,
                              data / "labels.csv", options, data)  # fmt: skip
    status = challenge_status(platform, store, challenge_id).phases[published.phase]
    return Sprint(published, status)


@dataclass(frozen=True)
class PlayedSprint:
    """The sprint's phase once submissions into it are scored: its status (figure of merit,
    what changed, best public score) and its public board."""

    status: PhaseStatus
    board: tuple[BoardEntry, ...]

    def describe(self, names: dict[str, str]) -> str:
        merit, phase = self.status.merit, self.status.phase.index
        best = self.status.best_public
        top = "no valid submission yet" if best is None else (
            f"best public {score_text(best.score)} by #{best.submission_id} "
            f"({names.get(best.participant, best.participant)})")  # fmt: skip
        return (f"phase {phase} judged by {merit.metric} ({merit.direction} is better, baseline "
                f"{wad_text(merit.baseline)}, target {wad_text(merit.target)}; changed: "
                f"{'; '.join(self.status.changed)}): {top}")  # fmt: skip


def played_sprint(platform: Platform, store: ContentStore, sprint: Sprint) -> PlayedSprint:
    challenge_id, phase = sprint.published.challenge_id, sprint.published.phase
    status = challenge_status(platform, store, challenge_id).phases[phase]
    ledger = read_ledger(platform)
    board = public_board(ledger, ledger.challenge(challenge_id), phase)
    return PlayedSprint(status, tuple(board))
