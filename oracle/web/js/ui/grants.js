// Mini-grants (docs/grants.md): a challenge's grant pools and an address's grants received,
// as the challenge page and the profile show them. Read from /v1/.../grants (the API reads
// the GrantPool on the chain); an API without a node answers 503 and the section says so.

import { get } from "../api.js";
import { empty, h, table } from "./dom.js";
import { challengeLink, profileLink, score, time, tokens } from "./format.js";

/** The answer of `path`, or null when the API cannot read grants (no node behind it). */
export async function loadGrants(path) {
  try {
    return await get(path);
  } catch {
    return null;
  }
}

/** The challenge page's section: each pool's rule, what is left, and who was paid. */
export function grantPools(answer) {
  const section = h("section", { class: "grants", id: "grants" }, h("h2", {}, "Mini-grants"));
  if (answer === null) {
    section.append(empty("Grants cannot be read here.", "This API was started without a chain node; `coop grant list` reads them."));
    return section;
  }
  if (answer.pools.length === 0) {
    section.append(empty("No grant pools yet.", "Anyone can fund one: `coop grant fund CHALLENGE --threshold SCORE --each TOKENS --slots N`."));
    return section;
  }
  section.append(
    h(
      "p",
      { class: "muted" },
      "Each pool pays its amount at once to each of its first participants whose public best beats its threshold; claim with `coop grant claim POOL`.",
    ),
    table(
      ["pool", "phase", "rule", "paid", "left", "claims close", "paid to"],
      answer.pools.map((p) => ({
        attrs: { "data-pool": p.pool_id },
        cells: [
          String(p.pool_id),
          String(p.phase),
          `${tokens(p.amount_each)} tokens each, public score ${p.higher_is_better ? ">" : "<"} ${score(p.threshold)}`,
          `${p.paid} of ${p.slots}`,
          p.reclaimed ? "returned to the sponsor" : `${tokens(p.left)} tokens`,
          time(p.closes_at),
          p.payments.length
            ? h("span", { class: "grant-payees" }, ...p.payments.flatMap((pay, i) => [i ? ", " : "", profileLink(pay.participant), ` (${score(pay.score)})`]))
            : "—",
        ],
      })),
      { class: "grant-list" },
    ),
  );
  return section;
}

/** The profile's section: grants paid to the address. */
export function grantsReceived(answer) {
  const section = h("section", { class: "grants", id: "grants" }, h("h2", {}, "Grants received"));
  if (answer === null) {
    section.append(empty("Grants cannot be read here.", "This API was started without a chain node."));
  } else if (answer.payments.length === 0) {
    section.append(empty("No grants received."));
  } else {
    section.append(
      table(
        ["challenge", "phase", "pool", "amount", "public best", "block"],
        answer.payments.map((p) => ({
          attrs: { "data-pool": p.pool_id },
          cells: [challengeLink(p.challenge_id), String(p.phase), String(p.pool_id), `${tokens(p.amount)} tokens`, score(p.score), String(p.block)],
        })),
        { class: "grant-received-list" },
      ),
    );
  }
  return section;
}
