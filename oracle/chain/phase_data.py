"""A phase's files checked together before anything is sent: the spec, the labels, the data.

`prepare_phase` refuses (with what to fix) a spec that breaks its schema or rules, labels the
scorer cannot use, a pinned public file that is nowhere to be found, hidden test features
whose file (found in the data folder by its keccak256) is missing, labels that do not
cover exactly the test rows, and a sample submission that does not score. It draws the split
salt (again if a class would be missing from a part) and returns the spec as it will be
published, with the salt's hash in it. Nothing touches the chain or IPFS here.
"""

import io
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from eth_utils.crypto import keccak

from oracle.coderun.hidden_features import features_commitment
from oracle.errors import CoopError, InvalidHoldout, InvalidSpec
from oracle.ipfs.importer import import_bytes, import_path
from oracle.ipfs.store import ContentStore
from oracle.scoring.commitment import holdout_commitment_of_digest
from oracle.scoring.engine import score_submission
from oracle.scoring.labels import Holdout, Labels, read_labels, split_holdout
from oracle.spec import ZERO_HASH, ChallengeSpec, ScorerKind, load_spec
from oracle.status import Status

MAX_SALT_DRAWS = 32
SAMPLE_SUBMISSION = "sample_submission"

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """A progress callback that says nothing."""


class InvalidChallengeData(CoopError, ValueError):
    """A public data file the spec pins is missing, or it does not fit the labels."""


@dataclass(frozen=True)
class PublicFile:
    """A file the spec pins by CID; `path` is None when the IPFS store already has it."""

    role: str  # where the spec pins it, e.g. "data.train"
    cid: str
    path: Path | None


@dataclass(frozen=True)
class PhaseFiles:
    """Everything one phase publishes or commits to, checked."""

    spec: ChallengeSpec  # as published: split.salt_hash filled in
    spec_bytes: bytes
    labels: bytes
    labels_suffix: str
    split_salt: bytes
    public: tuple[PublicFile, ...]
    holdout: Holdout
    test_features: bytes | None = None  # hidden: handed to the oracles, never uploaded

    @property
    def labels_digest(self) -> bytes:
        return keccak(self.labels)

    @property
    def holdout_commitment(self) -> bytes:
        return holdout_commitment_of_digest(self.labels_digest, self.split_salt)


def pinned_files(spec: ChallengeSpec) -> list[tuple[str, str]]:
    """(role, CID) of every public file the spec names: data, other public files, scorer."""
    data = spec.data
    pinned: list[tuple[str, str]] = [("data.train", data.train)]
    if data.test_features is not None:
        pinned.append(("data.test_features", data.test_features))
    pinned += [(f"data.public.{name}", cid) for name, cid in sorted(spec.data.public.items())]
    if spec.scorer.kind is ScorerKind.PROGRAM and spec.scorer.cid is not None:
        pinned.append(("scorer.cid", spec.scorer.cid))
    return pinned


def prepare_phase(spec_path: Path, labels_path: Path, data_dir: Path | None,
                  store: ContentStore, progress: Progress = quiet) -> PhaseFiles:  # fmt: skip
    progress(f"checking the spec {spec_path}")
    spec = load_spec(spec_path)
    if spec.salt_hash != ZERO_HASH:
        raise InvalidSpec(
            f"{spec_path}: split.salt_hash must be {ZERO_HASH}; publishing draws the split salt "
            "and writes its hash into the uploaded spec"
        )
    progress(f"reading the labels {labels_path}")
    try:
        labels_bytes = labels_path.read_bytes()
    except OSError as exc:
        raise InvalidHoldout(
            f"cannot read the labels file {labels_path} ({exc.strerror}); pass --labels FILE"
        ) from None
    labels = read_labels(spec, labels_bytes)
    public = _find_public_files(spec, labels_bytes, labels_path, data_dir, store, progress)
    by_role = {f.role: f for f in public}
    hidden = _hidden_features(spec, data_dir, progress)
    features = hidden if hidden is not None else _content(by_role["data.test_features"], store)
    _check_test_rows(spec, labels, features)
    holdout = _draw_split(spec, labels)
    sample = by_role.get(f"data.public.{SAMPLE_SUBMISSION}")
    if sample is not None:
        progress("scoring the sample submission against the labels")
        program = _content(by_role["scorer.cid"], store) if "scorer.cid" in by_role else None
        result = score_submission(spec, holdout, _content(sample, store), scorer_program=program)
        if result.status is not Status.VALID:
            raise InvalidChallengeData(
                f"the sample submission ({sample.cid}) does not score against these labels: "
                f"{result.status.name}: {result.reason}; fix it or the labels"
            )
    raw = dict(spec.raw)
    raw["split"] = {**raw["split"], "salt_hash": "0x" + keccak(holdout.split_salt).hex()}
    spec_bytes = json.dumps(raw, indent=2, sort_keys=True).encode()
    published = load_spec(spec_bytes)
    suffix = "".join(labels_path.suffixes[-2:]) or ".csv"
    return PhaseFiles(published, spec_bytes, labels_bytes, suffix, holdout.split_salt,
                      tuple(public), holdout, hidden)  # fmt: skip


def _hidden_features(
    spec: ChallengeSpec, data_dir: Path | None, progress: Progress
) -> bytes | None:
    """The hidden test features file: the one in `data_dir` whose keccak256 the spec holds."""
    wanted = spec.data.hidden_test_features
    if wanted is None:
        return None
    if data_dir is not None and data_dir.is_dir():
        progress("looking for the hidden test features by their keccak256")
        for path in sorted(p for p in data_dir.iterdir() if p.is_file()):
            data = path.read_bytes()
            if features_commitment(data) == wanted:
                return data
    raise InvalidChallengeData(
        f"the spec hides the test features (data.hidden_test_features = {wanted}) but no file "
        f"in {data_dir or 'the data folder'} has that keccak256; put the test features file "
        "there (`coop cid --keccak FILE` shows a file's keccak256) or fix the spec"
    )


def _find_public_files(spec: ChallengeSpec, labels: bytes, labels_path: Path,
                       data_dir: Path | None, store: ContentStore,
                       progress: Progress) -> list[PublicFile]:  # fmt: skip
    local: dict[str, Path] = {}
    if data_dir is not None:
        if not data_dir.is_dir():
            raise InvalidChallengeData(f"--data {data_dir} is not a folder")
        skip = labels_path.resolve()
        candidates = [
            p
            for p in sorted(data_dir.iterdir())
            if p.is_file() and not p.name.startswith(".") and p.resolve() != skip
        ]
        for path in candidates:
            progress(f"hashing {path.name}")
            local.setdefault(str(import_path(path).cid), path)
    labels_cid = str(import_bytes(labels).cid)
    found = []
    for role, cid in pinned_files(spec):
        if cid == labels_cid:
            raise InvalidChallengeData(
                f"the spec pins the labels file itself as {role}: the holdout would be public; "
                "pin the test features (without targets) instead"
            )
        if cid in local:
            found.append(PublicFile(role, cid, local[cid]))
        elif store.has(cid):
            found.append(PublicFile(role, cid, None))
        else:
            where = f"no file in {data_dir} has that CID" if data_dir else "no --data folder"
            raise InvalidChallengeData(
                f"the spec pins {role} = {cid}, but {where} and IPFS does not have it; put the "
                "file in the data folder (`coop cid FILE` shows a file's CID) or fix the spec"
            )
    return found


def _content(file: PublicFile, store: ContentStore) -> bytes:
    return file.path.read_bytes() if file.path is not None else store.cat(file.cid)


def _id_column(data: bytes, id_column: str) -> pa.Array:
    """The id column of a CSV (maybe gzipped) or Parquet file, as strings."""
    if data[:4] == b"PAR1":
        table = pq.read_table(io.BytesIO(data), columns=[id_column])
    else:
        stream = pa.input_stream(pa.py_buffer(data), compression="detect")
        convert = pa_csv.ConvertOptions(
            include_columns=[id_column], column_types={id_column: pa.string()}
        )
        table = pa_csv.read_csv(stream, convert_options=convert)
    return table.column(id_column).combine_chunks().cast(pa.string())


def _check_test_rows(spec: ChallengeSpec, labels: Labels, test_features: bytes) -> None:
    try:
        test_ids = _id_column(test_features, spec.columns.id)
    except (pa.ArrowException, OSError, KeyError) as exc:
        raise InvalidChallengeData(
            f"cannot read the id column {spec.columns.id!r} of data.test_features: {exc}"
        ) from None
    test = set(test_ids.to_pylist())
    labelled = set(labels.ids.cast(pa.string()).to_pylist())
    unlabelled, extra = sorted(test - labelled), sorted(labelled - test)
    if unlabelled or extra:
        problems = []
        if unlabelled:
            problems.append(f"{len(unlabelled)} test row(s) have no label (e.g. {unlabelled[0]!r})")
        if extra:
            problems.append(f"{len(extra)} label(s) are for rows not in test_features "
                            f"(e.g. {extra[0]!r})")  # fmt: skip
        raise InvalidChallengeData(
            "the labels and data.test_features disagree: "
            + "; ".join(problems)
            + ". The labels must have exactly one row per test row"
        )


def _draw_split(spec: ChallengeSpec, labels: Labels) -> Holdout:
    """A split salt under which both parts are scorable (every class in both parts)."""
    problem = InvalidHoldout("no split salt was drawn")
    for _ in range(MAX_SALT_DRAWS):
        try:
            return split_holdout(spec, labels, secrets.token_bytes(32))
        except InvalidHoldout as exc:
            problem = exc
    raise InvalidHoldout(f"{problem} (tried {MAX_SALT_DRAWS} salts)")
