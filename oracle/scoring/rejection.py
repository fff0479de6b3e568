"""The one exception the scoring modules raise for a bad artifact: it carries the status."""

from oracle.errors import InvalidArtifact
from oracle.status import Status
from oracle.text import safe_reason


class ArtifactRejected(InvalidArtifact):
    """A predictions file (or a scorer's run) that cannot be scored, and why.

    The reason is made safe on the way in (oracle.text.safe_reason: bounded, escaped), so
    whatever bytes a file quotes into it, it shows as one bounded line everywhere."""

    def __init__(self, status: Status, reason: str) -> None:
        reason = safe_reason(reason)
        super().__init__(f"{status.name} ({int(status)}): {reason}")
        self.status = status
        self.reason = reason
