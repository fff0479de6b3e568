// A challenge's teams (GET /v1/challenges/{id}/teams): members with their reward shares,
// whether every member consented (or a newer team took it over whole), and the team's
// submissions (docs/participant.md, "Teams").

import { h, table } from "./dom.js";
import { challengeLink, percent, profileLink, submissionLink } from "./format.js";

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

/** A team's board label: "team 3 (0xab…, 0xcd…)", each member linked to its profile. */
export function teamLabel(team) {
  return h("span", { class: "team-label" }, `team ${team.team_id} (`, ...team.members.flatMap((m, i) => [i ? ", " : "", profileLink(m)]), ")");
}

/** The teams `address` is a member of, from each challenge's teams answer: its share, the
 * team's state and the team's submissions (its members' work); null when there are none. */
export function teamsOf(address, answers) {
  const lower = address.toLowerCase();
  const mine = answers.flatMap((a) => a.teams.filter((t) => t.members.some((m) => m.address.toLowerCase() === lower)));
  if (!mine.length) return null;
  return h(
    "section",
    { class: "profile-teams" },
    h("h2", {}, "Teams"),
    table(
      ["team", "challenge", "share of its rewards", "members", "state", "the team's submissions"],
      mine.map((t) => ({
        attrs: { "data-team": String(t.team_id) },
        cells: [
          String(t.team_id),
          challengeLink(t.challenge_id),
          percent(t.members.find((m) => m.address.toLowerCase() === lower).share_ppm),
          t.members.map((m, i) => [i ? ", " : "", profileLink(m.address)]),
          teamState(t),
          t.submission_ids.length ? t.submission_ids.map((id, i) => [i ? ", " : "", submissionLink(id)]) : "none yet",
        ],
      })),
    ),
  );
}

function teamState(t) {
  if (t.merged_into !== null) return `merged into team ${t.merged_into}`;
  return t.formed ? "formed: one shared daily cap, one board entry, rewards split by shares" : "waiting for every member's consent";
}
