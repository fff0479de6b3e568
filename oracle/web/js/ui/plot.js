// The "best score over time" plot: a step line from the baseline through every
// improvement of the public best, each marked with its contributor, drawn as inline SVG.

import { s } from "./dom.js";
import { scoreNumber, shortAddress, time } from "./format.js";

const WIDTH = 760;
const HEIGHT = 340;
const M = { top: 24, right: 120, bottom: 42, left: 70 };

/** Round tick values covering [lo, hi]. */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * magnitude).find((k) => k >= raw);
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** An x-axis label: dates for long spans, clock times (seconds when short) otherwise. */
function timeTick(seconds, span, first) {
  const iso = new Date(seconds * 1000).toISOString();
  if (span >= 2 * 86400) return iso.slice(0, 10);
  const clock = span < 900 ? iso.slice(11, 19) : iso.slice(11, 16);
  return first ? `${iso.slice(0, 10)} ${clock} UTC` : clock;
}

/**
 * improvements: the API's {higher_is_better, baseline, target, items}; start/end: unix
 * seconds of the x axis. Returns an <svg> element.
 */
export function bestScorePlot(improvements, start, end) {
  const baseline = scoreNumber(improvements.baseline);
  const target = scoreNumber(improvements.target);
  const items = improvements.items.filter((i) => i.timestamp !== null);
  const values = [baseline, target, ...items.map((i) => scoreNumber(i.score))];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  lo -= pad;
  hi += pad;
  const t0 = Math.min(start, ...items.map((i) => i.timestamp));
  const lastChange = Math.max(t0, ...items.map((i) => i.timestamp));
  // a little room after the newest marker, so it never sits on the axis' end
  const t1 = Math.max(end, t0 + 1, lastChange + Math.max(1, (lastChange - t0) * 0.05));
  const x = (t) => M.left + ((t - t0) / (t1 - t0)) * (WIDTH - M.left - M.right);
  const y = (v) => HEIGHT - M.bottom - ((v - lo) / (hi - lo)) * (HEIGHT - M.top - M.bottom);

  const direction = improvements.higher_is_better ? "higher is better ↑" : "lower is better ↓";
  const svg = s("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: "plot",
    role: "img",
    "aria-label": `Best public score over time: ${items.length} improvements from the baseline ${improvements.baseline.decimal} towards the target ${improvements.target.decimal}`,
  });

  // axes and grid
  for (const v of niceTicks(lo, hi)) {
    svg.append(
      s("line", { x1: M.left, x2: WIDTH - M.right, y1: y(v), y2: y(v), class: "grid" }),
      s("text", { x: M.left - 8, y: y(v) + 4, class: "tick", "text-anchor": "end" }, String(v)),
    );
  }
  const xTicks = [t0, t0 + (t1 - t0) / 2, t1];
  xTicks.forEach((t, i) => {
    const anchor = ["start", "middle", "end"][i];
    svg.append(s("text", { x: x(t), y: HEIGHT - M.bottom + 18, class: "tick", "text-anchor": anchor }, timeTick(Math.round(t), t1 - t0, i === 0)));
  });
  svg.append(
    s("line", { x1: M.left, x2: M.left, y1: M.top, y2: HEIGHT - M.bottom, class: "axis" }),
    s("line", { x1: M.left, x2: WIDTH - M.right, y1: HEIGHT - M.bottom, y2: HEIGHT - M.bottom, class: "axis" }),
    s("text", { x: 14, y: M.top - 8, class: "axis-label" }, `score (${direction})`),
  );

  // baseline and target
  for (const [value, label, cls] of [
    [baseline, `baseline ${improvements.baseline.decimal}`, "baseline"],
    [target, `target ${improvements.target.decimal}`, "target"],
  ]) {
    svg.append(
      s("line", { x1: M.left, x2: WIDTH - M.right, y1: y(value), y2: y(value), class: `ref ${cls}` }),
      s("text", { x: WIDTH - M.right + 6, y: y(value) + 4, class: `ref-label ${cls}` }, label),
    );
  }

  // the running best as steps
  let path = `M${x(t0)},${y(baseline)}`;
  for (const item of items) path += ` H${x(item.timestamp)} V${y(scoreNumber(item.score))}`;
  path += ` H${x(t1)}`;
  svg.append(s("path", { d: path, class: "best-line" }));

  // one marker per improvement, labelled with its contributor
  items.forEach((item, i) => {
    const cx = x(item.timestamp);
    const cy = y(scoreNumber(item.score));
    const above = i % 2 === 0;
    const leftOfMarker = cx > M.left + 0.7 * (WIDTH - M.left - M.right);
    svg.append(
      s(
        "a",
        { href: `#/submissions/${item.submission_id}`, class: "improvement", "data-submission": item.submission_id },
        s("title", {}, `#${item.submission_id} by ${item.participant}: ${item.previous_best.decimal} → ${item.score.decimal} at ${time(item.timestamp)}`),
        s("circle", { cx, cy, r: 6 }),
        s(
          "text",
          { x: leftOfMarker ? cx - 8 : cx + 8, y: cy + (above ? -9 : 17), class: "marker-label", "text-anchor": leftOfMarker ? "end" : "start" },
          `${shortAddress(item.participant)} ${item.score.decimal}`,
        ),
      ),
    );
  });
  return svg;
}
