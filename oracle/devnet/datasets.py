"""The example challenges' data, made from datasets scikit-learn ships (nothing downloaded).

The files are built by examples/specs/make_data.py, byte for byte the same on every run,
so their CIDs equal the ones the example specs pin.
"""

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType

from oracle.chain.artifacts import REPO_ROOT
from oracle.errors import ConfigError

EXAMPLES_DIR = REPO_ROOT / "examples" / "specs"


@cache
def _make_data() -> ModuleType:
    path = EXAMPLES_DIR / "make_data.py"
    spec = importlib.util.spec_from_file_location("coop_make_data", path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"cannot load {path}; is this a full checkout of the repository?")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example_names() -> tuple[str, ...]:
    return tuple(_make_data().EXAMPLES)


def spec_path(name: str) -> Path:
    path = EXAMPLES_DIR / f"{name}.json"
    if not path.is_file():
        raise ConfigError(f"no example challenge {name!r}; choose one of {example_names()}")
    return path


def example_files(name: str) -> dict[str, bytes]:
    """train.csv, test_features.csv, sample_submission.csv and the secret labels.csv."""
    spec_path(name)
    files: dict[str, bytes] = _make_data().build(name)
    return files


def pinned_cids(spec_file: Path) -> dict[str, str]:
    """The CID an example's spec (or one made from it) pins for each public file; a spec
    hiding its test features pins none for them."""
    data = json.loads(spec_file.read_text())["data"]
    pinned = {
        "train.csv": data["train"],
        "test_features.csv": data.get("test_features"),
        "sample_submission.csv": data["public"]["sample_submission"],
    }
    return {name: cid for name, cid in pinned.items() if cid is not None}
