"""Which formed teams count in a phase (oracle/ledger/teams.py): those formed by the block
the phase's holdout was first revealed in; a correction's new labels do not move it."""

from oracle.ledger.model import Challenge, Correction, HoldoutReveal, Ledger, Phase, Team
from oracle.ledger.teams import formed_teams, teams_cut_block
from oracle.types import Address

A, B, C, D = (Address("0x" + digit * 40) for digit in "1234")


def reveal(block: int) -> HoldoutReveal:
    return HoldoutReveal("bafy", b"\0" * 32, b"\1" * 32, block, A)


def phase(holdout: HoldoutReveal | None, corrections: list[Correction] | None = None) -> Phase:
    return Phase(0, "bafy", True, 0, 1, 0, 0, 10, 20, b"\0" * 32, 100, 1, holdout=holdout,
                 corrections=corrections or [])  # fmt: skip


def ledger_with(rules: Phase) -> Ledger:
    challenge = Challenge(1, A, "0x", 300, 0, A, 5, 0, 0, "bafy", 1, 0, phases=[rules])
    teams = {
        1: Team(1, 1, (A, B), (500_000, 500_000), 2, formed_block=30),
        2: Team(2, 1, (C, D), (500_000, 500_000), 2, formed_block=60),
        3: Team(3, 1, (A, D), (500_000, 500_000), 2),  # proposed, never formed
    }
    return Ledger(100, challenges={1: challenge}, teams=teams)


def test_only_teams_formed_by_the_holdout_reveal_count() -> None:
    ledger = ledger_with(phase(reveal(50)))
    assert [t.team_id for t in formed_teams(ledger, 1, 0)] == [1]


def test_while_the_holdout_is_hidden_every_formed_team_counts() -> None:
    ledger = ledger_with(phase(None))
    assert teams_cut_block(ledger.challenges[1].phases[0]) is None
    assert [t.team_id for t in formed_teams(ledger, 1, 0)] == [1, 2]


def test_corrected_labels_do_not_move_the_cut() -> None:
    corrected = Correction(1, "", b"\2" * 32, "bafy", 70, replaced_holdout=reveal(50))
    rules = phase(reveal(80), [corrected])  # the corrected labels revealed at block 80
    assert teams_cut_block(rules) == 50
    assert [t.team_id for t in formed_teams(ledger_with(rules), 1, 0)] == [1]


def test_a_merged_team_gives_way_to_the_newer_one_from_the_block_it_formed() -> None:
    ledger = ledger_with(phase(reveal(50)))
    ledger.teams[4] = Team(4, 1, (A, B, C, D), (250_000,) * 4, 40, formed_block=45)
    ledger.teams[1].merged_into = 4
    assert [t.team_id for t in formed_teams(ledger, 1, 0)] == [4]  # merged before the cut
    late = ledger_with(phase(reveal(50)))
    late.teams[4] = Team(4, 1, (A, B, C, D), (250_000,) * 4, 40, formed_block=55)
    late.teams[1].merged_into = late.teams[2].merged_into = 4
    assert [t.team_id for t in formed_teams(late, 1, 0)] == [1]  # merged after it: 1 counts
