// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChallengeRegistry} from "../../contracts/ChallengeRegistry.sol";
import {CoopToken} from "../../contracts/CoopToken.sol";
import {RewardVault} from "../../contracts/RewardVault.sol";
import {ScoreBoard} from "../../contracts/ScoreBoard.sol";
import {SubmissionBook} from "../../contracts/SubmissionBook.sol";
import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "../../contracts/interfaces/IRewardVault.sol";
import {IScoreBoard} from "../../contracts/interfaces/IScoreBoard.sol";
import {Test} from "./utils/Test.sol";

/// @title The deployed platform and the helpers every forge test uses
/// @notice Deploys the five contracts in the order scripts/deploy.py does (the deployer binds
/// the vault), three oracle keys sorted by address with quorum 2, and helpers that compute
/// commitments and EIP-712 signatures the way the interfaces document them.
abstract contract Base is Test {
    uint256 internal constant BOUNTY = 1_000e18;
    uint256 internal constant ETA = 1e15;
    int256 internal constant BASELINE = 0.5e18;
    int256 internal constant TARGET = 0.9e18;
    uint32 internal constant DISPUTE_WINDOW = 2 days;
    uint256 internal constant DISPUTE_BOND = 0.1 ether;
    uint64 internal constant COMMIT_PERIOD = 7 days;
    uint64 internal constant REVEAL_PERIOD = 7 days;
    uint8 internal constant QUORUM = 2;
    uint32 internal constant NOTICE_PERIOD = 7 days;
    string internal constant SPEC_CID =
        "bafkreispecspecspecspecspecspecspecspecspecspecspecspecspec";
    string internal constant LABELS_CID = "bafkreilabelslabelslabelslabelslabelslabelslabelslabels";
    string internal constant REPORT_CID = "bafkreireportreportreportreportreportreportreportreport";
    bytes32 internal constant LABELS_DIGEST = keccak256("holdout labels");
    bytes32 internal constant SPLIT_SALT = keccak256("split salt");

    CoopToken internal token;
    ChallengeRegistry internal registry;
    RewardVault internal vault;
    SubmissionBook internal book;
    ScoreBoard internal board;

    /// @dev Oracle keys and addresses, both ordered by ascending address.
    uint256[3] internal oracleKeys;
    address[3] internal oracleAddrs;

    address internal owner;
    address internal arbiter;
    address internal alice;
    address internal bob;
    address internal carol;

    function setUp() public virtual {
        vm.warp(1_750_000_000);
        vm.roll(1_000);
        owner = makeAddr("owner");
        arbiter = makeAddr("arbiter");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");

        token = new CoopToken("Coop", "COOP", address(this));
        registry = new ChallengeRegistry();
        book = new SubmissionBook(registry);
        board = new ScoreBoard(registry, book);
        vault = new RewardVault(registry, board);
        registry.bindVault(vault);
        vm.label(address(token), "CoopToken");
        vm.label(address(registry), "ChallengeRegistry");
        vm.label(address(vault), "RewardVault");
        vm.label(address(book), "SubmissionBook");
        vm.label(address(board), "ScoreBoard");

        uint256[3] memory keys = [uint256(0xA11CE), uint256(0xB0B), uint256(0xCA401)];
        _sortKeysByAddress(keys);
        for (uint256 i = 0; i < 3; ++i) {
            oracleKeys[i] = keys[i];
            oracleAddrs[i] = vm.addr(keys[i]);
            vm.label(oracleAddrs[i], string.concat("oracle", vm.toString(i)));
        }
        token.mint(owner, 1_000_000e18);
    }

    // ---------------------------------------------------------------- challenges

    function _oracleList() internal view returns (address[] memory list) {
        list = new address[](3);
        for (uint256 i = 0; i < 3; ++i) {
            list[i] = oracleAddrs[i];
        }
    }

    function _config() internal view returns (IChallengeRegistry.ChallengeConfig memory config) {
        config.token = address(token);
        config.bounty = BOUNTY;
        config.oracles = _oracleList();
        config.quorum = QUORUM;
        config.disputeWindow = DISPUTE_WINDOW;
        config.disputeBond = DISPUTE_BOND;
        config.arbiter = arbiter;
        config.noticePeriod = NOTICE_PERIOD;
        config.dailyCap = 0;
        config.commitBond = 0;
        config.parentChallenge = 0;
    }

    /// @dev A higher-is-better phase whose commit window opens now, holding `bounty`.
    function _phaseConfig(uint256 bounty)
        internal
        view
        returns (IChallengeRegistry.PhaseConfig memory)
    {
        return _phaseConfig(bounty, true);
    }

    /// @dev A phase whose commit window opens now, judged in `higherIsBetter`'s direction from
    /// BASELINE to TARGET (swapped when lower is better) in steps of ETA.
    function _phaseConfig(uint256 bounty, bool higherIsBetter)
        internal
        view
        returns (IChallengeRegistry.PhaseConfig memory phase)
    {
        phase.specCid = SPEC_CID;
        phase.higherIsBetter = higherIsBetter;
        phase.baseline = higherIsBetter ? BASELINE : TARGET;
        phase.target = higherIsBetter ? TARGET : BASELINE;
        phase.eta = ETA;
        phase.commitStart = uint64(block.timestamp);
        phase.commitEnd = uint64(block.timestamp) + COMMIT_PERIOD;
        phase.revealEnd = phase.commitEnd + REVEAL_PERIOD;
        phase.holdoutCommitment = _holdoutCommitment(LABELS_DIGEST, SPLIT_SALT);
        phase.bounty = bounty;
    }

    /// @dev A phase opening at the reveal end of the challenge's phase 0, for a day of commits
    /// and a day of reveals.
    function _phaseAfterPhase0(uint256 challengeId, uint256 bounty, bool higherIsBetter)
        internal
        view
        returns (IChallengeRegistry.PhaseConfig memory phase)
    {
        phase = _phaseConfig(bounty, higherIsBetter);
        uint64 start = registry.getPhase(challengeId, 0).revealEnd;
        (phase.commitStart, phase.commitEnd, phase.revealEnd) =
        (start, start + 1 days, start + 2 days);
    }

    /// @dev `keccak256(abi.encode(labelsDigest, keccak256(splitSalt)))`, as the interface says.
    function _holdoutCommitment(bytes32 labelsDigest, bytes32 splitSalt)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(labelsDigest, keccak256(abi.encodePacked(splitSalt))));
    }

    /// @dev The owner approves the vault for the bounty, then creates the challenge.
    function _createChallenge(
        IChallengeRegistry.ChallengeConfig memory config,
        IChallengeRegistry.PhaseConfig memory phase0
    ) internal returns (uint256 challengeId) {
        vm.prank(owner);
        token.approve(address(vault), config.bounty);
        vm.prank(owner);
        challengeId = registry.createChallenge(config, SPEC_CID, phase0);
    }

    function _createChallenge(bool higherIsBetter) internal returns (uint256) {
        return _createChallenge(_config(), _phaseConfig(BOUNTY, higherIsBetter));
    }

    /// @dev Warps past the phase's reveal end and reveals its holdout as the owner.
    function _revealHoldout(uint256 challengeId, uint32 phase) internal {
        uint64 revealEnd = registry.getPhase(challengeId, phase).revealEnd;
        if (block.timestamp <= revealEnd) vm.warp(revealEnd + 1);
        vm.prank(owner);
        registry.revealHoldout(challengeId, phase, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
    }

    // ---------------------------------------------------------------- submissions

    /// @dev The commitment exactly as ISubmissionBook documents it, computed here.
    function _commitmentOf(
        uint256 challengeId,
        address submitter,
        string memory artifactCid,
        uint256[] memory parents,
        uint32[] memory weightsPpm,
        bytes32 salt
    ) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                block.chainid,
                address(book),
                challengeId,
                submitter,
                keccak256(bytes(artifactCid)),
                keccak256(abi.encode(parents, weightsPpm)),
                salt
            )
        );
    }

    /// @dev What a pending submission stores of its commitment: the top 207 bits of
    /// keccak256(abi.encode(commitment, committer)), as ISubmissionBook documents it.
    function _fingerprintOf(bytes32 commitment, address committer) internal pure returns (bytes32) {
        return bytes32(uint256(keccak256(abi.encode(commitment, committer))) >> 49 << 49);
    }

    function _commitRaw(uint256 challengeId, address submitter, bytes32 commitment)
        internal
        returns (uint256 submissionId)
    {
        uint256 bond = registry.getChallenge(challengeId).commitBond;
        vm.deal(submitter, submitter.balance + bond);
        vm.prank(submitter);
        submissionId = book.commit{value: bond}(challengeId, commitment);
    }

    function _commit(
        uint256 challengeId,
        address submitter,
        string memory artifactCid,
        uint256[] memory parents,
        uint32[] memory weightsPpm,
        bytes32 salt
    ) internal returns (uint256) {
        bytes32 commitment = _commitmentOf(
            challengeId, submitter, artifactCid, parents, weightsPpm, salt
        );
        return _commitRaw(challengeId, submitter, commitment);
    }

    /// @dev Moves to the next block (a reveal must follow its commit's block) and reveals.
    function _reveal(
        uint256 submissionId,
        address submitter,
        string memory artifactCid,
        uint256[] memory parents,
        uint32[] memory weightsPpm,
        bytes32 salt
    ) internal {
        vm.roll(block.number + 1);
        vm.prank(submitter);
        book.reveal(submissionId, artifactCid, parents, weightsPpm, salt);
    }

    /// @dev Commits and reveals a submission without parents.
    function _submit(uint256 challengeId, address submitter, string memory artifactCid)
        internal
        returns (uint256 submissionId)
    {
        uint256[] memory none = new uint256[](0);
        uint32[] memory noWeights = new uint32[](0);
        bytes32 salt = keccak256(abi.encode(submitter, artifactCid));
        submissionId = _commit(challengeId, submitter, artifactCid, none, noWeights, salt);
        _reveal(submissionId, submitter, artifactCid, none, noWeights, salt);
    }

    // ---------------------------------------------------------------- oracle signatures

    /// @dev 65-byte r ‖ s ‖ v signatures of `digest` by `keys`, in the order given.
    function _sign(bytes32 digest, uint256[] memory keys)
        internal
        pure
        returns (bytes[] memory signatures)
    {
        signatures = new bytes[](keys.length);
        for (uint256 i = 0; i < keys.length; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[i], digest);
            signatures[i] = abi.encodePacked(r, s, v);
        }
    }

    /// @dev The first `count` oracle keys, ascending by address.
    function _oracleKeys(uint256 count) internal view returns (uint256[] memory keys) {
        keys = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            keys[i] = oracleKeys[i];
        }
    }

    function _quorumSign(bytes32 digest) internal view returns (bytes[] memory) {
        return _sign(digest, _oracleKeys(QUORUM));
    }

    // ---------------------------------------------------------------- scores

    function _privateCommitment(uint256 submissionId, int256 privateScore, bytes32 salt)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(submissionId, privateScore, salt));
    }

    /// @dev A valid item whose private score equals its public one, salted by the id.
    function _item(uint256 submissionId, int256 publicScore)
        internal
        pure
        returns (IScoreBoard.ScoreItem memory item)
    {
        item.submissionId = submissionId;
        item.status = 0;
        item.publicScore = publicScore;
        item.privateCommitment =
            _privateCommitment(submissionId, publicScore, _scoreSalt(submissionId));
        item.reportDigest = keccak256(abi.encode("report", submissionId));
    }

    function _scoreSalt(uint256 submissionId) internal pure returns (bytes32) {
        return keccak256(abi.encode("score salt", submissionId));
    }

    function _items1(IScoreBoard.ScoreItem memory item)
        internal
        pure
        returns (IScoreBoard.ScoreItem[] memory items)
    {
        items = new IScoreBoard.ScoreItem[](1);
        items[0] = item;
    }

    function _batch(
        uint256 challengeId,
        uint32 phase,
        uint64 seq,
        IScoreBoard.ScoreItem[] memory items
    ) internal view returns (IScoreBoard.ScoreBatch memory header) {
        header = IScoreBoard.ScoreBatch({
            challengeId: challengeId,
            phase: phase,
            correction: registry.getPhase(challengeId, phase).correction,
            seq: seq,
            configDigest: _phaseDigest(challengeId, phase),
            itemsHash: keccak256(abi.encode(items))
        });
    }

    /// @dev Signs the header over the contract's digest view with the quorum and posts it.
    function _postScores(
        uint256 challengeId,
        uint32 phase,
        uint64 seq,
        IScoreBoard.ScoreItem[] memory items
    ) internal {
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, phase, seq, items);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        board.postScores(header, items, signatures);
    }

    // ---------------------------------------------------------------- rewards

    function _rewardRoot(
        uint256 challengeId,
        uint32 phase,
        uint64 seq,
        bytes32 merkleRoot,
        uint256 total
    ) internal view returns (IRewardVault.RewardRoot memory root) {
        root = IRewardVault.RewardRoot({
            challengeId: challengeId,
            phase: phase,
            correction: registry.getPhase(challengeId, phase).correction,
            seq: seq,
            configDigest: _phaseDigest(challengeId, phase),
            merkleRoot: merkleRoot,
            total: total,
            reportCidHash: keccak256(bytes(REPORT_CID))
        });
    }

    /// @dev Signs the root over the contract's digest view with the quorum and posts it.
    function _postRewards(IRewardVault.RewardRoot memory root) internal {
        bytes[] memory signatures = _quorumSign(vault.rewardRootDigest(root));
        vault.postRewards(root, REPORT_CID, signatures);
    }

    /// @dev The config digest the phase's judges sign under.
    function _phaseDigest(uint256 challengeId, uint32 phase) internal view returns (bytes32) {
        (, IChallengeRegistry.Judges memory judges) = registry.phaseJudges(challengeId, phase);
        return judges.configDigest;
    }

    // ---------------------------------------------------------------- internals

    function _sortKeysByAddress(uint256[3] memory keys) private pure {
        for (uint256 i = 1; i < 3; ++i) {
            for (uint256 j = i; j > 0 && vm.addr(keys[j - 1]) > vm.addr(keys[j]); --j) {
                (keys[j - 1], keys[j]) = (keys[j], keys[j - 1]);
            }
        }
    }

    function _noParents() internal pure returns (uint256[] memory) {
        return new uint256[](0);
    }

    function _noWeights() internal pure returns (uint32[] memory) {
        return new uint32[](0);
    }
}
