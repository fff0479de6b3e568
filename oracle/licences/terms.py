"""The spec's `licences` section: the allowed licences, the default, open licences for prizes.

    "licences": {"default": "MIT", "allowed": ["MIT", "Apache-2.0", "GPL-3.0-only"],
                 "open_required_for_prizes": true}

Every field is optional. Without the section (every spec before licences existed), the
default is MIT, every licence of the table is allowed and prizes do not ask for an open
licence, so nothing earlier changes. A submission without a licence in its manifest
carries the default.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oracle.errors import InvalidSpec
from oracle.licences.table import TABLE, fork_may_carry, is_open
from oracle.status import Status

DEFAULT_LICENCE = "MIT"


@dataclass(frozen=True)
class LicenceTerms:
    default: str = DEFAULT_LICENCE
    allowed: tuple[str, ...] = tuple(TABLE)
    open_required_for_prizes: bool = False

    def prize_eligible(self, spdx: str) -> bool:
        """Whether a valid submission under `spdx` may win a prize."""
        return is_open(spdx) or not self.open_required_for_prizes


@dataclass(frozen=True)
class LicenceProblem:
    """Why a submission's licence makes it invalid: the status the oracles sign, and why."""

    status: Status
    reason: str


def licence_terms(section: dict[str, Any] | None, where: str) -> LicenceTerms:
    """The parsed section (already valid against the JSON schema), its own rules checked."""
    if section is None:
        return LicenceTerms()
    allowed = tuple(section.get("allowed", TABLE))
    default = section.get("default", DEFAULT_LICENCE if DEFAULT_LICENCE in allowed else allowed[0])
    problems = [
        f"at licences.allowed: {spdx!r} is not in the licence table (docs/licences.md); "
        f"use SPDX identifiers among {', '.join(TABLE)}"
        for spdx in allowed
        if spdx not in TABLE
    ]
    if default not in allowed:
        problems.append(f"at licences.default: {default!r} is not among the allowed licences; "
                        "add it to allowed or choose an allowed default")  # fmt: skip
    if problems:
        raise InvalidSpec(f"{where} breaks the spec's rules:\n  " + "\n  ".join(problems))
    return LicenceTerms(default, allowed, bool(section.get("open_required_for_prizes", False)))


def licence_problem(
    terms: LicenceTerms, own: str, parents: Sequence[tuple[int, str]]
) -> LicenceProblem | None:
    """None when a submission under `own` whose parents carry `parents` ((id, licence)
    pairs) may be scored; else the status and reason the oracles sign."""
    if own not in terms.allowed:
        return LicenceProblem(
            Status.LICENCE_NOT_ALLOWED,
            f"the licence {own!r} is not allowed by this challenge; allowed: "
            f"{', '.join(terms.allowed)} (set it in coop-source.json, or coop submit --licence)",
        )
    for parent_id, parent in parents:
        if parent not in TABLE or not fork_may_carry(parent, own):
            return LicenceProblem(
                Status.LICENCE_INCOMPATIBLE,
                f"the licence {own!r} is not compatible with parent {parent_id}'s {parent!r}; "
                "a fork of it may carry "
                + (
                    ", ".join(sorted(TABLE[parent].may_carry or TABLE))
                    if parent in TABLE
                    else "no licence this platform knows"
                ),  # fmt: skip
            )
    return None
