// A challenge's teams (GET /v1/challenges/{id}/teams): members with their reward shares,
// whether every member consented (or a newer team took it over whole), and the team's
// submissions (docs/participant.md, "Teams").

import { h, table } from "./dom.js";
import { percent, profileLink, submissionLink } from "./format.js";

export function teamList(answer) {
  if (!answer.teams.length) return null;
  return h(
    "section",
    { class: "teams" },
    h("h2", {}, "Teams"),
    table(
      ["team", "members (share of its rewards)", "state", "its submissions"],
      answer.teams.map((t) => ({
        attrs: { "data-team": String(t.team_id) },
        cells: [
          String(t.team_id),
          t.members.map((m, i) => [i ? ", " : "", profileLink(m.address), ` (${percent(m.share_ppm)})`]),
          teamState(t),
          t.submission_ids.length ? t.submission_ids.map((id, i) => [i ? ", " : "", submissionLink(id)]) : "none yet",
        ],
      })),
    ),
  );
}

function teamState(t) {
  if (t.merged_into !== null) return `merged into team ${t.merged_into}`;
  return t.formed ? "formed: one shared daily cap" : "waiting for every member's consent";
}
