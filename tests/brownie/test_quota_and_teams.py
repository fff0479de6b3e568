"""No quota lost to the platform's failures, and teams: a revealed submission the oracles never
scored within the scoring deadline frees its daily-cap slot (releaseQuota); an outage in a
phase's last day of commits extends its windows once (extendForOutage); members who all
consent share one daily cap (proposeTeam, joinTeam). Each refusal by its error with its values."""

from brownie import accounts, chain
from brownie_helpers import (
    DAY,
    ETA,
    NOTICE_PERIOD,
    challenge_config,
    commit,
    create,
    fails,
    item,
    low,
    phase_config,
    post_scores,
    submit,
)

HOUR = 3600
DEADLINE = HOUR  # the scoring deadline of a protected challenge
MAX_EXTENSION = 2 * DAY
CAP = 2
MIN_DEADLINE, MAX_DEADLINE, MAX_OUTAGE_EXTENSION = 10 * 60, 7 * DAY, 7 * DAY


def protected(  # type: ignore[no-untyped-def]
    platform,
    owner,
    oracles,
    cap: int = CAP,
    deadline: int = DEADLINE,
    extension: int = MAX_EXTENSION,
) -> int:
    """A challenge with a daily cap, a scoring deadline and an outage extension; its one phase
    takes commits for 4 days from now, reveals for one more."""
    _, token, registry, _, _, _ = platform
    config = challenge_config(
        token, oracles, owner, cap=cap, scoring_deadline=deadline, max_extension=extension
    )
    return create(registry, token, owner, config, phase_config(commit=4 * DAY))


def sleep_until(timestamp: int) -> None:
    """Moves the chain's clock to at least `timestamp` and mines a block there."""
    if chain[-1].timestamp < timestamp:
        chain.sleep(timestamp - chain[-1].timestamp)
    chain.mine()


def now_in(message: str) -> int:
    """The last value of a decoded error: the block time the contract compared against."""
    return int(message.rsplit(", ", 1)[1])


def times(book, sub_id: int) -> tuple[int, int, bool]:  # type: ignore[no-untyped-def]
    committed_at, revealed_at, released = book.quotaTimesOf(sub_id)
    return int(committed_at), int(revealed_at), bool(released)


# ---------------------------------------------------------------------- rules at creation


def test_creation_checks_the_scoring_deadline_and_the_extension(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, _, _ = platform
    for deadline in (MIN_DEADLINE - 1, MAX_DEADLINE + 1):
        config = challenge_config(token, oracles, owner, scoring_deadline=deadline)
        assert fails(registry.createChallenge, config, "s", phase_config(), {"from": owner}) == (
            f"InvalidScoringDeadline: {deadline}, {MIN_DEADLINE}, {MAX_DEADLINE}"
        )
    no_deadline = challenge_config(token, oracles, owner, max_extension=HOUR)
    assert fails(registry.createChallenge, no_deadline, "s", phase_config(), {"from": owner}) == (
        f"InvalidOutageExtension: {HOUR}, 0, {MAX_OUTAGE_EXTENSION}"
    )
    too_long = challenge_config(
        token, oracles, owner, scoring_deadline=DEADLINE, max_extension=MAX_OUTAGE_EXTENSION + 1
    )
    assert fails(registry.createChallenge, too_long, "s", phase_config(), {"from": owner}) == (
        f"InvalidOutageExtension: {MAX_OUTAGE_EXTENSION + 1}, {DEADLINE}, {MAX_OUTAGE_EXTENSION}"
    )
    challenge_id = protected(platform, owner, oracles)
    stored = registry.getChallenge(challenge_id)
    assert (stored["scoringDeadline"], stored["maxOutageExtension"]) == (DEADLINE, MAX_EXTENSION)
    assert [int(x) for x in registry.quotaRules(challenge_id, 0)] == [DEADLINE, MAX_EXTENSION, 0]
    assert registry.commitRules(challenge_id)[3] is True  # commits keep their times


# ---------------------------------------------------------------------- releaseQuota


def test_an_unscored_submission_frees_its_cap_slot(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    challenge_id = protected(platform, owner, oracles)
    alice, carol = accounts[1], accounts[3]
    first = submit(book, challenge_id, alice)
    committed_at, revealed_at, released = times(book, first)
    assert committed_at > 0 and revealed_at >= committed_at and not released
    second = submit(book, challenge_id, alice, salt=b"\x02" * 32)
    second_at = times(book, second)[0]
    assert fails(book.commit, challenge_id, b"\x03" * 32, {"from": alice}) == (
        f"DailyCapReached: {low(alice)}, {CAP}, {committed_at + DAY}"
    )
    due = revealed_at + DEADLINE
    early = fails(book.releaseQuota, first, {"from": carol})
    assert early.startswith(f"ScoringDeadlineNotPassed: {first}, {due}, ")
    assert revealed_at <= now_in(early) <= due
    sleep_until(due + 1)
    tx = book.releaseQuota(first, {"from": carol})  # anyone may send it
    event = tx.events["QuotaReleased"]
    assert (event["submissionId"], event["challengeId"], event["submitter"]) == (
        first,
        challenge_id,
        alice,
    )
    assert event["committedAt"] == committed_at and event["slotFreed"] is True
    assert times(book, first) == (committed_at, revealed_at, True)
    assert fails(book.releaseQuota, first, {"from": carol}) == f"QuotaAlreadyReleased: {first}"
    # The freed slot takes alice's commit now; then the cap holds until her second expires.
    book.commit(challenge_id, b"\x03" * 32, {"from": alice})
    assert fails(book.commit, challenge_id, b"\x04" * 32, {"from": alice}) == (
        f"DailyCapReached: {low(alice)}, {CAP}, {second_at + DAY}"
    )


def test_a_commit_older_than_a_day_frees_nothing(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    challenge_id = protected(platform, owner, oracles)
    sub_id = submit(book, challenge_id, accounts[1])
    committed_at = times(book, sub_id)[0]
    sleep_until(committed_at + DAY)
    tx = book.releaseQuota(sub_id, {"from": accounts[3]})
    assert tx.events["QuotaReleased"]["slotFreed"] is False
    assert times(book, sub_id)[2]


def test_release_refusals(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    alice, bob, carol = accounts[1], accounts[2], accounts[3]
    challenge_id = protected(platform, owner, oracles)
    scored = submit(book, challenge_id, alice)
    pending = commit(book, challenge_id, bob)
    post_scores(board, registry, challenge_id, [item(scored, 5 * ETA)], 1)
    assert board.isScored(scored)
    # Scored: refused before and after the deadline.
    assert fails(book.releaseQuota, scored, {"from": carol}) == f"SubmissionScored: {scored}"
    assert fails(book.releaseQuota, pending, {"from": carol}) == f"NotRevealed: {pending}"
    assert fails(book.releaseQuota, 999, {"from": carol}) == "UnknownSubmission: 999"
    # Without a scoring deadline, or without a cap, commits keep no times to release.
    no_deadline = protected(platform, owner, oracles, deadline=0, extension=0)
    uncapped = protected(platform, owner, oracles, cap=0)
    kept = submit(book, no_deadline, alice)
    free = submit(book, uncapped, bob)
    assert times(book, kept) == (0, 0, False)
    assert times(book, free)[0] == 0  # no commit time; the reveal time serves extendForOutage
    sleep_until(chain[-1].timestamp + DEADLINE + 1)
    assert fails(book.releaseQuota, scored, {"from": carol}) == f"SubmissionScored: {scored}"
    assert fails(book.releaseQuota, kept, {"from": carol}) == (
        f"QuotaNotProtected: {kept}, {no_deadline}"
    )
    assert fails(book.releaseQuota, free, {"from": carol}) == (
        f"QuotaNotProtected: {free}, {uncapped}"
    )


# ---------------------------------------------------------------------- extendForOutage


def test_an_outage_in_the_last_day_extends_both_windows_once(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, _ = platform
    alice, bob, carol = accounts[1], accounts[2], accounts[3]
    challenge_id = protected(platform, owner, oracles)
    phase = registry.getPhase(challenge_id, 0)
    commit_end, reveal_end = int(phase["commitEnd"]), int(phase["revealEnd"])
    sleep_until(commit_end - 20 * HOUR)
    waiting = submit(book, challenge_id, alice)
    revealed_at = times(book, waiting)[1]
    short = fails(registry.extendForOutage, challenge_id, 0, waiting, {"from": carol})
    assert short.startswith(f"OutageTooShort: {waiting}, ") and short.endswith(f", {DEADLINE}")
    assert 0 <= int(short.split(", ")[1]) < DEADLINE
    sleep_until(revealed_at + 5 * HOUR)
    tx = registry.extendForOutage(challenge_id, 0, waiting, {"from": carol})  # anyone
    waited = tx.timestamp - revealed_at
    assert 5 * HOUR <= waited < MAX_EXTENSION and tx.return_value == waited
    event = tx.events["PhaseExtended"]
    assert (event["waitingSubmissionId"], event["revealedAt"]) == (waiting, revealed_at)
    assert (event["outage"], event["extension"]) == (waited, waited)
    assert (event["commitEnd"], event["revealEnd"]) == (commit_end + waited, reveal_end + waited)
    moved = registry.getPhase(challenge_id, 0)
    assert (moved["commitEnd"], moved["revealEnd"]) == (commit_end + waited, reveal_end + waited)
    assert [int(x) for x in registry.quotaRules(challenge_id, 0)] == [
        DEADLINE,
        MAX_EXTENSION,
        waited,
    ]
    assert fails(registry.extendForOutage, challenge_id, 0, waiting, {"from": carol}) == (
        f"PhaseAlreadyExtended: {challenge_id}, 0, {waited}"
    )
    # An hour after the old commit end, commits and reveals are still accepted.
    sleep_until(commit_end + HOUR)
    extra = submit(book, challenge_id, bob)
    submitter, in_challenge, in_phase, revealed = book.summaryOf(extra)
    assert (submitter, in_challenge, in_phase, revealed) == (bob.address, challenge_id, 0, True)


def test_the_outage_must_reach_into_the_last_day_and_is_capped(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, _ = platform
    challenge_id = protected(platform, owner, oracles)
    waiting = submit(book, challenge_id, accounts[1])
    revealed_at = times(book, waiting)[1]
    commit_end = int(registry.getPhase(challenge_id, 0)["commitEnd"])
    sleep_until(commit_end - DAY - 120)
    early = fails(registry.extendForOutage, challenge_id, 0, waiting, {"from": accounts[3]})
    assert early.startswith(f"OutageNotInLastDay: {waiting}, {revealed_at}, {commit_end}, "), early
    assert now_in(early) < commit_end - DAY
    # From the last day on, the same (longer) wait counts, capped at the maximum.
    sleep_until(commit_end - DAY)
    tx = registry.extendForOutage(challenge_id, 0, waiting, {"from": accounts[3]})
    assert tx.return_value == MAX_EXTENSION
    assert tx.events["PhaseExtended"]["outage"] == tx.timestamp - revealed_at > MAX_EXTENSION
    assert registry.getPhase(challenge_id, 0)["commitEnd"] == commit_end + MAX_EXTENSION


def test_a_submission_revealed_after_the_commit_end_is_no_outage(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, _ = platform
    alice = accounts[1]
    challenge_id = protected(platform, owner, oracles)
    commit_end = int(registry.getPhase(challenge_id, 0)["commitEnd"])
    sleep_until(commit_end - 30)
    late = commit(book, challenge_id, alice)
    sleep_until(commit_end + 1)
    book.reveal(late, "bafkreiart", [], [], b"\x01" * 32, {"from": alice})
    revealed_at = times(book, late)[1]
    assert revealed_at > commit_end
    sleep_until(revealed_at + 5 * HOUR)
    refused = fails(registry.extendForOutage, challenge_id, 0, late, {"from": accounts[3]})
    assert refused.startswith(f"OutageNotInLastDay: {late}, {revealed_at}, {commit_end}, ")


def test_extension_refusals(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    alice, bob, carol = accounts[1], accounts[2], accounts[3]
    challenge_id = protected(platform, owner, oracles)
    other = protected(platform, owner, oracles)
    off = protected(platform, owner, oracles, extension=0)
    commit_end = int(registry.getPhase(challenge_id, 0)["commitEnd"])
    sleep_until(commit_end - 20 * HOUR)
    elsewhere = submit(book, other, alice)
    in_off = submit(book, off, alice)
    pending = commit(book, challenge_id, bob)
    scored = submit(book, challenge_id, carol)
    post_scores(board, registry, challenge_id, [item(scored, 5 * ETA)], 1)
    sleep_until(chain[-1].timestamp + 5 * HOUR)
    extend = registry.extendForOutage
    opts = {"from": carol}
    assert fails(extend, off, 0, in_off, opts) == f"OutageExtensionOff: {off}"
    assert fails(extend, challenge_id, 1, scored, opts) == f"UnknownPhase: {challenge_id}, 1, 1"
    assert fails(extend, challenge_id, 0, elsewhere, opts) == (
        f"SubmissionNotInPhase: {elsewhere}, {challenge_id}, 0"
    )
    assert fails(extend, challenge_id, 0, pending, opts) == f"SubmissionNotWaiting: {pending}"
    assert fails(extend, challenge_id, 0, scored, opts) == f"SubmissionNotWaiting: {scored}"
    # The other challenge's own submission does extend it: only the phase it waits in.
    assert registry.extendForOutage(other, 0, elsewhere, opts).return_value >= 5 * HOUR
    reveal_end = int(registry.getPhase(challenge_id, 0)["revealEnd"])
    sleep_until(reveal_end + 1)
    over = fails(extend, challenge_id, 0, scored, opts)
    assert over.startswith(f"PhaseOver: {challenge_id}, 0, {reveal_end}, ")
    later = phase_config(start_offset=NOTICE_PERIOD + DAY)
    registry.addPhase(challenge_id, later, 0, {"from": owner})
    assert fails(extend, challenge_id, 0, scored, opts) == (
        f"LaterPhaseExists: {challenge_id}, 0, 2"
    )


# ---------------------------------------------------------------------- teams


def capped(platform, owner, oracles, cap: int = CAP) -> int:  # type: ignore[no-untyped-def]
    """A challenge with a daily cap and no quota protection, commits open for 4 days."""
    _, token, registry, _, _, _ = platform
    config = challenge_config(token, oracles, owner, cap=cap)
    return create(registry, token, owner, config, phase_config(commit=4 * DAY))


def pair(first=None, second=None) -> tuple[list[str], list[int]]:  # type: ignore[no-untyped-def]
    """Two members in ascending order (alice and bob unless told), shares 60/40."""
    chosen = [(first or accounts[1]).address, (second or accounts[2]).address]
    return sorted(chosen, key=lambda a: int(a, 16)), [600_000, 400_000]


def propose(book, challenge_id: int, members, shares, proposer) -> int:  # type: ignore[no-untyped-def]
    tx = book.proposeTeam(challenge_id, members, shares, {"from": proposer})
    return int(tx.events["TeamProposed"]["teamId"])


def form(book, challenge_id: int) -> int:  # type: ignore[no-untyped-def]
    """alice proposes alice and bob, bob consents: the team is formed."""
    team_id = propose(book, challenge_id, *pair(), accounts[1])
    book.joinTeam(team_id, {"from": accounts[2]})
    return team_id


def test_a_team_forms_when_every_member_consents_and_shares_one_cap(
    platform, owner, oracles
) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob, carol = accounts[1], accounts[2], accounts[3]
    challenge_id = capped(platform, owner, oracles)
    members, shares = pair()
    tx = book.proposeTeam(challenge_id, members, shares, {"from": alice})
    proposed = tx.events["TeamProposed"]
    team_id = int(proposed["teamId"])
    assert (proposed["challengeId"], proposed["proposer"]) == (challenge_id, alice)
    assert list(proposed["members"]) == members and list(proposed["sharesPpm"]) == shares
    assert book.getTeam(team_id)[3] is False, "bob has not consented"
    assert book.teamOf(challenge_id, alice) == 0
    tx = book.joinTeam(team_id, {"from": bob})
    assert tx.events["TeamConsent"]["member"] == bob
    assert tx.events["TeamFormed"]["teamId"] == team_id
    assert tx.events["TeamFormed"]["combinedSubmissions"] == 0
    stored_challenge, stored_members, stored_shares, formed = book.getTeam(team_id)
    assert (stored_challenge, formed) == (challenge_id, True)
    assert list(stored_members) == members and list(stored_shares) == shares
    assert book.teamOf(challenge_id, alice) == book.teamOf(challenge_id, bob) == team_id
    assert fails(book.joinTeam, team_id, {"from": bob}) == f"TeamAlreadyFormed: {team_id}"
    # One cap for both: alice's commit and bob's fill it.
    first = book.commit(challenge_id, b"\x01" * 32, {"from": alice})
    book.commit(challenge_id, b"\x02" * 32, {"from": bob})
    assert fails(book.commit, challenge_id, b"\x03" * 32, {"from": alice}) == (
        f"DailyCapReached: {low(alice)}, {CAP}, {first.timestamp + DAY}"
    )
    assert book.capCommits(challenge_id, bob) == 2 == book.capCommits(challenge_id, alice)
    book.commit(challenge_id, b"\x03" * 32, {"from": carol})  # outsiders keep their own cap
    assert book.capCommits(challenge_id, carol) == 1


def test_a_merge_keeps_the_members_recent_commits(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    challenge_id = capped(platform, owner, oracles)
    first = book.commit(challenge_id, b"\x01" * 32, {"from": alice})
    sleep_until(first.timestamp + HOUR)
    book.commit(challenge_id, b"\x02" * 32, {"from": bob})
    form(book, challenge_id)
    assert fails(book.commit, challenge_id, b"\x03" * 32, {"from": bob}) == (
        f"DailyCapReached: {low(bob)}, {CAP}, {first.timestamp + DAY}"
    )


def test_a_merge_must_fit_the_cap_for_the_days_so_far(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    challenge_id = capped(platform, owner, oracles)
    start = int(registry.getPhase(challenge_id, 0)["commitStart"])
    # Two days, each commits the cap each day: 8 commits; on day 3 a team may hold 2 x 3 = 6.
    for day in range(2):
        for k in range(CAP):
            book.commit(challenge_id, bytes([day, k]) * 16, {"from": alice})
            book.commit(challenge_id, bytes([day, k, 1, 1]) * 8, {"from": bob})
        sleep_until(chain[-1].timestamp + DAY)
    assert (chain[-1].timestamp - start) // DAY + 1 == 3
    team_id = propose(book, challenge_id, *pair(), alice)
    assert fails(book.joinTeam, team_id, {"from": bob}) == f"TeamOverCap: {team_id}, 8, 6"
    assert book.teamOf(challenge_id, alice) == 0 and book.getTeam(team_id)[3] is False
    # A day later the cap allows 8: the same consent forms the team.
    sleep_until(chain[-1].timestamp + DAY)
    tx = book.joinTeam(team_id, {"from": bob})
    assert tx.events["TeamFormed"]["combinedSubmissions"] == 8
    assert book.capCommits(challenge_id, alice) == 8


def test_a_merge_takes_each_formed_team_whole(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob, carol = accounts[1], accounts[2], accounts[3]
    challenge_id = capped(platform, owner, oracles)
    first = form(book, challenge_id)
    carols = book.commit(challenge_id, b"\x01" * 32, {"from": carol})
    # alice without bob would split team `first`: refused, naming the member left out.
    second = propose(book, challenge_id, *pair(alice, carol), carol)
    assert fails(book.joinTeam, second, {"from": alice}) == (
        f"MergeLeavesOutMember: {first}, {low(bob)}"
    )
    assert book.teamOf(challenge_id, carol) == 0 and book.teamOf(challenge_id, alice) == first
    # The whole team and carol: every member consents, `first` retires into the new team.
    trio = sorted([alice.address, bob.address, carol.address], key=lambda a: int(a, 16))
    third = propose(book, challenge_id, trio, [400_000, 300_000, 300_000], carol)
    book.joinTeam(third, {"from": alice})
    tx = book.joinTeam(third, {"from": bob})
    assert dict(tx.events["TeamMerged"]) == {"teamId": first, "intoTeamId": third}
    assert tx.events["TeamFormed"]["combinedSubmissions"] == 1
    assert {book.teamOf(challenge_id, a) for a in (alice, bob, carol)} == {third}
    # One cap for the three: carol's commit and one more fill it.
    book.commit(challenge_id, b"\x02" * 32, {"from": bob})
    assert book.capCommits(challenge_id, alice) == CAP
    assert fails(book.commit, challenge_id, b"\x03" * 32, {"from": alice}) == (
        f"DailyCapReached: {low(alice)}, {CAP}, {carols.timestamp + DAY}"
    )


def test_a_malformed_team_is_refused(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, carol = accounts[1], accounts[3]
    challenge_id = capped(platform, owner, oracles)
    members, shares = pair()
    propose_ = book.proposeTeam
    by_alice = {"from": alice}
    assert fails(propose_, challenge_id, [alice.address], [1_000_000], by_alice) == (
        "InvalidTeamSize: 1, 2, 8"
    )
    nine = sorted((a.address for a in accounts[:9]), key=lambda a: int(a, 16))
    assert fails(propose_, challenge_id, nine, [111_111] * 8 + [111_112], by_alice) == (
        "InvalidTeamSize: 9, 2, 8"
    )
    assert fails(propose_, challenge_id, members, [1_000_000], by_alice) == (
        "TeamSharesLengthMismatch: 2, 1"
    )
    assert fails(propose_, challenge_id, members[::-1], shares, by_alice) == (
        f"MembersNotAscending: 1, {members[1].lower()}, {members[0].lower()}"
    )
    assert fails(propose_, challenge_id, members, [600_000, 300_000], by_alice) == (
        "TeamSharesDoNotSumToMillion: 900000"
    )
    assert fails(propose_, challenge_id, members, [0, 1_000_000], by_alice) == "ZeroTeamShare: 0"
    # Only a member proposes (the id it would have had is in the error).
    assert fails(propose_, challenge_id, members, shares, {"from": carol}) == (
        f"NotATeamMember: 1, {low(carol)}"
    )
    assert fails(propose_, 99, members, shares, by_alice) == "UnknownChallenge: 99"
    assert propose(book, challenge_id, members, shares, alice) == 1  # refusals used no id


def test_consent_is_refused_with_its_reason(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob, carol = accounts[1], accounts[2], accounts[3]
    challenge_id = capped(platform, owner, oracles)
    team_id = propose(book, challenge_id, *pair(), alice)
    assert fails(book.joinTeam, team_id, {"from": alice}) == (
        f"AlreadyConsented: {team_id}, {low(alice)}"
    )
    assert fails(book.joinTeam, team_id, {"from": carol}) == (
        f"NotATeamMember: {team_id}, {low(carol)}"
    )
    assert fails(book.joinTeam, 99, {"from": bob}) == "UnknownTeam: 99"
    assert fails(book.getTeam, 99) == "UnknownTeam: 99"
    book.joinTeam(team_id, {"from": bob})
    assert book.getTeam(team_id)[3] is True
    assert fails(book.joinTeam, team_id, {"from": bob}) == f"TeamAlreadyFormed: {team_id}"
