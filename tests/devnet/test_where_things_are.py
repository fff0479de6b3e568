"""Where `make run` puts things and how a newcomer reaches them: the banner's PATH line,
dev-chain funding, one generation of a previous chain's files, readable refusals."""

import subprocess
from pathlib import Path

from eth_account import Account
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.errors import decode_custom_error
from oracle.chain.holdout_secrets import file_secret, new_secret, save_pending
from oracle.devnet.chain import open_local_chain
from oracle.devnet.faucet import fund
from oracle.devnet.platform import tools_path
from oracle.types import WAD, plural


def test_the_banners_path_line_finds_coop_anvil_and_cast_from_a_bare_shell() -> None:
    line = f'export PATH={tools_path()}:"$PATH"'
    found = subprocess.run(
        ["bash", "-c", f"{line}; command -v coop anvil cast brownie"],
        env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    found_names = [Path(p).name for p in found.stdout.splitlines()]
    assert found_names == ["coop", "anvil", "cast", "brownie"]


def _file_holdout(data_dir: Path, chain_id: int, challenge_id: int) -> Path:
    labels = f"id,target\n1,{chain_id}\n".encode()
    pending = new_secret(chain_id, labels, b"\x07" * 32, "bafkreispec")
    save_pending(data_dir, pending, labels)
    return file_secret(data_dir, pending, challenge_id, 0)


def test_a_new_dev_chain_retires_the_previous_ones_files_instead_of_piling_them_up(
    tmp_path: Path,
) -> None:
    real = _file_holdout(tmp_path, 1, 4)  # a real network's secret in the same data dir
    for _ in range(3):  # `make run`, Ctrl-C, `make run`, ...
        anvil = start_anvil()
        try:
            chain = open_local_chain(tmp_path, anvil.url)
            assert chain.deployed_now
            _file_holdout(tmp_path, 31337, 1)
            (tmp_path / "index.sqlite3").write_text("the API's index of this chain")
        finally:
            anvil.stop()
    holdouts = sorted(p.name for p in (tmp_path / "holdouts").iterdir())
    assert not [name for name in holdouts if "superseded" in name]
    assert "31337-1.json" in holdouts and real.name in holdouts
    assert len([n for n in holdouts if n.startswith("labels-")]) == 2  # the dev one, the real one
    previous = tmp_path / "previous-chain"
    assert sorted(p.name for p in (previous / "holdouts").iterdir())[0] == "31337-1.json"
    assert len(list((previous / "holdouts").glob("*.json"))) == 1, "one generation only"
    assert (previous / "index.sqlite3").is_file() and (previous / "deployment.json").is_file()


def test_fund_gives_a_new_account_eth_and_tokens_on_the_dev_chain(tmp_path: Path) -> None:
    anvil = start_anvil()
    try:
        chain = open_local_chain(tmp_path, anvil.url)
        newcomer = Account.create().address
        funded = fund(chain.platform, newcomer, 2 * WAD, 300 * WAD)
        w3: Web3 = chain.platform.w3
        assert w3.eth.get_balance(newcomer) == 2 * WAD == funded.eth_balance
        assert chain.platform.token.functions.balanceOf(newcomer).call() == 300 * WAD
    finally:
        anvil.stop()


def test_refusals_show_dates_and_amounts_not_raw_integers() -> None:
    abi = [
        {"type": "error", "name": "DailyCapReached", "inputs": [
            {"name": "submitter", "type": "address"}, {"name": "cap", "type": "uint8"},
            {"name": "nextCommitAt", "type": "uint256"}]},
        {"type": "error", "name": "WrongCommitBond", "inputs": [
            {"name": "sent", "type": "uint256"}, {"name": "required", "type": "uint256"}]},
    ]  # fmt: skip
    from eth_abi.abi import encode
    from eth_utils.abi import function_signature_to_4byte_selector as selector

    who = Account.from_key(ANVIL_KEYS[1]).address
    capped = selector("DailyCapReached(address,uint8,uint256)") + encode(
        ["address", "uint8", "uint256"], [who, 5, 1796012242]
    )
    text = decode_custom_error(abi, "0x" + capped.hex())
    assert text is not None and "nextCommitAt=2026-11-30 04:17:22 UTC" in text and "cap=5" in text
    bond = selector("WrongCommitBond(uint256,uint256)") + encode(
        ["uint256", "uint256"], [0, 10**16]
    )
    assert (
        decode_custom_error(abi, "0x" + bond.hex())
        == "WrongCommitBond(sent=0 ETH, required=0.01 ETH)"
    )
    assert [plural(1, "claim"), plural(2, "claim"), plural(1, "discrepancy", "discrepancies"),
            plural(3, "discrepancy", "discrepancies")] == [
        "1 claim", "2 claims", "1 discrepancy", "3 discrepancies"]  # fmt: skip
