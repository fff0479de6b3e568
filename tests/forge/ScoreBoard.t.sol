// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base} from "./Base.t.sol";
import {IOracleQuorum} from "../../contracts/interfaces/IOracleQuorum.sol";
import {IScoreBoard} from "../../contracts/interfaces/IScoreBoard.sol";

contract ScoreBoardTest is Base {
    address internal alice = address(0xA1);

    /// @dev The digest view equals one computed here from the EIP-712 definition.
    function test_scoreBatchDigest_MatchesIndependentEip712() public view {
        IScoreBoard.ScoreBatch memory h =
            IScoreBoard.ScoreBatch(challengeId, 0, 7, bytes32(uint256(1)), bytes32(uint256(2)));
        bytes32 domain = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("Coopetition"),
                keccak256("1"),
                block.chainid,
                address(board)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "ScoreBatch(uint256 challengeId,uint32 phase,uint64 seq,bytes32 configDigest,bytes32 itemsHash)"
                ),
                h.challengeId,
                h.phase,
                h.seq,
                h.configDigest,
                h.itemsHash
            )
        );
        bytes32 expected = keccak256(abi.encodePacked("\x19\x01", domain, structHash));
        assertEq(board.scoreBatchDigest(h), expected, "digest differs from EIP-712");
    }

    /// @dev Released best moves only up (higher is better) and only by at least eta.
    function testFuzz_postScores_LadderReleasesOnlyImprovementsOfEta(uint8[6] memory steps) public {
        int256 best;
        bool released;
        for (uint256 i = 0; i < steps.length; ++i) {
            uint256 id = _submit(alice, bytes32(i));
            int256 score = int256(bound(steps[i], 0, 100)) * int256(ETA);
            _postScore(id, score, uint64(i + 1));
            if (!released || score - best >= int256(ETA)) {
                best = score;
                released = true;
            }
            IScoreBoard.Best memory onChain = board.releasedBest(challengeId, alice);
            assertEq(int256(onChain.score), best, "released best");
            assertTrue(onChain.released, "released flag");
        }
    }

    function testFuzz_postScores_RevertWhen_offGrid(uint256 offset) public {
        uint256 id = _submit(alice, bytes32(0));
        int256 score = int256(5 * ETA + bound(offset, 1, ETA - 1));
        (
            IScoreBoard.ScoreBatch memory h,
            IScoreBoard.ScoreItem[] memory items,
            bytes[] memory sigs
        ) = _scoreArgs(id, score, 1);
        vm.expectRevert(abi.encodeWithSelector(IScoreBoard.OffGridScore.selector, id, score, ETA));
        board.postScores(h, items, sigs);
    }

    function test_postScores_RevertWhen_seqReplayed() public {
        uint256 first = _submit(alice, bytes32(0));
        uint256 second = _submit(alice, bytes32(uint256(1)));
        _postScore(first, int256(ETA), 3);
        (
            IScoreBoard.ScoreBatch memory h,
            IScoreBoard.ScoreItem[] memory items,
            bytes[] memory sigs
        ) = _scoreArgs(second, int256(2 * ETA), 3);
        vm.expectRevert(abi.encodeWithSelector(IScoreBoard.StaleSeq.selector, challengeId, 3, 3));
        board.postScores(h, items, sigs);
        assertEq(board.lastSeq(challengeId), 3, "seq unchanged");
    }

    function test_postScores_RevertWhen_oracleSetRotated() public {
        uint256 id = _submit(alice, bytes32(0));
        bytes32 oldDigest = registry.configDigest(challengeId);
        address[] memory newSet = new address[](1);
        newSet[0] = oracles[2];
        vm.prank(owner);
        registry.setOracles(challengeId, newSet, 1);
        IScoreBoard.ScoreItem[] memory items = new IScoreBoard.ScoreItem[](1);
        items[0] = IScoreBoard.ScoreItem(id, 0, int256(ETA), bytes32(0), bytes32(0));
        IScoreBoard.ScoreBatch memory h =
            IScoreBoard.ScoreBatch(challengeId, 0, 1, oldDigest, keccak256(abi.encode(items)));
        bytes[] memory sigs = _quorumSigs(board.scoreBatchDigest(h), 0, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleQuorum.StaleConfigDigest.selector,
                oldDigest,
                registry.configDigest(challengeId)
            )
        );
        board.postScores(h, items, sigs);
        // Signed by a removed oracle under the new digest: not an oracle any more.
        h.configDigest = registry.configDigest(challengeId);
        bytes[] memory one = new bytes[](1);
        one[0] = _sign(oracleKeys[0], board.scoreBatchDigest(h));
        vm.expectRevert(abi.encodeWithSelector(IOracleQuorum.NotAnOracle.selector, oracles[0]));
        board.postScores(h, items, one);
    }

    function test_postScores_RevertWhen_duplicateSigner() public {
        uint256 id = _submit(alice, bytes32(0));
        IScoreBoard.ScoreItem[] memory items = new IScoreBoard.ScoreItem[](1);
        items[0] = IScoreBoard.ScoreItem(id, 0, int256(ETA), bytes32(0), bytes32(0));
        IScoreBoard.ScoreBatch memory h = IScoreBoard.ScoreBatch(
            challengeId, 0, 1, registry.configDigest(challengeId), keccak256(abi.encode(items))
        );
        bytes[] memory sigs = _quorumSigs(board.scoreBatchDigest(h), 1, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleQuorum.SignersNotSorted.selector, 1, oracles[1], oracles[1]
            )
        );
        board.postScores(h, items, sigs);
    }
}
