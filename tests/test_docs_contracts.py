"""docs/contracts.md stays in step with the compiled contracts and the encodings they check.

Every function, event and error in the ABIs of the five deployed contracts must be declared
on the page (in a ```solidity block, or an inline `error X(...)` span in a table) with the
ABI's exact parameter types, indexed flags and return types, and be named in the text
around it; every struct must list the ABI's fields. The typehashes, status codes,
deployment keys and test vectors on the page are recomputed here. No chain needed: the
ABIs come from brownie's build files.
"""

import re
from dataclasses import dataclass, fields
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from oracle.chain.artifacts import CONTRACT_NAMES, REPO_ROOT, load_artifact
from oracle.chain.attestation import (
    DOMAIN_NAME,
    DOMAIN_VERSION,
    ITEM_ABI_TYPE,
    REWARD_ROOT_FIELDS,
    SCORE_BATCH_FIELDS,
)
from oracle.chain.deployment import Deployment
from oracle.status import MAX_STATUS, Status

DOC = (REPO_ROOT / "docs" / "contracts.md").read_text()
KINDS = ("function", "event", "error")
DATA_LOCATIONS = {"calldata", "memory", "storage"}


@dataclass(frozen=True)
class Declaration:
    kind: str
    name: str
    inputs: tuple[str, ...]
    indexed: tuple[bool, ...]
    outputs: tuple[str, ...]

    def signature(self) -> str:
        params = ", ".join(
            f"{t} indexed" if i else t for t, i in zip(self.inputs, self.indexed, strict=True)
        )
        returns = f" returns ({', '.join(self.outputs)})" if self.outputs else ""
        return f"{self.kind} {self.name}({params}){returns}"


def solidity_blocks(doc: str) -> list[str]:
    """The ```solidity blocks of the page, comments removed."""
    blocks = re.findall(r"```solidity\n(.*?)```", doc, re.S)
    return [re.sub(r"//[^\n]*", "", block) for block in blocks]


def declaration_sources(doc: str) -> list[str]:
    """The ```solidity blocks and the inline spans that declare one thing (`error X(...)`)."""
    inline = re.findall(r"`((?:function|event|error) \w+\([^`]*\))`", prose(doc))
    return solidity_blocks(doc) + [f"{span};" for span in inline]


def prose(doc: str) -> str:
    """The page without its ```solidity blocks: where each name must also be explained."""
    return re.sub(r"```solidity\n.*?```", "", doc, flags=re.S)


def _closing(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise ValueError(f"unbalanced parentheses after {text[open_at : open_at + 60]!r}")


def _params(text: str) -> list[tuple[str, bool, str]]:
    """(type, indexed, name) of each comma-separated Solidity parameter."""
    if not text.strip():
        return []
    params = []
    for raw in text.split(","):
        words = [w for w in raw.split() if w not in DATA_LOCATIONS]
        indexed = "indexed" in words
        words = [w for w in words if w != "indexed"]
        params.append((words[0], indexed, words[1] if len(words) > 1 else ""))
    return params


def declarations(doc: str) -> list[Declaration]:
    found = []
    for block in declaration_sources(doc):
        for match in re.finditer(r"\b(function|event|error)\s+(\w+)\s*\(", block):
            close = _closing(block, match.end() - 1)
            inputs = _params(block[match.end() : close])
            rest = block[close + 1 : block.find(";", close)]
            returns = re.search(r"\breturns\s*\(", rest)
            outputs = []
            if returns:
                start = close + 1 + returns.end() - 1
                outputs = _params(block[start + 1 : _closing(block, start)])
            found.append(
                Declaration(
                    kind=match.group(1),
                    name=match.group(2),
                    inputs=tuple(t for t, _, _ in inputs),
                    indexed=tuple(i for _, i, _ in inputs),
                    outputs=tuple(t for t, _, _ in outputs),
                )
            )
    return found


def struct_declarations(doc: str) -> dict[str, list[tuple[str, str]]]:
    structs = {}
    for block in solidity_blocks(doc):
        for match in re.finditer(r"\bstruct\s+(\w+)\s*\{(.*?)\}", block, re.S):
            members = [m.split() for m in match.group(2).split(";") if m.strip()]
            structs[match.group(1)] = [(m[0], m[-1]) for m in members]
    return structs


def abi_type(param: dict[str, Any]) -> str:
    """The type as Solidity source spells it: struct, enum and contract names unqualified."""
    internal = str(param.get("internalType") or param["type"])
    internal = re.sub(r"^(struct|enum|contract) ", "", internal)
    return re.sub(r"^\w+\.", "", internal)


def abi_declarations(contract: str) -> list[Declaration]:
    return [
        Declaration(
            kind=entry["type"],
            name=entry["name"],
            inputs=tuple(abi_type(p) for p in entry.get("inputs", [])),
            indexed=tuple(bool(p.get("indexed")) for p in entry.get("inputs", [])),
            outputs=tuple(abi_type(p) for p in entry.get("outputs", [])),
        )
        for entry in load_artifact(contract).abi
        if entry["type"] in KINDS
    ]


def abi_structs(contract: str) -> dict[str, list[tuple[str, str]]]:
    structs: dict[str, list[tuple[str, str]]] = {}

    def walk(param: dict[str, Any]) -> None:
        if "components" in param:
            name = abi_type(param).split("[")[0]
            structs[name] = [(abi_type(c), c["name"]) for c in param["components"]]
            for component in param["components"]:
                walk(component)

    for entry in load_artifact(contract).abi:
        for param in entry.get("inputs", []) + entry.get("outputs", []):
            walk(param)
    return structs


def undocumented(doc: str, contract: str) -> list[str]:
    """What the page lacks for `contract`'s ABI, one line per problem (empty: all there)."""
    declared = declarations(doc)
    explained = prose(doc)
    problems = []
    for entry in abi_declarations(contract):
        same_name = [d for d in declared if (d.kind, d.name) == (entry.kind, entry.name)]
        if not same_name:
            problems.append(f"{entry.kind} {entry.name} is not declared: add `{entry.signature()}`")
        elif entry not in same_name:
            shown = "; ".join(d.signature() for d in same_name)
            problems.append(
                f"{entry.name} is declared as `{shown}`, the ABI has `{entry.signature()}`"
            )
        if not re.search(rf"`(?:{'|'.join(KINDS)} )?{re.escape(entry.name)}\b", explained):
            problems.append(
                f"{entry.kind} {entry.name} is declared but never named outside the declarations"
            )
    documented_structs = struct_declarations(doc)
    for name, members in abi_structs(contract).items():
        if documented_structs.get(name) != members:
            problems.append(
                f"struct {name} should list {members}, the page has {documented_structs.get(name)}"
            )
    return problems


@pytest.mark.parametrize("contract", CONTRACT_NAMES)
def test_every_function_event_error_and_struct_is_documented(contract: str) -> None:
    problems = undocumented(DOC, contract)
    assert not problems, f"docs/contracts.md is behind {contract}:\n" + "\n".join(problems)


def test_every_declaration_on_the_page_exists_in_a_contract() -> None:
    known = {d for contract in CONTRACT_NAMES for d in abi_declarations(contract)}
    stale = [d.signature() for d in declarations(DOC) if d not in known]
    assert not stale, "docs/contracts.md declares what no contract has:\n" + "\n".join(stale)
    known_structs = {n for contract in CONTRACT_NAMES for n in abi_structs(contract)}
    assert set(struct_declarations(DOC)) <= known_structs


def test_a_missing_or_changed_entry_is_reported_by_name() -> None:
    without = DOC.replace("error DailyCapReached(", "error DailyCapReachedX(").replace(
        "`DailyCapReached", "`Daily"
    )
    problems = undocumented(without, "SubmissionBook")
    assert any("DailyCapReached is not declared" in p for p in problems), problems
    assert any("DailyCapReached is declared but never named" in p for p in problems), problems
    retyped = DOC.replace("uint8 verdict, string reviewCid)", "uint16 verdict, string reviewCid)")
    assert any("Reviewed is declared as" in p for p in undocumented(retyped, "SubmissionBook"))
    shortened = DOC.replace("    uint256 forkMark; ", "    ")
    assert any("struct Submission" in p for p in undocumented(shortened, "SubmissionBook"))


def _type_string(primary: str, members: list[dict[str, str]]) -> str:
    return f"{primary}(" + ",".join(f"{m['type']} {m['name']}" for m in members) + ")"


@pytest.mark.parametrize(
    ("primary", "members"), [("ScoreBatch", SCORE_BATCH_FIELDS), ("RewardRoot", REWARD_ROOT_FIELDS)]
)
def test_typed_structs_and_typehashes_match_the_signer(
    primary: str, members: list[dict[str, str]]
) -> None:
    type_string = _type_string(primary, members)
    assert type_string in DOC, f"the page does not give the EIP-712 type {type_string}"
    assert f"`0x{keccak(text=type_string).hex()}`" in DOC, f"wrong typehash for {primary}"


def test_domain_items_type_and_constants() -> None:
    assert f'name = "{DOMAIN_NAME}", version = "{DOMAIN_VERSION}"' in DOC
    assert ITEM_ABI_TYPE in DOC
    assert f"`MAX_STATUS` = {int(MAX_STATUS)}" in DOC


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.name)
def test_every_status_code_is_listed(status: Status) -> None:
    assert f"| {int(status)} | `{status.name}` |" in DOC, f"status {status.name} missing"


@pytest.mark.parametrize("key", [f.name for f in fields(Deployment)])
def test_deployment_file_keys(key: str) -> None:
    assert f'"{key}":' in DOC and f"| `{key}` |" in DOC, f"deployment key {key} not documented"


BOOK = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
SUBMITTER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
SALT = bytes([0x5A]) * 32
ORACLES = [
    "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
]


def _fork_hash(parents: list[int], weights: list[int]) -> bytes:
    return keccak(encode(["uint256[]", "uint32[]"], [parents, weights]))


def _commitment(fork_hash: bytes) -> bytes:
    types = ["uint256", "address", "uint256", "address", "bytes32", "bytes32", "bytes32"]
    return keccak(encode(types, [31337, BOOK, 1, SUBMITTER, keccak(text=CID), fork_hash, SALT]))


VECTORS = {
    "cid hash": keccak(text=CID),
    "empty fork hash": _fork_hash([], []),
    "fork hash": _fork_hash([3, 7], [600_000, 400_000]),
    "commitment": _commitment(_fork_hash([], [])),
    "fork commitment": _commitment(_fork_hash([3, 7], [600_000, 400_000])),
    "fingerprint": (
        int.from_bytes(
            keccak(encode(["bytes32", "address"], [_commitment(_fork_hash([], [])), SUBMITTER])),
            "big",
        )
        >> 49
        << 49
    ).to_bytes(32, "big"),
    "holdout": keccak(
        encode(["bytes32", "bytes32"], [b"\x11" * 32, keccak(encode(["bytes32"], [b"\x22" * 32]))])
    ),
    "config digest": keccak(
        encode(["uint256", "uint32", "address[]", "uint8"], [1, 1, ORACLES, 2])
    ),
    "private commitment": keccak(
        encode(["uint256", "int256", "bytes32"], [1, -750 * 10**15, SALT])
    ),
    "items hash": keccak(
        encode(
            [ITEM_ABI_TYPE],
            [
                [
                    (1, 0, -750 * 10**15, b"\x33" * 32, b"\x44" * 32),
                    (2, 5, 0, b"\x55" * 32, b"\x66" * 32),
                ]
            ],
        )
    ),
    "merkle leaf": keccak(keccak(encode(["address", "uint256"], [SUBMITTER, 600 * 10**18]))),
}


@pytest.mark.parametrize("name", VECTORS)
def test_vectors_on_the_page_are_what_the_encodings_give(name: str) -> None:
    assert f"`0x{VECTORS[name].hex()}`" in DOC, f"test vector '{name}' is wrong or missing"
