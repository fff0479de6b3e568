"""Fetching a submission by CID for scoring: the spec's size limit stops the read, faults of
the artifact become statuses, faults of the network stay retryable errors."""

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from eth_utils.crypto import keccak

from oracle.errors import CidMismatch, ContentUnreachable
from oracle.ipfs.cids import RAW, cid_for_block, parse_cid
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.fallback import FallbackStore
from oracle.ipfs.gateway import GatewayStore
from oracle.ipfs.importer import CHUNK_SIZE, import_bytes
from oracle.ipfs.transport import RetryPolicy
from oracle.scoring import load_holdout
from oracle.scoring.artifacts import (
    fetch_artifact,
    fetch_scorer_program,
    score_artifact,
    unfetchable,
)
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import ChallengeSpec, ScorerKind, load_spec
from oracle.status import Status

if TYPE_CHECKING:  # the fixture's type, from this folder's conftest
    from conftest import FaultyGateway

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "specs" / "diabetes-regression.json"
SALT = bytes(range(32))
FAST = RetryPolicy(attempts=2, initial_delay=0.01, timeout=5)
ROWS = 40_000
LABELS = ("id,target\n" + "".join(f"{i},{i % 9}\n" for i in range(ROWS))).encode()


def spec(**changes: object) -> ChallengeSpec:
    raw = json.loads(EXAMPLE.read_text())
    raw["split"]["salt_hash"] = "0x" + keccak(SALT).hex()
    return dataclasses.replace(load_spec(json.dumps(raw).encode()), **changes)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "data")


@pytest.fixture
def predictions() -> bytes:
    """About 0.6 MB of predictions: three 256 KiB leaves under a dag-pb root."""
    return ("id,prediction\n" + "".join(f"{i},{i % 9 + 0.25}\n" for i in range(ROWS))).encode()


def test_an_artifact_is_fetched_and_scored(store: EmbeddedStore, predictions: bytes) -> None:
    the_spec = spec(max_artifact_bytes=len(predictions))
    cid = store.add_bytes(predictions).cid
    assert fetch_artifact(store, cid, the_spec) == predictions
    result = score_artifact(the_spec, load_holdout(the_spec, LABELS, SALT), store, cid)
    assert result.valid and result.public_score == result.private_score == 0.25


def test_the_specs_size_limit_stops_the_read_at_the_root(
    store: EmbeddedStore, predictions: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = store.add_bytes(predictions).cid
    fetched: list[str] = []
    original = store._fetch_block
    monkeypatch.setattr(store, "_fetch_block", lambda c, n: fetched.append(c) or original(c, n))
    with pytest.raises(ArtifactRejected) as caught:
        fetch_artifact(store, cid, spec(max_artifact_bytes=CHUNK_SIZE))
    assert caught.value.status is Status.TOO_LARGE
    assert f"limit of {CHUNK_SIZE} bytes" in caught.value.reason
    # the root declared the size: no leaf was read (the root is read to tell a file from a
    # licensed folder, then for its size)
    assert set(fetched) == {parse_cid(cid)}
    holdout = load_holdout(spec(), LABELS, SALT)
    result = score_artifact(spec(max_artifact_bytes=CHUNK_SIZE), holdout, store, cid)
    assert (result.status, result.public_wad) == (Status.TOO_LARGE, None)


def test_a_lying_gateway_beyond_the_limit_is_cut_off(
    faulty_gateway: "FaultyGateway", make_content: Callable[..., bytes]
) -> None:
    """A single raw block bigger than the spec allows: reading stops past the limit."""
    data = make_content(CHUNK_SIZE)
    cid = cid_for_block(RAW, data)
    faulty_gateway.serve([(cid, data)])
    gateway = GatewayStore(faulty_gateway.url, policy=FAST)
    with pytest.raises(ArtifactRejected) as caught:
        fetch_artifact(gateway, str(cid), spec(max_artifact_bytes=1000))
    assert caught.value.status is Status.TOO_LARGE


def test_a_directory_is_unreadable_as_predictions(store: EmbeddedStore, tmp_path: Path) -> None:
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "predictions.csv").write_text("id,prediction\n1,2\n")
    cid = store.add_path(folder).cid
    with pytest.raises(ArtifactRejected) as caught:
        fetch_artifact(store, cid, spec())
    assert caught.value.status is Status.UNREADABLE
    reason = caught.value.reason
    assert (
        "holds predictions.csv" in reason and "one predictions file and coop-source.json" in reason
    )


def test_network_faults_stay_retryable_until_the_daemon_gives_up(
    store: EmbeddedStore, faulty_gateway: "FaultyGateway", predictions: bytes
) -> None:
    cid = import_bytes(predictions).cid  # nobody has it
    with pytest.raises(ContentUnreachable, match=str(cid)):
        fetch_artifact(store, str(cid), spec())
    assert unfetchable(str(cid), ContentUnreachable("gone")).status is Status.UNREACHABLE
    origin = EmbeddedStore(store.root.parent / "origin")
    origin.add_bytes(predictions)
    faulty_gateway.serve(origin.iter_blocks(cid))
    faulty_gateway.tampered.update(faulty_gateway.blocks)
    lying = FallbackStore([store, GatewayStore(faulty_gateway.url, policy=FAST)])
    with pytest.raises(CidMismatch, match=str(cid)) as caught:
        fetch_artifact(lying, str(cid), spec())
    final = unfetchable(str(cid), caught.value)
    assert final.status is Status.DIGEST_MISMATCH and str(cid) in final.reason


def test_the_scorer_program_is_fetched_by_its_pinned_cid(store: EmbeddedStore) -> None:
    program = b"def score(y_true, y_pred):\n    return 1.0\n"
    cid = store.add_bytes(program).cid
    scorer = dataclasses.replace(spec().scorer, kind=ScorerKind.PROGRAM, cid=cid)
    assert fetch_scorer_program(store, spec(scorer=scorer)) == program
    assert fetch_scorer_program(store, spec()) is None  # a built-in metric
