"""Hidden test features: checked against the spec's commitment, revealed with the holdout.

A code-only challenge may keep its test features from the participants: the spec holds
`data.hidden_test_features`, the keccak256 of the file; the owner hands the file to the
oracles privately with the labels (the holdouts/ folder), and the holdout reveal publishes
both at once. The revealed CID (the one the registry's `HoldoutRevealed` event carries as
the labels CID) is then a UnixFS folder holding `labels.<ext>` and `test_features.<ext>`;
for every other challenge it stays the labels file itself.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from eth_utils.crypto import keccak

from oracle.coderun.inputs import INPUT_MAX_BYTES, input_name
from oracle.errors import ConfigError, NotAFile
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.dagpb import decode_node
from oracle.ipfs.folder import is_directory
from oracle.ipfs.reader import read_file
from oracle.ipfs.store import ContentStore
from oracle.spec import ChallengeSpec

LABELS = "labels"
TEST_FEATURES = "test_features"


class HiddenFeaturesMismatch(ConfigError):
    """A test features file that is not the one the spec's commitment binds."""


@dataclass(frozen=True)
class RevealedHoldoutFiles:
    labels: bytes
    test_features: bytes | None  # only for a challenge with hidden test features


def features_commitment(data: bytes) -> str:
    """What `data.hidden_test_features` holds for this file: 0x + keccak256."""
    return "0x" + keccak(data).hex()


def check_hidden_features(spec: ChallengeSpec, data: bytes, where: str) -> bytes:
    """`data` itself when its keccak256 is the spec's commitment; else HiddenFeaturesMismatch."""
    wanted = spec.data.hidden_test_features
    got = features_commitment(data)
    if wanted is None:
        raise ConfigError("this spec publishes its test features; none are hidden")
    if got != wanted:
        raise HiddenFeaturesMismatch(
            f"the test features in {where} hash to {got}, not to the spec's "
            f"data.hidden_test_features {wanted}: they are not the file the challenge "
            "committed to; ask the owner for the right holdouts/ folder"
        )
    return data


def add_revealed_holdout(
    backends: list[ContentStore], labels: bytes, test_features: bytes | None
) -> str:
    """Adds and pins what the reveal publishes on every backend; the CID to reveal.

    The labels file alone, or with hidden test features a folder holding both."""
    cids = set()
    with tempfile.TemporaryDirectory(prefix="coop-holdout-") as tmp:
        folder = Path(tmp) / "holdout"
        if test_features is not None:
            folder.mkdir()
            (folder / input_name(LABELS, labels)).write_bytes(labels)
            (folder / input_name(TEST_FEATURES, test_features)).write_bytes(test_features)
        for backend in backends:
            added = backend.add_bytes(labels) if test_features is None else backend.add_path(folder)
            backend.pin(added.cid)
            cids.add(str(added.cid))
    if len(cids) != 1:
        raise ConfigError(f"the IPFS backends gave the holdout different CIDs: {sorted(cids)}")
    return cids.pop()


def read_revealed_holdout(store: ContentStore, cid: str, max_bytes: int) -> RevealedHoldoutFiles:
    """The labels (at most `max_bytes`) and hidden test features (at most INPUT_MAX_BYTES,
    as any input of a run) behind a revealed holdout CID, each verified."""
    parsed = parse_cid(cid)
    if not is_directory(store.get_block, parsed):
        return RevealedHoldoutFiles(store.cat(cid, max_bytes=max_bytes), None)
    found: dict[str, bytes] = {}
    for link in decode_node(store.get_block(parsed)).links:
        stem = (link.name or "").split(".")[0]
        if stem in (LABELS, TEST_FEATURES) and stem not in found:
            limit = max_bytes if stem == LABELS else INPUT_MAX_BYTES
            found[stem] = read_file(store.get_block, link.cid, limit)
    if LABELS not in found or TEST_FEATURES not in found:
        raise NotAFile(
            f"the revealed holdout {cid} is a folder without both {LABELS}.* and "
            f"{TEST_FEATURES}.*"
        )
    return RevealedHoldoutFiles(found[LABELS], found[TEST_FEATURES])
