"""JSON forms of proposals and signatures exchanged between peer oracles over HTTP."""

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from oracle.chain.attestation import RewardRoot, ScoreBatch, ScoreItem
from oracle.daemon.batching import Proposal


class ItemModel(BaseModel):
    submission_id: int
    status: int
    public_score: str  # decimal string: WAD values overflow JSON numbers
    private_commitment: str
    report_digest: str
    # a code submission's: the poster's run outcome, or a NOT_REPRODUCIBLE item's outcomes
    # (oracle/daemon/reproduce.py); empty for a predictions file
    runs: list[str] = []


class ProposalModel(BaseModel):
    cut_block: int
    challenge_id: int
    phase: int
    correction: int
    seq: int
    config_digest: str
    items_hash: str
    items: list[ItemModel]

    @classmethod
    def of(cls, proposal: Proposal, runs: Mapping[int, list[str]] | None = None) -> "ProposalModel":
        b = proposal.batch
        runs = runs or {}
        return cls(
            cut_block=proposal.cut_block,
            challenge_id=b.challenge_id,
            phase=b.phase,
            correction=b.correction,
            seq=b.seq,
            config_digest="0x" + b.config_digest.hex(),
            items_hash="0x" + b.items_hash.hex(),
            items=[
                ItemModel(
                    submission_id=i.submission_id,
                    status=i.status,
                    public_score=str(i.public_score),
                    private_commitment="0x" + i.private_commitment.hex(),
                    report_digest="0x" + i.report_digest.hex(),
                    runs=runs.get(i.submission_id, []),
                )
                for i in proposal.items
            ],
        )

    def to_proposal(self) -> Proposal:
        items = tuple(
            ScoreItem(
                i.submission_id,
                i.status,
                int(i.public_score),
                _b32(i.private_commitment),
                _b32(i.report_digest),
            )
            for i in self.items
        )
        batch = ScoreBatch(
            self.challenge_id,
            self.phase,
            self.correction,
            self.seq,
            _b32(self.config_digest),
            _b32(self.items_hash),
        )
        return Proposal(self.cut_block, batch, items)


class RootProposalModel(BaseModel):
    """A rewards root a poster asks its peers to sign (`POST /v1/root-proposals`): the cut
    block it computed the rewards at, the header and the CID of the report."""

    cut_block: int
    challenge_id: int
    phase: int
    correction: int
    seq: int
    config_digest: str
    merkle_root: str
    total: str  # decimal string
    report_cid: str
    report_cid_hash: str

    @classmethod
    def of(cls, cut_block: int, root: RewardRoot, report_cid: str) -> "RootProposalModel":
        return cls(
            cut_block=cut_block,
            challenge_id=root.challenge_id,
            phase=root.phase,
            correction=root.correction,
            seq=root.seq,
            config_digest="0x" + root.config_digest.hex(),
            merkle_root="0x" + root.merkle_root.hex(),
            total=str(root.total),
            report_cid=report_cid,
            report_cid_hash="0x" + root.report_cid_hash.hex(),
        )

    def to_root(self) -> RewardRoot:
        return RewardRoot(
            self.challenge_id,
            self.phase,
            self.correction,
            self.seq,
            _b32(self.config_digest),
            _b32(self.merkle_root),
            int(self.total),
            _b32(self.report_cid_hash),
        )


class SignatureModel(BaseModel):
    signer: str
    signature: str


class MismatchModel(BaseModel):
    """A peer's own run outcome of a code submission that the proposal does not list."""

    submission_id: int
    outcome: str


class RefusalModel(BaseModel):
    """Why a peer did not sign: `retry` when it has not caught up, else a disagreement."""

    retry: bool
    reason: str
    disagreements: int = 0  # items whose scores differ from the peer's own
    mismatches: list[MismatchModel] = []  # code runs whose outcome differs from the poster's


def _b32(text: str) -> bytes:
    raw = bytes.fromhex(text.removeprefix("0x"))
    if len(raw) != 32:
        raise ValueError(f"expected 32 bytes of hex, got {len(raw)}")
    return raw


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump()
