// Plain-language explanations of the platform's terms, shown where the term appears.

import { h } from "./dom.js";

export const TERMS = {
  baseline:
    "The score the crowd starts from, fixed by the challenge owner (often a simple model, such as predicting the mean). Improvements are measured from here.",
  target:
    "The score the owner hopes to reach. Closing the whole gap from baseline to target pays the whole improvement pool; closing part of it pays that part.",
  eta: "eta is the Ladder's step. Public scores are rounded to multiples of eta, and your place on the public board moves only when you beat your own released best by at least eta. This (the Ladder of Blum & Hardt, 2015) stops people from fitting the public test rows by tiny repeated tweaks.",
  ladder:
    "The Ladder is the rule behind the public board: scores are rounded to the eta grid and a participant's released best changes only when it improves by at least eta.",
  publicBoard:
    "Scores on the public part of the hidden test rows, shown while the challenge runs. Each participant appears once, with their released best (see eta / Ladder).",
  privateBoard:
    "Scores on the private part of the hidden test rows. They were committed (hashed) by the oracles when each submission was scored and are opened after the reveal window ends. Rewards follow the private scores, so overfitting the public board does not pay.",
  fork: "A fork builds on earlier submissions (its parents), like citing prior work. You name the parents and how much each contributed (weights adding up to 100%). When rewards are paid, part of what a fork earns flows back to its parents.",
  licence:
    "Each submission carries an SPDX licence (MIT, Apache-2.0, GPL-3.0-only, …), written in the coop-source.json inside its artifact so its CID binds it; without one it carries the challenge's default. The challenge lists the licences it allows, and a fork must carry one its parents' licences permit (a fork of GPL-3.0-only work stays GPL-3.0-only): otherwise the oracles mark it LICENCE_NOT_ALLOWED or LICENCE_INCOMPATIBLE and it is not scored. A challenge may give prizes only to open licences.",
  commitReveal:
    "Submitting takes two transactions. The commit publishes only a fingerprint (a hash) of your file, your parents and a secret salt: it fixes your priority without showing your work. The reveal, in a later block, publishes the file's IPFS address; the contract checks it matches the fingerprint. Your salt stays in this browser until the reveal is mined.",
  salt: "32 random bytes mixed into your commitment so nobody can guess your file from the fingerprint. It is stored in this browser (localStorage) until the reveal is mined; clearing site data before the reveal loses it.",
  phase:
    "A round of the challenge with its own commit window, reveal window, dataset or metric version and share of the bounty. Adding a phase never changes older ones.",
  status:
    "Why a submission could or could not be scored: VALID, or a reason such as WRONG_IDS (missing, extra or duplicate ids) or UNREADABLE. Oracles put it on chain with the score.",
  oracles:
    "Independent operators who fetch every revealed file from IPFS, score it against the hidden labels and sign the result. A score counts only with signatures from a quorum of them.",
  improvement:
    "A submission that moved the challenge's public best past the running best (which starts at the baseline). The improvement pool pays for the gain each one made.",
  rewardsRoot:
    "After a phase ends, the oracles publish who is owed what as a Merkle root (one number on chain) plus a full report on IPFS. During the dispute window anyone can challenge it; then each participant claims with a Merkle proof.",
  review: "A signed opinion on someone else's revealed submission: approve, concern or reject, with a text stored on IPFS. Reviewers share the review pool.",
  cid: "A content identifier: the IPFS address of a file, derived from its bytes. The same bytes always give the same CID, so anyone can check a file is the one that was submitted.",
  escrow:
    "The bounty is locked in the RewardVault contract when the challenge is created. It can only leave through claims under a posted rewards root, or back to the owner after the end.",
  audit:
    "Everything here can be re-derived from public data: the chain's events and the files on IPFS. This page shows what the index can check from events; `coop audit` re-computes every score and reward.",
};

/** A collapsible "What is …?" explanation. */
export function explain(term, question) {
  return h("details", { class: "explain", "data-term": term }, h("summary", {}, question), h("p", {}, TERMS[term]));
}

/** A term with its explanation as a tooltip (for table headers). */
export function termLabel(term, label) {
  return h("abbr", { title: TERMS[term], class: "term" }, label);
}
