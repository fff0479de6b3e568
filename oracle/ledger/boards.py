"""Leaderboards and profiles read from the ledger (what `coop leaderboard` / `coop profile` show).

Boards are per phase: each phase is scored on its own holdout split under its own rules
(metric, direction, baseline, target, eta), so scores of different phases are never ranked
together.

- Public board of a phase: each participant's released best among the phase's valid public
  scores, by the Ladder within the phase: their first valid score, then a later one only
  when it beats it by at least the phase's eta (exactly the contract's BestReleased, whose
  Ladder is per phase too).
- Private board of a phase: each participant's best opened private score among valid
  submissions; it exists once the phase's private scores are opened, and decides prizes.
- A team formed for the challenge (oracle/ledger/teams.py says which count in a phase)
  appears once on both boards: its entry is its members' best, labelled by the team.
- Improvements of a phase: its releases that moved the phase's public best past the
  running best (starting at the baseline), in the order they happened.
"""

from dataclasses import dataclass, field

from oracle.ledger.model import Challenge, Claim, Ledger, Phase, ReviewEntry, Submission
from oracle.ledger.reward_inputs import private_score
from oracle.ledger.teams import formed_teams
from oracle.rewards.model import TeamShares
from oracle.status import Status
from oracle.types import Address, wad_text


@dataclass(frozen=True)
class BoardEntry:
    rank: int
    participant: Address  # the submitter of the entry's submission
    submission_id: int
    score: int  # WAD
    team: TeamShares | None = None  # the formed team the entry stands for

    @property
    def label(self) -> str:
        """The participant's address, or "team 3 (0xab…, 0xcd…)" for a team."""
        if self.team is None:
            return self.participant
        members = ", ".join(f"{m[:6]}…" for m in self.team.members)
        return f"team {self.team.team_id} ({members})"


@dataclass(frozen=True)
class Improvement:
    submission_id: int
    participant: Address
    previous_best: int
    score: int
    block: int


def _better(rules: Phase, a: int, b: int) -> bool:
    return a > b if rules.higher_is_better else a < b


def _ranked(
    rules: Phase, best: dict[Address, tuple[int, int]], teams: tuple[TeamShares, ...]
) -> list[BoardEntry]:
    """One entry per participant outside the teams and one per team (its members' best; on
    equal scores the earlier submission), best first, then the earlier submission."""
    sign = -1 if rules.higher_is_better else 1
    team_of = {m.lower(): t for t in teams for m in t.members}
    entries: dict[object, tuple[int, int, Address]] = {}
    for who, (submission_id, score) in best.items():
        team = team_of.get(who.lower())
        key = ("team", team.team_id) if team else who
        held = entries.get(key)
        if held is None or (sign * score, submission_id) < (sign * held[1], held[0]):
            entries[key] = (submission_id, score, who)
    ordered = sorted(entries.values(), key=lambda e: (sign * e[1], e[0]))
    return [
        BoardEntry(rank, who, submission_id, score, team_of.get(who.lower()))
        for rank, (submission_id, score, who) in enumerate(ordered, start=1)
    ]


def _phase_releases(ledger: Ledger, challenge: Challenge, phase: int) -> list[Submission]:
    """The phase's valid scored submissions that the Ladder within the phase releases, in
    the order they were scored: a participant's first, then each gain of at least eta."""
    scored = [
        s
        for s in ledger.submissions_of(challenge.challenge_id, phase)
        if s.score is not None and s.score.status == Status.VALID
    ]
    rules = challenge.phases[phase]
    best: dict[Address, int] = {}
    released = []
    for s in sorted(scored, key=lambda s: s.score.position if s.score else (0, 0)):
        assert s.score is not None
        score, held = s.score.public_score, best.get(s.submitter)
        if held is None or _gain(rules, score, held) >= rules.eta:
            best[s.submitter] = score
            released.append(s)
    return released


def public_board(ledger: Ledger, challenge: Challenge, phase: int) -> list[BoardEntry]:
    best: dict[Address, tuple[int, int]] = {}
    for s in _phase_releases(ledger, challenge, phase):
        assert s.score is not None
        best[s.submitter] = (s.submission_id, s.score.public_score)
    teams = formed_teams(ledger, challenge.challenge_id, phase)
    return _ranked(challenge.phases[phase], best, teams)


def _gain(rules: Phase, score: int, best: int) -> int:
    return score - best if rules.higher_is_better else best - score


def private_opened(ledger: Ledger, challenge: Challenge, phase: int) -> bool:
    """Every score batch of the phase has its private scores opened (and there is one)."""
    batches = {b.seq for b in challenge.batches if b.phase == phase}
    opened = {
        s.score.seq
        for s in ledger.submissions_of(challenge.challenge_id, phase)
        if s.score is not None and s.private is not None
    }
    return bool(batches) and batches <= opened


def private_board(ledger: Ledger, challenge: Challenge, phase: int) -> list[BoardEntry]:
    rules = challenge.phases[phase]
    best: dict[Address, tuple[int, int]] = {}
    for s in ledger.submissions_of(challenge.challenge_id, phase):
        score = private_score(s)
        if score is None:
            continue
        held = best.get(s.submitter)
        if held is None or _better(rules, score, held[1]):
            best[s.submitter] = (s.submission_id, score)
    return _ranked(rules, best, formed_teams(ledger, challenge.challenge_id, phase))


def improvements(ledger: Ledger, challenge: Challenge, phase: int) -> list[Improvement]:
    """Releases of the phase that moved its public best past the running best (starting at
    the baseline), in the order they happened."""
    rules = challenge.phases[phase]
    running = rules.baseline
    found = []
    for s in _phase_releases(ledger, challenge, phase):
        assert s.score is not None
        score = s.score.public_score
        if _better(rules, score, running):
            found.append(Improvement(s.submission_id, s.submitter, running, score, s.score.block))
            running = score
    return found


@dataclass(frozen=True)
class SubmissionView:
    submission: Submission
    status: str  # "committed", "revealed", "scored: VALID", "scored: WRONG_IDS", ...
    children: tuple[int, ...]


@dataclass
class Profile:
    address: Address
    submissions: list[SubmissionView] = field(default_factory=list)
    improvements: list[Improvement] = field(default_factory=list)
    reviews: list[ReviewEntry] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def claimed_total(self) -> int:
        return sum(c.amount for c in self.claims)


def status_of(submission: Submission) -> str:
    if submission.score is not None:
        return f"scored: {Status(submission.score.status).name}"
    return "revealed" if submission.reveal is not None else "committed"


def children_of(ledger: Ledger, submission_id: int) -> tuple[int, ...]:
    return tuple(
        s.submission_id
        for s in sorted(ledger.submissions.values(), key=lambda s: s.submission_id)
        if s.reveal is not None and submission_id in s.reveal.parents
    )


def profile(ledger: Ledger, address: str) -> Profile:
    who = Address(address)
    lower = address.lower()
    mine = Profile(who)
    for s in sorted(ledger.submissions.values(), key=lambda s: s.submission_id):
        if s.submitter.lower() == lower:
            view = SubmissionView(s, status_of(s), children_of(ledger, s.submission_id))
            mine.submissions.append(view)
    for challenge in ledger.challenges.values():
        for phase in range(len(challenge.phases)):
            made = improvements(ledger, challenge, phase)
            mine.improvements += [i for i in made if i.participant.lower() == lower]
        mine.claims += [c for c in challenge.claims if c.account.lower() == lower]
    mine.reviews = [r for r in ledger.reviews if r.reviewer.lower() == lower]
    return mine


def score_text(wad: int) -> str:
    """A WAD score as a plain decimal (exact, trailing zeros dropped)."""
    return wad_text(wad)
