// A participant: their submissions (each linked to the improvement it made), reviews,
// the teams they are in (with the team's work), rewards earned and claimed; the connected account can claim from here.

import { get } from "../api.js";
import { claimButton } from "../actions/claim.js";
import { add, empty, h, table } from "../ui/dom.js";
import { challengeLink, cidLink, plural, score, submissionLink, time, tokens } from "../ui/format.js";
import { explain, termLabel } from "../ui/glossary.js";
import { grantsReceived, loadGrants } from "../ui/grants.js";
import { teamsOf } from "../ui/teams.js";
import { submissionStatus } from "./common.js";

export const name = "profile";

export async function render({ address }, ctx) {
  const [profile, status, grants] = await Promise.all([get(`profiles/${address}`), get("status"), loadGrants(`profiles/${address}/grants`)]);
  const teams = await Promise.all(profile.challenges.map((id) => get(`challenges/${id}/teams`)));
  const own = ctx.account !== null && ctx.account.toLowerCase() === address.toLowerCase();
  const improvementOf = new Map(profile.improvements.map((i) => [i.submission_id, i]));
  const page = h(
    "section",
    { "data-profile": profile.address },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Challenges"), " / ", "Profile"),
    h("h1", {}, own ? "Your profile" : "Participant"),
    h("p", {}, h("code", { class: "address-full" }, profile.address)),
    h(
      "p",
      { class: "lead" },
      `${plural(profile.submission_count, "submission")} in ${plural(profile.challenges.length, "challenge")}, ${plural(profile.improvements.length, "improvement")} of a public best, ${plural(profile.reviews.length, "review")} written.`,
    ),
  );
  const granted = grants !== null && grants.payments.length > 0;
  if (profile.submission_count === 0 && profile.reviews.length === 0 && profile.rewards.length === 0 && !granted) {
    add(page, empty("No activity yet.", "This address has not submitted, reviewed or earned anything on this platform."));
    return page;
  }
  add(
    page,
    h(
      "section",
      { class: "contributions" },
      h("h2", {}, "Contributions"),
      profile.recent_submissions.length
        ? table(
            ["submission", "challenge", "status", "public score", termLabel("improvement", "improvement made")],
            profile.recent_submissions.map((sub) => {
              const imp = improvementOf.get(sub.submission_id);
              return {
                attrs: { "data-submission": sub.submission_id },
                cells: [
                  submissionLink(sub.submission_id),
                  challengeLink(sub.challenge_id),
                  submissionStatus(sub),
                  score(sub.public_score),
                  imp ? h("span", { class: "improvement-made" }, `best ${score(imp.previous_best)} → ${score(imp.score)}`) : "—",
                ],
              };
            }),
            { class: "contribution-list" },
          )
        : empty("No submissions."),
      profile.submission_count > profile.recent_submissions.length
        ? h("p", { class: "muted" }, `The newest ${profile.recent_submissions.length} of ${profile.submission_count} are shown.`)
        : null,
    ),
    h(
      "section",
      { class: "reviews" },
      h("h2", {}, "Reviews written"),
      profile.reviews.length
        ? table(
            ["submission", "verdict", "text", "block"],
            profile.reviews.map((r) => [submissionLink(r.submission_id), r.verdict_name, cidLink(r.review_cid), String(r.block)]),
          )
        : empty("No reviews written."),
    ),
    teamsOf(profile.address, teams),
    rewards(ctx, profile, own, status.chain_time),
    grantsReceived(grants),
  );
  return page;
}

function rewards(ctx, profile, own, chainTime) {
  const section = h("section", { class: "rewards", id: "rewards" }, h("h2", {}, "Rewards"), explain("rewardsRoot", "How are rewards paid?"));
  if (profile.rewards.length === 0) {
    add(section, empty("No rewards yet.", "Rewards are computed when a phase ends; they show here once the oracles post them."));
    return section;
  }
  add(
    section,
    table(
      ["challenge", "phase", "amount", "state", ""],
      profile.rewards.map((r) => {
        const open = r.root_state === "live" && chainTime !== null && chainTime >= r.claimable_at;
        const state = r.claimed ? "claimed" : r.root_state !== "live" ? `root ${r.root_state}` : open ? "claimable" : `claimable from ${time(r.claimable_at)}`;
        return {
          attrs: { "data-challenge": r.challenge_id, "data-phase": r.phase },
          cells: [
            challengeLink(r.challenge_id),
            String(r.phase),
            h("span", { class: "amount" }, `${tokens(r.amount)} tokens`),
            h("span", { class: "reward-state" }, state),
            own && open && !r.claimed ? claimButton(ctx, r) : "",
          ],
        };
      }),
      { class: "reward-list" },
    ),
  );
  if (profile.claims.length) {
    add(
      section,
      h("h3", {}, "Claims paid"),
      table(
        ["challenge", "phase", "amount", "block"],
        profile.claims.map((c) => [challengeLink(c.challenge_id), String(c.phase), `${tokens(c.amount)} tokens`, String(c.block)]),
        { class: "claim-list" },
      ),
    );
  }
  return section;
}
