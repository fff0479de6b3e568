// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {ISubmissionBook} from "../../contracts/interfaces/ISubmissionBook.sol";
import {Base} from "./Base.t.sol";

/// @title Teams: every member consents on chain, members share one daily cap, and a merge is
/// allowed only while the combined commits fit the cap for the days so far.
contract TeamsTest is Base {
    uint8 internal constant CAP = 2;

    function _capped(uint8 cap) internal returns (uint256) {
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.dailyCap = cap;
        return _createChallenge(config, _phaseConfig(BOUNTY));
    }

    /// @dev alice and bob (ascending), 60/40.
    function _pair() internal view returns (address[] memory members, uint32[] memory shares) {
        (address a, address b) = alice < bob ? (alice, bob) : (bob, alice);
        members = new address[](2);
        members[0] = a;
        members[1] = b;
        shares = new uint32[](2);
        shares[0] = 600_000;
        shares[1] = 400_000;
    }

    function _form(uint256 c) internal returns (uint256 teamId) {
        (address[] memory members, uint32[] memory shares) = _pair();
        vm.prank(alice);
        teamId = book.proposeTeam(c, members, shares);
        vm.prank(bob);
        book.joinTeam(teamId);
    }

    function test_aTeamFormsOnlyWhenEveryMemberConsents() public {
        uint256 c = _capped(CAP);
        (address[] memory members, uint32[] memory shares) = _pair();
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamProposed(1, c, alice, members, shares);
        vm.prank(alice);
        uint256 teamId = book.proposeTeam(c, members, shares);
        (,,, bool formed) = book.getTeam(teamId);
        assertFalse(formed, "bob has not consented");
        assertEq(book.teamOf(c, alice), 0, "not a team yet");
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamFormed(teamId, c, 0);
        vm.prank(bob);
        book.joinTeam(teamId);
        (uint256 challengeId, address[] memory stored, uint32[] memory storedShares, bool done) =
            book.getTeam(teamId);
        assertTrue(done, "formed");
        assertEq(challengeId, c, "challenge");
        assertEq(stored[1], members[1], "members");
        assertEq(storedShares[0], 600_000, "shares");
        assertEq(book.teamOf(c, alice), teamId, "alice in it");
        assertEq(book.teamOf(c, bob), teamId, "bob in it");
    }

    function test_membersShareOneDailyCap() public {
        uint256 c = _capped(CAP);
        _form(c);
        vm.prank(alice);
        book.commit(c, bytes32("a1"));
        vm.prank(bob);
        book.commit(c, bytes32("b1"));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.DailyCapReached.selector, alice, CAP, block.timestamp + 1 days
            )
        );
        book.commit(c, bytes32("a2"));
        assertEq(book.capCommits(c, bob), 2, "both commits count for the team");
        vm.prank(carol); // outsiders keep their own cap
        book.commit(c, bytes32("c1"));
    }

    function test_aMergeKeepsTheMembersRecentCommits() public {
        uint256 c = _capped(CAP);
        vm.prank(alice);
        book.commit(c, bytes32("a1"));
        vm.warp(block.timestamp + 1 hours);
        vm.prank(bob);
        book.commit(c, bytes32("b1"));
        uint256 t0 = block.timestamp - 1 hours;
        _form(c);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.DailyCapReached.selector, bob, CAP, t0 + 1 days)
        );
        book.commit(c, bytes32("b2"));
    }

    function test_RevertWhen_MergingMoreThanTheCapForTheDaysSoFar() public {
        uint256 c = _capped(CAP);
        // Day 1: each commits the cap; day 2 starts, each commits the cap again: 8 commits in
        // two days, a team of two may hold at most 2 × 2 = 4.
        for (uint256 day = 0; day < 2; ++day) {
            for (uint256 k = 0; k < CAP; ++k) {
                vm.prank(alice);
                book.commit(c, bytes32(day * 10 + k));
                vm.prank(bob);
                book.commit(c, bytes32(100 + day * 10 + k));
            }
            vm.warp(block.timestamp + 1 days);
        }
        (address[] memory members, uint32[] memory shares) = _pair();
        vm.prank(alice);
        uint256 teamId = book.proposeTeam(c, members, shares);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.TeamOverCap.selector, teamId, 8, 6));
        book.joinTeam(teamId);
        // Later the days catch up: on day 4 the cap allows 8.
        vm.warp(block.timestamp + 1 days);
        vm.prank(bob);
        book.joinTeam(teamId);
        assertEq(book.capCommits(c, alice), 8, "the team counts all eight");
    }

    function test_RevertWhen_AMergeTakesPartOfAFormedTeam() public {
        uint256 c = _capped(CAP);
        uint256 first = _form(c);
        vm.prank(carol);
        uint256 second = book.proposeTeam(c, _ascending(alice, carol), _even(2));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.MergeLeavesOutMember.selector, first, bob)
        );
        book.joinTeam(second);
        assertEq(book.teamOf(c, alice), first, "alice stays in her team");
    }

    /// @dev The members sorted ascending, as the book wants them.
    function _ascending(address a, address b) internal pure returns (address[] memory m) {
        m = new address[](2);
        (m[0], m[1]) = a < b ? (a, b) : (b, a);
    }

    function _ascending(address[] memory m) internal pure returns (address[] memory) {
        for (uint256 i = 1; i < m.length; ++i) {
            for (uint256 j = i; j > 0 && m[j - 1] > m[j]; --j) {
                (m[j - 1], m[j]) = (m[j], m[j - 1]);
            }
        }
        return m;
    }

    /// @dev Equal shares for `n` members, the rounding remainder on the first.
    function _even(uint256 n) internal pure returns (uint32[] memory shares) {
        shares = new uint32[](n);
        for (uint256 i = 0; i < n; ++i) {
            shares[i] = uint32(1_000_000 / n);
        }
        shares[0] += uint32(1_000_000 % n);
    }

    /// @dev Forms a team of `members` (ascending): the first proposes, the others consent.
    function _formOf(uint256 c, address[] memory members) internal returns (uint256 teamId) {
        vm.prank(members[0]);
        teamId = book.proposeTeam(c, members, _even(members.length));
        for (uint256 i = 1; i < members.length; ++i) {
            vm.prank(members[i]);
            book.joinTeam(teamId);
        }
    }

    function _commits(uint256 c, address who, uint256 count, bytes32 tag) internal {
        for (uint256 k = 0; k < count; ++k) {
            vm.prank(who);
            book.commit(c, keccak256(abi.encode(tag, who, k)));
        }
    }

    function _all(address[] memory a, address[] memory b)
        internal
        pure
        returns (address[] memory m)
    {
        m = new address[](a.length + b.length);
        for (uint256 i = 0; i < a.length; ++i) {
            m[i] = a[i];
        }
        for (uint256 i = 0; i < b.length; ++i) {
            m[a.length + i] = b[i];
        }
        return _ascending(m);
    }

    function test_twoFormedTeamsMergeWholeAndShareOneCap() public {
        uint256 c = _capped(3);
        address dave = makeAddr("dave");
        address[] memory ab = _ascending(alice, bob);
        address[] memory cd = _ascending(carol, dave);
        uint256 teamAb = _formOf(c, ab);
        uint256 teamCd = _formOf(c, cd);
        _commits(c, alice, 1, "day1"); // one commit for ab, two for cd, an hour apart
        vm.warp(block.timestamp + 1 hours);
        _commits(c, carol, 1, "day1");
        uint256 newest = block.timestamp + 1 hours;
        vm.warp(newest);
        _commits(c, dave, 1, "day1");
        address[] memory all = _all(ab, cd);
        vm.prank(all[0]);
        uint256 merged = book.proposeTeam(c, all, _even(4));
        for (uint256 i = 1; i < 3; ++i) {
            vm.prank(all[i]);
            book.joinTeam(merged);
        }
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamMerged(
            all[0] == ab[0] || all[0] == ab[1] ? teamAb : teamCd, merged
        );
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamMerged(
            all[0] == ab[0] || all[0] == ab[1] ? teamCd : teamAb, merged
        );
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamFormed(merged, c, 3);
        vm.prank(all[3]);
        book.joinTeam(merged);
        for (uint256 i = 0; i < 4; ++i) {
            assertEq(book.teamOf(c, all[i]), merged, "every member moved to the merged team");
        }
        assertEq(book.capCommits(c, bob), 3, "one cap counts both teams' commits");
        // The cap of 3 is full for the day: the oldest of the three (alice's) frees it.
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.DailyCapReached.selector, bob, 3, newest - 2 hours + 1 days
            )
        );
        book.commit(c, bytes32("b1"));
        (,,, bool formed) = book.getTeam(teamAb);
        assertTrue(formed, "a merged team stays formed, retired by TeamMerged");
    }

    function test_anIndividualJoinsAFormedTeam() public {
        uint256 c = _capped(CAP);
        uint256 first = _form(c);
        _commits(c, carol, 1, "solo");
        _commits(c, alice, 1, "team");
        address[] memory three = new address[](3);
        (three[0], three[1], three[2]) = (alice, bob, carol);
        three = _ascending(three);
        vm.prank(carol);
        uint256 bigger = book.proposeTeam(c, three, _even(3));
        vm.prank(alice);
        book.joinTeam(bigger);
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamMerged(first, bigger);
        vm.prank(bob);
        book.joinTeam(bigger);
        assertEq(book.teamOf(c, carol), bigger, "carol in it");
        assertEq(book.capCommits(c, alice), 2, "carol's commit and the team's");
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.DailyCapReached.selector, bob, CAP, block.timestamp + 1 days
            )
        );
        book.commit(c, bytes32("b1"));
    }

    function test_RevertWhen_AMergeWouldExceedTheCapForTheDaysSoFar() public {
        uint256 c = _capped(CAP);
        address dave = makeAddr("dave");
        address[] memory ab = _ascending(alice, bob);
        address[] memory cd = _ascending(carol, dave);
        _formOf(c, ab);
        _formOf(c, cd);
        _commits(c, alice, CAP, "full"); // each team fills its cap on day 1
        _commits(c, carol, CAP, "full");
        address[] memory all = _all(ab, cd);
        vm.prank(all[0]);
        uint256 merged = book.proposeTeam(c, all, _even(4));
        for (uint256 i = 1; i < 3; ++i) {
            vm.prank(all[i]);
            book.joinTeam(merged);
        }
        vm.prank(all[3]);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.TeamOverCap.selector, merged, 2 * CAP, CAP)
        );
        book.joinTeam(merged);
        vm.warp(block.timestamp + 1 days); // day 2 allows 2 × CAP
        vm.prank(all[3]);
        book.joinTeam(merged);
        assertEq(book.capCommits(c, dave), 2 * CAP, "both teams' commits in one cap");
    }

    function test_aMergedTeamMergesAgainAndItsOldPartsCannotBeTakenApart() public {
        uint256 c = _capped(3);
        address dave = makeAddr("dave");
        uint256 first = _form(c);
        _commits(c, alice, 1, "pair");
        address[] memory three = new address[](3);
        (three[0], three[1], three[2]) = (alice, bob, carol);
        uint256 second = _formOf(c, _ascending(three));
        _commits(c, carol, 1, "trio");
        // Team `first` retired into `second`: taking alice and bob alone splits `second`.
        uint256 pair = _proposeAs(alice, c, _ascending(alice, bob));
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.MergeLeavesOutMember.selector, second, carol)
        );
        book.joinTeam(pair);
        address[] memory four = new address[](4);
        (four[0], four[1], four[2], four[3]) = (alice, bob, carol, dave);
        four = _ascending(four);
        uint256 third = _proposeAs(four[0], c, four);
        for (uint256 i = 1; i < 3; ++i) {
            vm.prank(four[i]);
            book.joinTeam(third);
        }
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamMerged(second, third);
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamFormed(third, c, 2);
        vm.prank(four[3]);
        book.joinTeam(third);
        assertEq(book.teamOf(c, bob), third, "bob's newest team");
        assertEq(book.capCommits(c, dave), 2, "alice's and carol's commits, each once");
        (,,, bool formed) = book.getTeam(first);
        assertTrue(formed, "a retired team still reads as formed");
    }

    function test_aFormedTeamReformsWithNewSharesKeepingItsCommits() public {
        uint256 c = _capped(CAP);
        uint256 first = _form(c);
        _commits(c, alice, CAP, "full");
        (address[] memory members,) = _pair();
        uint256 again = _proposeAs(bob, c, members);
        vm.expectEmit(address(book));
        emit ISubmissionBook.TeamMerged(first, again);
        vm.prank(alice);
        book.joinTeam(again);
        assertEq(book.capCommits(c, alice), CAP, "the same commits");
        (,, uint32[] memory shares,) = book.getTeam(again);
        assertEq(shares[0], 500_000, "the new shares");
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.DailyCapReached.selector, bob, CAP, block.timestamp + 1 days
            )
        );
        book.commit(c, bytes32("b1"));
    }

    function _proposeAs(address who, uint256 c, address[] memory members)
        internal
        returns (uint256)
    {
        vm.prank(who);
        return book.proposeTeam(c, members, _even(members.length));
    }

    function test_aMemberWhoDidNotConsentBlocksTheMerge() public {
        uint256 c = _capped(CAP);
        address dave = makeAddr("dave");
        address[] memory ab = _ascending(alice, bob);
        address[] memory cd = _ascending(carol, dave);
        uint256 teamAb = _formOf(c, ab);
        uint256 teamCd = _formOf(c, cd);
        address[] memory all = _all(ab, cd);
        vm.prank(all[0]);
        uint256 merged = book.proposeTeam(c, all, _even(4));
        for (uint256 i = 1; i < 3; ++i) {
            vm.prank(all[i]);
            book.joinTeam(merged);
        }
        (,,, bool formed) = book.getTeam(merged);
        assertFalse(formed, "one member has not consented");
        assertEq(book.teamOf(c, alice), teamAb, "alice still in her team");
        assertEq(book.teamOf(c, dave), teamCd, "dave still in his");
        _commits(c, alice, CAP, "own"); // the old caps still apply, one each
        _commits(c, carol, CAP, "own");
        assertEq(book.capCommits(c, bob), CAP, "ab's cap counts ab's commits only");
    }

    /// @dev Two formed teams commit `x` and `y` times over `days_` days (each within its
    /// cap); their merge forms exactly when x + y ≤ cap × days so far.
    function testFuzz_aMergeFormsOnlyWithinTheCapForTheDaysSoFar(uint8 x, uint8 y, uint8 d) public {
        uint256 days_ = bound(d, 1, 4);
        uint256 xs = bound(x, 0, CAP * days_);
        uint256 ys = bound(y, 0, CAP * days_);
        uint256 c = _capped(CAP);
        address dave = makeAddr("dave");
        address[] memory ab = _ascending(alice, bob);
        address[] memory cd = _ascending(carol, dave);
        _formOf(c, ab);
        _formOf(c, cd);
        for (uint256 day = 0; day < days_; ++day) {
            if (day > 0) vm.warp(block.timestamp + 1 days);
            uint256 xToday = xs > CAP * day ? xs - CAP * day : 0;
            uint256 yToday = ys > CAP * day ? ys - CAP * day : 0;
            _commits(c, bob, xToday < CAP ? xToday : CAP, bytes32(day));
            _commits(c, dave, yToday < CAP ? yToday : CAP, bytes32(day));
        }
        address[] memory all = _all(ab, cd);
        vm.prank(all[0]);
        uint256 merged = book.proposeTeam(c, all, _even(4));
        for (uint256 i = 1; i < 3; ++i) {
            vm.prank(all[i]);
            book.joinTeam(merged);
        }
        uint256 allowed = CAP * days_;
        if (xs + ys > allowed) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ISubmissionBook.TeamOverCap.selector, merged, xs + ys, allowed
                )
            );
        }
        vm.prank(all[3]);
        book.joinTeam(merged);
        if (xs + ys <= allowed) assertEq(book.capCommits(c, alice), xs + ys, "summed once");
    }

    function test_RevertWhen_TheTeamIsMalformed() public {
        uint256 c = _capped(CAP);
        (address[] memory members, uint32[] memory shares) = _pair();
        vm.startPrank(alice);
        address[] memory one = new address[](1);
        one[0] = alice;
        uint32[] memory all = new uint32[](1);
        all[0] = 1_000_000;
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.InvalidTeamSize.selector, 1, 2, 8));
        book.proposeTeam(c, one, all);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.TeamSharesLengthMismatch.selector, 2, 1)
        );
        book.proposeTeam(c, members, all);
        address[] memory swapped = new address[](2);
        swapped[0] = members[1];
        swapped[1] = members[0];
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.MembersNotAscending.selector, 1, members[1], members[0]
            )
        );
        book.proposeTeam(c, swapped, shares);
        shares[1] = 300_000;
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.TeamSharesDoNotSumToMillion.selector, 900_000)
        );
        book.proposeTeam(c, members, shares);
        shares[0] = 0;
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.ZeroTeamShare.selector, 0));
        book.proposeTeam(c, members, shares);
        vm.stopPrank();
        shares[0] = 700_000;
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.NotATeamMember.selector, 1, carol));
        book.proposeTeam(c, members, shares);
    }

    function test_RevertWhen_ConsentIsWrong() public {
        uint256 c = _capped(CAP);
        (address[] memory members, uint32[] memory shares) = _pair();
        vm.prank(alice);
        uint256 teamId = book.proposeTeam(c, members, shares);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.AlreadyConsented.selector, teamId, alice)
        );
        book.joinTeam(teamId);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.NotATeamMember.selector, teamId, carol)
        );
        book.joinTeam(teamId);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.UnknownTeam.selector, 99));
        book.joinTeam(99);
        vm.prank(bob);
        book.joinTeam(teamId);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.TeamAlreadyFormed.selector, teamId));
        book.joinTeam(teamId);
    }
}
