"""One whole challenge life on a real chain, the events the indexer and the API must show.

Alice commits the mean model, Bob forks her with a linear model (weight 100%), Carol
sends an unreadable file; Dave reviews Bob; a 2-of-3 oracle quorum scores and posts the
batch; the phase ends (private scores opened, holdout revealed); the quorum posts the
rewards root (report on IPFS); Bob claims with the proof the index serves.
"""

from dataclasses import dataclass

from eth_account import Account

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.rewards.report import RewardReport
from oracle.types import PPM, Address
from tests.ledger.lifecycle import Life, predictions

ALICE, BOB, CAROL, DAVE = 1, 2, 3, 4


def address(who: int) -> Address:
    return Address(Account.from_key(ANVIL_KEYS[who]).address)


@dataclass
class Story:
    life: Life
    mean: int = 0  # alice's submission id
    linear: int = 0  # bob's, forking alice's
    broken: int = 0  # carol's unreadable file
    report: RewardReport | None = None


def scored(life: Life) -> Story:
    """Up to the scores on chain (public board filled, phase still open)."""
    story = Story(life)
    files = life.files
    story.mean = life.submit(ALICE, predictions(files, "baseline"))
    story.linear = life.submit(BOB, predictions(files, "linear"), parents=(story.mean,),
                               weights=(PPM,))  # fmt: skip
    story.broken = life.submit(CAROL, b"id,prediction\n0,not-a-number\n")
    dave = Sender.from_key(life.w3, ANVIL_KEYS[DAVE])
    review_cid = str(life.store.add_bytes(b"clean fork, nice features").cid)
    dave.transact(life.platform.book.functions.review(story.linear, 1, review_cid))
    life.score_and_post()
    return story


def rewarded(life: Life) -> Story:
    """The whole life: scores, phase end, rewards root posted, its dispute window passed."""
    story = scored(life)
    life.end_phase()
    story.report = life.rewards()
    life.post_root(story.report)
    life.open_claims()
    return story
