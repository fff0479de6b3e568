// Giving a browser submission a licence, as `coop submit --licence` does: the predictions
// file (or the code folder's files) and a coop-source.json naming the licence go to IPFS
// as one folder (POST /v1/ipfs/folder), so the CID committed binds the licence. The
// manifest's bytes are the CLI's (two-space JSON and a newline): the same files give the
// same CID from both.

import { ApiProblem, uploadToIpfs } from "../api.js";

export const MANIFEST = "coop-source.json";

export function manifestFile(licence) {
  return new File([`${JSON.stringify({ licence }, null, 2)}\n`], MANIFEST, { type: "application/json" });
}

/** Uploads `entries` ({ path, file }) plus the manifest naming `licence` as one folder. */
export async function uploadLicensed(entries, licence, onProgress = () => {}) {
  if (entries.some((e) => e.path === MANIFEST)) {
    throw new Error(`the folder has its own ${MANIFEST}: write the licence in it ("licence": "${licence}") and leave the licence field empty.`);
  }
  const all = [...entries, { path: MANIFEST, file: manifestFile(licence) }];
  const files = [];
  for (const [index, entry] of all.entries()) {
    onProgress(`Adding ${entry.path} to IPFS (${index + 1} of ${all.length})…`);
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
  return answer;
}
