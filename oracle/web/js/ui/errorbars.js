// Error bars of the private board: each entry's 95% bootstrap interval drawn on one scale
// shared by the whole board (inline SVG per row), its score as a dot, so overlaps show.

import { s } from "./dom.js";
import { score, scoreNumber } from "./format.js";

const WIDTH = 220;
const HEIGHT = 18;
const PAD = 8;

/** The shared scale [lo, hi] of the board's intervals (and scores). */
export function boardScale(items) {
  const values = items.flatMap((e) => (e.interval ? [scoreNumber(e.interval[0]), scoreNumber(e.interval[1]), scoreNumber(e.score)] : []));
  if (values.length === 0) return null;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

/** One entry's error bar as an <svg class="error-bar">; null without an interval. */
export function errorBar(entry, scale) {
  if (!entry.interval || !scale) return null;
  const [lo, hi] = scale;
  const x = (v) => PAD + ((scoreNumber(v) - lo) / (hi - lo)) * (WIDTH - 2 * PAD);
  const [low, high] = entry.interval;
  const y = HEIGHT / 2;
  return s(
    "svg",
    {
      class: "error-bar",
      width: WIDTH,
      height: HEIGHT,
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: "img",
      "aria-label": `95% interval ${score(low)} to ${score(high)}`,
      "data-low": low.wad,
      "data-high": high.wad,
      "data-tie-group": entry.tie_group,
    },
    s("title", {}, `95% interval [${score(low)}, ${score(high)}], tie group ${entry.tie_group}`),
    s("line", { class: "bar", x1: x(low), x2: x(high), y1: y, y2: y }),
    s("line", { class: "cap", x1: x(low), x2: x(low), y1: 3, y2: HEIGHT - 3 }),
    s("line", { class: "cap", x1: x(high), x2: x(high), y1: 3, y2: HEIGHT - 3 }),
    s("circle", { class: "point", cx: x(entry.score), cy: y, r: 3.5 }),
  );
}
