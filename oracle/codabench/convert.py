"""Turning a read Bundle into what `coop challenge create` publishes: a folder with spec.json,
labels.csv, the public data, a sample submission and scorer.py (the bundle's scoring
program behind bundle_scorer.py), plus the list of what could not be mapped.

The reference data must be one file: a CSV with a header (an `id` column, if any, and one
label column) or one number per line. Its rows are the test rows; their ids are the `id`
column or the row numbers. Participants submit `id,prediction`; the scoring program sees
its usual input/ref and input/res files, in the reference file's shape (docs/codabench.md).
"""

import base64
import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from oracle.codabench.bundle import Bundle, Files, InvalidBundle
from oracle.ipfs.importer import import_bytes

SCORER_TEMPLATE = Path(__file__).with_name("bundle_scorer.py")
METADATA_NAMES = {"metadata", "metadata.yaml", "metadata.yml", "readme", "readme.md",
                  "readme.txt"}  # fmt: skip
MAX_CPU_SECONDS = 3600
DEFAULT_SECONDS = 600
DAILY_CAP_MAX = 6  # the contract's limit
PUBLIC_FRACTION = "0.5"
REWARDS = {"improvement_bps": 6000, "prize_bps": 3000, "review_bps": 1000,
           "prize_ranks_bps": [5000, 3000, 2000], "review_cap_per_reviewer": 5,
           "fork_share_bps": 3000}  # fmt: skip


@dataclass(frozen=True)
class Terms:
    """What a bundle does not say and Coopetition needs: the owner's choice."""

    baseline: Decimal
    target: Decimal
    eta: Decimal
    result_file: str | None = None  # the name the scoring program reads in input/res


@dataclass(frozen=True)
class Reference:
    name: str
    header: list[str] | None
    id_column: str | None
    target_column: str | None
    ids: list[str]
    values: list[str]
    integer: bool


@dataclass(frozen=True)
class Converted:
    folder: Path
    spec_path: Path
    labels_path: Path
    not_mapped: tuple[str, ...]
    adapted: tuple[str, ...]  # what the import changed so the program runs here


def convert(bundle: Bundle, terms: Terms, folder: Path) -> Converted:
    """Writes the challenge folder; raises InvalidBundle when the bundle cannot be scored here."""
    ref = read_reference(bundle.reference)
    folder.mkdir(parents=True, exist_ok=True)
    not_mapped = list(bundle.not_mapped)
    adapted: list[str] = []
    labels = "id,target\n" + "".join(f"{i},{v}\n" for i, v in zip(ref.ids, ref.values,
                                                                   strict=True))  # fmt: skip
    test_features = _test_features(bundle.input_data, ref, not_mapped)
    train = _single_csv(bundle.public_data, "the public data", not_mapped)
    if train is None:
        train = test_features
        not_mapped.append("no public training data (phase `public_data`) in one CSV: "
                          "data.train is the test features file")  # fmt: skip
    sample = "id,prediction\n" + "".join(f"{i},0\n" for i in ref.ids)
    result_file = terms.result_file or ref.name
    scorer = _scorer_source(bundle, ref, result_file)
    if "/app/" in bundle.command or any(b"/app/" in d for n, d in bundle.program.items()
                                        if n.endswith(".py")):  # fmt: skip
        adapted.append("`/app/` paths in the scoring program and its command point at the "
                       "sandbox's folder")  # fmt: skip
    adapted.append(
        f"the reference rows of each part are written to input/ref/{ref.name}, the "
        f"predictions to input/res/{result_file}, in the reference file's shape"
    )
    files = {"labels.csv": labels, "train.csv": train, "test_features.csv": test_features,
             "sample_submission.csv": sample, "scorer.py": scorer}  # fmt: skip
    for name, text in files.items():
        (folder / name).write_text(text)
    limit = min(bundle.time_limit or DEFAULT_SECONDS, MAX_CPU_SECONDS)
    cap = bundle.daily_cap if bundle.daily_cap is not None else 5
    if cap > DAILY_CAP_MAX or cap < 0:
        not_mapped.append(f"max_submissions_per_day {cap}: the contract allows at most "
                          f"{DAILY_CAP_MAX}; set to {DAILY_CAP_MAX}")  # fmt: skip
        cap = DAILY_CAP_MAX
    not_mapped.append("the reference data has no public/private split in Codabench: "
                      f"{PUBLIC_FRACTION} of its rows score the public board, drawn by a "
                      "salted hash of their ids at publication")  # fmt: skip
    spec = {
        "schema_version": 1, "title": bundle.title,
        "description": (bundle.description + "\n\n" if bundle.description else "") +
        "Imported from a Codabench competition bundle; its scoring program scores each "
        f"submission (leaderboard column `{bundle.score_key}`).",
        "task": "regression",
        "metric": {"name": _metric_name(bundle.score_key)},
        "direction": "higher" if bundle.higher_is_better else "lower",
        "columns": {"id": "id", "target": "target", "prediction": ["prediction"]},
        "split": {"public_fraction": PUBLIC_FRACTION, "salt_hash": "0x" + "00" * 32},
        "baseline": str(terms.baseline), "target": str(terms.target), "eta": str(terms.eta),
        "max_artifact_bytes": 10 * 1024 * 1024,
        "scorer": {"kind": "program", "cid": _cid(scorer), "cpu_seconds": limit,
                   "memory_mb": 2048, "wall_seconds": limit},
        "data": {"train": _cid(train), "test_features": _cid(test_features),
                 "public": {"sample_submission": _cid(sample)}},
        "limits": {"daily_cap": cap, "commit_bond_wei": 0},
        "rewards": REWARDS,
    }  # fmt: skip
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec, indent=2) + "\n")
    return Converted(folder, spec_path, folder / "labels.csv", tuple(not_mapped),
                     tuple(adapted))  # fmt: skip


def _cid(text: str) -> str:
    return str(import_bytes(text.encode()).cid)


def _metric_name(key: str) -> str:
    return ("codabench_" + re.sub(r"[^a-z0-9_]", "_", key.lower()))[:64]


def read_reference(files: Files) -> Reference:
    data = {n: d for n, d in files.items() if n.rsplit("/", 1)[-1].lower() not in METADATA_NAMES}
    if len(data) != 1:
        raise InvalidBundle(f"the reference data must be one file to become the labels; it "
                            f"holds {sorted(data) or 'none'}")  # fmt: skip
    ((name, raw),) = data.items()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidBundle(f"the reference file {name} is not UTF-8 text") from None
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if r and any(cell.strip() for cell in r)]
    if not rows:
        raise InvalidBundle(f"the reference file {name} is empty")
    header: list[str] | None = None
    if not _numbers(rows[0]):
        header, rows = [c.strip() for c in rows[0]], rows[1:]
    if header is None:
        if any(len(r) != 1 for r in rows):
            raise InvalidBundle(f"{name}: without a header, each line must hold one number")
        id_column, target, ids = None, None, [str(i) for i in range(len(rows))]
        values = [r[0].strip() for r in rows]
    else:
        id_column = next((c for c in header if c.lower() == "id"), None)
        others = [c for c in header if c != id_column]
        if len(others) != 1:
            raise InvalidBundle(f"{name}: the reference CSV must have one label column (and "
                                f"optionally `id`); its columns are {header}")  # fmt: skip
        target = others[0]
        at = header.index(target)
        values = [r[at].strip() for r in rows]
        ids = [r[header.index(id_column)].strip() for r in rows] if id_column else [
            str(i) for i in range(len(rows))]  # fmt: skip
    if not _numbers(values):
        raise InvalidBundle(f"{name}: every label must be a number (Coopetition scores "
                            "numeric predictions)")  # fmt: skip
    integer = all(re.fullmatch(r"[+-]?\d+", v) for v in values)
    return Reference(name.rsplit("/", 1)[-1], header, id_column, target, ids, values, integer)


def _numbers(cells: list[str]) -> bool:
    try:
        for cell in cells:
            float(cell)
    except ValueError:
        return False
    return True


def _single_csv(files: Files, what: str, not_mapped: list[str]) -> str | None:
    csvs = {n: d for n, d in files.items() if n.lower().endswith(".csv")}
    if len(csvs) != 1:
        if files:
            not_mapped.append(f"{what}: {sorted(files)} is not one CSV file; not published")
        return None
    return next(iter(csvs.values())).decode("utf-8-sig")


def _test_features(input_data: Files, ref: Reference, not_mapped: list[str]) -> str:
    """The input data as test features when it is one CSV with a row per reference row
    (an `id` column added when it has none); otherwise the test ids alone."""
    text = _single_csv(input_data, "the input data", not_mapped)
    if text is not None:
        rows = [r for r in csv.reader(io.StringIO(text)) if r]
        header, body = rows[0], rows[1:]
        if len(body) == len(ref.ids):
            if "id" in header:
                return text
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["id", *header])
            writer.writerows([i, *r] for i, r in zip(ref.ids, body, strict=True))
            return out.getvalue()
        not_mapped.append(f"the input data has {len(body)} rows, the reference {len(ref.ids)}: "
                          "not published as the test features")  # fmt: skip
    return "id\n" + "".join(f"{i}\n" for i in ref.ids)


def _scorer_source(bundle: Bundle, ref: Reference, result_file: str) -> str:
    program = io.BytesIO()
    with zipfile.ZipFile(program, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(bundle.program):
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), bundle.program[name])
    config = {
        "program_zip": base64.b64encode(program.getvalue()).decode(),
        "command": bundle.command, "score_key": bundle.score_key,
        "reference_file": ref.name, "result_file": result_file,
        "reference_shape": {"header": ref.header, "id_column": ref.id_column,
                            "integer": ref.integer},
    }  # fmt: skip
    template = SCORER_TEMPLATE.read_text()
    marker = "CONFIG: dict[str, Any] = {}  # replaced by `coop challenge import`\n"
    if marker not in template:
        raise AssertionError("bundle_scorer.py lost its CONFIG line")
    return template.replace(marker, f"CONFIG = json.loads({json.dumps(json.dumps(config))})\n")
