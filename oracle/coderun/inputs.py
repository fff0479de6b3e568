"""The files a code submission reads under /in, named by their role in the spec.

`train`, `test_features` and each public file keep the name the spec gives them, with an
extension from their first bytes: `.parquet` (PAR1), `.csv.gz` (gzip) or `.csv`. Hidden
test features (`data.hidden_test_features`) are not on IPFS before the holdout reveal: the
caller passes their bytes (oracle/coderun/hidden_features.py checks them), and their
identity is the spec's keccak256 commitment instead of a CID.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from oracle.errors import ConfigError
from oracle.spec import ChallengeSpec

GZIP_MAGIC, PARQUET_MAGIC = b"\x1f\x8b", b"PAR1"
INPUT_MAX_BYTES = 1 << 30  # the most any one input file is read up to


@dataclass(frozen=True)
class InputFile:
    name: str  # under /in
    cid: str  # or, for hidden test features, the 0x keccak256 commitment the spec holds
    data: bytes


def input_name(role: str, data: bytes) -> str:
    if data.startswith(PARQUET_MAGIC):
        return f"{role}.parquet"
    return f"{role}.csv.gz" if data.startswith(GZIP_MAGIC) else f"{role}.csv"


def fetch_inputs(
    spec: ChallengeSpec, fetch: Callable[[str], bytes], hidden_features: bytes | None = None
) -> list[InputFile]:
    """Every input of the spec, fetched by CID with `fetch` (which verifies it); hidden test
    features are `hidden_features`, already checked against the spec's commitment."""
    roles = {"train": spec.data.train, "test_features": spec.data.test_features,
             **spec.data.public}  # fmt: skip
    found = []
    for role, cid in roles.items():
        if cid is None:
            continue
        data = fetch(str(cid))
        found.append(InputFile(input_name(role, data), str(cid), data))
    commitment = spec.data.hidden_test_features
    if commitment is not None:
        if hidden_features is None:
            raise ConfigError(
                "this challenge hides its test features: an oracle gets them privately from the "
                "owner (COOP_HOLDOUT_DIR), anyone else from the holdout reveal"
            )
        name = input_name("test_features", hidden_features)
        found.insert(1, InputFile(name, commitment, hidden_features))
    return found


def sandbox_files(inputs: Iterable[InputFile]) -> dict[str, bytes]:
    """The inputs as the sandbox's /in/<name> files."""
    return {f"/in/{f.name}": f.data for f in inputs}
