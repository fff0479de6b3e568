// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./utils/Test.sol";
import {ChallengeRegistry} from "../../contracts/ChallengeRegistry.sol";
import {CoopToken} from "../../contracts/CoopToken.sol";
import {RewardVault} from "../../contracts/RewardVault.sol";
import {ScoreBoard} from "../../contracts/ScoreBoard.sol";
import {SubmissionBook} from "../../contracts/SubmissionBook.sol";
import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "../../contracts/interfaces/IRewardVault.sol";
import {IScoreBoard} from "../../contracts/interfaces/IScoreBoard.sol";

/// @notice Deploys the platform and opens one challenge: 3 oracles, quorum 2, higher is
/// better from 0 to 1e18 with eta 1e16, bounty 1,000 tokens.
abstract contract Base is Test {
    uint256 internal constant ETA = 1e16;
    uint256 internal constant BOUNTY = 1000e18;
    uint64 internal constant COMMIT_END = 1 days;
    uint64 internal constant REVEAL_END = 2 days;

    CoopToken internal token;
    ChallengeRegistry internal registry;
    RewardVault internal vault;
    SubmissionBook internal book;
    ScoreBoard internal board;

    address internal owner = address(0xA11CE);
    address internal arbiter = address(0xA4B);
    uint256[3] internal oracleKeys; // ascending by address
    address[] internal oracles;
    uint256 internal challengeId;
    bytes32 internal labelsDigest = keccak256("labels");
    bytes32 internal splitSalt = keccak256("salt");

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        vm.roll(100);
        token = new CoopToken("Coopetition Reward", "COOP", owner);
        registry = new ChallengeRegistry();
        vault = new RewardVault(registry);
        registry.bindVault(vault);
        book = new SubmissionBook(registry);
        board = new ScoreBoard(registry, book);
        _sortOracleKeys([uint256(0xA11), 0xB22, 0xC33]);
        challengeId = _createChallenge();
    }

    function _sortOracleKeys(uint256[3] memory keys) internal {
        for (uint256 i = 0; i < 3; ++i) {
            for (uint256 j = i + 1; j < 3; ++j) {
                if (vm.addr(keys[j]) < vm.addr(keys[i])) (keys[i], keys[j]) = (keys[j], keys[i]);
            }
        }
        oracleKeys = keys;
        for (uint256 i = 0; i < 3; ++i) {
            oracles.push(vm.addr(keys[i]));
        }
    }

    function _createChallenge() internal returns (uint256 id) {
        vm.startPrank(owner);
        token.mint(owner, BOUNTY);
        token.approve(address(vault), BOUNTY);
        IChallengeRegistry.ChallengeConfig memory config = IChallengeRegistry.ChallengeConfig({
            token: address(token),
            bounty: BOUNTY,
            higherIsBetter: true,
            baseline: 0,
            target: 1e18,
            eta: ETA,
            oracles: oracles,
            quorum: 2,
            disputeWindow: 1 hours,
            disputeBond: 1 ether,
            arbiter: arbiter,
            dailyCap: 0,
            commitBond: 0,
            parentChallenge: 0
        });
        IChallengeRegistry.PhaseConfig memory phase = IChallengeRegistry.PhaseConfig({
            specCid: "bafkreispec",
            commitStart: uint64(block.timestamp),
            commitEnd: uint64(block.timestamp) + COMMIT_END,
            revealEnd: uint64(block.timestamp) + REVEAL_END,
            holdoutCommitment: keccak256(
                abi.encode(labelsDigest, keccak256(abi.encode(splitSalt)))
            ),
            bounty: BOUNTY
        });
        id = registry.createChallenge(config, "bafkreispec", phase);
        vm.stopPrank();
    }

    function _commitment(address submitter, string memory cid, bytes32 salt)
        internal
        view
        returns (bytes32)
    {
        uint256[] memory noParents = new uint256[](0);
        uint32[] memory noWeights = new uint32[](0);
        return keccak256(
            abi.encode(
                block.chainid,
                address(book),
                challengeId,
                submitter,
                keccak256(bytes(cid)),
                keccak256(abi.encode(noParents, noWeights)),
                salt
            )
        );
    }

    /// @dev Commits and reveals (one block apart) a parentless submission from `who`.
    function _submit(address who, bytes32 salt) internal returns (uint256 id) {
        vm.prank(who);
        id = book.commit(challengeId, _commitment(who, "bafkreiartifact", salt));
        vm.roll(block.number + 1);
        vm.prank(who);
        book.reveal(id, "bafkreiartifact", new uint256[](0), new uint32[](0), salt);
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Signatures of oracles `a` < `b` (indices into the ascending set) over `digest`.
    function _quorumSigs(bytes32 digest, uint256 a, uint256 b)
        internal
        view
        returns (bytes[] memory sigs)
    {
        sigs = new bytes[](2);
        sigs[0] = _sign(oracleKeys[a], digest);
        sigs[1] = _sign(oracleKeys[b], digest);
    }

    function _postScore(uint256 submissionId, int256 score, uint64 seq) internal {
        (
            IScoreBoard.ScoreBatch memory header,
            IScoreBoard.ScoreItem[] memory items,
            bytes[] memory sigs
        ) = _scoreArgs(submissionId, score, seq);
        board.postScores(header, items, sigs);
    }

    /// @dev A one-item batch signed by oracles 0 and 1 (compute before `expectRevert`).
    function _scoreArgs(uint256 submissionId, int256 score, uint64 seq)
        internal
        view
        returns (
            IScoreBoard.ScoreBatch memory header,
            IScoreBoard.ScoreItem[] memory items,
            bytes[] memory sigs
        )
    {
        items = new IScoreBoard.ScoreItem[](1);
        items[0] = IScoreBoard.ScoreItem({
            submissionId: submissionId,
            status: 0,
            publicScore: score,
            privateCommitment: keccak256(abi.encode(submissionId, score, bytes32(0))),
            reportDigest: bytes32(0)
        });
        header = IScoreBoard.ScoreBatch({
            challengeId: challengeId,
            phase: 0,
            seq: seq,
            configDigest: registry.configDigest(challengeId),
            itemsHash: keccak256(abi.encode(items))
        });
        sigs = _quorumSigs(board.scoreBatchDigest(header), 0, 1);
    }

    function _leaf(address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    /// @dev Ends the phase, reveals the holdout and posts a two-leaf root (claimable later).
    function _postTwoLeafRoot(address a, uint256 amountA, address b, uint256 amountB)
        internal
        returns (bytes32 root)
    {
        vm.warp(block.timestamp + REVEAL_END + 1);
        vm.prank(owner);
        registry.revealHoldout(challengeId, 0, "bafkreilabels", labelsDigest, splitSalt);
        root = _pair(_leaf(a, amountA), _leaf(b, amountB));
        IRewardVault.RewardRoot memory header = IRewardVault.RewardRoot({
            challengeId: challengeId,
            phase: 0,
            seq: 1,
            configDigest: registry.configDigest(challengeId),
            merkleRoot: root,
            total: amountA + amountB,
            reportCidHash: keccak256("bafkreireport")
        });
        vault.postRewards(
            header, "bafkreireport", _quorumSigs(vault.rewardRootDigest(header), 0, 2)
        );
    }
}
