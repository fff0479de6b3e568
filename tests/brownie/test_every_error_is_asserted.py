"""Every custom error declared in contracts/interfaces is asserted, with its values, by at
least one brownie test (a revert message 'Name: ...' in this folder)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = {
    # postRewards keeps this guard, but the registry never lets the phases' bounties exceed
    # the escrow and each phase has one live root, so no sequence of calls reaches it.
    "RewardsExceedEscrow": "RewardVault guard, unreachable through the registry's rules",
}


def declared_errors() -> set[str]:
    names: set[str] = set()
    for source in (ROOT / "contracts" / "interfaces").glob("*.sol"):
        names |= set(re.findall(r"^\s*error (\w+)\(", source.read_text(), re.M))
    return names


def asserted_errors() -> set[str]:
    text = "\n".join(
        p.read_text()
        for p in Path(__file__).parent.glob("test_*.py")
        if p.name != Path(__file__).name
    )
    return set(re.findall(r"""f?["'](\w+): """, text))


def test_every_declared_error_has_a_brownie_test() -> None:
    declared = declared_errors()
    assert len(declared) > 80, "the interfaces were not read"
    missing = sorted(declared - asserted_errors() - set(UNREACHABLE))
    assert not missing, f"errors no brownie test asserts: {missing}"
    assert set(UNREACHABLE) <= declared, "an unreachable error was renamed or removed"
