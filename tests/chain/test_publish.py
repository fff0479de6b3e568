"""An owner publishes a challenge with `brownie run scripts/create_challenge.py`."""

import json
from pathlib import Path

from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.challenges import reveal_holdout
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.devnet.datasets import example_files
from oracle.ipfs.embedded import EmbeddedStore
from oracle.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "specs" / "diabetes-regression.json"


def example_folder(tmp_path: Path) -> Path:
    """The example's public files and secret labels, as an owner has them on disk."""
    folder = tmp_path / "diabetes"
    folder.mkdir()
    for name, content in example_files("diabetes-regression").items():
        (folder / name).write_bytes(content)
    return folder


def test_bad_spec_is_refused_before_anything_is_sent(
    brownie_run,
    platform: Platform,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(EXAMPLE.read_text().replace('"lower"', '"sideways"'))
    labels = example_folder(tmp_path) / "labels.csv"
    deployment = str(tmp_path / "deployment.json")
    result = brownie_run("scripts/create_challenge.py", "main", str(bad), str(labels),
                         COOP_DEPLOYMENT=deployment)  # fmt: skip
    assert result.returncode != 0
    assert "at direction: 'sideways' is not one of" in result.stdout + result.stderr
    assert platform.registry.functions.challengeCount().call() == 0


def test_published_challenge_commits_to_the_labels_and_uploads_the_spec(
    brownie_run,
    platform: Platform,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    labels = example_folder(tmp_path) / "labels.csv"
    data_dir = tmp_path / "owner"
    result = brownie_run("scripts/create_challenge.py", "main", str(EXAMPLE),
                         str(labels), COOP_DEPLOYMENT=str(tmp_path / "deployment.json"),
                         COOP_DATA_DIR=str(data_dir), COOP_OWNER_KEY=ANVIL_KEYS[0])  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Created challenge 1" in result.stdout
    (created,) = platform.registry.events.ChallengeCreated().get_logs(from_block=0)
    spec_cid = created["args"]["specCid"]
    uploaded = load_spec(EmbeddedStore(data_dir / "ipfs").cat(spec_cid))
    (added,) = platform.registry.events.PhaseAdded().get_logs(from_block=0)
    assert uploaded.wad(uploaded.eta) == added["args"]["config"]["eta"] == 10**16
    assert added["args"]["config"]["higherIsBetter"] is False

    secret = json.loads((data_dir / "holdouts" / "31337-1.json").read_text())
    salt = bytes.fromhex(secret["split_salt"][2:])
    assert uploaded.salt_hash == "0x" + Web3.keccak(salt).hex().removeprefix("0x")
    phase = platform.registry.functions.getPhase(1, 0).call()
    platform.w3.provider.make_request("evm_increaseTime", [phase[2] + 10])  # type: ignore[arg-type]
    platform.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    owner = Sender.from_key(platform.w3, ANVIL_KEYS[0])
    digest = bytes.fromhex(secret["labels_digest"][2:])
    assert digest == Web3.keccak(labels.read_bytes())
    reveal_holdout(platform, owner, 1, 0, "bafkreilabels", digest, salt)
    assert platform.registry.functions.getPhase(1, 0).call()[3] is True  # holdoutRevealed
