// A code submission's files (GET /v1/ipfs/{cid}/files) and, for a fork, what changed against
// each parent that is a folder too: files added, removed and changed, with a line diff.

import { ApiProblem, get, ipfsText, ipfsUrl } from "../api.js";
import { h, table } from "./dom.js";
import { submissionLink } from "./format.js";
import { folded, lineDiff } from "./linediff.js";

const MAX_TEXT_BYTES = 200_000;

/** The folder's files, or null when the CID is a file (a predictions submission). */
export async function folderFiles(cid) {
  try {
    return await get(`ipfs/${encodeURIComponent(cid)}/files`);
  } catch (error) {
    if (error instanceof ApiProblem && error.reason === "not_a_folder") return null;
    throw error;
  }
}

function bytes(size) {
  return size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} KiB`;
}

/** The "Files" and "Changes" sections of a submission page; null for a predictions file. */
export async function codeFiles(sub) {
  if (!sub.artifact_cid) return null;
  let listing;
  try {
    listing = await folderFiles(sub.artifact_cid);
  } catch (error) {
    return h("section", { class: "code-files" }, h("h2", {}, "Files"), h("p", { class: "muted" }, `The files could not be listed: ${error.message}`));
  }
  if (!listing) return null;
  const rows = listing.files.map((f) => ({ attrs: { "data-path": f.path }, cells: [h("a", { href: ipfsUrl(f.cid) }, f.path), bytes(f.size)] }));
  const changes = await Promise.all(sub.parents.map((p) => changesAgainst(p.submission_id, listing)));
  return h(
    "div",
    { class: "code" },
    h(
      "section",
      { class: "code-files" },
      h("h2", {}, "Files"),
      h(
        "p",
        { class: "muted" },
        `${listing.files.length} files, ${bytes(listing.total_bytes)}: a program the oracles run (main.py). Fetch it with `,
        h("code", {}, `coop fetch ${sub.submission_id} DIR`),
        ".",
      ),
      table(["path", "size"], rows, { class: "file-list" }),
    ),
    ...changes,
  );
}

async function changesAgainst(parentId, ours) {
  const parent = await get(`submissions/${parentId}`);
  const section = h("section", { class: "code-diff", "data-parent": parentId }, h("h2", {}, "Changes against ", submissionLink(parentId)));
  const theirs = parent.artifact_cid ? await folderFiles(parent.artifact_cid).catch(() => null) : null;
  if (!theirs) {
    section.append(h("p", { class: "muted" }, `#${parentId} is not a folder of code, so there is nothing to compare file by file.`));
    return section;
  }
  const before = new Map(theirs.files.map((f) => [f.path, f]));
  const after = new Map(ours.files.map((f) => [f.path, f]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changed = paths.filter((p) => before.get(p)?.cid !== after.get(p)?.cid);
  if (!changed.length) {
    section.append(h("p", { class: "diff-summary" }, "No file changed: the same folder as its parent."));
    return section;
  }
  const count = (test) => changed.filter(test).length;
  section.append(
    h(
      "p",
      { class: "diff-summary" },
      `${count((p) => !before.has(p))} added, ${count((p) => !after.has(p))} removed, ${count((p) => before.has(p) && after.has(p))} changed; ${paths.length - changed.length} unchanged.`,
    ),
  );
  for (const path of changed) section.append(await fileChange(path, before.get(path), after.get(path)));
  return section;
}

async function fileChange(path, old, now) {
  const kind = !old ? "added" : !now ? "removed" : "changed";
  const box = h("div", { class: `file-change ${kind}`, "data-path": path }, h("h3", {}, h("code", {}, path), ` ${kind}`));
  const sizes = [old, now].filter(Boolean).map((f) => f.size);
  if (Math.max(...sizes) > MAX_TEXT_BYTES) {
    box.append(h("p", { class: "muted" }, "Too large to show here."));
    return box;
  }
  const [a, b] = await Promise.all([old ? ipfsText(old.cid) : "", now ? ipfsText(now.cid) : ""]);
  const diff = lineDiff(a, b);
  if (!diff) {
    box.append(h("p", { class: "muted" }, "Too many lines to compare here."));
    return box;
  }
  const lines = folded(diff).map((l) =>
    h("span", { class: `diff-line op-${{ " ": "same", "-": "del", "+": "add", "…": "fold" }[l.op]}` }, `${l.op === "…" ? "…" : l.op} ${l.text}\n`),
  );
  box.append(h("pre", { class: "diff" }, ...lines));
  return box;
}
