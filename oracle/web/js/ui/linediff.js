// A fork's changes against its parent as lines kept (" "), removed ("-") or added ("+"), from
// jsdiff's diffLines (lib/textdiff.js, bundled in setup), with long unchanged runs folded.

import { diffLines } from "../lib/textdiff.js";

export const MAX_DIFF_LINES = 3000;
const CONTEXT = 3;

/** [{ op: " " | "-" | "+", text }] turning `before` into `after`; null when either is too long. */
export function lineDiff(before, after) {
  if (lines(before).length > MAX_DIFF_LINES || lines(after).length > MAX_DIFF_LINES) return null;
  const out = [];
  for (const part of diffLines(before, after)) {
    const op = part.added ? "+" : part.removed ? "-" : " ";
    for (const text of lines(part.value)) out.push({ op, text });
  }
  return out;
}

/** A text's lines: none for "", and a final newline ends the last line (no empty line after). */
function lines(text) {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

/** The diff with unchanged runs longer than 2 × CONTEXT lines folded into one "…" line. */
export function folded(diff) {
  const shown = [];
  let run = [];
  const flush = (atEnd) => {
    const keepHead = shown.length ? CONTEXT : 0;
    const keepTail = atEnd ? 0 : CONTEXT;
    if (run.length > keepHead + keepTail + 1) {
      shown.push(...run.slice(0, keepHead), { op: "…", text: `${run.length - keepHead - keepTail} unchanged lines` }, ...run.slice(run.length - keepTail));
    } else {
      shown.push(...run);
    }
    run = [];
  };
  for (const line of diff) {
    if (line.op === " ") {
      run.push(line);
    } else {
      flush(false);
      shown.push(line);
    }
  }
  flush(true);
  return shown;
}
