// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {ChallengeRegistry} from "../../../contracts/ChallengeRegistry.sol";
import {CoopToken} from "../../../contracts/CoopToken.sol";
import {RewardVault} from "../../../contracts/RewardVault.sol";
import {ScoreBoard} from "../../../contracts/ScoreBoard.sol";
import {SubmissionBook} from "../../../contracts/SubmissionBook.sol";
import {IRewardVault} from "../../../contracts/interfaces/IRewardVault.sol";
import {IScoreBoard} from "../../../contracts/interfaces/IScoreBoard.sol";

/// @notice Drives the protocol with bounded random actions and keeps ghost accounts of
/// what the contracts must never let happen.
contract Handler is Test {
    struct Deployment {
        CoopToken token;
        ChallengeRegistry registry;
        RewardVault vault;
        SubmissionBook book;
        ScoreBoard board;
        uint256 challengeId;
        address owner;
        uint256 eta;
        uint256 bounty;
        bytes32 labelsDigest;
        bytes32 splitSalt;
    }

    Deployment internal d;
    uint256[2] internal signerKeys; // two oracles, ascending by address
    address[4] internal actors =
        [address(0x1001), address(0x1002), address(0x1003), address(0x1004)];

    uint256[] internal committed;
    mapping(uint256 id => bytes32) internal saltOf;
    mapping(uint256 id => address) internal committerOf;
    uint256[] internal revealedUnscored;

    bool public finished;
    uint256 public ghostClaimed;
    uint256 public ghostRefunded;
    uint256 public nonCommitterReveals;
    uint256 public ladderViolations;
    uint64 public highestSeqSeen;
    mapping(address => uint256) public claimsBy;
    uint256[2] internal leafAmounts;

    constructor(Deployment memory deployment, uint256[2] memory keys) {
        d = deployment;
        signerKeys = keys;
        leafAmounts = [deployment.bounty / 3, deployment.bounty / 5];
    }

    function commit(uint256 actorSeed, bytes32 salt) external {
        if (finished) return;
        address who = actors[actorSeed % actors.length];
        vm.prank(who);
        uint256 id = d.book.commit(d.challengeId, _commitment(who, salt));
        committed.push(id);
        saltOf[id] = salt;
        committerOf[id] = who;
        vm.roll(block.number + 1);
    }

    function reveal(uint256 idSeed, uint256 callerSeed) external {
        if (finished || committed.length == 0) return;
        uint256 id = committed[idSeed % committed.length];
        address caller = callerSeed % 3 == 0 ? actors[callerSeed % actors.length] : committerOf[id];
        vm.prank(caller);
        try d.book.reveal(id, "bafkreiartifact", new uint256[](0), new uint32[](0), saltOf[id]) {
            if (caller != committerOf[id]) ++nonCommitterReveals;
            revealedUnscored.push(id);
        } catch {}
    }

    function score(uint256 idSeed, uint256 scoreSeed) external {
        if (finished || revealedUnscored.length == 0) return;
        uint256 index = idSeed % revealedUnscored.length;
        uint256 id = revealedUnscored[index];
        revealedUnscored[index] = revealedUnscored[revealedUnscored.length - 1];
        revealedUnscored.pop();
        int256 value = int256(bound(scoreSeed, 0, 100)) * int256(d.eta);
        address who = committerOf[id];
        IScoreBoard.Best memory before = d.board.releasedBest(d.challengeId, who);
        _post(id, value);
        IScoreBoard.Best memory afterwards = d.board.releasedBest(d.challengeId, who);
        bool moved = afterwards.score != before.score || !before.released;
        if (moved && before.released && afterwards.score - before.score < int256(d.eta)) {
            ++ladderViolations;
        }
        if (!moved && before.released && value - before.score >= int256(d.eta)) ++ladderViolations;
    }

    function finish() external {
        if (finished) return;
        finished = true;
        vm.warp(block.timestamp + 3 days);
        vm.prank(d.owner);
        d.registry.revealHoldout(d.challengeId, 0, "bafkreilabels", d.labelsDigest, d.splitSalt);
        IRewardVault.RewardRoot memory root = IRewardVault.RewardRoot({
            challengeId: d.challengeId,
            phase: 0,
            seq: 1,
            configDigest: d.registry.configDigest(d.challengeId),
            merkleRoot: _pair(_leaf(0), _leaf(1)),
            total: leafAmounts[0] + leafAmounts[1],
            reportCidHash: keccak256("bafkreireport")
        });
        bytes[] memory sigs = new bytes[](2);
        bytes32 digest = d.vault.rewardRootDigest(root);
        sigs[0] = _sign(signerKeys[0], digest);
        sigs[1] = _sign(signerKeys[1], digest);
        d.vault.postRewards(root, "bafkreireport", sigs);
        vm.warp(block.timestamp + 2 hours);
    }

    function claim(uint256 which) external {
        if (!finished) return;
        uint256 i = which % 2;
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = _leaf(1 - i);
        try d.vault.claim(d.challengeId, 0, actors[i], leafAmounts[i], proof) {
            ghostClaimed += leafAmounts[i];
            ++claimsBy[actors[i]];
        } catch {}
    }

    function refund() external {
        if (!finished) return;
        uint256 before = d.token.balanceOf(d.owner);
        try d.vault.refundRemainder(d.challengeId) {
            ghostRefunded += d.token.balanceOf(d.owner) - before;
        } catch {}
    }

    function actor(uint256 i) external view returns (address) {
        return actors[i];
    }

    function _post(uint256 id, int256 value) internal {
        IScoreBoard.ScoreItem[] memory items = new IScoreBoard.ScoreItem[](1);
        items[0] = IScoreBoard.ScoreItem(id, 0, value, bytes32(0), bytes32(0));
        uint64 seq = d.board.lastSeq(d.challengeId) + 1;
        IScoreBoard.ScoreBatch memory header = IScoreBoard.ScoreBatch(
            d.challengeId,
            0,
            seq,
            d.registry.configDigest(d.challengeId),
            keccak256(abi.encode(items))
        );
        bytes32 digest = d.board.scoreBatchDigest(header);
        bytes[] memory sigs = new bytes[](2);
        sigs[0] = _sign(signerKeys[0], digest);
        sigs[1] = _sign(signerKeys[1], digest);
        d.board.postScores(header, items, sigs);
        if (seq > highestSeqSeen) highestSeqSeen = seq;
    }

    function _commitment(address who, bytes32 salt) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                block.chainid,
                address(d.book),
                d.challengeId,
                who,
                keccak256(bytes("bafkreiartifact")),
                keccak256(abi.encode(new uint256[](0), new uint32[](0))),
                salt
            )
        );
    }

    function _leaf(uint256 i) internal view returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(actors[i], leafAmounts[i]))));
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}
