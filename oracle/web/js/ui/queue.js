// A pending submission's place in the oracles' scoring queue (GET /v1/submissions/{id} has it
// as `queue`; docs/api.md "Scoring queue"), in words.

import { h } from "./dom.js";
import { duration } from "./format.js";

/** "Place 2 in the scoring queue: waited 40 s, about 2 min left" (null when not queued). */
export function queuePlace(place) {
  if (!place) return null;
  const wait =
    place.estimate_seconds === null ? "no estimate yet (fewer than two submissions scored so far)" : `about ${duration(place.estimate_seconds)} left`;
  return h(
    "p",
    { class: "queue-place", "data-position": place.position },
    h("strong", {}, `Place ${place.position} in the scoring queue`),
    `: waited ${duration(place.waited_seconds)}, ${wait}. `,
    h("span", { class: "muted" }, "The oracles take revealed submissions oldest reveal first; the estimate comes from the recent scoring times."),
  );
}
