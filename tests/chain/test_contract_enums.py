"""The Python enums of values that cross the ABI match the contracts they are read from.

A root state or verdict is a uint8 on chain; reading one with the wrong member order would
tell a participant that a disputed root is voided, or send "reject" for "concern".
The members are compared, in order, with the Solidity sources and docs/contracts.md.
"""

import re

from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.roots import RootState
from oracle.types import Verdict


def solidity(path: str) -> str:
    return (REPO_ROOT / "contracts" / path).read_text()


def test_root_states_are_the_vaults_enum_in_its_order() -> None:
    enum = re.search(r"enum RootState \{([^}]*)\}", solidity("interfaces/IRewardVault.sol"))
    assert enum is not None
    members = [m.strip() for m in enum.group(1).split(",") if m.strip()]
    assert [m.name for m in RootState] == [m.upper() for m in members]
    assert [int(m) for m in RootState] == list(range(len(members)))
    assert RootState(2).label == "disputed"


def test_verdicts_are_the_ones_the_book_accepts_and_the_docs_name() -> None:
    limit = re.search(r"VERDICT_MAX = (\d+);", solidity("SubmissionBook.sol"))
    assert limit is not None and [int(v) for v in Verdict] == list(range(1, int(limit[1]) + 1))
    documented = re.search(
        r"`verdict`: ((?:\d \w+(?:, )?)+)\.", (REPO_ROOT / "docs" / "contracts.md").read_text()
    )
    assert documented is not None
    assert [f"{int(v)} {v.name.lower()}" for v in Verdict] == documented[1].split(", ")
