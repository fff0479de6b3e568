"""The web app's hashing and ABI code (@noble/hashes and viem, as bundled by setup into
js/lib/ethereum.js, and the app's modules on top), run in Chromium, against eth_utils /
eth_abi, and its tables of contract functions and errors against the compiled ABIs; a
page without the bundle says how to build it."""

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.abi import function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from playwright.sync_api import Browser, Page, expect

from oracle.api.config import WEB_DIR
from oracle.chain.artifacts import load_artifact
from tests.web.conftest import plain_page, serve_directory

CONTRACTS = (
    "ChallengeRegistry", "SubmissionBook", "ScoreBoard", "RewardVault", "GrantPool", "CoopToken",
)  # fmt: skip
# functions.js / events names the web app calls, by the deployment key of their contract
CONTRACT_OF = {"registry": "ChallengeRegistry", "book": "SubmissionBook", "vault": "RewardVault"}


@pytest.fixture(scope="module")
def page(browser: Browser, static_web: str) -> Iterator[Page]:
    page = plain_page(browser)
    page.goto(f"{static_web}/style.css")  # any page of the origin; modules are imported
    yield page
    page.context.close()


def run(page: Page, body: str, arg: Any = None) -> Any:
    """Runs `body` (an async function body with `lib` = the web app's modules and `arg`);
    `big(value)` turns integers (viem decodes small ones to numbers) into decimal strings."""
    script = """async (arg) => {
      const lib = {
        ...(await import('/js/lib/ethereum.js')), ...(await import('/js/chain/contracts.js')),
        ...(await import('/js/chain/errors.js')),
      };
      const big = (v) => JSON.parse(JSON.stringify(v,
        (k, x) => typeof x === 'bigint' || typeof x === 'number' ? x.toString() : x));
      BODY
    }"""
    return page.evaluate(script.replace("BODY", body), arg)


def jsonable(value: Any) -> Any:
    """Python ABI values as the JS module takes them: ints as decimal strings, bytes as hex."""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return [jsonable(v) for v in value]


def signature(entry: dict[str, Any]) -> str:
    def kind(param: dict[str, Any]) -> str:
        if param["type"].startswith("tuple"):
            inner = ",".join(kind(c) for c in param["components"])
            return f"({inner}){param['type'][len('tuple'):]}"
        return str(param["type"])

    return f"{entry['name']}({','.join(kind(p) for p in entry['inputs'])})"


def test_keccak_matches_eth_utils_at_every_length_around_the_block_size(page: Page) -> None:
    rng = random.Random(6)
    lengths = [*range(0, 300), 407, 408, 409, 1000, 4096, 20_000]
    inputs = ["0x" + rng.randbytes(n).hex() for n in lengths]
    got = run(page, "return arg.map((x) => lib.keccakHex({ hex: x }));", inputs)
    assert got == ["0x" + keccak(bytes.fromhex(x[2:])).hex() for x in inputs]
    text = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku ✓ é"
    assert run(page, "return lib.keccakHex({ text: arg });", text) == "0x" + keccak(text=text).hex()


ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
CASES: list[tuple[list[str], list[Any]]] = [
    (["uint256"], [2**256 - 1]),
    (["int256"], [-(2**255)]),
    (["int256", "int256"], [-1, 2**255 - 1]),
    (["int8", "uint8", "uint32", "int64", "uint64"], [-128, 255, 2**32 - 1, -(2**63), 2**64 - 1]),
    (["address", "bool", "bool", "bytes32", "bytes4"],
     [ADDRESS, True, False, b"\x5a" * 32, b"\x01\x02\x03\x04"]),
    (["string"], [f"héllo ✓ unicode, a CID {CID}"]),
    (["string", "string"], ["", "x" * 100]),
    (["bytes"], [b"\x01" * 33]),
    (["bytes", "uint256"], [b"", 7]),
    (["uint256[]", "uint32[]"], [[], []]),
    (["uint256[]", "uint32[]"], [[3, 7], [600000, 400000]]),
    (["(uint256,uint8,int256,bytes32,bytes32)[]"],
     [[(1, 0, -750000000000000000, b"\x33" * 32, b"\x44" * 32),
       (2, 5, 0, b"\x55" * 32, b"\x66" * 32)]]),
    (["string[]"], [["a", "bc", ""]]),
    (["uint256[2]", "(string,uint256[])"], [[1, 2], ("tuple", [9, 8, 7])]),
    (["(address,uint256)[2][]"], [[[(ADDRESS, 1), (ADDRESS, 2)], [(ADDRESS, 3), (ADDRESS, 4)]]]),
    (["uint256", "uint32", "address", "uint256", "bytes32[]"],
     [1, 0, ADDRESS, 600 * 10**18, [b"\x11" * 32, b"\x22" * 32]]),
]  # fmt: skip


def test_abi_encoding_equals_eth_abi_and_decodes_back(page: Page) -> None:
    cases = [{"types": t, "values": jsonable(v)} for t, v in CASES]
    got = run(
        page,
        """return arg.map(({ types, values }) => {
             const hex = lib.abiEncode(types, values);
             const back = lib.decodeAbiParameters(lib.parseAbiParameters(types.join(",")), hex);
             return { hex, back: big(back) };
           });""",
        cases,
    )
    for (types, values), answer in zip(CASES, got, strict=True):
        assert answer["hex"] == "0x" + encode(types, values).hex(), types
        expected = jsonable(values)
        assert answer["back"] == json.loads(json.dumps(expected)), types


def test_abi_encoding_refuses_values_that_do_not_fit(page: Page) -> None:
    bad = [
        (["uint8"], ["256"]),
        (["uint256"], ["-1"]),
        (["int8"], ["-129"]),
        (["address"], ["0x70997970c51812dc3a010c7d01b50e0d17dc79C8"]),  # broken checksum
        (["bytes32"], ["0x1234"]),
        (["bool"], ["1"]),
        (["uint256[2]"], [["1"]]),
        (["uint256"], ["1.5"]),
    ]
    got = run(
        page,
        """return arg.map(([types, values]) => {
             try { lib.abiEncode(types, values); return null; }
             catch (e) {
               return e instanceof lib.BaseError ? e.shortMessage : `${e.name}: ${e.message}`;
             }
           });""",
        bad,
    )
    # each refusal names the value and what was wrong with it
    expected = [
        'Number "256" is not in safe 8-bit unsigned integer range (0 to 255)',
        'Number "-1" is not in safe 256-bit unsigned integer range',
        'Number "-129" is not in safe 8-bit signed integer range (-128 to 127)',
        'Address "0x70997970c51812dc3a010c7d01b50e0d17dc79C8" is invalid.',
        'Size of bytes "0x1234" (bytes2) does not match expected size (bytes32).',
        'Invalid boolean value: "1"',
        "ABI encoding array length mismatch for type uint256[2].",
        "SyntaxError: Cannot convert 1.5 to a BigInt",
    ]
    assert len(got) == len(expected)
    for message, start in zip(got, expected, strict=True):
        assert message is not None and message.startswith(start), message


def test_checksums_and_every_selector_of_the_deployed_contracts(page: Page) -> None:
    rng = random.Random(1)
    addresses = ["0x" + rng.randbytes(20).hex() for _ in range(50)]
    got = run(page, "return arg.map((a) => lib.getAddress(a));", addresses)
    assert got == [to_checksum_address(a) for a in addresses]

    signatures = sorted({signature(e) for c in CONTRACTS for e in load_artifact(c).abi
                         if e["type"] in ("function", "error")})  # fmt: skip
    assert len(signatures) > 150
    got = run(page, "return arg.map((s) => lib.toFunctionSelector(s));", signatures)
    assert got == ["0x" + function_signature_to_4byte_selector(s).hex() for s in signatures]


def test_the_commitment_is_the_documented_one_and_the_python_one(page: Page) -> None:
    values = {
        "chainId": 31337, "book": "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9", "challengeId": 1,
        "submitter": ADDRESS, "artifactCid": CID,
        "salt": "0x" + "5a" * 32,
    }  # fmt: skip
    no_parents = run(page, "return lib.submissionCommitment({...arg, parents: [], "
                           "weightsPpm: []});", values)  # fmt: skip
    forked = run(page, "return lib.submissionCommitment({...arg, parents: [3, 7], "
                       "weightsPpm: [600000, 400000]});", values)  # fmt: skip
    # docs/contracts.md, "Test vectors"
    assert no_parents == "0x16bd0df97f10f18c8047dc8880a84d896a0c65f76656531bf5db74658f3f2166"
    assert forked == "0xeb193ae0ce4dc22190c8c3d23195c466a3a12cd34807dd163175a549549f5fcf"
    fork_hash = keccak(encode(["uint256[]", "uint32[]"], [[3, 7], [600000, 400000]]))
    python = keccak(encode(
        ["uint256", "address", "uint256", "address", "bytes32", "bytes32", "bytes32"],
        [31337, values["book"], 1, ADDRESS, keccak(text=str(values["artifactCid"])), fork_hash,
         b"\x5a" * 32],
    ))  # fmt: skip
    assert forked == "0x" + python.hex()


def test_fork_shares_become_ascending_parents_with_weights_summing_to_a_million(
    page: Page,
) -> None:
    got = run(page, "return lib.forkArguments(arg);",
              [{"parent": 7, "percent": 100 / 3}, {"parent": 3, "percent": 200 / 3}])  # fmt: skip
    assert got == {"parents": [3, 7], "weightsPpm": [666667, 333333]}
    errors = run(
        page,
        """return arg.map((shares) => {
             try { lib.forkArguments(shares); return null; } catch (e) { return e.message; }
           });""",
        [
            [{"parent": 3, "percent": 60}, {"parent": 7, "percent": 39}],
            [{"parent": 3, "percent": 50}, {"parent": 3, "percent": 50}],
            [{"parent": 0, "percent": 100}],
        ],
    )
    assert errors == ["the shares add up to 99%, not 100%", "parent 3 is listed twice",
                      'parent "0" is not a submission id']  # fmt: skip


def test_reverts_are_decoded_into_named_errors_with_their_values_explained(page: Page) -> None:
    def revert(sig: str, types: list[str], args: list[Any]) -> str:
        return "0x" + (function_signature_to_4byte_selector(sig) + encode(types, args)).hex()

    data = [
        revert("CommitmentMismatch(uint256,bytes32,bytes32)", ["uint256", "bytes32", "bytes32"],
               [7, b"\x11" * 32, b"\x22" * 32]),
        revert("DailyCapReached(address,uint8,uint256)", ["address", "uint8", "uint256"],
               [ADDRESS, 5, 1700000000]),
        revert("ClaimsNotOpen(uint256,uint32,uint64,uint8)",
               ["uint256", "uint32", "uint64", "uint8"], [1, 0, 1700000000, 2]),
        revert("Error(string)", ["string"], ["boom"]),
        revert("Panic(uint256)", ["uint256"], [0x11]),
        "0xdeadbeef",
        "0x",
    ]  # fmt: skip
    got = run(page, "return arg.map((d) => big(lib.explainRevert(d)));", data)
    mismatch, cap, claims, error, panic, unknown, empty = got
    assert mismatch["name"] == "CommitmentMismatch"
    assert mismatch["args"] == {"submissionId": "7", "expected": "0x" + "11" * 32,
                                "computed": "0x" + "22" * 32}  # fmt: skip
    assert "0x" + "11" * 32 in mismatch["explanation"]
    assert cap["name"] == "DailyCapReached"
    assert cap["explanation"] == (
        f"{ADDRESS} already made 5 commits to this challenge in the last 24 hours (the daily cap)."
        " The next commit is accepted from 2023-11-14 22:13:20 UTC."
    )
    assert claims["name"] == "ClaimsNotOpen"
    assert "the rewards root is disputed" in claims["explanation"]
    assert error["name"] == "Error" and error["explanation"] == "boom"
    assert panic["name"] == "Panic" and "overflow" in panic["explanation"]
    assert unknown["name"] is None and "0xdeadbeef" in unknown["explanation"]
    assert empty["name"] is None and "without a reason" in empty["explanation"]


def test_the_error_and_function_tables_match_the_compiled_contracts(page: Page) -> None:
    tables = run(
        page,
        """return { errors: Object.keys(lib.ERRORS),
                    functions: Object.values(lib.FUNCTIONS),
                    events: Object.values(lib.EVENTS) };""",
    )
    declared = set()
    for c in CONTRACTS:
        for e in load_artifact(c).abi:
            if e["type"] == "error":
                params = ", ".join(f"{p['type']} {p['name']}" for p in e["inputs"])
                declared.add(f"{e['name']}({params})")
    in_js = set(tables["errors"])
    assert sorted(declared - in_js) == [], "errors the web app cannot name: add them to errors.js"
    assert sorted(in_js - declared) == [], "errors.js lists errors no contract has any more"
    for entry in tables["functions"] + tables["events"]:
        kind = "function" if entry in tables["functions"] else "event"
        abi = load_artifact(CONTRACT_OF[entry["contract"]]).abi
        assert entry["signature"] in {signature(e) for e in abi if e["type"] == kind}, entry


def test_a_page_without_the_bundled_libraries_says_how_to_build_them(
    browser: Browser, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    shutil.copytree(WEB_DIR, web, ignore=shutil.ignore_patterns("lib"))  # setup not run
    with serve_directory(web) as url:
        page = plain_page(browser)
        try:
            page.goto(f"{url}/")
            expect(page.locator("#app")).to_have_text(
                "The scripts of this page could not be loaded. In a checkout, run make setup: "
                "it builds js/lib/ethereum.js, the bundled libraries (docs/web.md)."
            )
        finally:
            page.context.close()
