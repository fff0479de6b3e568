"""Asking peer oracles to sign, over HTTP, and checking what they send back.

A proposal goes to every peer at once; the answers are taken as they come until enough
valid signatures are in. A signature counts only if it recovers, for the exact EIP-712
message, to the address the peer claims and that address is one of the challenge's oracles.
"""

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import httpx
from eth_account import Account
from eth_account.messages import encode_typed_data
from pydantic import ValidationError

from oracle.chain.attestation import Signature
from oracle.daemon.wire import RefusalModel, SignatureModel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeerAnswer:
    peer: str
    signature: Signature | None = None
    refusal: RefusalModel | None = None
    error: str | None = None


def recovered_signer(typed_data: dict[str, Any], signature: bytes) -> str | None:
    try:
        return str(
            Account.recover_message(encode_typed_data(full_message=typed_data), signature=signature)
        )
    except (ValueError, TypeError):
        return None


class PeerClient:
    def __init__(self, peers: Iterable[str], timeout: float) -> None:
        self.peers = tuple(p.rstrip("/") for p in peers)
        self.http = httpx.Client(timeout=timeout)
        self.pool = ThreadPoolExecutor(
            max_workers=max(1, len(self.peers)), thread_name_prefix="peer"
        )

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.http.close()

    def _ask(self, peer: str, path: str, body: dict[str, Any]) -> PeerAnswer:
        try:
            response = self.http.post(peer + path, json=body)
        except httpx.HTTPError as exc:
            return PeerAnswer(peer, error=f"{type(exc).__name__}: {exc}")
        try:
            if response.status_code == 200:
                model = SignatureModel.model_validate_json(response.content)
                signature = bytes.fromhex(model.signature.removeprefix("0x"))
                return PeerAnswer(peer, signature=Signature(model.signer, signature))
            if response.status_code in (409, 422):
                return PeerAnswer(peer, refusal=RefusalModel.model_validate_json(response.content))
        except (ValidationError, ValueError) as exc:
            return PeerAnswer(peer, error=f"unreadable answer: {exc}")
        return PeerAnswer(peer, error=f"HTTP {response.status_code}: {response.text[:200]}")

    def collect(
        self,
        path: str,
        body: dict[str, Any],
        typed_data: dict[str, Any],
        oracles: Iterable[str],
        needed: int,
    ) -> tuple[list[Signature], list[PeerAnswer]]:
        """Valid peer signatures (stops once `needed` are in) and every answer read."""
        allowed = {o.lower() for o in oracles}
        signatures: list[Signature] = []
        answers: list[PeerAnswer] = []
        if needed <= 0 or not self.peers:
            return signatures, answers
        futures = [self.pool.submit(self._ask, peer, path, body) for peer in self.peers]
        for future in as_completed(futures):
            answer = future.result()
            answers.append(answer)
            sig = answer.signature
            if sig is None:
                continue
            signer = recovered_signer(typed_data, sig.signature)
            if (
                signer is None
                or signer.lower() != sig.signer.lower()
                or signer.lower() not in allowed
            ):
                log.warning(
                    "peer %s sent a signature that does not recover to an oracle of the "
                    "challenge (claims %s, recovers %s); ignored",
                    answer.peer,
                    sig.signer,
                    signer,
                )
                continue
            signatures.append(Signature(signer, sig.signature))
            if len(signatures) >= needed:
                break
        return signatures, answers
