// A line diff of two texts (longest common subsequence), for a fork's changes against its
// parent: each line kept (" "), removed ("-") or added ("+"), long unchanged runs folded.

export const MAX_DIFF_LINES = 3000;
const CONTEXT = 3;

/** [{ op: " " | "-" | "+", text }] turning `before` into `after`; null when either is too long. */
export function lineDiff(before, after) {
  const a = lines(before);
  const b = lines(after);
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) return null;
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: the longest common subsequence of a[i:] and b[j:], one row at a time
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: " ", text: a[i] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ op: "-", text: a[i++] }); // a removal before the addition that replaces it
    } else {
      out.push({ op: "+", text: b[j++] });
    }
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
