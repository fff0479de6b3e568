"""The exception tree: one root, subclasses that also inherit the builtin they resemble.

Every error says what is wrong and what to do next; the CLI prints it without a traceback
and the API maps it to a status code in one handler.
"""


class CoopError(Exception):
    """Root of every error Coopetition raises on purpose."""


class ConfigError(CoopError, ValueError):
    """Settings or a file given by the user are missing or malformed."""


class InvalidSpec(CoopError, ValueError):
    """A challenge spec does not satisfy the JSON schema or its own rules."""


class InvalidArtifact(CoopError, ValueError):
    """A submitted artifact (predictions file, scorer) cannot be scored; carries a status."""


class IpfsError(CoopError):
    """Root of the IPFS errors."""


class CidMismatch(IpfsError, ValueError):
    """Bytes fetched for a CID do not hash to that CID; they were not used."""


class ContentUnreachable(IpfsError, LookupError):
    """No backend could deliver the content of a CID within the limits."""


class ContentTooLarge(IpfsError, ValueError):
    """Content is larger than the limit that applies to it; reading stopped."""


class ChainError(CoopError):
    """Root of the errors talking to the chain."""


class TransactionReverted(ChainError):
    """A transaction or call reverted; carries the decoded custom error when known."""


class OutOfGas(TransactionReverted):
    """A mined transaction used all the gas it was given (it changed nothing); send it again."""


class TransactionReplaced(ChainError):
    """Another transaction with the same nonce from the same account was mined instead of
    ours, so ours never ran (another wallet or program uses the account)."""


class TransactionDropped(ChainError):
    """The node forgot a pending transaction, and resending it with higher fees did not
    get it mined either."""


class InsufficientFunds(ChainError):
    """The sending account cannot pay for a transaction's gas (and value)."""


class RetryableError(CoopError):
    """A transient fault: the same work may succeed when tried again later."""


class InvalidRewardInputs(CoopError, ValueError):
    """Reward inputs (or Merkle leaves) break the rule's preconditions; fix the data source."""


class RewardsExceedEscrow(CoopError, ValueError):
    """The rewards computed add up to more than the escrow has left; nothing may be posted."""

    def __init__(self, total: int, escrow_left: int) -> None:
        super().__init__(
            f"rewards total {total} exceeds the {escrow_left} left in escrow: check the phase "
            "bounty and the escrow balance before posting a root"
        )
        self.total = total
        self.escrow_left = escrow_left


class NotInRewardTree(CoopError, LookupError):
    """An address has no leaf in a reward Merkle tree, so it has nothing to claim there."""


class InvalidCid(IpfsError, ValueError):
    """A string or byte sequence is not a CID this project can handle."""


class MalformedDag(IpfsError, ValueError):
    """Blocks hash to their CIDs but do not form a valid UnixFS file or directory."""


class NotAFile(IpfsError, ValueError):
    """A CID names a directory or symlink where the content of a file was asked for."""


class ReadOnlyBackend(IpfsError, PermissionError):
    """The backend can only fetch (an HTTP gateway); add, put and pin go elsewhere."""


class BackendUnavailable(IpfsError, ConnectionError):
    """An IPFS backend (kubo RPC, gateway) did not answer after bounded retries."""


class InvalidHoldout(CoopError, ValueError):
    """The owner's labels or split salt are unusable or not the committed ones; nothing scored."""
