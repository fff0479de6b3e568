// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChallengeRegistry} from "../../../contracts/ChallengeRegistry.sol";
import {CoopToken} from "../../../contracts/CoopToken.sol";
import {RewardVault} from "../../../contracts/RewardVault.sol";
import {ScoreBoard} from "../../../contracts/ScoreBoard.sol";
import {SubmissionBook} from "../../../contracts/SubmissionBook.sol";
import {IChallengeRegistry} from "../../../contracts/interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "../../../contracts/interfaces/IRewardVault.sol";
import {IScoreBoard} from "../../../contracts/interfaces/IScoreBoard.sol";
import {StandardMerkleTree} from "../utils/StandardMerkleTree.sol";
import {TestUtils} from "../utils/Test.sol";

/// @title Drives the whole protocol with bounded random actions for the invariant tests
/// @notice Every action takes one fuzzed seed, looks for a state where it applies (an open
/// phase, a revealed submission, a posted root...) and acts as the right party. Some
/// attempts are deliberately wrong (another sender, a tampered value, a stale seq): the
/// contracts must reject them, and the ghost counters below record any that got through.
contract ProtocolHandler is TestUtils {
    uint256 internal constant MAX_CHALLENGES = 3;
    uint256 internal constant MAX_PHASES = 3;
    uint64 internal constant PERIOD = 1 days;
    uint32 internal constant DISPUTE_WINDOW = 6 hours;
    uint256 internal constant DISPUTE_BOND = 0.05 ether;
    bytes32 internal constant LABELS_DIGEST = keccak256("handler labels");
    bytes32 internal constant SPLIT_SALT = keccak256("handler split salt");
    string internal constant REPORT_CID = "bafkreihandlerreport";

    struct Sub {
        uint256 id;
        uint256 challengeId;
        uint32 phase;
        address committer; // who committed on chain
        address author; // whose reveal values the commitment holds (differs for a copy)
        string cid;
        uint256[] parents;
        uint32[] weights;
        bytes32 salt;
        bool revealed;
        bool scored;
        bool isCopy;
    }

    struct Batch {
        uint256 challengeId;
        uint64 seq;
        uint32 phase;
        bool privateRevealed;
    }

    struct Leaves {
        address[] accounts;
        uint256[] amounts;
        bytes32[] tree;
    }

    CoopToken internal immutable token;
    ChallengeRegistry internal immutable registry;
    RewardVault internal immutable vault;
    SubmissionBook internal immutable book;
    ScoreBoard internal immutable board;
    address internal immutable owner;
    address internal immutable arbiter;
    uint256[3] internal oracleKeys; // ascending by address
    address[4] internal actors;

    uint256 public clock;
    uint256 public blockNumber;

    uint256[] public challengeIds;
    mapping(uint256 challengeId => uint256) public etaOf;
    mapping(uint256 challengeId => bool) public higherIsBetterOf;
    Sub[] internal subs;
    Batch[] internal batches;
    mapping(uint256 batch => IScoreBoard.ScoreItem[]) internal batchItems;
    mapping(uint256 batch => int256[]) internal batchPrivateScores;
    mapping(uint256 batch => bytes32[]) internal batchSalts;
    mapping(uint256 challengeId => mapping(uint32 phase => Leaves)) internal leaves;

    // ---- ghost accounting
    uint256 public ghostEscrowed;
    uint256 public ghostClaimed;
    uint256 public ghostRefunded;
    mapping(uint256 challengeId => uint256) public escrowedOf;
    mapping(uint256 challengeId => uint256) public claimedOf;
    mapping(uint256 challengeId => uint256) public refundedOf;
    uint256 public ghostBondsIn;
    uint256 public ghostBondsOut;
    mapping(uint256 challengeId => mapping(uint32 phase => mapping(address => uint256))) public
        claimCount;
    uint256 public maxClaimCount;
    mapping(uint256 challengeId => uint64) public postedSeq; // highest accepted score seq
    mapping(uint256 challengeId => uint64) internal _seenSeq;
    /// @dev Who disputed which root (keccak256(challengeId, phase, merkleRoot)).
    mapping(bytes32 root => mapping(address disputer => bool)) internal _disputedBy;
    /// @dev The Ladder reference model: each participant's released best per phase.
    mapping(uint256 challengeId => mapping(uint32 phase => mapping(address => int256))) public
        modelBest;
    mapping(uint256 challengeId => mapping(uint32 phase => mapping(address => bool))) public
        modelReleased;

    // ---- what must stay zero: wrong attempts that got through, broken monotonicity
    uint256 public nonCommitterReveals;
    uint256 public forgedReveals;
    uint256 public copiedReveals;
    uint256 public sameBlockReveals; // reveals accepted in their commit's block
    uint256 public seqDecreases;
    uint256 public staleSeqAccepted;
    uint256 public quorumBypasses;
    uint256 public ladderViolations;
    uint256 public forgedClaims;
    uint256 public forgedPrivateReveals;
    uint256 public forgedHoldouts;
    uint256 public overAllocations;
    uint256 public wrongBondDisputes;
    uint256 public nonArbiterResolutions;
    uint256 public repeatedRefunds;
    uint256 public paymentMismatches;
    uint256 public overClaims; // claims paid beyond what their root's total had left
    uint256 public earlyRoots; // roots accepted before every batch's private scores were out
    uint256 public earlyLapses; // disputes lapsed before the arbiter deadline
    uint256 public repeatedDisputes; // a second dispute of the same root by one account, or
    // a dispute of a root whose dispute is open, accepted
    uint256 public strangerRefunds; // a refund made by someone other than the owner
    uint256 public drains; // tokens an attacker's own tiny challenge paid out beyond its escrow

    // ---- liveness: honest actions that failed
    uint256 public honestRevealFailures;
    uint256 public honestPostFailures;
    uint256 public honestPrivateRevealFailures;
    uint256 public honestHoldoutFailures;
    uint256 public honestRewardPostFailures;
    uint256 public honestClaimFailures;

    /// @dev Successful calls per action, to show the campaign reaches every state.
    mapping(bytes32 action => uint256) public successes;

    constructor(
        CoopToken token_,
        ChallengeRegistry registry_,
        RewardVault vault_,
        SubmissionBook book_,
        ScoreBoard board_,
        uint256[3] memory oracleKeys_,
        address owner_,
        address arbiter_
    ) {
        (token, registry, vault, book, board) = (token_, registry_, vault_, book_, board_);
        oracleKeys = oracleKeys_;
        (owner, arbiter) = (owner_, arbiter_);
        actors = [address(0xA0001), address(0xA0002), address(0xA0003), address(0xA0004)];
        clock = block.timestamp;
        blockNumber = block.number;
    }

    /// @dev Applies the handler's clock (each action is a new block), then watches the seqs.
    modifier step() {
        ++blockNumber;
        vm.warp(clock);
        vm.roll(blockNumber);
        _;
        _watchSeqs();
    }

    // ================================================================== actions

    function advanceTime(uint256 seed) external step {
        clock += seed % 8 == 0
            ? bound(seed >> 8, 1 days, 31 days)
            : bound(seed >> 8, 10 minutes, 1 days);
        vm.warp(clock);
        ++successes["advanceTime"];
    }

    function createChallenge(uint256 seed) external step {
        if (challengeIds.length >= MAX_CHALLENGES) return;
        IChallengeRegistry.ChallengeConfig memory config;
        config.token = address(token);
        config.bounty = bound(word(seed, 1), 1e18, 1_000e18);
        bool higherIsBetter = seed % 2 == 0;
        uint256 eta = [uint256(1e15), 1e16, 5e16][word(seed, 2) % 3];
        config.oracles = _oracleList();
        config.quorum = 2;
        config.disputeWindow = DISPUTE_WINDOW;
        config.disputeBond = DISPUTE_BOND;
        config.arbiter = arbiter;
        config.noticePeriod = 1 days;
        config.dailyCap = uint8(word(seed, 3) % 7);
        config.commitBond = word(seed, 4) % 2 == 0 ? 0 : 0.01 ether;
        IChallengeRegistry.PhaseConfig memory phase0 = _withRules(
            _phaseConfig(uint64(clock), bound(word(seed, 5), 0, config.bounty)), higherIsBetter, eta
        );
        vm.prank(owner);
        token.approve(address(vault), config.bounty);
        vm.prank(owner);
        try registry.createChallenge(config, "bafkreihandlerspec", phase0) returns (uint256 id) {
            challengeIds.push(id);
            etaOf[id] = eta;
            higherIsBetterOf[id] = higherIsBetter;
            ghostEscrowed += config.bounty;
            escrowedOf[id] += config.bounty;
            ++successes["createChallenge"];
        } catch {}
    }

    function addPhase(uint256 seed) external step {
        if (challengeIds.length == 0) return;
        uint256 c = challengeIds[seed % challengeIds.length];
        IChallengeRegistry.Challenge memory ch = registry.getChallenge(c);
        if (ch.phaseCount >= MAX_PHASES || vault.isClosed(c)) return;
        uint64 lastRevealEnd = registry.getPhase(c, ch.phaseCount - 1).revealEnd;
        uint256 topUp = bound(word(seed, 1), 0, 500e18);
        uint256 phaseBounty = bound(word(seed, 2), 0, ch.bounty - ch.allocated + topUp);
        uint64 noticed = uint64(clock) + ch.noticePeriod;
        uint64 start = noticed > lastRevealEnd ? noticed : lastRevealEnd;
        IChallengeRegistry.PhaseConfig memory config =
            _withRules(_phaseConfig(start, phaseBounty), higherIsBetterOf[c], etaOf[c]);
        vm.prank(owner);
        token.approve(address(vault), topUp);
        vm.prank(owner);
        try registry.addPhase(c, config, topUp) {
            ghostEscrowed += topUp;
            escrowedOf[c] += topUp;
            ++successes["addPhase"];
        } catch {}
    }

    function commit(uint256 seed) external step {
        _commit(seed);
    }

    /// @dev Commits, then in the same block tries the new submission's honest reveal (it must
    /// be refused: too early) and an older pending submission's honest reveal (it must pass,
    /// although this block has a commit now).
    function commitAndRevealInOneBlock(uint256 seed) external step {
        if (!_commit(seed)) return;
        Sub storage fresh = subs[subs.length - 1];
        vm.prank(fresh.committer);
        try book.reveal(fresh.id, fresh.cid, fresh.parents, fresh.weights, fresh.salt) {
            ++sameBlockReveals;
            fresh.revealed = true;
        } catch {}
        (bool found, uint256 index) = _pick(word(seed, 20), _isRevealable);
        if (!found || index == subs.length - 1) return;
        Sub storage older = subs[index];
        if (older.isCopy) return;
        vm.prank(older.committer);
        try book.reveal(older.id, older.cid, older.parents, older.weights, older.salt) {
            older.revealed = true;
            ++successes["revealBesideACommit"];
        } catch {
            ++honestRevealFailures;
        }
    }

    /// @dev An honest commit by a random actor; false when the daily cap refused it.
    function _commit(uint256 seed) internal returns (bool committed) {
        (bool found, uint256 c) = _challengeWithOpenPhase(seed);
        if (!found) return false;
        Sub memory s;
        s.challengeId = c;
        s.committer = actors[word(seed, 1) % actors.length];
        s.author = s.committer;
        s.cid = string.concat("bafkreihandler", vm.toString(word(seed, 2) % 1e6));
        s.salt = bytes32(word(seed, 3));
        (s.parents, s.weights) = _randomParents(seed);
        bytes32 commitment = _commitment(s, s.author);
        uint256 bond = registry.getChallenge(c).commitBond;
        vm.deal(s.committer, s.committer.balance + bond);
        vm.prank(s.committer);
        try book.commit{value: bond}(c, commitment) returns (uint256 id) {
            s.id = id;
            s.phase = book.getSubmission(id).phase;
            subs.push(s);
            ++successes["commit"];
            committed = true;
        } catch {} // the daily cap
    }

    /// @dev Front-runs a pending commitment: the copier commits the same bytes.
    function copyCommit(uint256 seed) external step {
        (bool found, uint256 index) = _pick(seed, _isCopyable);
        if (!found) return;
        Sub memory s = subs[index];
        address copier = actors[word(seed, 1) % actors.length];
        if (copier == s.committer) return;
        bytes32 commitment = _commitment(s, s.author);
        uint256 bond = registry.getChallenge(s.challengeId).commitBond;
        vm.deal(copier, copier.balance + bond);
        vm.prank(copier);
        try book.commit{value: bond}(s.challengeId, commitment) returns (uint256 id) {
            s.id = id;
            s.phase = book.getSubmission(id).phase;
            s.committer = copier;
            s.isCopy = true;
            s.revealed = false;
            subs.push(s);
            ++successes["copyCommit"];
        } catch {}
    }

    /// @dev Reveals from the committer or anyone else, with true or tampered values. A copy
    /// is also revealed by the author of the values it copied (whom its commitment binds).
    function reveal(uint256 seed) external step {
        (bool found, uint256 index) = _pick(seed, _isRevealable);
        if (!found) return;
        Sub storage s = subs[index];
        uint256 r = word(seed, 1);
        address sender = r % 3 == 0
            ? actors[(r >> 8) % actors.length]
            : (s.isCopy && r % 3 == 1 ? s.author : s.committer);
        uint256 tamper = (r >> 16) % 4 == 0 ? 1 + (r >> 24) % 3 : 0;
        string memory cid = tamper == 2 ? string.concat(s.cid, "x") : s.cid;
        bytes32 salt = tamper == 1 ? ~s.salt : s.salt;
        uint256[] memory parents = s.parents;
        uint32[] memory weights = s.weights;
        if (tamper == 3) (parents, weights) = _otherParents(parents);
        vm.prank(sender);
        try book.reveal(s.id, cid, parents, weights, salt) {
            if (sender != s.committer) ++nonCommitterReveals;
            if (tamper != 0) ++forgedReveals;
            if (s.isCopy) ++copiedReveals;
            s.revealed = true;
            ++successes["reveal"];
        } catch {
            if (sender == s.committer && tamper == 0 && !s.isCopy) ++honestRevealFailures;
        }
    }

    function postScores(uint256 seed) external step {
        (bool found, uint256 first) = _pick(seed, _isScorable);
        if (!found) return;
        IScoreBoard.ScoreItem[] memory items = _scoreItems(seed, first);
        uint256 r = word(seed, 7);
        uint256 c = subs[first].challengeId;
        uint64 last = board.lastSeq(c);
        bool stale = r % 8 == 0 && last > 0; // a used seq: the highest posted
        uint64 seq = stale ? last : last + 1 + uint64((r >> 8) % 3);
        bool belowQuorum = (r >> 16) % 10 == 0;
        IScoreBoard.ScoreBatch memory header = IScoreBoard.ScoreBatch({
            challengeId: c,
            phase: subs[first].phase,
            correction: 0,
            seq: seq,
            configDigest: _phaseDigest(c, subs[first].phase),
            itemsHash: keccak256(abi.encode(items))
        });
        bytes[] memory signatures =
            _signatures(board.scoreBatchDigest(header), belowQuorum ? 1 : 2 + (r >> 24) % 2, r);
        IScoreBoard.Best[] memory before = _bestsBefore(c, header.phase, items);
        try board.postScores(header, items, signatures) {
            if (stale) ++staleSeqAccepted;
            if (belowQuorum) ++quorumBypasses;
            if (seq > postedSeq[c]) postedSeq[c] = seq;
            _recordBatch(header, items, seed);
            _checkLadder(c, header.phase, items, before);
            ++successes["postScores"];
        } catch {
            if (!stale && !belowQuorum) ++honestPostFailures;
        }
    }

    function revealPrivateScores(uint256 seed) external step {
        (bool found, uint256 b) = _pickBatch(seed);
        if (!found) return;
        Batch storage batch = batches[b];
        int256[] memory scores = batchPrivateScores[b];
        bool tamper = word(seed, 1) % 5 == 0;
        if (tamper) scores[word(seed, 2) % scores.length] += 1;
        try board.revealPrivateScores(
            batch.challengeId, batch.seq, batchItems[b], scores, batchSalts[b]
        ) {
            if (tamper) ++forgedPrivateReveals;
            batch.privateRevealed = true;
            ++successes["revealPrivateScores"];
        } catch {
            if (!tamper) ++honestPrivateRevealFailures;
        }
    }

    function revealHoldout(uint256 seed) external step {
        (bool found, uint256 c, uint32 phase) = _pickPhase(seed, _holdoutDue);
        if (!found) return;
        bool wrong = word(seed, 1) % 6 == 0;
        bytes32 splitSalt = wrong ? ~SPLIT_SALT : SPLIT_SALT;
        vm.prank(owner);
        try registry.revealHoldout(c, phase, "bafkreihandlerlabels", LABELS_DIGEST, splitSalt) {
            if (wrong) ++forgedHoldouts;
            ++successes["revealHoldout"];
        } catch {
            if (!wrong) ++honestHoldoutFailures;
        }
    }

    /// @dev Posts a root for a phase whose holdout is out. Some attempts are wrong on purpose:
    /// a total above what is left, a stale seq, a phase with unopened private scores. One in
    /// three roots is inflated: its leaves add up to more than its signed total.
    function postRewards(uint256 seed) external step {
        (bool found, uint256 c, uint32 phase) = _pickPhase(seed, _rootCandidate);
        if (!found) return;
        uint256 r = word(seed, 1);
        bool early = _privateScoresPending(c, phase);
        uint256 available = _rootRoom(c, phase);
        bool over = r % 8 == 0;
        uint256 total = over ? available + 1 : bound(r >> 8, 0, available);
        Leaves memory l = _randomLeaves(seed, total);
        if ((r >> 32) % 3 == 0) l = _inflate(l, seed);
        uint64 last = vault.getRoot(c, phase).seq;
        bool stale = (r >> 16) % 9 == 0 && last > 0;
        IRewardVault.RewardRoot memory root = IRewardVault.RewardRoot({
            challengeId: c,
            phase: phase,
            correction: 0,
            seq: stale ? last : last + 1 + uint64((r >> 24) % 2),
            configDigest: _phaseDigest(c, phase),
            merkleRoot: l.tree[0],
            total: total,
            reportCidHash: keccak256(bytes(REPORT_CID))
        });
        bytes[] memory signatures = _signatures(vault.rewardRootDigest(root), 2, r);
        try vault.postRewards(root, REPORT_CID, signatures) {
            if (over) ++overAllocations;
            if (stale) ++staleSeqAccepted;
            if (early) ++earlyRoots;
            leaves[c][phase] = l;
            ++successes["postRewards"];
        } catch {
            if (!over && !stale && !early) ++honestRewardPostFailures;
        }
    }

    function claim(uint256 seed) external step {
        (bool found, uint256 c, uint32 phase) = _pickPhase(seed, _claimable);
        if (!found) return;
        Leaves storage l = leaves[c][phase];
        uint256 r = word(seed, 1);
        // Half the claims go to the first leaf, the one an inflated tree raised.
        uint256 i = (r >> 24) % 2 == 0 ? 0 : r % l.accounts.length;
        address account = l.accounts[i];
        uint256 amount = l.amounts[i];
        bool tamper = (r >> 8) % 6 == 0;
        bytes32[] memory proof =
            StandardMerkleTree.proof(l.tree, StandardMerkleTree.leaf(account, amount));
        bool claimedBefore = vault.isClaimed(c, phase, account, amount, proof);
        bool exceeds = _exceedsWhatIsLeft(c, phase, amount);
        uint256 balanceBefore = token.balanceOf(account);
        vm.prank(actors[(r >> 16) % actors.length]); // anyone may relay
        try vault.claim(c, phase, account, tamper ? amount + 1 : amount, proof) {
            if (tamper) ++forgedClaims;
            if (exceeds) ++overClaims;
            uint256 count = ++claimCount[c][phase][account];
            if (count > maxClaimCount) maxClaimCount = count;
            ghostClaimed += amount;
            claimedOf[c] += amount;
            if (token.balanceOf(account) - balanceBefore != amount) ++paymentMismatches;
            ++successes["claim"];
        } catch {
            if (!tamper && !claimedBefore && !exceeds) ++honestClaimFailures;
        }
    }

    function dispute(uint256 seed) external step {
        (bool found, uint256 c, uint32 phase) = _pickPhase(seed, _disputable);
        if (!found) return;
        uint256 r = word(seed, 1);
        address disputer = actors[r % actors.length];
        bool wrong = (r >> 8) % 6 == 0;
        uint256 value = wrong ? DISPUTE_BOND + 1 : DISPUTE_BOND;
        IRewardVault.RootRecord memory root = vault.getRoot(c, phase);
        bytes32 key = keccak256(abi.encode(c, phase, root.merkleRoot));
        bool disputedBefore =
            _disputedBy[key][disputer] || root.state == IRewardVault.RootState.Disputed;
        vm.deal(disputer, disputer.balance + value);
        vm.prank(disputer);
        try vault.dispute{value: value}(c, phase, "bafkreihandlerreason") {
            _disputedBy[key][disputer] = true;
            if (wrong) ++wrongBondDisputes;
            if (disputedBefore) ++repeatedDisputes;
            ghostBondsIn += value;
            ++successes["dispute"];
        } catch {}
    }

    function resolveDispute(uint256 seed) external step {
        (bool found, uint256 c, uint32 phase) = _pickPhase(seed, _disputed);
        if (!found) return;
        uint256 r = word(seed, 1);
        address caller = r % 5 == 0 ? actors[(r >> 8) % actors.length] : arbiter;
        bool uphold = (r >> 16) % 2 == 0;
        vm.prank(caller);
        try vault.resolveDispute(c, phase, uphold) {
            if (caller != arbiter) ++nonArbiterResolutions;
            if (uphold) delete leaves[c][phase];
            ++successes["resolveDispute"];
        } catch {}
    }

    /// @dev The drain attack, against whatever the vault holds now: a fresh 1-wei challenge
    /// whose only oracle and arbiter is the attacker, windows already over, no dispute
    /// window, and a root with a 1-wei total whose tree pays the attacker the vault's whole
    /// balance. The claim must fail; anything paid is counted in `drains`.
    function attackWithTinyChallenge(uint256 seed) external step {
        uint256 attackerKey = 0xA77AC4 + seed % 1000;
        address attacker = vm.addr(attackerKey);
        uint256 held = token.balanceOf(address(vault));
        if (held == 0) return;
        uint256 c = _tinyChallenge(attacker);
        ghostEscrowed += 1;
        Leaves memory l;
        l.accounts = new address[](2);
        l.amounts = new uint256[](2);
        (l.accounts[0], l.amounts[0]) = (attacker, held + 1);
        (l.accounts[1], l.amounts[1]) = (actors[0], 1);
        l.tree = StandardMerkleTree.build(l.accounts, l.amounts);
        _postAsSoleOracle(c, attackerKey, l.tree[0], 1);
        bytes32[] memory proof =
            StandardMerkleTree.proof(l.tree, StandardMerkleTree.leaf(attacker, held + 1));
        try vault.claim(c, 0, attacker, held + 1, proof) {} catch {}
        uint256 gained = token.balanceOf(attacker);
        drains += gained;
        vm.prank(attacker);
        token.transfer(owner, gained); // keeps the attacker's balance at 0 for the next try
        ++successes["attackWithTinyChallenge"];
    }

    /// @dev A 1-wei challenge owned, oracled and arbitrated by `attacker`, its windows over, no
    /// dispute window, its holdout revealed.
    function _tinyChallenge(address attacker) internal returns (uint256 c) {
        IChallengeRegistry.ChallengeConfig memory config;
        config.token = address(token);
        config.bounty = 1;
        config.oracles = new address[](1);
        config.oracles[0] = attacker;
        config.quorum = 1;
        config.arbiter = attacker;
        config.disputeWindow = 5 minutes; // the shortest allowed
        config.noticePeriod = 1 days;
        IChallengeRegistry.PhaseConfig memory phase0 =
            _withRules(_phaseConfig(uint64(clock) - 3, 1), true, 1e18);
        (phase0.commitEnd, phase0.revealEnd) = (uint64(clock) + 1, uint64(clock) + 2);
        vm.prank(owner);
        token.transfer(attacker, 1);
        vm.startPrank(attacker);
        token.approve(address(vault), 1);
        c = registry.createChallenge(config, "bafkreiattack", phase0);
        clock += 3; // the windows end (a phase must end in the future when it is created)
        vm.warp(clock);
        registry.revealHoldout(c, 0, "bafkreiattack", LABELS_DIGEST, SPLIT_SALT);
        vm.stopPrank();
    }

    function _postAsSoleOracle(uint256 c, uint256 key, bytes32 merkleRoot, uint256 total) internal {
        IRewardVault.RewardRoot memory root = IRewardVault.RewardRoot({
            challengeId: c,
            phase: 0,
            correction: 0,
            seq: 1,
            configDigest: _phaseDigest(c, 0),
            merkleRoot: merkleRoot,
            total: total,
            reportCidHash: keccak256(bytes(REPORT_CID))
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, vault.rewardRootDigest(root));
        bytes[] memory signatures = new bytes[](1);
        signatures[0] = abi.encodePacked(r, s, v);
        vault.postRewards(root, REPORT_CID, signatures);
        clock += 5 minutes; // the dispute window passes: claims are open
        vm.warp(clock);
    }

    /// @dev Anyone ends a dispute the arbiter left open; too early on purpose now and then.
    function lapseDispute(uint256 seed) external step {
        (bool found, uint256 c, uint32 phase) = _pickPhase(seed, _disputed);
        if (!found) return;
        bool early = clock < vault.getRoot(c, phase).arbiterDeadline;
        vm.prank(actors[word(seed, 1) % actors.length]);
        try vault.lapseDispute(c, phase) {
            if (early) ++earlyLapses;
            ++successes["lapseDispute"];
        } catch {}
    }

    /// @dev Withdraws for the first account (actors, then the owner) that has bond credit.
    function withdrawBonds(uint256 seed) external step {
        address account = address(0);
        for (uint256 k = 0; k <= actors.length && account == address(0); ++k) {
            uint256 i = (seed % (actors.length + 1) + k) % (actors.length + 1);
            address candidate = i == actors.length ? owner : actors[i];
            if (vault.bondCredit(candidate) > 0) account = candidate;
        }
        if (account == address(0)) return;
        uint256 credit = vault.bondCredit(account);
        uint256 before = account.balance;
        vm.prank(account);
        try vault.withdrawBonds() {
            ghostBondsOut += credit;
            if (account.balance - before != credit) ++paymentMismatches;
            ++successes["withdrawBonds"];
        } catch {}
    }

    function refundRemainder(uint256 seed) external step {
        if (challengeIds.length == 0) return;
        uint256 c = challengeIds[seed % challengeIds.length];
        bool wasClosed = vault.isClosed(c);
        uint256 expected = vault.unallocated(c);
        uint256 before = token.balanceOf(owner);
        bool stranger = word(seed, 1) % 4 == 0; // only the owner may refund
        vm.prank(stranger ? actors[word(seed, 2) % actors.length] : owner);
        try vault.refundRemainder(c) {
            uint256 paid = token.balanceOf(owner) - before;
            if (wasClosed) ++repeatedRefunds;
            if (stranger) ++strangerRefunds;
            if (paid != expected) ++paymentMismatches;
            ghostRefunded += paid;
            refundedOf[c] += paid;
            ++successes["refundRemainder"];
        } catch {}
    }

    function forfeitBond(uint256 seed) external step {
        (bool found, uint256 index) = _pick(seed, _isForfeitable);
        if (!found) return;
        try book.forfeitBond(subs[index].id) {
            ++successes["forfeitBond"];
        } catch {}
    }

    // ================================================================== views for invariants

    function challengeCount() external view returns (uint256) {
        return challengeIds.length;
    }

    function actorAt(uint256 i) external view returns (address) {
        return actors[i];
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    // ================================================================== selection

    /// @dev The first sub from a random start that satisfies `ok`.
    function _pick(uint256 seed, function(Sub storage) internal view returns (bool) ok)
        internal
        view
        returns (bool, uint256)
    {
        uint256 n = subs.length;
        if (n == 0) return (false, 0);
        uint256 start = seed % n;
        for (uint256 k = 0; k < n; ++k) {
            uint256 i = (start + k) % n;
            if (ok(subs[i])) return (true, i);
        }
        return (false, 0);
    }

    function _pickBatch(uint256 seed) internal view returns (bool, uint256) {
        uint256 n = batches.length;
        if (n == 0) return (false, 0);
        uint256 start = seed % n;
        for (uint256 k = 0; k < n; ++k) {
            uint256 i = (start + k) % n;
            Batch storage b = batches[i];
            if (!b.privateRevealed && clock > _revealEnd(b.challengeId, b.phase)) return (true, i);
        }
        return (false, 0);
    }

    /// @dev The first (challenge, phase) from a random start that satisfies `ok`.
    function _pickPhase(uint256 seed, function(uint256, uint32) internal view returns (bool) ok)
        internal
        view
        returns (bool, uint256, uint32)
    {
        uint256 n = challengeIds.length;
        if (n == 0) return (false, 0, 0);
        uint256 start = seed % n;
        for (uint256 k = 0; k < n; ++k) {
            uint256 c = challengeIds[(start + k) % n];
            uint32 count = registry.getChallenge(c).phaseCount;
            uint32 phaseStart = uint32((seed >> 128) % count);
            for (uint32 j = 0; j < count; ++j) {
                uint32 phase = (phaseStart + j) % count;
                if (ok(c, phase)) return (true, c, phase);
            }
        }
        return (false, 0, 0);
    }

    function _challengeWithOpenPhase(uint256 seed) internal view returns (bool, uint256) {
        uint256 n = challengeIds.length;
        if (n == 0) return (false, 0);
        for (uint256 k = 0; k < n; ++k) {
            uint256 c = challengeIds[(seed % n + k) % n];
            try registry.commitRules(c) returns (uint32, uint8, uint256, bool) {
                return (true, c);
            } catch {}
        }
        return (false, 0);
    }

    function _isCopyable(Sub storage s) internal view returns (bool) {
        if (s.revealed || s.isCopy) return false;
        try registry.commitRules(s.challengeId) returns (uint32, uint8, uint256, bool) {
            return true;
        } catch {
            return false;
        }
    }

    function _isRevealable(Sub storage s) internal view returns (bool) {
        return !s.revealed && clock <= _revealEnd(s.challengeId, s.phase);
    }

    function _isScorable(Sub storage s) internal view returns (bool) {
        return s.revealed && !s.scored;
    }

    function _isForfeitable(Sub storage s) internal view returns (bool) {
        return !s.revealed && clock > _revealEnd(s.challengeId, s.phase) && book.bondOf(s.id) > 0;
    }

    function _holdoutDue(uint256 c, uint32 phase) internal view returns (bool) {
        IChallengeRegistry.Phase memory p = registry.getPhase(c, phase);
        return !p.holdoutRevealed && clock > p.revealEnd;
    }

    /// @dev Holdout out, no live root, challenge open (private scores may still be pending).
    function _rootCandidate(uint256 c, uint32 phase) internal view returns (bool) {
        IRewardVault.RootState state = vault.getRoot(c, phase).state;
        return registry.getPhase(c, phase).holdoutRevealed && !vault.isClosed(c)
            && (state == IRewardVault.RootState.None || state == IRewardVault.RootState.Voided);
    }

    function _claimable(uint256 c, uint32 phase) internal view returns (bool) {
        IRewardVault.RootRecord memory record = vault.getRoot(c, phase);
        return record.state == IRewardVault.RootState.Posted && clock >= record.claimableAt
            && leaves[c][phase].accounts.length > 0;
    }

    function _disputable(uint256 c, uint32 phase) internal view returns (bool) {
        IRewardVault.RootRecord memory record = vault.getRoot(c, phase);
        return record.state == IRewardVault.RootState.Posted && clock < record.claimableAt;
    }

    function _privateScoresPending(uint256 c, uint32 phase) internal view returns (bool) {
        (uint32 batches, uint32 opened) = board.phaseBatches(c, phase);
        return batches != opened;
    }

    /// @dev The most a new root of the phase may allocate: its bounty, within the escrow left.
    function _rootRoom(uint256 c, uint32 phase) internal view returns (uint256 available) {
        available = vault.unallocated(c);
        uint256 phaseBounty = registry.getPhase(c, phase).bounty;
        if (phaseBounty < available) available = phaseBounty;
    }

    function _exceedsWhatIsLeft(uint256 c, uint32 phase, uint256 amount)
        internal
        view
        returns (bool)
    {
        IRewardVault.RootRecord memory record = vault.getRoot(c, phase);
        return amount > record.total - record.claimed;
    }

    function _disputed(uint256 c, uint32 phase) internal view returns (bool) {
        return vault.getRoot(c, phase).state == IRewardVault.RootState.Disputed;
    }

    // ================================================================== building blocks

    function _phaseConfig(uint64 start, uint256 bounty)
        internal
        pure
        returns (IChallengeRegistry.PhaseConfig memory phase)
    {
        phase.specCid = "bafkreihandlerspec";
        phase.commitStart = start;
        phase.commitEnd = start + PERIOD;
        phase.revealEnd = start + 2 * PERIOD;
        phase.holdoutCommitment =
            keccak256(abi.encode(LABELS_DIGEST, keccak256(abi.encodePacked(SPLIT_SALT))));
        phase.bounty = bounty;
    }

    /// @dev A phase judged from 0 to 1 (reversed when lower is better) in steps of `eta`.
    function _withRules(IChallengeRegistry.PhaseConfig memory phase, bool higher, uint256 eta)
        internal
        pure
        returns (IChallengeRegistry.PhaseConfig memory)
    {
        phase.higherIsBetter = higher;
        (phase.baseline, phase.target) =
            higher ? (int256(0), int256(1e18)) : (int256(1e18), int256(0));
        phase.eta = eta;
        return phase;
    }

    function _phaseDigest(uint256 c, uint32 phase) internal view returns (bytes32) {
        (, IChallengeRegistry.Judges memory judges) = registry.phaseJudges(c, phase);
        return judges.configDigest;
    }

    function _oracleList() internal view returns (address[] memory list) {
        list = new address[](3);
        for (uint256 i = 0; i < 3; ++i) {
            list[i] = vm.addr(oracleKeys[i]);
        }
    }

    function _revealEnd(uint256 c, uint32 phase) internal view returns (uint64) {
        return registry.getPhase(c, phase).revealEnd;
    }

    function _commitment(Sub memory s, address submitter) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                block.chainid,
                address(book),
                s.challengeId,
                submitter,
                keccak256(bytes(s.cid)),
                keccak256(abi.encode(s.parents, s.weights)),
                s.salt
            )
        );
    }

    /// @dev Up to 3 distinct revealed submissions (any challenge), ascending, weights in ppm.
    function _randomParents(uint256 seed)
        internal
        view
        returns (uint256[] memory parents, uint32[] memory weights)
    {
        uint256 want = word(seed, 10) % 4;
        uint256[] memory picked = new uint256[](want);
        uint256 count = 0;
        for (uint256 k = 0; k < want && subs.length > 0; ++k) {
            Sub storage s = subs[word(seed, 11 + k) % subs.length];
            if (!s.revealed) continue;
            bool duplicate = false;
            for (uint256 j = 0; j < count; ++j) {
                if (picked[j] == s.id) duplicate = true;
            }
            if (!duplicate) picked[count++] = s.id;
        }
        parents = new uint256[](count);
        weights = new uint32[](count);
        uint256 left = 1_000_000;
        for (uint256 i = 0; i < count; ++i) {
            parents[i] = picked[i];
        }
        for (uint256 i = 1; i < count; ++i) {
            for (uint256 j = i; j > 0 && parents[j - 1] > parents[j]; --j) {
                (parents[j - 1], parents[j]) = (parents[j], parents[j - 1]);
            }
        }
        for (uint256 i = 0; i + 1 < count; ++i) {
            weights[i] = uint32(bound(word(seed, 20 + i), 1, left - (count - 1 - i)));
            left -= weights[i];
        }
        if (count > 0) weights[count - 1] = uint32(left);
    }

    /// @dev A different fork set than the committed one (drops or adds a parent).
    function _otherParents(uint256[] memory parents)
        internal
        pure
        returns (uint256[] memory other, uint32[] memory weights)
    {
        if (parents.length > 0) return (new uint256[](0), new uint32[](0));
        other = new uint256[](1);
        other[0] = 1;
        weights = new uint32[](1);
        weights[0] = 1_000_000;
    }

    /// @dev 1..4 revealed unscored submissions of the first one's (challenge, phase).
    function _scoreItems(uint256 seed, uint256 first)
        internal
        view
        returns (IScoreBoard.ScoreItem[] memory items)
    {
        uint256 c = subs[first].challengeId;
        uint32 phase = subs[first].phase;
        uint256 want = 1 + word(seed, 30) % 4;
        uint256[] memory picked = new uint256[](want);
        uint256 count = 0;
        for (uint256 i = first; i < subs.length && count < want; ++i) {
            Sub storage s = subs[i];
            if (s.revealed && !s.scored && s.challengeId == c && s.phase == phase) {
                picked[count++] = i;
            }
        }
        items = new IScoreBoard.ScoreItem[](count);
        int256 eta = int256(etaOf[c]);
        for (uint256 k = 0; k < count; ++k) {
            uint256 r = word(seed, 40 + k);
            uint256 id = subs[picked[k]].id;
            items[k].submissionId = id;
            items[k].reportDigest = keccak256(abi.encode("report", id));
            if (r % 10 == 0) {
                items[k].status = uint8(1 + (r >> 8) % 11);
            } else {
                int256 steps = (int256(0.5e18) / eta) + int256((r >> 16) % 41) - 20;
                items[k].publicScore = steps * eta;
            }
            int256 privateScore = items[k].publicScore + int256((r >> 32) % 5) * eta;
            bytes32 salt = keccak256(abi.encode("private salt", id, r));
            items[k].privateCommitment = keccak256(abi.encode(id, privateScore, salt));
        }
    }

    /// @dev Stores a posted batch with its private openings, marks its items scored.
    function _recordBatch(
        IScoreBoard.ScoreBatch memory header,
        IScoreBoard.ScoreItem[] memory items,
        uint256 seed
    ) internal {
        uint256 b = batches.length;
        batches.push(Batch(header.challengeId, header.seq, header.phase, false));
        int256 eta = int256(etaOf[header.challengeId]);
        for (uint256 k = 0; k < items.length; ++k) {
            uint256 r = word(seed, 40 + k);
            batchItems[b].push(items[k]);
            batchPrivateScores[b].push(items[k].publicScore + int256((r >> 32) % 5) * eta);
            batchSalts[b].push(keccak256(abi.encode("private salt", items[k].submissionId, r)));
            subs[items[k].submissionId - 1].scored = true;
        }
    }

    function _bestsBefore(uint256 c, uint32 phase, IScoreBoard.ScoreItem[] memory items)
        internal
        view
        returns (IScoreBoard.Best[] memory before)
    {
        before = new IScoreBoard.Best[](items.length);
        for (uint256 k = 0; k < items.length; ++k) {
            before[k] = board.releasedBest(c, phase, subs[items[k].submissionId - 1].committer);
        }
    }

    /// @dev Runs the Ladder model over the batch, then compares each participant's best.
    function _checkLadder(
        uint256 c,
        uint32 phase,
        IScoreBoard.ScoreItem[] memory items,
        IScoreBoard.Best[] memory before
    ) internal {
        int256 eta = int256(etaOf[c]);
        bool higher = higherIsBetterOf[c];
        for (uint256 k = 0; k < items.length; ++k) {
            if (items[k].status != 0) continue;
            address who = subs[items[k].submissionId - 1].committer;
            int256 score = items[k].publicScore;
            int256 held = modelBest[c][phase][who];
            int256 gain = higher ? score - held : held - score;
            if (!modelReleased[c][phase][who] || gain >= eta) {
                modelBest[c][phase][who] = score;
                modelReleased[c][phase][who] = true;
            }
        }
        for (uint256 k = 0; k < items.length; ++k) {
            address who = subs[items[k].submissionId - 1].committer;
            IScoreBoard.Best memory best = board.releasedBest(c, phase, who);
            if (
                best.released != modelReleased[c][phase][who]
                    || best.score != modelBest[c][phase][who]
            ) {
                ++ladderViolations;
            }
            if (before[k].released && best.score != before[k].score) {
                int256 moved = higher
                    ? int256(best.score) - before[k].score
                    : int256(before[k].score) - best.score;
                if (moved < eta) ++ladderViolations;
            }
        }
    }

    /// @dev `count` signatures of distinct oracles, ascending (a random choice of them).
    function _signatures(bytes32 digest, uint256 count, uint256 r)
        internal
        view
        returns (bytes[] memory signatures)
    {
        signatures = new bytes[](count);
        uint256 skip = count == 3 ? 3 : (r >> 40) % 3; // the oracle left out of a pair
        uint256 k = 0;
        for (uint256 i = 0; i < 3 && k < count; ++i) {
            if (i == skip && count == 2) continue;
            (uint8 v, bytes32 rr, bytes32 ss) = vm.sign(oracleKeys[i], digest);
            signatures[k++] = abi.encodePacked(rr, ss, v);
        }
    }

    /// @dev 1..4 leaves for distinct actors whose amounts add up to exactly `total`.
    function _randomLeaves(uint256 seed, uint256 total) internal view returns (Leaves memory l) {
        uint256 n = 1 + word(seed, 50) % 4;
        uint256 first = word(seed, 51) % actors.length;
        l.accounts = new address[](n);
        l.amounts = new uint256[](n);
        uint256 left = total;
        for (uint256 i = 0; i < n; ++i) {
            l.accounts[i] = actors[(first + i) % actors.length];
            l.amounts[i] = i + 1 == n ? left : bound(word(seed, 52 + i), 0, left);
            left -= l.amounts[i];
        }
        l.tree = StandardMerkleTree.build(l.accounts, l.amounts);
    }

    /// @dev The same leaves with the first amount raised a little: the tree promises more than
    /// the root's signed total, an excess the vault could pay out of other challenges' escrow.
    function _inflate(Leaves memory l, uint256 seed) internal view returns (Leaves memory) {
        l.amounts[0] += bound(word(seed, 60), 1, 1e18);
        l.tree = StandardMerkleTree.build(l.accounts, l.amounts);
        return l;
    }

    /// @dev Records any decrease of a challenge's score or reward seq.
    function _watchSeqs() internal {
        for (uint256 i = 0; i < challengeIds.length; ++i) {
            uint256 c = challengeIds[i];
            uint64 seq = board.lastSeq(c);
            if (seq < _seenSeq[c]) ++seqDecreases;
            _seenSeq[c] = seq;
        }
    }
}
