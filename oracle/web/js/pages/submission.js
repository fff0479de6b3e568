// One submission: its status and why (its queue place while pending), scores, artifact (a code
// folder's files, its changes against each parent and its run's receipt), parents and
// children, reviews, rewards; buttons to fork it or review it.

import { get, ipfsText, ipfsUrl } from "../api.js";
import { reviewForm } from "../actions/review.js";
import { add, empty, h, table } from "../ui/dom.js";
import { badge, cidLink, challengeLink, percent, profileLink, score, submissionLink, time, tokens, wei } from "../ui/format.js";
import { explain, termLabel } from "../ui/glossary.js";
import { codeFiles } from "../ui/codefiles.js";
import { licenceText } from "../ui/licence.js";
import { queuePlace } from "../ui/queue.js";
import { nearCopyNotice } from "../ui/nearcopy.js";
import { codeReceipt } from "../ui/receipt.js";
import { quotaNote } from "../ui/quota.js";
import { submissionStatus } from "./common.js";

export const name = "submission";

export async function render({ submissionId }, ctx) {
  const sub = await get(`submissions/${submissionId}`);
  const challenge = await get(`challenges/${sub.challenge_id}`);
  const phase = challenge.phases.find((p) => p.phase === sub.phase);
  return h(
    "section",
    { "data-submission": submissionId },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Challenges"), " / ", challengeLink(sub.challenge_id), " / ", `Submission #${submissionId}`),
    h("h1", {}, `Submission #${submissionId} `, submissionStatus(sub)),
    statusExplained(sub),
    nearCopyNotice(sub),
    h(
      "dl",
      { class: "facts wide" },
      h("dt", {}, "submitter"),
      h("dd", {}, profileLink(sub.submitter, sub.submitter)),
      h("dt", {}, "challenge, phase"),
      h("dd", {}, challengeLink(sub.challenge_id), `, phase ${sub.phase}`),
      h("dt", {}, "committed"),
      h("dd", {}, `block ${sub.commit_block}, ${time(sub.commit_timestamp)} (transaction `, h("code", {}, sub.commit_tx), ")"),
      h("dt", {}, "commitment"),
      h("dd", {}, h("code", {}, sub.commitment)),
      h("dt", {}, "revealed"),
      h("dd", {}, sub.reveal_block !== null ? `block ${sub.reveal_block}` : "not yet"),
      h("dt", {}, termLabel("cid", "artifact CID")),
      h("dd", { "data-field": "artifact" }, sub.artifact_cid ? cidLink(sub.artifact_cid) : "hidden until the reveal"),
      h("dt", {}, termLabel("licence", "licence")),
      h("dd", { "data-field": "licence" }, licenceText(sub.licence)),
      sub.source ? h("dt", {}, "source") : null,
      sub.source ? h("dd", { "data-field": "source" }, sourceLink(sub.source)) : null,
      h("dt", {}, "bond"),
      h("dd", {}, wei(sub.bond)),
      h("dt", {}, termLabel("publicBoard", "public score")),
      h("dd", { "data-field": "public-score", class: "score" }, score(sub.public_score)),
      h("dt", {}, termLabel("privateBoard", "private score")),
      h("dd", { "data-field": "private-score" }, privateScore(sub)),
    ),
    actions(ctx, sub, challenge, phase),
    await codeFiles(sub),
    await codeReceipt(sub),
    lineage(sub),
    await reviews(sub),
    rewards(sub),
  );
}

// The git commit the artifact's coop-source.json names (bound by the CID above).
function sourceLink(source) {
  const label = `${source.repository} @ ${source.commit.slice(0, 12)}${source.path ? ` (${source.path})` : ""}`;
  if (!source.url) return h("code", {}, label);
  return h("a", { href: source.url, rel: "noopener noreferrer", target: "_blank" }, label);
}

function statusExplained(sub) {
  if (sub.state === "committed") {
    return h(
      "p",
      { class: "status-reason" },
      "Committed: only a fingerprint is public. The submitter reveals the file in a later block, then the oracles score it.",
    );
  }
  if (sub.state === "revealed" || !sub.score) {
    return h(
      "div",
      { class: "status-reason" },
      h("p", {}, "Revealed: the file is public and waiting for the oracles' signed score."),
      queuePlace(sub.queue),
      quotaNote(sub.quota),
    );
  }
  const s = sub.score;
  return h(
    "div",
    { class: `status-reason ${s.valid ? "ok" : "bad"}` },
    h("p", {}, h("strong", {}, s.status_name), ` (status ${s.status}): ${s.reason}.`, s.valid ? "" : " An invalid submission gets no score and no reward."),
    h("p", { class: "muted" }, `Scored in batch ${s.seq}, block ${s.block}; the oracles' full report has digest `, h("code", {}, s.report_digest), "."),
    sub.quota?.released ? quotaNote(sub.quota) : null,
    explain("status", "What do status codes mean?"),
  );
}

function actions(ctx, sub, _challenge, phase) {
  const box = h("section", { class: "actions" });
  if (sub.state !== "committed") {
    add(
      box,
      h("a", { class: "button", id: "fork-link", href: `#/challenges/${sub.challenge_id}?fork=${sub.submission_id}` }, `Fork #${sub.submission_id}`),
      " ",
      h("span", { class: "muted" }, "Build on this submission: you submit your own file and credit this one as a parent."),
    );
  }
  add(box, reviewForm(ctx, sub, phase));
  return box;
}

function lineage(sub) {
  const row = (p) => ({
    attrs: { "data-submission": p.submission_id },
    cells: [submissionLink(p.submission_id), challengeLink(p.challenge_id), profileLink(p.submitter), percent(p.weight_ppm)],
  });
  return h(
    "section",
    { class: "lineage" },
    h("h2", {}, "Built on, and built upon"),
    explain("fork", "What is a fork?"),
    h("h3", {}, "Parents (this submission builds on)"),
    sub.parents.length
      ? table(["submission", "challenge", "submitter", "weight"], sub.parents.map(row), { class: "parents" })
      : empty("No parents: an original submission."),
    h("h3", {}, "Children (built on this submission)"),
    sub.children.length
      ? table(["submission", "challenge", "submitter", "weight"], sub.children.map(row), { class: "children" })
      : empty("Nobody has forked it yet."),
  );
}

const VERDICT_KIND = { approve: "valid", concern: "pending", reject: "invalid" };
const REVIEW_TEXT_CHARS = 600;
const REVIEW_TEXTS_SHOWN = 20;

/** The review's text from IPFS (shortened), or its CID when the node cannot serve it. */
async function reviewText(review, index) {
  if (index >= REVIEW_TEXTS_SHOWN) return cidLink(review.review_cid);
  try {
    const text = await ipfsText(review.review_cid);
    const shown = text.length > REVIEW_TEXT_CHARS ? `${text.slice(0, REVIEW_TEXT_CHARS)}…` : text;
    return h("span", {}, h("q", { class: "review-text" }, shown), " ", h("a", { href: ipfsUrl(review.review_cid), class: "muted" }, "(on IPFS)"));
  } catch {
    return cidLink(review.review_cid);
  }
}

async function reviews(sub) {
  const texts = await Promise.all(sub.reviews.map(reviewText));
  return h(
    "section",
    { class: "reviews" },
    h("h2", {}, termLabel("review", "Reviews")),
    sub.reviews.length
      ? table(
          ["reviewer", "verdict", "review", "block"],
          sub.reviews.map((r, i) => [profileLink(r.reviewer), badge(r.verdict_name, VERDICT_KIND[r.verdict_name]), texts[i], String(r.block)]),
          { class: "review-list" },
        )
      : empty("No reviews yet."),
  );
}

function rewards(sub) {
  if (!sub.rewards.length)
    return h(
      "section",
      { class: "rewards" },
      h("h2", {}, "Rewards"),
      empty("No rewards report covers this submission yet.", "After a phase ends, the oracles publish who earned what; it appears here."),
    );
  return h(
    "section",
    { class: "rewards" },
    h("h2", {}, "Rewards"),
    table(
      ["phase", "improvement", "prize", "from children", "to parents", "final"],
      sub.rewards.map((r) => [
        String(r.phase),
        tokens(r.improvement_award),
        r.prize_rank ? `${tokens(r.prize_award)} (rank ${r.prize_rank})` : tokens(r.prize_award),
        tokens(r.received_from_children),
        tokens(r.passed_to_parents),
        h("strong", {}, tokens(r.final)),
      ]),
    ),
  );
}

function privateScore(sub) {
  if (sub.score && !sub.score.valid) return `none: the submission is invalid (${sub.score.status_name})`;
  if (sub.private_score?.score) return score(sub.private_score.score);
  return sub.score ? "committed by the oracles; opened after the reveal window" : "—";
}
