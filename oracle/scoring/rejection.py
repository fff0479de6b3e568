"""The one exception the scoring modules raise for a bad artifact: it carries the status."""

from oracle.errors import InvalidArtifact
from oracle.status import Status


class ArtifactRejected(InvalidArtifact):
    """A predictions file (or a scorer's run) that cannot be scored, and why."""

    def __init__(self, status: Status, reason: str) -> None:
        super().__init__(f"{status.name} ({int(status)}): {reason}")
        self.status = status
        self.reason = reason
