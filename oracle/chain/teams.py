"""Teams for a challenge on chain (SubmissionBook `proposeTeam`, `joinTeam`, `getTeam`):
members consent one by one; once formed they share one daily cap, and the rewards rule
splits the team's rewards by the shares (oracle/rewards/teams.py). A proposal may take
formed teams whole: forming it merges them (each retires with `TeamMerged`)."""

from dataclasses import dataclass

from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError
from web3.logs import DISCARD

from oracle.chain.platform import Platform
from oracle.chain.quota import simulate
from oracle.chain.sender import Sender, tx_hash_of
from oracle.errors import CoopError
from oracle.types import PPM, address_problem


class TeamRefused(CoopError, ValueError):
    """The book would refuse the team or the consent; the message says why and what to do."""


@dataclass(frozen=True)
class Team:
    team_id: int
    challenge_id: int
    members: tuple[str, ...]
    shares_ppm: tuple[int, ...]
    formed: bool
    merged_into: int | None  # the team its members are in now, when a merge retired this one


@dataclass(frozen=True)
class Consent:
    formed: bool  # this consent was the last one
    merged: tuple[int, ...]  # the formed teams the new team took over whole
    tx_hash: str


def parse_member(text: str) -> tuple[str, int]:
    """`ADDRESS:PERCENT` (e.g. 0xabc…:60) as (checksummed address, ppm)."""
    address, _, percent = text.partition(":")
    if not percent:
        raise TeamRefused(f"{text!r} is not ADDRESS:PERCENT (for example 0x70997970…79C8:60)")
    problem = address_problem(address)
    if problem is not None:
        raise TeamRefused(f"the member {address!r} in {text!r} {problem}")
    try:
        ppm = round(float(percent) * PPM / 100)
    except ValueError:
        raise TeamRefused(f"{percent!r} in {text!r} is not a percentage") from None
    return Web3.to_checksum_address(address), ppm


def propose_team(platform: Platform, sender: Sender, challenge_id: int,
                 members: list[tuple[str, int]]) -> int:  # fmt: skip
    """Proposes the team (members sorted by address for the book); returns its id."""
    ordered = sorted(members, key=lambda m: int(m[0], 16))
    fn = platform.book.functions.proposeTeam(
        challenge_id, [m for m, _ in ordered], [s for _, s in ordered]
    )
    simulate(fn, sender, TeamRefused)
    receipt = sender.transact(fn)
    (event,) = platform.book.events.TeamProposed().process_receipt(receipt, errors=DISCARD)
    return int(event["args"]["teamId"])


def join_team(platform: Platform, sender: Sender, team_id: int) -> Consent:
    """Consents to the team: whether this consent formed it and which teams it merged."""
    fn = platform.book.functions.joinTeam(team_id)
    simulate(fn, sender, TeamRefused)
    receipt = sender.transact(fn)
    formed = platform.book.events.TeamFormed().process_receipt(receipt, errors=DISCARD)
    merged = platform.book.events.TeamMerged().process_receipt(receipt, errors=DISCARD)
    return Consent(bool(formed), tuple(int(e["args"]["teamId"]) for e in merged),
                   tx_hash_of(receipt))  # fmt: skip


def read_team(platform: Platform, team_id: int) -> Team:
    try:
        challenge_id, members, shares, formed = platform.book.functions.getTeam(team_id).call()
    except (ContractCustomError, ContractLogicError):
        raise TeamRefused(f"there is no team {team_id}: check the id") from None
    # A merge moves every member of a formed team to the newer team, so the first member's
    # team tells whether this one still stands.
    now_in = int(platform.book.functions.teamOf(challenge_id, members[0]).call()) if formed else 0
    return Team(team_id, int(challenge_id), tuple(members), tuple(int(s) for s in shares),
                bool(formed), now_in if now_in not in (0, team_id) else None)  # fmt: skip


def form_team(platform: Platform, challenge_id: int,
              members: list[tuple[Sender, int]]) -> int:  # fmt: skip
    """Proposes a team as the first member and has every other member join (the demo's and
    a script's one call); returns the formed team's id."""
    proposer = members[0][0]
    team_id = propose_team(platform, proposer, challenge_id,
                           [(s.address, share) for s, share in members])  # fmt: skip
    for sender, _ in members[1:]:
        join_team(platform, sender, team_id)
    return team_id
