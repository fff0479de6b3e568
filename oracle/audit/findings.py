"""What an audit found: counts of what was checked, every discrepancy by name, and what
could not be checked (content nobody could deliver) kept apart: that is no discrepancy."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One discrepancy: which check, what it concerns, and what does not match."""

    check: str  # "signatures", "content", "scores", "rewards"
    subject: str  # e.g. "batch seq 3", "submission #7", "root of phase 0"
    detail: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.detail}"


@dataclass
class AuditReport:
    challenge_id: int
    last_block: int
    checked: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[Finding] = field(default_factory=list)  # content that could not be fetched
    notes: list[str] = field(default_factory=list)  # what cannot be checked yet, and why

    @property
    def ok(self) -> bool:
        """No discrepancy in what could be checked."""
        return not self.findings

    @property
    def complete(self) -> bool:
        """Everything the ledger names could be checked."""
        return not self.unchecked

    def passed(self, what: str, count: int = 1) -> None:
        self.checked[what] += count

    def fail(self, check: str, subject: str, detail: str) -> None:
        finding = Finding(check, subject, detail)
        if finding not in self.findings:
            self.findings.append(finding)

    def could_not_check(self, check: str, subject: str, detail: str) -> None:
        finding = Finding(check, subject, detail)
        if finding not in self.unchecked:
            self.unchecked.append(finding)

    def to_dict(self) -> dict[str, object]:
        return {
            "challenge_id": self.challenge_id,
            "last_block": self.last_block,
            "ok": self.ok,
            "complete": self.complete,
            "checked": dict(sorted(self.checked.items())),
            "findings": [_as_dict(f) for f in self.findings],
            "unchecked": [_as_dict(f) for f in self.unchecked],
            "notes": self.notes,
        }


def _as_dict(finding: Finding) -> dict[str, str]:
    return {"check": finding.check, "subject": finding.subject, "detail": finding.detail}
