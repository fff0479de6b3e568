"""One challenge life on one anvil chain for every export test of a module: published,
three submissions (one a fork, one unreadable), a review, scored, ended, its rewards root
posted and claimed by alice; and a second, empty challenge for `--all`."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from eth_account import Account
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.challenges import ChallengeTerms, PhaseRules, PhaseTerms, create_challenge
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.cli.main import cli
from oracle.ipfs.embedded import EmbeddedStore
from oracle.rewards.report import RewardReport
from oracle.types import PPM, WAD
from tests.ledger.lifecycle import Life, diabetes_files, predictions

OWNER, ALICE, BOB, CAROL = ANVIL_KEYS[0], ANVIL_KEYS[1], ANVIL_KEYS[2], ANVIL_KEYS[3]


def address(key: str) -> str:
    return str(Account.from_key(key).address)


@dataclass
class Story:
    life: Life
    env: dict[str, str]
    deployment: Path
    ids: dict[str, int]  # alice, bob, carol → their submission id
    report: RewardReport
    empty_challenge: int

    @property
    def platform(self) -> Platform:
        return self.life.platform

    def coop(self, *args: str, key: str | None = None) -> Result:
        env = dict(self.env) if key is None else {**self.env, "COOP_PRIVATE_KEY": key}
        result = CliRunner().invoke(cli, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    tmp = tmp_path_factory.mktemp("export")
    chain = start_anvil()
    try:
        w3 = Web3(Web3.HTTPProvider(chain.url))
        platform = Platform.connect(w3, deploy_platform(Sender.from_key(w3, OWNER)))
        life = Life(platform, EmbeddedStore(tmp / "ipfs"), tmp, diabetes_files())
        life.publish()
        deployment = tmp / "deployment.json"
        platform.deployment.save(deployment)
        env = {"COOP_RPC_URL": chain.url, "COOP_DEPLOYMENT": str(deployment),
               "COOP_DATA_DIR": str(tmp), "COOP_CONFIG": str(tmp / "absent.toml")}  # fmt: skip
        story = Story(life, env, deployment, {}, None, 0)  # type: ignore[arg-type]
        files = life.files
        # alice's constant guess never beats the baseline, bob's linear model always does,
        # whatever public/private split publishing draws: docs/export.md's outputs hold
        story.ids["alice"] = life.submit(1, constant_guess(files, 1.0))
        story.ids["bob"] = life.submit(2, predictions(files, "linear"),
                                       parents=(story.ids["alice"],), weights=(PPM,))  # fmt: skip
        story.ids["carol"] = life.submit(3, b"id,prediction\n0,not-a-number\n")
        note = tmp / "review.md"
        note.write_text("a clean fork")
        story.coop("review", str(story.ids["bob"]), "approve", "--note", str(note), key=CAROL)
        life.score_and_post()
        life.end_phase()
        story.report = life.rewards()
        life.post_root(story.report)
        life.open_claims()
        story.coop("claim", str(life.challenge_id), "--phase", "0", key=ALICE)
        story.empty_challenge = _empty_challenge(platform)
        yield story
    finally:
        chain.stop()


def constant_guess(files: dict[str, bytes], value: float) -> bytes:
    ids = [line.split(b",", 1)[0].decode() for line in files["test_features.csv"].splitlines()[1:]]
    return ("id,prediction\n" + "".join(f"{i},{value}\n" for i in ids)).encode()


def _empty_challenge(platform: Platform) -> int:
    """A second challenge with no submissions, no bounty and no file on IPFS."""
    owner = Sender.from_key(platform.w3, OWNER)
    now = platform.w3.eth.get_block("latest")["timestamp"]
    terms = ChallengeTerms(
        token=platform.token.address,
        bounty=0,
        oracles=(address(ANVIL_KEYS[9]),),
        quorum=1,
        arbiter=owner.address,
    )
    rules = PhaseRules(higher_is_better=True, baseline=0, target=WAD, eta=10**16)
    phase = PhaseTerms("bafkreispec", rules, now, now + 1000, now + 2000, b"\x01" * 32, 0)
    return int(create_challenge(platform, owner, terms, "bafkreispec", phase))
