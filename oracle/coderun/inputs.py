"""The files a code submission reads under /in, named by their role in the spec.

`train`, `test_features` and each public file keep the name the spec gives them, with an
extension from their first bytes: `.parquet` (PAR1), `.csv.gz` (gzip) or `.csv`.
"""

from collections.abc import Callable

from oracle.spec import ChallengeSpec

GZIP_MAGIC, PARQUET_MAGIC = b"\x1f\x8b", b"PAR1"


def input_name(role: str, data: bytes) -> str:
    if data.startswith(PARQUET_MAGIC):
        return f"{role}.parquet"
    return f"{role}.csv.gz" if data.startswith(GZIP_MAGIC) else f"{role}.csv"


def input_files(spec: ChallengeSpec, fetch: Callable[[str], bytes]) -> dict[str, bytes]:
    """`/in/<name>` -> bytes for every input of the spec, fetched by CID with `fetch`."""
    roles = {"train": spec.data.train, "test_features": spec.data.test_features,
             **spec.data.public}  # fmt: skip
    files = {}
    for role, cid in roles.items():
        data = fetch(str(cid))
        files[f"/in/{input_name(role, data)}"] = data
    return files
