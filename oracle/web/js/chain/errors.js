// Every custom error the deployed contracts can revert with, and what it means for the
// person at the keyboard. Keys are the Solidity declarations (types and parameter names);
// tests/web/test_contract_tables.py fails when this list and the compiled ABIs
// (build/brownie) disagree. In explanations, {name} is an argument; {name|time} formats a
// unix time, {name|eth} an amount of wei, {name|root} a RewardVault root state.

import { AbiDecodingZeroDataError, AbiErrorSignatureNotFoundError, decodeErrorResult, parseAbi } from "../lib/ethereum.js";

export const ERRORS = {
  // -- participants: commit ------------------------------------------------------------
  "NoOpenPhase(uint256 challengeId, uint256 now_)":
    "No phase of challenge {challengeId} is open for commits at the chain's time ({now_|time}). Commits are accepted only inside a phase's commit window.",
  "WrongCommitBond(uint256 sent, uint256 required)":
    "A commit must lock exactly the challenge's commit bond: {required|eth} was required, {sent|eth} was sent.",
  "DailyCapReached(address submitter, uint8 cap, uint256 nextCommitAt)":
    "{submitter} already made {cap} commits to this challenge in the last 24 hours (the daily cap). The next commit is accepted from {nextCommitAt|time}.",
  "UnknownChallenge(uint256 challengeId)": "There is no challenge {challengeId} on this chain.",
  "SubmissionIdOverflow(uint256 next)": "This book has given out all its submission ids (the next would be {next}): it takes no more commits.",
  // -- participants: reveal ------------------------------------------------------------
  "UnknownSubmission(uint256 submissionId)": "There is no submission {submissionId} on this chain.",
  "AlreadyRevealed(uint256 submissionId)": "Submission {submissionId} is revealed already: nothing left to do.",
  "RevealTooEarly(uint256 submissionId, uint256 commitBlock)":
    "A reveal must land in a later block than its commit (block {commitBlock}). Wait for one more block and reveal again.",
  "RevealWindowClosed(uint256 submissionId, uint64 revealEnd, uint256 now_)":
    "The reveal window of this phase ended at {revealEnd|time} (chain time now {now_|time}). An unrevealed commit is never scored and its bond can be forfeited.",
  "CommitmentMismatch(uint256 submissionId, bytes32 expected, bytes32 computed)":
    "The file, parents, weights or salt differ from what was committed, or this wallet is not the account that committed submission {submissionId} (the commit stored the fingerprint {expected}; these values from this account give {computed}). Reveal from the committing account with exactly the values saved at the commit.",
  "TooManyParents(uint256 count, uint256 max)": "A fork may name at most {max} parents; this one names {count}.",
  "WeightsLengthMismatch(uint256 parents, uint256 weights)": "Each parent needs one weight: {parents} parents but {weights} weights.",
  "WeightsDoNotSumToMillion(uint256 sum)": "The parents' weights must add up to 100% (1,000,000 ppm); they add up to {sum} ppm.",
  "ZeroWeight(uint256 index)": "Parent number {index} (counting from 0) has a weight of zero: give it a share or remove it.",
  "ParentsNotAscending(uint256 index, uint256 previous, uint256 next)":
    "Parents must be listed by increasing submission id, each once: {next} comes after {previous}.",
  "ParentNotRevealedBeforeCommit(uint256 parentId, uint256 childId)":
    "Submission {parentId} was not revealed before submission {childId} was committed, so it cannot be its parent (you can only build on what was public when you committed).",
  "EthTransferFailed(address to, uint256 amount)": "Sending {amount|eth} to {to} failed: that account refuses the chain's coin.",
  "ReentrancyGuardReentrantCall()": "A protected function was entered twice in one transaction (re-entrancy); the call was refused.",
  // -- participants: review ------------------------------------------------------------
  "NotRevealed(uint256 submissionId)": "Submission {submissionId} is not revealed yet: there is nothing to review.",
  "SelfReview(uint256 submissionId, address reviewer)": "{reviewer} submitted {submissionId}: nobody may review their own submission.",
  "InvalidVerdict(uint8 verdict)": "The verdict must be 1 (approve), 2 (concern) or 3 (reject), not {verdict}.",
  "AlreadyReviewed(uint256 submissionId, address reviewer)": "{reviewer} reviewed submission {submissionId} already (one review per reviewer).",
  "ReviewWindowClosed(uint256 submissionId, uint64 revealEnd, uint256 now_)": "Reviews of this phase closed at {revealEnd|time} (chain time now {now_|time}).",
  "BondNotForfeitable(uint256 submissionId)":
    "The bond of submission {submissionId} cannot be forfeited: it was revealed, already forfeited, there is no bond, or the reveal window is still open.",
  // -- participants: claim -------------------------------------------------------------
  "ClaimsNotOpen(uint256 challengeId, uint32 phase, uint64 claimableAt, uint8 state)":
    "Claims for phase {phase} are not open: the rewards root is {state|root}; claims open at {claimableAt|time} once the dispute window has passed without a dispute.",
  "AlreadyClaimed(uint256 challengeId, uint32 phase, address account)":
    "The reward of {account} for phase {phase} has been claimed already (anyone may send the claim for an account; the tokens always go to the account itself).",
  "InvalidProof(address account, uint256 amount)":
    "The Merkle proof does not show {account} is owed {amount} under the posted root. Fetch the proof again: the root may have been replaced.",
  "ClaimExceedsRootTotal(uint256 challengeId, uint32 phase, uint256 claimed, uint256 amount, uint256 total)":
    "This claim of {amount} would take the payouts of phase {phase} past the total the oracles signed ({claimed} paid of {total}): the rewards tree is inconsistent; report it to the challenge's arbiter.",
  "SafeERC20FailedOperation(address token)": "The reward token {token} refused the transfer.",
  // -- reward tokens (the vault moves them) ----------------------------------------------
  "ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)": "{sender} holds {balance} token units but {needed} are needed.",
  "ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)":
    "{spender} may move only {allowance} token units, {needed} are needed: approve it for more first.",
  "ERC20InvalidApprover(address approver)": "The zero address cannot approve tokens.",
  "ERC20InvalidReceiver(address receiver)": "Tokens cannot be sent to {receiver}.",
  "ERC20InvalidSender(address sender)": "Tokens cannot be sent from {sender}.",
  "ERC20InvalidSpender(address spender)": "{spender} cannot be approved as a spender.",
  "ERC2612ExpiredSignature(uint256 deadline)": "The permit signature expired at {deadline|time}.",
  "ERC2612InvalidSigner(address signer, address owner)": "The permit was signed by {signer}, not by the owner {owner}.",
  "InvalidAccountNonce(address account, uint256 currentNonce)": "Wrong nonce for {account}; the current one is {currentNonce}.",
  "OwnableUnauthorizedAccount(address account)": "{account} is not the owner of this contract.",
  "OwnableInvalidOwner(address owner)": "{owner} cannot own this contract.",
  // -- challenge owners ------------------------------------------------------------------
  "NotChallengeOwner(uint256 challengeId, address caller, address owner)":
    "Only the owner of challenge {challengeId} ({owner}) may do this; the caller is {caller}.",
  "UnknownPhase(uint256 challengeId, uint32 phase, uint32 phaseCount)": "Challenge {challengeId} has {phaseCount} phases; there is no phase {phase}.",
  "InvalidOracleSet(uint256 oracleCount, uint8 quorum)":
    "An oracle set needs 1 to 32 oracles and a quorum between 1 and their number ({oracleCount} oracles, quorum {quorum}).",
  "OraclesNotSorted(uint256 index, address previous, address next)": "Oracles must be listed by increasing address, each once: {next} follows {previous}.",
  "InvalidScoreRange(int256 baseline, int256 target, bool higherIsBetter)": "The target must be strictly better than the baseline in the metric's direction.",
  "InvalidEta(uint256 eta)": "The Ladder step eta must be above zero.",
  "EtaExceedsScoreRange(uint256 eta, uint256 range)":
    "The Ladder step eta ({eta}) is larger than the whole baseline-to-target range ({range}): no improvement could ever be released.",
  "TooManyPhases(uint256 challengeId, uint32 maxPhases)": "Challenge {challengeId} has the maximum number of phases ({maxPhases}).",
  "EscrowAmountMismatch(address token, uint256 requested, uint256 received)":
    "The vault received {received} instead of {requested} from token {token}: fee-on-transfer or otherwise non-standard tokens cannot be reward tokens.",
  "InvalidDailyCap(uint8 dailyCap, uint8 maxDailyCap)": "The daily cap is {dailyCap}; at most {maxDailyCap} is allowed.",
  "InvalidArbiter()": "The arbiter cannot be the zero address.",
  "InvalidToken()": "The reward token cannot be the zero address.",
  "InvalidWindows(uint64 commitStart, uint64 commitEnd, uint64 revealEnd, uint64 notBefore)":
    "Windows must satisfy {notBefore|time} ≤ commit start < commit end < reveal end.",
  "PhaseNoticeTooShort(uint256 challengeId, uint64 commitStart, uint256 earliest)":
    "A new phase is announced at least the challenge's notice period ahead: its commits may open at {earliest|time} at the earliest.",
  "PhaseBountyExceedsEscrow(uint256 requested, uint256 unallocated)": "The phase asks for {requested} but only {unallocated} of the escrow is unallocated.",
  "HoldoutTooEarly(uint256 challengeId, uint32 phase, uint64 revealEnd, uint256 now_)":
    "The holdout can be revealed only after the reveal end ({revealEnd|time}).",
  "HoldoutAlreadyRevealed(uint256 challengeId, uint32 phase)": "The holdout of phase {phase} is revealed already.",
  "HoldoutMismatch(bytes32 expected, bytes32 computed)": "These labels and split salt do not match the holdout commitment made at creation.",
  "NotDeployer(address caller, address deployer)": "Only the registry's deployer may bind the vault.",
  "VaultAlreadyBound(address vault)": "The vault is bound already ({vault}).",
  "VaultNotBound()": "The registry has no reward vault yet: the deployment is incomplete.",
  "ChallengeClosed(uint256 challengeId)": "Challenge {challengeId} is closed: its remaining escrow was refunded.",
  "ChallengeIdOverflow(uint256 next)": "No more challenge ids are available.",
  "PhaseNotSettled(uint256 challengeId, uint32 phase, uint8 state, uint64 settledAt)":
    "Phase {phase} may still change what it pays (its root is {state|root}); the remainder can be refunded once it is settled.",
  "WindowsOutOfRange(uint64 commitStart, uint64 revealEnd, uint256 now_)": "A phase must end in the future, open within a year and last at most a year.",
  "InvalidDisputeWindow(uint32 disputeWindow, uint32 min, uint32 max)": "The dispute window must be {min} to {max} seconds; {disputeWindow} was given.",
  "DisputeBondTooHigh(uint256 disputeBond, uint256 max)": "A dispute bond of {disputeBond|eth} is more than the {max|eth} a participant can be asked to lock.",
  "InvalidNoticePeriod(uint32 noticePeriod, uint32 min, uint32 max)": "The notice period must be {min} to {max} seconds; {noticePeriod} was given.",
  "ScoreOutOfRange(int256 score, int256 min, int256 max)": "The baseline and target must fit what the board holds (int248).",
  "AlreadyRefunded(uint256 challengeId)": "The remainder of challenge {challengeId} was refunded already.",
  "EmptyCorrection(uint256 challengeId, uint32 phase)":
    "A correction of phase {phase} must name a corrected scorer or a corrected labels commitment (or both).",
  "EmptyCorrectionReason(uint256 challengeId, uint32 phase)": "A correction needs the CID of its reason's text on IPFS.",
  "CorrectionAfterClaimsOpened(uint256 challengeId, uint32 phase, uint64 claimableAt)":
    "The rewards of phase {phase} are claimable since {claimableAt|time}: a correction can no longer change them. What remains is the dispute path.",
  "CorrectionDuringDispute(uint256 challengeId, uint32 phase, uint64 arbiterDeadline)":
    "The root of phase {phase} is under dispute: correct it once the arbiter decides (at the latest {arbiterDeadline|time}).",
  "WrongCorrection(uint256 challengeId, uint32 phase, uint32 signed, uint32 current)":
    "This was signed under correction {signed} of phase {phase}, but the phase is under correction {current} now: it must be computed and signed again.",
  // -- disputes ----------------------------------------------------------------------------
  "NotDisputable(uint256 challengeId, uint32 phase, uint8 state)": "The root of phase {phase} is {state|root}: only a posted root can be disputed.",
  "DisputeWindowClosed(uint256 challengeId, uint32 phase, uint64 claimableAt)": "The dispute window closed at {claimableAt|time}.",
  "WrongDisputeBond(uint256 sent, uint256 required)": "A dispute must lock exactly {required|eth}; {sent|eth} was sent.",
  "AlreadyDisputed(uint256 challengeId, uint32 phase, address disputer)":
    "{disputer} disputed the root of phase {phase} before; each account disputes a root once.",
  "EmptyDisputeReason(uint256 challengeId, uint32 phase)": "A dispute needs a reason.",
  "ArbiterDeadlinePassed(uint256 challengeId, uint32 phase, uint64 arbiterDeadline)":
    "The arbiter's time to decide ended at {arbiterDeadline|time}; anyone may now end the dispute (the root stands).",
  "DisputeNotLapsed(uint256 challengeId, uint32 phase, uint64 arbiterDeadline)": "The arbiter may still decide until {arbiterDeadline|time}.",
  "NotDisputed(uint256 challengeId, uint32 phase, uint8 state)": "The root of phase {phase} is {state|root}, not disputed.",
  "NotArbiter(address caller, address arbiter)": "Only the phase's arbiter ({arbiter}) decides its disputes.",
  "NothingToWithdraw(address account)": "{account} has no bond credit to withdraw.",
  // -- oracles -------------------------------------------------------------------------------
  "EmptyBatch()": "A score batch must hold at least one item.",
  "AlreadyScored(uint256 submissionId)": "Submission {submissionId} has a score already.",
  "InvalidStatus(uint256 submissionId, uint8 status)": "Status code {status} does not exist.",
  "ItemsHashMismatch(bytes32 signed, bytes32 computed)": "The items do not match the signed batch header.",
  "LengthMismatch(uint256 items, uint256 scores, uint256 salts)": "Items, scores and salts must be equally many ({items}, {scores}, {salts}).",
  "NotAnOracle(address signer)": "{signer} is not an oracle of this phase's judges.",
  "OffGridScore(uint256 submissionId, int256 publicScore, uint256 eta)": "A public score must be a multiple of eta (the Ladder step).",
  "OnlyRegistry(address caller)": "Only the challenge registry may call this.",
  "PrivateCommitmentMismatch(uint256 submissionId, bytes32 expected, bytes32 computed)":
    "The private score of submission {submissionId} does not match the commitment signed at scoring time.",
  "PrivateScoresAlreadyRevealed(uint256 challengeId, uint64 seq)": "The private scores of batch {seq} are revealed already.",
  "QuorumNotReached(uint256 signatures, uint8 quorum)": "{signatures} valid oracle signatures; the quorum is {quorum}.",
  "RevealBeforePhaseEnd(uint256 challengeId, uint32 phase, uint64 revealEnd)": "Private scores open only after the phase's reveal end ({revealEnd|time}).",
  "ScoreOnInvalid(uint256 submissionId, uint8 status, int256 publicScore)": "An invalid submission's public score must be 0.",
  "SignersNotSorted(uint256 index, address previous, address signer)": "Signatures must be ordered by signer address, each signer once.",
  "StaleConfigDigest(bytes32 signed, bytes32 expected)": "Signed under another oracle set than the one judging this phase.",
  "SeqAlreadyUsed(uint256 challengeId, uint64 seq)": "Batch number {seq} is taken (or 0).",
  "SubmissionNotRevealed(uint256 submissionId)": "Submission {submissionId} is not revealed: it cannot be scored.",
  "UnknownBatch(uint256 challengeId, uint64 seq)": "There is no score batch {seq}.",
  "WrongSubmission(uint256 submissionId, uint256 challengeId, uint32 phase)":
    "Submission {submissionId} does not belong to challenge {challengeId}, phase {phase}.",
  "HoldoutNotRevealed(uint256 challengeId, uint32 phase, uint64 postableWithoutAt)":
    "Rewards of phase {phase} can be posted once its holdout is revealed, or without it from {postableWithoutAt|time}.",
  "PrivateScoresNotRevealed(uint256 challengeId, uint32 phase, uint32 batches, uint32 opened)":
    "Rewards can be posted only after every score batch of phase {phase} has its private scores opened ({opened} of {batches}).",
  "ReportCidMismatch(bytes32 signed, bytes32 computed)": "The report CID does not match the signed one.",
  "RewardsExceedEscrow(uint256 total, uint256 available)": "The rewards ({total}) exceed the escrow left ({available}).",
  "RewardsExceedPhaseBounty(uint256 total, uint256 phaseBounty)": "The rewards ({total}) exceed the phase's bounty ({phaseBounty}).",
  "RootAlreadyPosted(uint256 challengeId, uint32 phase, uint8 state)": "Phase {phase} already has a root ({state|root}).",
  "StaleRewardSeq(uint256 challengeId, uint32 phase, uint64 seq, uint64 phaseSeq)": "Root {seq} is not newer than phase {phase}'s last one ({phaseSeq}).",
  // -- no quota lost to the oracles ---------------------------------------------------------
  "InvalidScoringDeadline(uint32 scoringDeadline, uint32 min, uint32 max)":
    "A challenge's scoring deadline is 0 (off) or between {min} and {max} seconds; {scoringDeadline} was given.",
  "InvalidOutageExtension(uint32 maxOutageExtension, uint32 scoringDeadline, uint32 max)":
    "An outage extension of at most {maxOutageExtension} seconds needs a scoring deadline (here {scoringDeadline}) and may not exceed {max} seconds.",
  "QuotaNotProtected(uint256 submissionId, uint256 challengeId)":
    "Challenge {challengeId} sets no scoring deadline (or no daily cap), so submission {submissionId} has no cap slot to release.",
  "QuotaAlreadyReleased(uint256 submissionId)": "Submission {submissionId}'s cap slot was released already.",
  "SubmissionScored(uint256 submissionId)": "The oracles scored submission {submissionId}: its cap slot stays counted.",
  "ScoringDeadlineNotPassed(uint256 submissionId, uint256 dueBy, uint256 now_)":
    "The oracles have until {dueBy|time} to score submission {submissionId} (chain time now {now_|time}); its slot can be released only after that.",
  "OutageExtensionOff(uint256 challengeId)": "Challenge {challengeId} allows no extension for an oracle outage.",
  "LaterPhaseExists(uint256 challengeId, uint32 phase, uint32 phaseCount)":
    "Only the newest phase of challenge {challengeId} can be extended; phase {phase} has a later one ({phaseCount} phases).",
  "PhaseAlreadyExtended(uint256 challengeId, uint32 phase, uint64 extension)":
    "Phase {phase} of challenge {challengeId} was extended once already (by {extension} seconds); an outage extends a phase only once.",
  "PhaseOver(uint256 challengeId, uint32 phase, uint64 revealEnd, uint256 now_)":
    "Phase {phase} of challenge {challengeId} ended at {revealEnd|time} (chain time now {now_|time}).",
  "SubmissionNotInPhase(uint256 submissionId, uint256 challengeId, uint32 phase)":
    "Submission {submissionId} does not belong to phase {phase} of challenge {challengeId}.",
  "SubmissionNotWaiting(uint256 submissionId)": "Submission {submissionId} is not waiting for the oracles: it is not revealed yet, or it was scored.",
  "OutageTooShort(uint256 submissionId, uint256 waited, uint32 scoringDeadline)":
    "Submission {submissionId} has waited {waited} seconds, less than the scoring deadline ({scoringDeadline} s): that is not an outage yet.",
  "OutageNotInLastDay(uint256 submissionId, uint64 revealedAt, uint64 commitEnd, uint256 now_)":
    "An extension is for an outage in the last day of commits (they end at {commitEnd|time}); submission {submissionId} was revealed at {revealedAt|time}, chain time now {now_|time}.",
  // -- teams -------------------------------------------------------------------------------------
  "InvalidTeamSize(uint256 members, uint256 min, uint256 max)": "A team has {min} to {max} members; this one names {members}.",
  "TeamSharesLengthMismatch(uint256 members, uint256 shares)": "Each member needs one reward share: {members} members but {shares} shares.",
  "MembersNotAscending(uint256 index, address previous, address next)":
    "List a team's members in ascending address order: {next} (at {index}) comes after {previous}.",
  "TeamSharesDoNotSumToMillion(uint256 sum)": "The members' reward shares must add up to 100% (1,000,000 ppm); they add up to {sum} ppm.",
  "ZeroTeamShare(uint256 index)": "Every member needs a reward share above 0; member {index} has none.",
  "NotATeamMember(uint256 teamId, address account)": "{account} is not a member of team {teamId}.",
  "UnknownTeam(uint256 teamId)": "There is no team {teamId} on this chain.",
  "AlreadyConsented(uint256 teamId, address member)": "{member} has consented to team {teamId} already.",
  "TeamAlreadyFormed(uint256 teamId)": "Team {teamId} is formed already: every member consented.",
  "MergeLeavesOutMember(uint256 teamId, address member)": "Team {teamId} is formed: a new team may take it only whole, and {member} of it is not listed.",
  "TeamOverCap(uint256 teamId, uint256 combinedSubmissions, uint256 allowed)":
    "Team {teamId}'s members made {combinedSubmissions} commits so far, more than the shared daily cap allows for the days so far ({allowed}); the team can form later.",
  // -- mini-grants ---------------------------------------------------------------------------
  "UnknownPool(uint256 poolId)": "There is no grant pool {poolId} on this chain.",
  "ZeroAmount()": "A grant pool needs an amount above 0 for each grant.",
  "ZeroSlots()": "A grant pool needs at least one grant.",
  "ClaimGraceTooLong(uint64 claimGrace, uint64 max)": "Grant claims may stay open at most {max} seconds after the phase; {claimGrace} was asked.",
  "FundingShortfall(uint256 expected, uint256 received)":
    "The pool received {received|eth} instead of {expected|eth}: tokens that charge a fee on transfer cannot fund grants.",
  "AlreadyPaid(uint256 poolId, address participant)": "{participant} was paid by grant pool {poolId} already: one grant per participant.",
  "PoolExhausted(uint256 poolId, uint32 slots)": "All {slots} grants of pool {poolId} are paid.",
  "NoPublicScore(uint256 poolId, address participant)": "{participant} has no valid public score in this phase yet, so grant pool {poolId} cannot pay.",
  "BelowThreshold(uint256 poolId, address participant, int256 score, int256 threshold)":
    "{participant}'s best public score does not beat the grant pool {poolId}'s threshold.",
  "ClaimsClosed(uint256 poolId, uint256 closesAt, uint256 now_)": "Claims of grant pool {poolId} closed at {closesAt|time} (chain time now {now_|time}).",
  "ClaimsStillOpen(uint256 poolId, uint256 closesAt, uint256 now_)":
    "Grant pool {poolId} is open for claims until {closesAt|time} (chain time now {now_|time}); what is left returns to the sponsor after that.",
  "AlreadyReclaimed(uint256 poolId)": "What was left in grant pool {poolId} went back to its sponsor already.",
  // -- library internals ---------------------------------------------------------------------
  "ECDSAInvalidSignature()": "A signature recovers to no address.",
  "ECDSAInvalidSignatureLength(uint256 length)": "A signature has {length} bytes instead of 65.",
  "ECDSAInvalidSignatureS(bytes32 s)": "A signature is malleable (s in the upper half of the curve order).",
  "SafeCastOverflowedIntDowncast(uint8 bits, int256 value)": "{value} does not fit {bits} bits.",
  "SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)": "{value} does not fit {bits} bits.",
  "SafeCastOverflowedUintToInt(uint256 value)": "{value} does not fit a signed integer.",
  "InvalidShortString()": "An EIP-712 name is malformed.",
  "StringTooLong(string str)": "A string is too long.",
};

const ROOT_STATES = ["absent (none posted)", "posted", "disputed", "voided"];
const PANICS = {
  1: "an assertion failed",
  17: "an arithmetic overflow or underflow",
  18: "a division by zero",
  33: "an invalid enum value",
  50: "an array index out of bounds",
  65: "too much memory allocated",
};

// The declarations as an ABI (viem adds Error(string) and Panic(uint256) when decoding), and
// each ABI item's declaration, whose parameter names the explanations use.
const DECLARATIONS = Object.keys(ERRORS);
const ABI = parseAbi(DECLARATIONS.map((d) => `error ${d}`));
const DECLARATION_OF = new Map(ABI.map((item, i) => [item, DECLARATIONS[i]]));

function formatArg(value, format) {
  if (format === "time") {
    const seconds = Number(value);
    return `${new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC`;
  }
  if (format === "eth") {
    const wei = BigInt(value);
    const whole = wei / 10n ** 18n;
    const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
    return `${whole}${fraction ? `.${fraction}` : ""} ETH`;
  }
  if (format === "root") return ROOT_STATES[Number(value)] ?? `state ${value}`;
  return String(value);
}

/**
 * What a revert means: { name, args: {name: value}, explanation } for a known error, or a
 * best-effort text for unknown data. `revertData` is the 0x-hex the node returned.
 */
export function explainRevert(revertData) {
  let decoded;
  try {
    decoded = decodeErrorResult({ abi: ABI, data: revertData });
  } catch (error) {
    if (error instanceof AbiDecodingZeroDataError) {
      return { name: null, args: {}, explanation: "The transaction was reverted without a reason." };
    }
    if (error instanceof AbiErrorSignatureNotFoundError) {
      return {
        name: null,
        args: {},
        explanation: `Reverted with an error this page does not know (selector ${revertData.slice(0, 10)}); see docs/contracts.md.`,
      };
    }
    throw error;
  }
  const values = decoded.args ?? [];
  const declaration = DECLARATION_OF.get(decoded.abiItem);
  if (declaration === undefined && decoded.errorName === "Error") {
    return { name: "Error", args: { message: values[0] }, explanation: values[0] };
  }
  if (declaration === undefined && decoded.errorName === "Panic") {
    const code = Number(values[0]);
    return { name: "Panic", args: { code }, explanation: `The contract hit ${PANICS[code] ?? `panic 0x${code.toString(16)}`}.` };
  }
  const args = {};
  decoded.abiItem.inputs.forEach((input, i) => {
    args[input.name] = values[i];
  });
  const explanation = ERRORS[declaration].replace(/\{(\w+)(?:\|(\w+))?\}/g, (_, name, format) => formatArg(args[name], format));
  return { name: decoded.errorName, args, explanation };
}
