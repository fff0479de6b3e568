"""The licences a submission may carry, which are open, and which a fork may carry.

One row per SPDX identifier the platform knows. `may_carry` lists the licences a fork of a
submission under this licence may carry (its own always included); None means any licence
in the table (a permissive licence lets derived work be released under other terms, with
attribution). The table is documented, with its reasons, in docs/licences.md.
"""

from dataclasses import dataclass

from oracle.errors import CoopError


class UnknownLicence(CoopError, ValueError):
    """An SPDX identifier outside the table: its compatibility cannot be decided."""


@dataclass(frozen=True)
class Licence:
    spdx: str
    name: str
    open: bool  # OSI-approved or a free-culture licence without restrictions of use
    may_carry: frozenset[str] | None  # a fork's licences; None: any in the table


def _row(spdx: str, name: str, is_open: bool, *carry: str, any_licence: bool = False) -> Licence:
    return Licence(spdx, name, is_open, None if any_licence else frozenset((spdx, *carry)))


_GPL3 = ("GPL-3.0-only", "AGPL-3.0-only")  # GPL-3.0 section 13 allows the AGPL combination
TABLE: dict[str, Licence] = {
    row.spdx: row
    for row in (
        _row("CC0-1.0", "Creative Commons Zero 1.0", True, any_licence=True),
        _row("MIT", "MIT License", True, any_licence=True),
        _row("BSD-2-Clause", "BSD 2-Clause License", True, any_licence=True),
        _row("BSD-3-Clause", "BSD 3-Clause License", True, any_licence=True),
        _row("Apache-2.0", "Apache License 2.0", True, any_licence=True),
        _row("CC-BY-4.0", "Creative Commons Attribution 4.0", True, any_licence=True),
        _row("MPL-2.0", "Mozilla Public License 2.0", True, "LGPL-3.0-only", *_GPL3),
        _row("LGPL-3.0-only", "GNU Lesser General Public License v3.0 only", True, *_GPL3),
        _row("GPL-3.0-only", "GNU General Public License v3.0 only", True, "AGPL-3.0-only"),
        _row("AGPL-3.0-only", "GNU Affero General Public License v3.0 only", True),
        _row(
            "CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0", True, "GPL-3.0-only"
        ),  # fmt: skip
        _row(
            "CC-BY-NC-4.0",
            "Creative Commons Attribution-NonCommercial 4.0",
            False,
            "CC-BY-NC-SA-4.0",
        ),  # fmt: skip
        _row(
            "CC-BY-NC-SA-4.0", "Creative Commons Attribution-NonCommercial-ShareAlike 4.0", False
        ),  # fmt: skip
    )
}


def licence(spdx: str) -> Licence:
    """The table's row for `spdx` (exact, case-sensitive, as SPDX writes it)."""
    row = TABLE.get(spdx)
    if row is None:
        raise UnknownLicence(
            f"{spdx!r} is not a licence this platform knows; use one of {', '.join(TABLE)}"
        )
    return row


def fork_may_carry(parent: str, child: str) -> bool:
    """Whether a fork of a submission under `parent` may be released under `child`."""
    carry = licence(parent).may_carry
    return (child in TABLE) if carry is None else child in carry


def is_open(spdx: str) -> bool:
    return spdx in TABLE and TABLE[spdx].open
