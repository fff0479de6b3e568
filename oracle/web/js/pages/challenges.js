// The list of challenges: what each asks for, where it stands, the best score so far.

import { getAll } from "../api.js";
import { add, empty, h } from "../ui/dom.js";
import { challengeLink, plural, profileLink, score, tokens } from "../ui/format.js";
import { teamLabel } from "../ui/teams.js";
import { challengeTitle, loadSpec, stateBadge } from "./common.js";

export const name = "challenges";

export async function render(_params, ctx) {
  const list = await getAll("challenges");
  const page = h(
    "section",
    {},
    h("h1", {}, "Challenges"),
    h(
      "p",
      { class: "lead" },
      "Research groups publish a dataset and a question; anyone can submit predictions, build on (fork) someone else's submission, and earn a share of the bounty for each improvement they make. Scores are computed by independent oracles and recorded on a public ledger.",
    ),
  );
  if (list.length === 0) {
    add(
      page,
      empty(
        "No challenges yet.",
        "A challenge owner publishes one with `coop challenge publish` (or `make run` seeds a demo). It appears here as soon as the chain has it.",
      ),
    );
    return page;
  }
  const specs = await Promise.all(list.map((c) => loadSpec(ctx, c.spec_cid)));
  add(
    page,
    h(
      "div",
      { class: "cards" },
      list.map((c, i) => card(c, specs[i])),
    ),
  );
  return page;
}

function card(c, spec) {
  const metric = spec?.metric ? spec.metric.name : null;
  return h(
    "article",
    { class: "card challenge-card", "data-challenge": c.challenge_id },
    h("h2", {}, challengeLink(c.challenge_id, challengeTitle(c, spec)), " ", stateBadge(c.state)),
    spec?.description ? h("p", { class: "description" }, spec.description) : null,
    h(
      "dl",
      { class: "facts" },
      metric ? [h("dt", {}, "metric"), h("dd", {}, `${metric} (${c.higher_is_better ? "higher" : "lower"} is better)`)] : null,
      h("dt", {}, "baseline → target"),
      h("dd", {}, `${score(c.baseline)} → ${score(c.target)}`),
      h("dt", {}, "best so far"),
      h(
        "dd",
        { class: "best" },
        c.best ? [score(c.best.score), " by ", c.best.team ? teamLabel(c.best.team) : profileLink(c.best.participant)] : "no valid score yet",
      ),
      h("dt", {}, "bounty"),
      h("dd", {}, `${tokens(c.bounty)} tokens`),
      h("dt", {}, "activity"),
      h("dd", {}, `${plural(c.submission_count, "submission")} from ${plural(c.participant_count, "participant")}`),
    ),
  );
}
