"""Teams for a challenge on chain (SubmissionBook `proposeTeam`, `joinTeam`, `getTeam`):
members consent one by one; once formed they share one daily cap, and the rewards rule
splits the team's rewards by the shares (oracle/rewards/teams.py)."""

from dataclasses import dataclass

from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError
from web3.logs import DISCARD

from oracle.chain.platform import Platform
from oracle.chain.quota import simulate
from oracle.chain.sender import Sender, tx_hash_of
from oracle.errors import CoopError
from oracle.types import PPM


class TeamRefused(CoopError, ValueError):
    """The book would refuse the team or the consent; the message says why and what to do."""


@dataclass(frozen=True)
class Team:
    team_id: int
    challenge_id: int
    members: tuple[str, ...]
    shares_ppm: tuple[int, ...]
    formed: bool


def parse_member(text: str) -> tuple[str, int]:
    """`ADDRESS:PERCENT` (e.g. 0xabc…:60) as (checksummed address, ppm)."""
    address, _, percent = text.partition(":")
    if not Web3.is_address(address) or not percent:
        raise TeamRefused(f"{text!r} is not ADDRESS:PERCENT (for example 0x70997970…79C8:60)")
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


def join_team(platform: Platform, sender: Sender, team_id: int) -> tuple[bool, str]:
    """Consents to the team; (whether this consent formed it, the transaction hash)."""
    fn = platform.book.functions.joinTeam(team_id)
    simulate(fn, sender, TeamRefused)
    receipt = sender.transact(fn)
    formed = platform.book.events.TeamFormed().process_receipt(receipt, errors=DISCARD)
    return bool(formed), tx_hash_of(receipt)


def read_team(platform: Platform, team_id: int) -> Team:
    try:
        challenge_id, members, shares, formed = platform.book.functions.getTeam(team_id).call()
    except (ContractCustomError, ContractLogicError):
        raise TeamRefused(f"there is no team {team_id}: check the id") from None
    return Team(team_id, int(challenge_id), tuple(members), tuple(int(s) for s in shares),
                bool(formed))  # fmt: skip


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
