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

    function test_RevertWhen_AMemberIsInAnotherTeam() public {
        uint256 c = _capped(CAP);
        uint256 first = _form(c);
        (address[] memory members, uint32[] memory shares) = _pair();
        members[members[0] == alice ? 1 : 0] = carol;
        if (members[0] > members[1]) {
            (members[0], members[1]) = (members[1], members[0]);
        }
        vm.prank(carol);
        uint256 second = book.proposeTeam(c, members, shares);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.MemberInAnotherTeam.selector, alice, first)
        );
        book.joinTeam(second);
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
