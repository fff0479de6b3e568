// Submitting a code folder from the browser: each file goes to IPFS through the API
// (POST /v1/ipfs), then the API puts them together as a folder (POST /v1/ipfs/folder) with
// the CID `coop submit FOLDER` gives the same files: hidden entries (.git, .DS_Store) are
// left out, as `ipfs add -r` leaves them out.

import { ApiProblem, uploadToIpfs } from "../api.js";
import { licensedEntries } from "./licence.js";

/** The files of a picked folder (an <input webkitdirectory>), by path inside it. */
export function folderEntries(fileList) {
  const entries = [];
  for (const file of fileList) {
    const parts = (file.webkitRelativePath || file.name).split("/").slice(1); // drop the folder's own name
    if (!parts.length || parts.some((p) => p.startsWith("."))) continue;
    entries.push({ path: parts.join("/"), file });
  }
  return entries;
}

/** Uploads a picked folder (with a manifest naming `licence`, when given); { cid, size, files }
 * of the folder. */
export async function uploadFolder(fileList, onProgress = () => {}, licence = "") {
  const entries = folderEntries(fileList);
  if (!entries.some((e) => e.path === "main.py")) {
    throw new Error("the folder has no main.py at its top: the oracles run `python main.py` there.");
  }
  return uploadEntries(licence ? licensedEntries(entries, licence) : entries, onProgress);
}

/** Uploads `entries` ({ path, file }) as one folder; { cid, size, files } of the folder. */
export async function uploadEntries(entries, onProgress = () => {}) {
  const files = [];
  for (const [index, entry] of entries.entries()) {
    onProgress(`Adding ${entry.path} to IPFS (${index + 1} of ${entries.length})…`);
    const { cid } = await uploadToIpfs(entry.file);
    files.push({ path: entry.path, cid });
  }
  const response = await fetch("/v1/ipfs/folder", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ files }),
  });
  const answer = await response.json().catch(() => ({ title: response.statusText }));
  if (response.status !== 201) throw new ApiProblem(response.status, answer);
  return { ...answer, files: files.length };
}
