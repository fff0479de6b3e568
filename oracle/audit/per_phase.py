"""Deriving something for each phase from public data, as the ties and near-copies checks
do: content nobody delivers and a refused holdout become "could not check", not findings."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from oracle.audit.findings import AuditReport
from oracle.errors import CoopError, IpfsError

T = TypeVar("T")


def derive_per_phase(
    report: AuditReport,
    check: str,
    phases: Iterable[int],
    derive: Callable[[int], T | None],
    describe: Callable[[T], str],
) -> dict[int, T]:
    """`derive(phase)` for each phase, noted with `describe` and counted as `check` passed;
    a phase it returns None for (having said why in a note) is left out."""
    found: dict[int, T] = {}
    for phase in phases:
        subject = f"phase {phase}"
        try:
            value = derive(phase)
        except IpfsError as exc:
            report.could_not_check(check, subject, f"content unreachable: {exc}")
            continue
        except CoopError as exc:  # the holdout itself is refused: check_scores says why
            report.could_not_check(check, subject, str(exc))
            continue
        if value is None:
            continue
        report.notes.append(f"{subject}: {describe(value)}")
        report.passed(check)
        found[phase] = value
    return found
