// Giving a browser submission a licence, as `coop submit --licence` does: the predictions
// file (or the code folder's files) and a coop-source.json naming the licence go to IPFS
// as one folder (actions/folder.js), so the CID committed binds the licence. The
// manifest's bytes are the CLI's (two-space JSON and a newline): the same files give the
// same CID from both.

export const MANIFEST = "coop-source.json";

export function manifestFile(licence) {
  return new File([`${JSON.stringify({ licence }, null, 2)}\n`], MANIFEST, { type: "application/json" });
}

/** `entries` ({ path, file }) with the manifest naming `licence` added. */
export function licensedEntries(entries, licence) {
  if (entries.some((e) => e.path === MANIFEST)) {
    throw new Error(`the folder has its own ${MANIFEST}: write the licence in it ("licence": "${licence}") and leave the licence field empty.`);
  }
  return [...entries, { path: MANIFEST, file: manifestFile(licence) }];
}
