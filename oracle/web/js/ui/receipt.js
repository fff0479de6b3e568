// A code submission's receipt (GET /v1/submissions/{id}/receipt; docs/code-submissions.md):
// what every oracle agreed on (code, runtime, inputs, limits, how the run ended, the
// predictions' CID) and each oracle's own run (resources, the log's tail where public).

import { get } from "../api.js";
import { h, table } from "./dom.js";
import { cidLink } from "./format.js";

const LIMIT_UNITS = { cpu_seconds: "s of CPU", wall_seconds: "s wall-clock", memory_mb: "MB of memory", output_mb: "MB of output", log_kb: "KB of log" };

/** The "Receipt" section of a scored code submission; null for a predictions file or while unscored. */
export async function codeReceipt(sub) {
  if (!sub.score) return null;
  let answer;
  try {
    answer = await get(`submissions/${sub.submission_id}/receipt`);
  } catch (error) {
    return h("section", { class: "receipt" }, h("h2", {}, "Receipt"), h("p", { class: "muted" }, `The receipt could not be read: ${error.message}`));
  }
  if (!answer.receipt) return null;
  const r = answer.receipt;
  return h(
    "section",
    { class: "receipt" },
    h("h2", {}, "Receipt"),
    h(
      "p",
      { class: "muted" },
      "Every oracle ran the program itself and signed only what it reached too; anyone can rerun it from this receipt (",
      h("code", {}, `coop receipt ${sub.submission_id}`),
      ").",
    ),
    h(
      "dl",
      { class: "facts wide" },
      h("dt", {}, "code"),
      h("dd", { "data-field": "code" }, cidLink(r.code_cid)),
      h("dt", {}, "runtime digest"),
      h("dd", { "data-field": "runtime" }, h("code", {}, r.runtime_digest)),
      h("dt", {}, "limits"),
      h("dd", { "data-field": "limits" }, limitsText(r.limits)),
      h("dt", {}, "inputs under /in"),
      h("dd", { "data-field": "inputs" }, inputList(r.inputs)),
      h("dt", {}, "seed"),
      h("dd", {}, h("code", {}, String(r.seed))),
      h("dt", {}, "how it ended"),
      h("dd", { "data-field": "ending" }, endingText(r)),
      h("dt", {}, "predictions"),
      h("dd", { "data-field": "predictions" }, predictions(r)),
      h("dt", {}, "report"),
      h("dd", {}, answer.report_cid ? cidLink(answer.report_cid) : "—"),
    ),
    h("h3", {}, "Each oracle's run"),
    answer.runs.length
      ? table(["oracle", "CPU", "peak memory", "wall", "outcome"], answer.runs.map(runRow), { class: "oracle-runs" })
      : h("p", { class: "muted" }, "This API knows no oracle to ask (COOP_ORACLE_URLS)."),
    answer.runs.map(logTail),
  );
}

/** "60 s of CPU, 120 s wall-clock, …" in the spec's order (a limit this page does not know last). */
function limitsText(limits) {
  const known = Object.keys(LIMIT_UNITS).filter((key) => key in limits);
  const others = Object.keys(limits).filter((key) => !(key in LIMIT_UNITS));
  return [...known, ...others].map((key) => `${limits[key]} ${LIMIT_UNITS[key] ?? key}`).join(", ");
}

function inputList(inputs) {
  return h(
    "ul",
    { class: "inputs" },
    Object.entries(inputs).map(([name, value]) =>
      h(
        "li",
        { "data-input": name },
        h("code", {}, name),
        " ",
        value.startsWith("0x") ? h("span", {}, "hidden (only the oracles hold it), commitment ", h("code", {}, value)) : cidLink(value),
      ),
    ),
  );
}

function endingText(r) {
  if (r.outcomes.length) return "the oracles' runs differed (see their outcomes below)";
  if (r.exit_code === null) return r.exception ? `stopped (${r.exception})` : "stopped at a limit, or refused before it ran";
  return r.exception ? `exit code ${r.exit_code}, ${r.exception}` : `exit code ${r.exit_code}`;
}

function predictions(r) {
  if (r.predictions_cid) return cidLink(r.predictions_cid);
  if (r.outcomes.length)
    return h(
      "span",
      {},
      "none agreed: ",
      r.outcomes.map((o, i) => [i ? ", " : "", h("code", {}, o)]),
    );
  return "none written";
}

function seconds(value) {
  return `${value.toFixed(2)} s`;
}

function runRow(run) {
  const who = h("span", { title: run.oracle }, run.record ? h("code", {}, run.record.oracle) : run.oracle);
  if (!run.record)
    return { attrs: { "data-oracle": run.oracle }, cells: [who, h("span", { class: "muted" }, `no record: ${run.error ?? "no answer"}`), "", "", ""] };
  const usage = run.record.usage;
  const cells = usage ? [seconds(usage.cpu_seconds), `${usage.peak_memory_mb.toFixed(1)} MB`, seconds(usage.wall_seconds)] : ["refused before it ran", "", ""];
  return { attrs: { "data-oracle": run.record.oracle, class: "oracle-run" }, cells: [who, ...cells, h("code", {}, run.record.outcome)] };
}

function logTail(run) {
  if (!run.record) return null;
  const header = h("h4", {}, "Log of ", h("code", {}, run.record.oracle), "'s run");
  if (run.record.log_tail === null)
    return h(
      "div",
      { class: "run-log hidden-log", "data-oracle": run.record.oracle },
      header,
      h("p", { class: "muted" }, "No log published: the run read hidden inputs, so only its status, exception type and resources are public."),
    );
  return h("div", { class: "run-log", "data-oracle": run.record.oracle }, header, h("pre", { class: "log-tail" }, run.record.log_tail || "(empty)"));
}
