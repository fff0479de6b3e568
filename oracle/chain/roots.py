"""A phase's current rewards root as the RewardVault holds it (`getRoot`): its state, its
claim time and the dispute on it, read from the contract's view."""

from dataclasses import dataclass
from enum import IntEnum

from oracle.chain.challenges import call_struct
from oracle.chain.platform import Platform

ZERO_ADDRESS = "0x" + "00" * 20


class RootState(IntEnum):
    """IRewardVault.RootState: a phase's current root, in the contract enum's order (uint8)."""

    NONE = 0
    POSTED = 1
    DISPUTED = 2
    VOIDED = 3

    @property
    def label(self) -> str:
        """The state as `coop` prints it: none, posted, disputed, voided."""
        return self.name.lower()


@dataclass(frozen=True)
class RootRecord:
    """The vault's record of a phase's current root (`getRoot`)."""

    merkle_root: str  # 0x-hex
    total: int
    seq: int
    claimable_at: int
    state: RootState
    arbiter_deadline: int  # when an open dispute lapses (0: none, or an older vault)
    disputer: str = ZERO_ADDRESS  # who disputed this root last (each account disputes it once)
    dispute_bond: int = 0  # wei held while the dispute is open
    voided_at: int = 0  # when the arbiter voided it (0 unless voided)

    @property
    def was_disputed(self) -> bool:
        """Whether this root was ever disputed (open, rejected, upheld or lapsed)."""
        return int(self.disputer, 16) != 0


def read_root(platform: Platform, challenge_id: int, phase: int) -> RootRecord:
    r = call_struct(platform.vault.functions.getRoot(challenge_id, phase))
    return RootRecord("0x" + bytes(r["merkleRoot"]).hex(), int(r["total"]), int(r["seq"]),
                      int(r["claimableAt"]), RootState(int(r["state"])),
                      int(r.get("arbiterDeadline", 0)), str(r.get("disputer", ZERO_ADDRESS)),
                      int(r.get("disputeBond", 0)), int(r.get("voidedAt", 0)))  # fmt: skip
