// The evidence that a submission is an uncredited near-copy (GET /v1/submissions/{id} has it
// in each rewards entry as `near_copy_of`; docs/rewards.md "Near-copies"), in words.

import { h } from "./dom.js";
import { submissionLink } from "./format.js";

/** "Near-copy of #3, distance 0.0042 …" from the latest rewards report naming one (else null). */
export function nearCopyNotice(sub) {
  const found = sub.rewards.filter((r) => r.near_copy_of).at(-1);
  if (!found) return null;
  const near = found.near_copy_of;
  const evidence =
    near.evidence === "files"
      ? "its folder holds the same files"
      : `its predictions on the public rows are at distance ${near.distance} (RMS difference over the spread of #${near.source_id}'s)`;
  return h(
    "p",
    { class: "near-copy", "data-near-copy-of": near.source_id, "data-distance": near.distance },
    h("strong", {}, "Near-copy of ", submissionLink(near.source_id), `, distance ${near.distance}`),
    `: ${evidence}, within the challenge's threshold, and it did not name #${near.source_id} as a parent. `,
    `The rewards treat it as a fork of #${near.source_id}: it passes 90% of what it earned to that submission.`,
  );
}
