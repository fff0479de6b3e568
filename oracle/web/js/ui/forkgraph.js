// The fork graph as inline SVG: parents to the left, the submissions built on them to the
// right, each arrow pointing from a fork to the parent it credits, labelled with the weight
// and, once a rewards report is indexed, the tokens that flowed back along it.

import { s } from "./dom.js";
import { percent, shortAddress, tokens } from "./format.js";

const NODE_W = 168;
const NODE_H = 58;
const COL_GAP = 210;
const ROW_GAP = 26;
const MARGIN = 20;

/** Column of each node: 0 without parents in the graph, else one right of its deepest parent. */
export function layers(nodes, edges) {
  const parentsOf = new Map(nodes.map((n) => [n.submission_id, []]));
  for (const e of edges) parentsOf.get(e.child)?.push(e.parent);
  const depth = new Map();
  const visit = (id, trail) => {
    if (depth.has(id)) return depth.get(id);
    if (trail.has(id)) return 0; // a cycle cannot happen on chain; never loop on bad data
    trail.add(id);
    const parents = parentsOf.get(id) || [];
    const d = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => visit(p, trail)));
    depth.set(id, d);
    return d;
  };
  for (const n of nodes) visit(n.submission_id, new Set());
  return depth;
}

function nodeClass(node) {
  if (node.external) return "node external";
  if (node.status_name === null) return "node unscored";
  return node.status_name === "VALID" ? "node valid" : "node invalid";
}

/** graph: the API's {nodes, edges}. Returns an <svg> element. */
export function forkGraph(graph) {
  const depth = layers(graph.nodes, graph.edges);
  const columns = [];
  for (const node of [...graph.nodes].sort((a, b) => a.submission_id - b.submission_id)) {
    const d = depth.get(node.submission_id);
    columns[d] ??= [];
    columns[d].push(node);
  }
  const position = new Map();
  columns.forEach((column, c) => {
    column.forEach((node, r) => {
      position.set(node.submission_id, { x: MARGIN + c * (NODE_W + COL_GAP), y: MARGIN + r * (NODE_H + ROW_GAP) });
    });
  });
  const rows = Math.max(...columns.map((c) => c.length));
  const width = MARGIN * 2 + columns.length * NODE_W + (columns.length - 1) * COL_GAP;
  const height = MARGIN * 2 + rows * NODE_H + (rows - 1) * ROW_GAP;
  const svg = s(
    "svg",
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      class: "forkgraph",
      role: "img",
      "aria-label": `Fork graph: ${graph.nodes.length} submissions, ${graph.edges.length} fork links`,
    },
    s(
      "defs",
      {},
      s(
        "marker",
        { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }),
      ),
    ),
  );

  for (const edge of graph.edges) {
    const child = position.get(edge.child);
    const parent = position.get(edge.parent);
    if (!child || !parent) continue;
    const x1 = child.x;
    const y1 = child.y + NODE_H / 2;
    const x2 = parent.x + NODE_W;
    const y2 = parent.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    const label = `${percent(edge.weight_ppm)}${edge.reward_flow !== null ? ` · ${tokens(edge.reward_flow)} back` : ""}`;
    svg.append(
      s(
        "g",
        { class: "edge", "data-child": edge.child, "data-parent": edge.parent },
        s(
          "title",
          {},
          `#${edge.child} builds on #${edge.parent} with weight ${percent(edge.weight_ppm)}${edge.reward_flow !== null ? `; it passed ${tokens(edge.reward_flow)} tokens to #${edge.parent}` : ""}`,
        ),
        s("path", { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, "marker-end": "url(#arrow)" }),
        s("text", { x: mid, y: (y1 + y2) / 2 - 8, "text-anchor": "middle", class: "edge-label" }, label),
      ),
    );
  }

  for (const node of graph.nodes) {
    const { x, y } = position.get(node.submission_id);
    const detail = node.external ? `challenge ${node.challenge_id}` : node.public_score ? `score ${node.public_score.decimal}` : node.status_name || node.state;
    svg.append(
      s(
        "a",
        { href: `#/submissions/${node.submission_id}`, class: nodeClass(node), "data-submission": node.submission_id },
        s("title", {}, `Submission #${node.submission_id} by ${node.submitter}`),
        s("rect", { x, y, width: NODE_W, height: NODE_H, rx: 8 }),
        s("text", { x: x + 10, y: y + 20, class: "node-id" }, `#${node.submission_id}`),
        s("text", { x: x + 52, y: y + 20, class: "node-who" }, shortAddress(node.submitter)),
        s("text", { x: x + 10, y: y + 42, class: "node-detail" }, detail),
      ),
    );
  }
  return svg;
}
