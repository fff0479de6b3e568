// No quota lost to the oracles (docs/participant.md): a challenge's scoring deadline, a
// phase's outage extension and a submission's released cap slot, in words.

import { h } from "./dom.js";
import { duration, submissionLink, time } from "./format.js";

/** The challenge's rule, for its facts list. */
export function quotaRule(c) {
  if (!c.scoring_deadline) return "none: a commit counts against the daily cap whether or not the oracles score it";
  const extension = c.max_outage_extension
    ? ` An oracle outage in a phase's last day of commits extends the phase by the outage, up to ${duration(c.max_outage_extension)}, once.`
    : "";
  return `the oracles have ${duration(c.scoring_deadline)} to score a revealed submission; one they miss no longer counts against the daily cap (anyone can release it).${extension}`;
}

/** "extended 1 h after an outage" under a phase's commit window (null when never extended). */
export function extensionNote(p) {
  if (!p.extension) return null;
  const x = p.extension;
  return h(
    "div",
    { class: "phase-extension", "data-extension": String(x.extension) },
    `extended ${duration(x.extension)} after an oracle outage: `,
    submissionLink(x.waiting_submission_id),
    ` waited ${duration(x.outage)} unscored`,
  );
}

/** A submission's scoring deadline, or its released cap slot (null without a deadline). */
export function quotaNote(q) {
  if (!q) return null;
  if (q.released) {
    return h(
      "p",
      { class: "quota released" },
      h("strong", {}, "Quota released"),
      q.slot_freed
        ? ": the oracles missed the scoring deadline, so this commit no longer counts against the daily cap."
        : ": the oracles missed the scoring deadline (the commit was over a day old and held no cap slot any more).",
    );
  }
  if (q.due_by === null) return null;
  return h(
    "p",
    { class: "quota", "data-due-by": String(q.due_by) },
    `The oracles have until ${time(q.due_by)} to score it; if they miss that, anyone can free its daily-cap slot (`,
    h("code", {}, "coop quota release"),
    ").",
  );
}
