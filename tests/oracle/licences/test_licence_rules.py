"""Licences: the compatibility table a fork is held to, and the spec's `licences` section."""

import pytest

from oracle.errors import InvalidSpec
from oracle.licences.table import TABLE, UnknownLicence, fork_may_carry, is_open
from oracle.licences.terms import DEFAULT_LICENCE, LicenceTerms, licence_problem
from oracle.status import Status
from tests.oracle.scoring.scoring_helpers import make_spec


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        ("MIT", "GPL-3.0-only", True),  # permissive: a fork may close or copyleft it
        ("MIT", "CC-BY-NC-4.0", True),
        ("Apache-2.0", "MIT", True),
        ("GPL-3.0-only", "GPL-3.0-only", True),
        ("GPL-3.0-only", "AGPL-3.0-only", True),  # GPL-3.0 section 13
        ("GPL-3.0-only", "MIT", False),  # copyleft: a fork stays under it
        ("AGPL-3.0-only", "GPL-3.0-only", False),
        ("CC-BY-SA-4.0", "GPL-3.0-only", True),  # CC's declared one-way compatibility
        ("CC-BY-SA-4.0", "CC-BY-4.0", False),
        ("MPL-2.0", "LGPL-3.0-only", True),
        ("MPL-2.0", "Apache-2.0", False),
        ("CC-BY-NC-4.0", "MIT", False),  # non-commercial: a fork may not drop it
    ],
)
def test_the_table_says_what_a_fork_may_carry(parent: str, child: str, allowed: bool) -> None:
    assert fork_may_carry(parent, child) is allowed


def test_every_licence_may_carry_itself_and_only_licences_of_the_table() -> None:
    for spdx, row in TABLE.items():
        assert fork_may_carry(spdx, spdx)
        assert row.may_carry is None or row.may_carry <= set(TABLE), spdx
    assert is_open("MIT") and is_open("GPL-3.0-only") and not is_open("CC-BY-NC-4.0")
    with pytest.raises(UnknownLicence, match="'WTFPL' is not a licence this platform knows"):
        fork_may_carry("WTFPL", "MIT")


def test_a_spec_without_the_section_allows_every_licence_and_defaults_to_mit() -> None:
    terms = make_spec().licences
    assert terms == LicenceTerms() and terms.default == DEFAULT_LICENCE == "MIT"
    assert set(terms.allowed) == set(TABLE) and not terms.open_required_for_prizes


def test_the_spec_declares_its_allowed_list_default_and_prize_rule() -> None:
    spec = make_spec(licences={"allowed": ["Apache-2.0", "GPL-3.0-only", "CC-BY-NC-4.0"],
                               "open_required_for_prizes": True})  # fmt: skip
    terms = spec.licences
    assert terms.allowed == ("Apache-2.0", "GPL-3.0-only", "CC-BY-NC-4.0")
    assert terms.default == "Apache-2.0"  # MIT is not allowed: the first allowed one
    assert terms.prize_eligible("GPL-3.0-only") and not terms.prize_eligible("CC-BY-NC-4.0")


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"allowed": ["MIT", "WTFPL"]}, "at licences.allowed: 'WTFPL' is not in the licence table"),
        ({"allowed": ["MIT"], "default": "Apache-2.0"},
         "at licences.default: 'Apache-2.0' is not among the allowed licences"),
        ({"allowed": []}, "at licences.allowed"),
        ({"default": "MIT License"}, "at licences.default"),
        ({"open": True}, "licences"),
    ],
)  # fmt: skip
def test_a_bad_section_is_refused_with_its_place(section: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidSpec, match=message):
        make_spec(licences=section)


def test_the_licence_rule_gives_each_violation_its_status_and_reason() -> None:
    terms = LicenceTerms(allowed=("MIT", "GPL-3.0-only", "AGPL-3.0-only"))
    assert licence_problem(terms, "GPL-3.0-only", [(4, "MIT"), (5, "GPL-3.0-only")]) is None
    refused = licence_problem(terms, "Apache-2.0", [])
    assert refused is not None and refused.status is Status.LICENCE_NOT_ALLOWED
    assert "'Apache-2.0' is not allowed by this challenge; allowed: MIT, GPL-3.0-only" in (
        refused.reason
    )
    clash = licence_problem(terms, "MIT", [(4, "MIT"), (5, "GPL-3.0-only")])
    assert clash is not None and clash.status is Status.LICENCE_INCOMPATIBLE
    assert clash.reason.startswith("the licence 'MIT' is not compatible with parent 5's "
                                   "'GPL-3.0-only'; a fork of it may carry AGPL-3.0-only, "
                                   "GPL-3.0-only")  # fmt: skip
