// Pieces several pages share: the challenge spec from IPFS, state badges, board tables.

import { ipfsText } from "../api.js";
import { empty, h, table } from "../ui/dom.js";
import { boardScale, errorBar } from "../ui/errorbars.js";
import { badge, profileLink, score, submissionLink } from "../ui/format.js";
import { licenceCell } from "../ui/licence.js";
import { teamLabel } from "../ui/teams.js";

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

/** A leaderboard's entries as a table (or an empty state saying why there are none). A
 * formed team is one row, labelled "team N (its members)". A private board with intervals also shows each entry's 95% interval as an error bar and
 * its tie group (1: statistically tied with the leader). */
export function boardTable(board, emptyText) {
  if (board.items.length === 0) return empty("No scores yet.", emptyText);
  const scale = boardScale(board.items);
  const headers = ["rank", "participant", "submission", "score", "block"];
  if (scale) headers.push("95% interval", "tie group");
  headers.push("licence");
  const rows = board.items.map((e) => {
    const who = e.team ? teamLabel(e.team) : profileLink(e.participant);
    const cells = [String(e.rank), who, submissionLink(e.submission_id), h("span", { class: "score" }, score(e.score)), String(e.block)];
    if (scale) {
      const interval = e.interval ? `[${score(e.interval[0])}, ${score(e.interval[1])}]` : "—";
      cells.push(
        h("span", { class: "interval" }, errorBar(e, scale), h("span", { class: "interval-text" }, interval)),
        h("span", { class: "tie-group" }, e.tie_group ?? "—"),
      );
    }
    cells.push(licenceCell(e.licence));
    const attrs = { "data-participant": e.participant, "data-submission": e.submission_id, "data-tie-group": e.tie_group };
    if (e.team) attrs["data-team"] = String(e.team.team_id);
    return { attrs, cells };
  });
  const note = board.board === "private" && board.intervals_note ? h("p", { class: "muted intervals-note" }, board.intervals_note) : null;
  return h("div", {}, table(headers, rows, { class: `board board-${board.board}` }), note);
}

/** The status of a submission in words: committed, revealed (awaiting score), or its code. */
export function submissionStatus(sub) {
  if (sub.state === "committed") return badge("committed", "committed");
  if (sub.state === "revealed") return badge("awaiting score", "revealed");
  return badge(sub.status_name, sub.valid ? "valid" : "invalid");
}
