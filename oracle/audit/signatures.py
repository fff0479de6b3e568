"""Every posted score batch and rewards root carries a quorum of the oracles of its time.

Events do not hold signatures, so they are read from the posting transaction's calldata
(also on the ledger). A post made through another contract cannot be decoded that way; it
is reported, since its signatures cannot be checked from the ledger alone.
"""

from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

from oracle.audit.findings import AuditReport
from oracle.chain.attestation import (
    RewardRoot,
    ScoreBatch,
    ScoreItem,
    items_hash,
    reward_root_typed_data,
    score_batch_typed_data,
)
from oracle.chain.platform import Platform
from oracle.ledger.model import Challenge, Ledger, OracleSet


def check_signatures(platform: Platform, ledger: Ledger, challenge: Challenge,
                     report: AuditReport) -> None:  # fmt: skip
    chain_id = int(platform.w3.eth.chain_id)
    for batch in challenge.batches:
        subject = f"score batch seq {batch.seq}"
        call = _calldata(platform, batch.tx_hash, platform.score_board, "postScores")
        if call is None:
            report.fail("signatures", subject, "not posted by a direct postScores call")
            continue
        header = ScoreBatch(*_values(call["header"]))
        items = [ScoreItem(*_values(i)) for i in call["items"]]
        if (header.challenge_id, header.phase, header.correction, header.seq) != (
            challenge.challenge_id, batch.phase, batch.correction, batch.seq
        ):  # fmt: skip
            report.fail("signatures", subject, "calldata header does not match the event")
            continue
        if items_hash(items) != header.items_hash or header.items_hash != batch.items_hash:
            report.fail("signatures", subject, "items do not hash to the signed itemsHash")
            continue
        for item in items:
            recorded = ledger.submissions[item.submission_id].score_of_batch(batch.seq)
            if recorded is None or (recorded.status, recorded.public_score) != (
                item.status, item.public_score
            ):  # fmt: skip
                report.fail(
                    "signatures", subject,
                    f"item #{item.submission_id} differs from its ScoreRecorded event",
                )  # fmt: skip
        typed = score_batch_typed_data(header, chain_id, platform.score_board.address)
        _check_quorum(subject, typed, header.config_digest, call["signatures"],
                      challenge.judges_of(batch.phase), report)  # fmt: skip

    for root in challenge.roots:
        subject = f"rewards root of phase {root.phase} (seq {root.seq})"
        call = _calldata(platform, root.tx_hash, platform.vault, "postRewards")
        if call is None:
            report.fail("signatures", subject, "not posted by a direct postRewards call")
            continue
        signed = RewardRoot(*_values(call["root"]))
        if signed.merkle_root != root.merkle_root or signed.total != root.total:
            report.fail("signatures", subject, "calldata root does not match the event")
            continue
        if keccak(text=root.report_cid) != signed.report_cid_hash:
            report.fail("signatures", subject, "report CID does not hash to the signed hash")
            continue
        typed = reward_root_typed_data(signed, chain_id, platform.vault.address)
        _check_quorum(subject, typed, signed.config_digest, call["signatures"],
                      challenge.judges_of(root.phase), report)  # fmt: skip


def _check_quorum(subject: str, typed: dict[str, Any], digest: bytes, signatures: list[bytes],
                  oracle_set: OracleSet, report: AuditReport) -> None:  # fmt: skip
    if bytes(digest) != oracle_set.config_digest:
        report.fail(
            "signatures", subject,
            f"signed for config 0x{bytes(digest).hex()}, the phase's judges are version "
            f"{oracle_set.version} (0x{oracle_set.config_digest.hex()})",
        )  # fmt: skip
        return
    message = encode_typed_data(full_message=typed)
    signers = [Account.recover_message(message, signature=bytes(s)) for s in signatures]
    strangers = [s for s in signers if s not in oracle_set.oracles]
    if strangers:
        report.fail("signatures", subject, f"signed by non-oracles {', '.join(strangers)}")
    elif len(set(signers)) != len(signers):
        report.fail("signatures", subject, "the same oracle signed twice")
    elif len(signers) < oracle_set.quorum:
        report.fail("signatures", subject,
                    f"{len(signers)} signatures, quorum is {oracle_set.quorum}")  # fmt: skip
    else:
        report.passed("signatures", len(signers))


def _calldata(platform: Platform, tx_hash: bytes, contract: Any, name: str) -> Any:
    tx = platform.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
    if str(tx["to"]).lower() != contract.address.lower():
        return None
    function, params = contract.decode_function_input(tx["input"])
    return params if function.fn_name == name else None


def _values(value: Any) -> tuple[Any, ...]:
    """A decoded struct as a tuple, whether web3 gave a tuple or a name → value mapping."""
    if isinstance(value, dict):
        return tuple(value.values())
    return tuple(value)
