"""CoopToken: the owner mints; ERC-2612 permits signed off-chain with eth-account; two-step
ownership."""

from brownie import accounts, chain
from brownie_helpers import fails, low
from eth_abi.abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

HOLDER_KEY = "0x" + "4b" * 32


def permit_signature(
    token,
    signer_key: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
    holder: str | None = None,
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of an ERC-2612 Permit for `holder` (default: the signer) signed by
    `signer_key`, built from the EIP-712 spec, not from the token."""
    typed = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Permit",
        "domain": {
            "name": "Coopetition Reward",
            "version": "1",
            "chainId": chain.id,
            "verifyingContract": token.address,
        },
        "message": {
            "owner": holder or Account.from_key(signer_key).address,
            "spender": spender,
            "value": value,
            "nonce": nonce,
            "deadline": deadline,
        },
    }
    signed = Account.sign_message(encode_typed_data(full_message=typed), signer_key)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def test_the_owner_mints_and_nobody_else(platform, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, _, _, _, _ = platform
    tx = token.mint(accounts[1], 5 * 10**18, {"from": owner})
    assert (
        tx.events["Transfer"]["to"] == accounts[1] and tx.events["Transfer"]["value"] == 5 * 10**18
    )
    assert token.balanceOf(accounts[1]) == 5 * 10**18 and token.totalSupply() == 5 * 10**18
    assert fails(token.mint, accounts[2], 1, {"from": accounts[2]}) == (
        f"OwnableUnauthorizedAccount: {low(accounts[2])}"
    )
    assert token.balanceOf(accounts[2]) == 0
    assert (token.name(), token.symbol(), token.decimals()) == ("Coopetition Reward", "COOP", 18)


def test_a_permit_signed_with_eth_account_sets_the_allowance(platform, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, _, vault, _, _ = platform
    holder = accounts.add(HOLDER_KEY)
    token.mint(holder, 100, {"from": owner})
    deadline = chain[-1].timestamp + 3600
    v, r, s = permit_signature(token, HOLDER_KEY, vault.address, 70, 0, deadline)
    tx = token.permit(holder, vault, 70, deadline, v, r, s, {"from": accounts[3]})  # a relayer
    assert tx.events["Approval"]["value"] == 70
    assert token.allowance(holder, vault) == 70 and token.nonces(holder) == 1
    # The same signature again: the nonce moved on, so it recovers to another address.
    error = fails(token.permit, holder, vault, 70, deadline, v, r, s, {"from": accounts[3]})
    assert error.startswith("ERC2612InvalidSigner: ") and error.endswith(f", {low(holder)}")


def test_permit_refusals(platform) -> None:  # type: ignore[no-untyped-def]
    _, token, _, vault, _, _ = platform
    holder = Account.from_key(HOLDER_KEY).address
    deadline = chain[-1].timestamp + 3600
    other_key = "0x" + "5c" * 32
    v, r, s = permit_signature(token, other_key, vault.address, 70, 0, deadline, holder)
    assert fails(token.permit, holder, vault, 70, deadline, v, r, s, {"from": accounts[3]}) == (
        f"ERC2612InvalidSigner: {Account.from_key(other_key).address.lower()}, {holder.lower()}"
    )
    past = chain[-1].timestamp - 1
    v, r, s = permit_signature(token, HOLDER_KEY, vault.address, 70, 0, past)
    assert fails(token.permit, holder, vault, 70, past, v, r, s, {"from": accounts[3]}) == (
        f"ERC2612ExpiredSignature: {past}"
    )
    assert token.allowance(holder, vault) == 0


def test_ownership_moves_in_two_steps(platform, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, _, _, _, _ = platform
    heir = accounts[4]
    tx = token.transferOwnership(heir, {"from": owner})
    assert tx.events["OwnershipTransferStarted"]["newOwner"] == heir
    assert token.owner() == owner and token.pendingOwner() == heir
    assert fails(token.acceptOwnership, {"from": accounts[5]}) == (
        f"OwnableUnauthorizedAccount: {low(accounts[5])}"
    )
    tx = token.acceptOwnership({"from": heir})
    assert tx.events["OwnershipTransferred"]["newOwner"] == heir and token.owner() == heir
    token.mint(heir, 1, {"from": heir})
    token.renounceOwnership({"from": heir})
    assert fails(token.mint, heir, 1, {"from": heir}) == f"OwnableUnauthorizedAccount: {low(heir)}"


def domain_separator(name: str, contract: str) -> bytes:
    type_hash = keccak(
        text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    )
    values = [type_hash, keccak(text=name), keccak(text="1"), chain.id, contract]
    return keccak(encode(["bytes32", "bytes32", "bytes32", "uint256", "address"], values))


def test_transfers_and_the_permit_domain(platform, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, _, _, _, _ = platform
    alice, bob = accounts[1], accounts[2]
    token.mint(alice, 10, {"from": owner})
    token.transfer(bob, 4, {"from": alice})
    token.approve(owner, 3, {"from": bob})
    tx = token.transferFrom(bob, alice, 3, {"from": owner})
    assert tx.events["Transfer"]["value"] == 3
    assert (token.balanceOf(alice), token.balanceOf(bob), token.allowance(bob, owner)) == (9, 1, 0)
    assert fails(token.transferFrom, bob, alice, 1, {"from": owner}) == (
        f"ERC20InsufficientAllowance: {low(owner)}, 0, 1"
    )
    assert fails(token.transfer, bob, 100, {"from": alice}) == (
        f"ERC20InsufficientBalance: {low(alice)}, 9, 100"
    )
    assert bytes(token.DOMAIN_SEPARATOR()) == domain_separator("Coopetition Reward", token.address)
    fields, name, version, chain_id, contract, _, _ = token.eip712Domain()
    assert (bytes(fields), name, version, chain_id, contract) == (
        b"\x0f",
        "Coopetition Reward",
        "1",
        chain.id,
        token.address,
    )
