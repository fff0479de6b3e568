// A challenge's teams (GET /v1/challenges/{id}/teams): members with their reward shares,
// whether every member consented, and the team's submissions (docs/participant.md, "Teams").

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
          t.formed ? "formed: one shared daily cap" : "waiting for every member's consent",
          t.submission_ids.length ? t.submission_ids.map((id, i) => [i ? ", " : "", submissionLink(id)]) : "none yet",
        ],
      })),
    ),
  );
}

/** A team's board label: "team 3 (0xab…, 0xcd…)", each member linked to its profile. */
export function teamLabel(team) {
  return h("span", { class: "team-label" }, `team ${team.team_id} (`, ...team.members.flatMap((m, i) => [i ? ", " : "", profileLink(m)]), ")");
}
