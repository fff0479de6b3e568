// A challenge's audit state: holdouts, score batches, private-score openings, rewards roots
// with their disputes, escrow, and the checks the index can make from events.

import { get } from "../api.js";
import { empty, h, table } from "../ui/dom.js";
import { badge, challengeLink, cidLink, time, tokens } from "../ui/format.js";
import { explain } from "../ui/glossary.js";

export const name = "audit";

export async function render({ challengeId }) {
  const audit = await get(`challenges/${challengeId}/audit`);
  const failed = audit.checks.filter((c) => c.ok === false).length;
  const open = audit.checks.filter((c) => c.ok === null).length;
  const passed = audit.checks.length - failed - open;
  return h(
    "section",
    { "data-challenge": challengeId },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Challenges"), " / ", challengeLink(challengeId), " / ", "Audit"),
    h("h1", {}, "Audit"),
    explain("audit", "What is checked here?"),
    h("p", { class: failed ? "audit-summary bad" : "audit-summary ok" }, summary(passed, failed, open), ` Indexed up to block ${audit.indexed_block}.`),
    h(
      "p",
      {},
      "For the full audit (every signature, every score recomputed from the data, every reward recomputed), run ",
      h("code", {}, audit.full_audit),
      " with the chain and IPFS at hand.",
    ),
    h("h2", {}, "Checks"),
    audit.checks.length
      ? table(
          ["check", "result", "detail"],
          audit.checks.map((c) => ({ attrs: { "data-ok": String(c.ok) }, cells: [c.name, verdict(c.ok), c.detail] })),
          { class: "checks" },
        )
      : empty("No checks yet."),
    h("h2", {}, "Phases"),
    table(
      ["phase", "holdout revealed", "score batches", "private scores opened", "scored submissions"],
      audit.phases.map((p) => [
        String(p.phase),
        p.holdout_revealed ? "yes" : "not yet",
        String(p.score_batches),
        `${p.private_batches_opened} of ${p.score_batches}`,
        String(p.scored_submissions),
      ]),
      { class: "audit-phases" },
    ),
    h("h2", {}, "Score batches"),
    audit.score_batches.length
      ? table(
          ["seq", "phase", "items", "items hash", "relayed by", "block", "private opened"],
          audit.score_batches.map((b) => [
            String(b.seq),
            String(b.phase),
            String(b.item_count),
            h("code", {}, b.items_hash),
            h("code", {}, b.relayer),
            String(b.block),
            b.private_opened ? "yes" : "no",
          ]),
          { class: "batches" },
        )
      : empty("No score batches yet.", "Each batch is signed by a quorum of the challenge's oracles."),
    h("h2", {}, "Rewards roots"),
    audit.roots.length
      ? table(
          ["phase", "seq", "root", "total", "report", "state", "claims from", "disputes"],
          audit.roots.map((r) => [
            String(r.phase),
            String(r.seq),
            h("code", {}, r.merkle_root),
            `${tokens(r.total)} tokens`,
            [cidLink(r.report_cid), " ", badge(r.report.status, r.report.status === "available" ? "valid" : "invalid")],
            r.state,
            time(r.claimable_at),
            String(r.disputes.length),
          ]),
          { class: "roots" },
        )
      : empty("No rewards root yet.", "Roots are posted after a phase ends and its holdout is revealed."),
    h("h2", {}, "Escrow"),
    h(
      "dl",
      { class: "facts" },
      ["deposited", "allocated", "claimed", "refunded", "balance"].flatMap((k) => [
        h("dt", {}, k),
        h("dd", { "data-field": k }, `${tokens(audit.escrow[k])} tokens`),
      ]),
    ),
  );
}

function summary(passed, failed, open) {
  if (passed + failed === 0) return "Nothing to check yet: no score batch or rewards root has been posted.";
  const parts = [failed ? `${failed} of ${passed + failed} checks failed.` : `All ${passed} checks the index can make passed.`];
  if (open) parts.push(`${open} cannot be decided yet.`);
  return parts.join(" ");
}

function verdict(ok) {
  if (ok === null) return badge("not yet", "pending");
  return ok ? badge("ok", "valid") : badge("failed", "invalid");
}
