"""The files a code submission reads under /in, named by their role in the spec.

`train`, `test_features` and each public file keep the name the spec gives them, with an
extension from their first bytes: `.parquet` (PAR1), `.csv.gz` (gzip) or `.csv`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from oracle.spec import ChallengeSpec

GZIP_MAGIC, PARQUET_MAGIC = b"\x1f\x8b", b"PAR1"
INPUT_MAX_BYTES = 1 << 30  # the most any one input file is read up to


@dataclass(frozen=True)
class InputFile:
    name: str  # under /in
    cid: str
    data: bytes


def input_name(role: str, data: bytes) -> str:
    if data.startswith(PARQUET_MAGIC):
        return f"{role}.parquet"
    return f"{role}.csv.gz" if data.startswith(GZIP_MAGIC) else f"{role}.csv"


def fetch_inputs(spec: ChallengeSpec, fetch: Callable[[str], bytes]) -> list[InputFile]:
    """Every input of the spec, fetched by CID with `fetch` (which verifies it)."""
    roles = {"train": spec.data.train, "test_features": spec.data.test_features,
             **spec.data.public}  # fmt: skip
    found = []
    for role, cid in roles.items():
        data = fetch(str(cid))
        found.append(InputFile(input_name(role, data), str(cid), data))
    return found


def sandbox_files(inputs: Iterable[InputFile]) -> dict[str, bytes]:
    """The inputs as the sandbox's /in/<name> files."""
    return {f"/in/{f.name}": f.data for f in inputs}
