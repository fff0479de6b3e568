"""Publishing an example challenge: public data to IPFS, holdout committed, bounty escrowed."""

import json
from dataclasses import dataclass
from pathlib import Path

from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.platform import Platform
from oracle.chain.publish import Published, PublishOptions, publish_challenge
from oracle.chain.sender import Sender
from oracle.coderun.hidden_features import features_commitment
from oracle.devnet.datasets import example_files, pinned_cids, spec_path
from oracle.errors import CidMismatch
from oracle.ipfs.store import ContentStore
from oracle.runtime import RuntimeLock

EXAMPLE_RUNTIME = REPO_ROOT / "examples" / "runtimes" / "scikit-learn.lock"
CODE_LIMITS = {"cpu_seconds": 60, "wall_seconds": 120, "memory_mb": 1024}


@dataclass(frozen=True)
class SeededChallenge:
    published: Published
    files: dict[str, bytes]  # every file, the secret labels.csv included
    data_dir: Path  # where the files were written


def code_spec(name: str, dest: Path, limits: dict[str, float] | None = None,
              hidden_features: bool = False) -> Path:  # fmt: skip
    """Writes to `dest` the example's spec taking code submissions (a folder with main.py)
    on the example runtime (examples/runtimes/scikit-learn.lock) instead of predictions;
    with `hidden_features`, its test features go to the oracles only (the spec holds their
    keccak256 as data.hidden_test_features instead of their CID)."""
    lock = RuntimeLock.parse(EXAMPLE_RUNTIME.read_text())
    spec = json.loads(spec_path(name).read_text())
    spec["title"] += " (code, hidden test features)" if hidden_features else " (code)"
    if hidden_features:
        del spec["data"]["test_features"]
        features = example_files(name)["test_features.csv"]
        spec["data"]["hidden_test_features"] = features_commitment(features)
    spec["submission"] = {
        "kind": "code",
        "runtime": {"python": lock.python, "packages": list(lock.pins), "digest": lock.digest},
        "limits": limits or CODE_LIMITS,
    }
    dest.write_text(json.dumps(spec, indent=2) + "\n")
    return dest


def seed_example(platform: Platform, owner: Sender, store: ContentStore, data_dir: Path,
                 name: str, options: PublishOptions,
                 spec_file: Path | None = None) -> SeededChallenge:  # fmt: skip
    """Writes the example's files under data_dir/NAME, adds those the spec pins to IPFS
    (their CIDs must be the pinned ones; hidden test features go to the holdouts/ folder
    only, for the oracles), mints the bounty to the owner and publishes the
    example's spec (or `spec_file`, one made from it such as `code_spec`'s)."""
    files = example_files(name)
    folder = data_dir / "examples" / name
    folder.mkdir(parents=True, exist_ok=True)
    for filename, data in files.items():
        (folder / filename).write_bytes(data)
    spec_file = spec_file or spec_path(name)
    for filename, pinned in pinned_cids(spec_file).items():  # hidden test features: never
        cid = str(store.add_bytes(files[filename]).cid)
        store.pin(cid)
        if cid != pinned:
            raise CidMismatch(
                f"{filename} of example {name} has CID {cid}, the spec pins {pinned}: "
                "the data maker and the spec disagree (was scikit-learn upgraded?)"
            )
    owner.transact(platform.token.functions.mint(owner.address, options.bounty))
    published = publish_challenge(
        platform,
        owner,
        store,
        data_dir,
        spec_file,
        folder / "labels.csv",
        options,
        public_data=folder,  # where hidden test features are found by their keccak256
    )
    return SeededChallenge(published, files, folder)
