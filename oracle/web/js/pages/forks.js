// A challenge's fork graph: who built on whom, with the weights and the rewards that flowed.

import { get } from "../api.js";
import { add, empty, h, table } from "../ui/dom.js";
import { challengeLink, percent, submissionLink, tokens } from "../ui/format.js";
import { forkGraph } from "../ui/forkgraph.js";
import { explain } from "../ui/glossary.js";

export const name = "forks";

const MAX_PAGES = 10;

async function wholeGraph(challengeId) {
  const nodes = new Map();
  const edges = [];
  let cursor = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await get(`challenges/${challengeId}/forks`, { limit: 500, cursor });
    for (const n of answer.nodes) nodes.set(n.submission_id, n);
    edges.push(...answer.edges);
    cursor = answer.next_cursor;
    if (!cursor) break;
  }
  return { nodes: [...nodes.values()], edges, truncated: cursor !== null };
}

export async function render({ challengeId }) {
  const graph = await wholeGraph(challengeId);
  const page = h(
    "section",
    { "data-challenge": challengeId },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Challenges"), " / ", challengeLink(challengeId), " / ", "Fork graph"),
    h("h1", {}, "Fork graph"),
    explain("fork", "What is a fork?"),
  );
  if (graph.edges.length === 0) {
    add(
      page,
      empty(
        "No forks yet.",
        "Nobody has built on another submission in this challenge. Open a submission and press “Fork” to be the first: your submission credits it as a parent, and part of your reward flows back to it.",
      ),
    );
    return page;
  }
  add(
    page,
    h(
      "p",
      { class: "muted" },
      "Each box is a submission (green: valid, red: invalid, grey: not scored yet, dashed: in another challenge). An arrow goes from a fork to the parent it credits, labelled with the parent's weight and, once rewards are computed, the tokens passed back.",
    ),
    h("div", { class: "graph-scroll" }, forkGraph(graph)),
    graph.truncated ? h("p", { class: "muted" }, "The graph is large; only its first part is drawn.") : null,
    h("h2", {}, "Fork links"),
    table(
      ["fork", "builds on", "weight", "tokens passed back"],
      graph.edges.map((e) => ({
        attrs: { "data-child": e.child, "data-parent": e.parent },
        cells: [submissionLink(e.child), submissionLink(e.parent), percent(e.weight_ppm), e.reward_flow === null ? "not computed yet" : tokens(e.reward_flow)],
      })),
      { class: "edges" },
    ),
  );
  return page;
}
