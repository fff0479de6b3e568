"""`coop run`'s work: a code submission run on this machine as an oracle would run it.

Two runs in the same sandbox, runtime and limits as the oracles use: one on the
challenge's own inputs (its status, and its predictions checked against the test ids'
format: what the oracles would report, minus the hidden score), and one on a sample held
out of train.* standing in for the test features, so that the program can be scored
without the hidden labels: every fifth training row (its features as
/in/test_features.*, with an id column) is left out of /in/train.* and scored with the
challenge's metric. When the challenge hides its test features, only the second run
happens: the sample is the public stand-in for them, and its run gives the status too.
Nothing is sent anywhere.
"""

import gzip
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from oracle.coderun.run import CodeRun, code_seed, run_code
from oracle.errors import InvalidSpec
from oracle.runtime import Runtime
from oracle.scoring.labels import read_labels
from oracle.scoring.metrics import compute
from oracle.scoring.predictions import read_predictions
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import ChallengeSpec, ScorerKind, Task
from oracle.status import Status

SAMPLE_EVERY = 5


@dataclass(frozen=True)
class SampleScore:
    metric: str
    value: float | None  # None: a custom scorer program, not run locally
    rows: int


@dataclass(frozen=True)
class LocalRun:
    run: CodeRun  # on the challenge's inputs
    status: Status  # the run's, then the predictions' format against the test ids
    reason: str
    sample_run: CodeRun | None
    sample: SampleScore | None


def run_locally(
    folder: Path, spec: ChallengeSpec, inputs: Mapping[str, bytes], runtime: Runtime
) -> LocalRun:
    code = spec.submission.code
    if code is None:
        raise InvalidSpec("this phase takes predictions files, not code: use `coop submit FILE`")
    seed = code_seed(0, 0, 0, 0)
    limit = spec.max_artifact_bytes

    def run(files: Mapping[str, bytes]) -> CodeRun:
        return run_code(folder, code.limits, files, runtime, seed, limit)

    if spec.data.features_hidden:
        files, labels = sample_inputs(spec, inputs)
        sampled = run(files)
        status, reason = sampled.status, sampled.reason
        score = None
        if sampled.status is Status.VALID and sampled.predictions is not None:
            status, reason = _format_check(spec, files, sampled.predictions)
            score = _sample_score(spec, labels, sampled.predictions)
        return LocalRun(sampled, status, reason, sampled, score)
    real = run(inputs)
    status, reason = real.status, real.reason
    if real.status is Status.VALID and real.predictions is not None:
        status, reason = _format_check(spec, inputs, real.predictions)
    if real.run is None:
        return LocalRun(real, status, reason, None, None)
    files, labels = sample_inputs(spec, inputs)
    sampled = run(files)
    score = None
    if sampled.status is Status.VALID and sampled.predictions is not None:
        score = _sample_score(spec, labels, sampled.predictions)
    return LocalRun(real, status, reason, sampled, score)


def _table(name: str, data: bytes) -> pa.Table:
    if name.endswith(".parquet"):
        return pq.read_table(io.BytesIO(data))
    return pacsv.read_csv(io.BytesIO(gzip.decompress(data) if name.endswith(".gz") else data))


def _bytes(name: str, table: pa.Table) -> bytes:
    sink = io.BytesIO()
    if name.endswith(".parquet"):
        pq.write_table(table, sink)
    else:
        pacsv.write_csv(table, sink)
    return sink.getvalue()


def _role_file(inputs: Mapping[str, bytes], role: str) -> tuple[str, bytes]:
    for path, data in inputs.items():
        if Path(path).name.split(".")[0] == role:
            return path, data
    raise InvalidSpec(f"the challenge has no {role} file")


def sample_inputs(
    spec: ChallengeSpec, inputs: Mapping[str, bytes]
) -> tuple[dict[str, bytes], bytes]:
    """The inputs with every fifth train row moved into stand-in test features; its labels."""
    train_path, train_bytes = _role_file(inputs, "train")
    train = _table(train_path, train_bytes)
    target = spec.columns.target
    if target not in train.column_names:
        raise InvalidSpec(f"train has no {target!r} column to hold a sample out of")
    held = np.arange(train.num_rows) % SAMPLE_EVERY == 0
    kept, sample = train.filter(pa.array(~held)), train.filter(pa.array(held))
    ids = pa.array([str(i) for i in range(sample.num_rows)])
    features = sample.drop_columns([target]).add_column(0, spec.columns.id, ids)
    labels = pa.table({spec.columns.id: ids, target: sample.column(target)})
    kind = ".parquet" if train_path.endswith(".parquet") else ".csv"
    files = {p: d for p, d in inputs.items()
             if p != train_path and Path(p).name.split(".")[0] != "test_features"}  # fmt: skip
    files[f"/in/train{kind}"] = _bytes(kind, kept)
    files[f"/in/test_features{kind}"] = _bytes(kind, features)
    return files, _bytes("labels.csv", labels)


def _format_check(
    spec: ChallengeSpec, inputs: Mapping[str, bytes], predictions: bytes
) -> tuple[Status, str]:
    """The predictions read against the test ids, as the oracles read them (no labels)."""
    path, data = _role_file(inputs, "test_features")
    ids = _table(path, data).column(spec.columns.id).cast(pa.string())
    stand_in = spec.classes[0] if spec.task is not Task.REGRESSION else "0"
    labels = pa.table({spec.columns.id: ids, spec.columns.target: [stand_in] * len(ids)})
    try:
        read_predictions(spec, predictions, read_labels(spec, _bytes("labels.csv", labels)))
    except ArtifactRejected as exc:
        return exc.status, exc.reason
    return Status.VALID, f"{len(ids)} predictions in the format the oracles read"


def _sample_score(spec: ChallengeSpec, labels_csv: bytes, predictions: bytes) -> SampleScore:
    labels = read_labels(spec, labels_csv)
    rows = len(labels)
    if spec.scorer.kind is ScorerKind.PROGRAM:
        return SampleScore(spec.metric.name, None, rows)
    try:
        y_pred = read_predictions(spec, predictions, labels)
    except ArtifactRejected:
        return SampleScore(spec.metric.name, None, rows)
    value = compute(spec.metric.name, labels.y, y_pred, spec.metric.params)
    return SampleScore(spec.metric.name, value, rows)
