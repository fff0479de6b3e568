// A submission's licence (docs/licences.md): the SPDX identifier its artifact's
// coop-source.json names, or the challenge's default; GET /v1/submissions/{id} has it as
// `licence`, the boards as each entry's `licence`.

import { h } from "./dom.js";

/** "Apache-2.0 (named in its coop-source.json)" — or "unknown" while it cannot be read. */
export function licenceText(licence) {
  if (!licence) return h("span", { class: "muted" }, "unknown (not revealed, or its artifact is not here)");
  const where = licence.declared ? "named in its coop-source.json" : "the challenge's default";
  const open = licence.open ? "" : ", not an open licence";
  return h("span", { class: "licence", "data-spdx": licence.spdx }, h("code", {}, licence.spdx), ` (${where}${open})`);
}

/** A board cell: the entry's SPDX identifier. */
export function licenceCell(spdx) {
  return spdx ? h("code", { class: "licence", "data-spdx": spdx }, spdx) : h("span", { class: "muted" }, "—");
}
