// Pieces several pages share: the challenge spec from IPFS, state badges, board tables.

import { ipfsText } from "../api.js";
import { empty, h, table } from "../ui/dom.js";
import { badge, profileLink, score, submissionLink } from "../ui/format.js";

/** The spec JSON of a challenge (cached per CID), or null when the node cannot serve it. */
export async function loadSpec(ctx, specCid) {
  if (!ctx.spec.has(specCid)) {
    ctx.spec.set(
      specCid,
      ipfsText(specCid)
        .then((text) => JSON.parse(text))
        .catch(() => null),
    );
  }
  return ctx.spec.get(specCid);
}

export function challengeTitle(challenge, spec) {
  return spec?.title ? spec.title : `Challenge ${challenge.challenge_id}`;
}

const STATE_TEXT = {
  upcoming: "not open yet",
  commit: "open for submissions",
  reveal: "reveal window: commits closed, reveals and reviews still accepted",
  ended: "ended",
};

export function stateBadge(state) {
  const b = badge(state === "commit" ? "open" : state, state);
  b.title = STATE_TEXT[state] ?? state;
  return b;
}

/** A leaderboard's entries as a table (or an empty state saying why there are none). */
export function boardTable(board, emptyText) {
  if (board.items.length === 0) return empty("No scores yet.", emptyText);
  return table(
    ["rank", "participant", "submission", "score", "block"],
    board.items.map((e) => ({
      attrs: { "data-participant": e.participant, "data-submission": e.submission_id },
      cells: [String(e.rank), profileLink(e.participant), submissionLink(e.submission_id), h("span", { class: "score" }, score(e.score)), String(e.block)],
    })),
    { class: `board board-${board.board}` },
  );
}

/** The status of a submission in words: committed, revealed (awaiting score), or its code. */
export function submissionStatus(sub) {
  if (sub.state === "committed") return badge("committed", "committed");
  if (sub.state === "revealed") return badge("awaiting score", "revealed");
  return badge(sub.status_name, sub.valid ? "valid" : "invalid");
}
