"""What an audit found: counts of what was checked, and every discrepancy by name."""

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
    notes: list[str] = field(default_factory=list)  # what could not be checked yet, and why

    @property
    def ok(self) -> bool:
        return not self.findings

    def passed(self, what: str, count: int = 1) -> None:
        self.checked[what] += count

    def fail(self, check: str, subject: str, detail: str) -> None:
        self.findings.append(Finding(check, subject, detail))

    def to_dict(self) -> dict[str, object]:
        return {
            "challenge_id": self.challenge_id,
            "last_block": self.last_block,
            "ok": self.ok,
            "checked": dict(sorted(self.checked.items())),
            "findings": [
                {"check": f.check, "subject": f.subject, "detail": f.detail} for f in self.findings
            ],
            "notes": self.notes,
        }
