// One challenge: what it asks, its numbers explained, the timeline of its figure of merit,
// the live public board, the private board, the best score over time, its submissions, and
// the form to submit or fork.

import { get, ipfsUrl, watchLeaderboard } from "../api.js";
import { submitPanel } from "../actions/submit.js";
import { add, clear, empty, h, table } from "../ui/dom.js";
import { explain, termLabel } from "../ui/glossary.js";
import { cidLink, duration, plural, profileLink, score, submissionLink, time, tokens, wei } from "../ui/format.js";
import { grantPools, loadGrants } from "../ui/grants.js";
import { bestScorePlot } from "../ui/plot.js";
import { extensionNote, quotaRule } from "../ui/quota.js";
import { teamLabel, teamList } from "../ui/teams.js";
import { boardTable, challengeTitle, loadSpec, stateBadge, submissionStatus } from "./common.js";

export const name = "challenge";

const BOARD_LIMIT = 50;

/** Everything on the page that changes as the chain moves; boards of `phase` (null: latest). */
async function loadState(challengeId, phase) {
  const [challenge, privateBoard, improvements, submissions, status, grants, teams, rankChanges] = await Promise.all([
    get(`challenges/${challengeId}`),
    get(`challenges/${challengeId}/leaderboard/private`, { limit: BOARD_LIMIT, phase }),
    get(`challenges/${challengeId}/improvements`, { phase }),
    get(`challenges/${challengeId}/submissions`, { limit: 100 }),
    get("status"),
    loadGrants(`challenges/${challengeId}/grants`),
    get(`challenges/${challengeId}/teams`),
    get(`challenges/${challengeId}/rank-changes`, { phase }),
  ]);
  return { challenge, privateBoard, improvements, submissions, grants, teams, rankChanges, chainTime: status.chain_time ?? Number.POSITIVE_INFINITY };
}

export async function render({ challengeId, query }, ctx) {
  const asked = query.has("phase") ? Number(query.get("phase")) : null;
  const first = await loadState(challengeId, asked);
  const challenge = first.challenge;
  const phase = asked ?? challenge.phases.length - 1; // the boards shown are this phase's
  const spec = await loadSpec(ctx, challenge.spec_cid);
  // what the latest phase asks (its metric, data and rules): what a submission now is judged by
  const current = await loadSpec(ctx, challenge.phases[challenge.phases.length - 1].spec_cid);
  const forkOf = query.get("fork");
  const slots = {
    badge: h("span"),
    numbers: h("div"),
    timeline: h("div"),
    phases: h("div"),
    private: h("div"),
    changes: h("div"),
    progress: h("div"),
    grants: h("div"),
    submissions: h("div"),
    teams: h("div"),
  };
  const fill = async (state) => {
    const phaseSpecs = await Promise.all(state.challenge.phases.map((p) => loadSpec(ctx, p.spec_cid)));
    add(clear(slots.badge), stateBadge(state.challenge.state));
    add(clear(slots.numbers), numbers(state.challenge, current));
    add(clear(slots.timeline), timeline(state.challenge, phaseSpecs));
    add(clear(slots.phases), phases(state.challenge));
    add(clear(slots.private), privateSection(state.privateBoard, state.challenge));
    add(clear(slots.changes), rankChangesSection(state.rankChanges));
    add(clear(slots.progress), progress(state.challenge, state.improvements, state.chainTime));
    add(clear(slots.grants), grantPools(state.grants));
    add(clear(slots.submissions), submissionList(challengeId, state.submissions));
    add(clear(slots.teams), teamList(state.teams));
  };
  await fill(first);

  const liveBadge = h("span", { class: "live", "data-live": "connecting" }, "connecting…");
  const publicBox = h("div", {}, h("p", { class: "loading" }, "Loading the board…"));
  const page = h(
    "section",
    { "data-challenge": challengeId },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Challenges"), " / ", `Challenge ${challengeId}`),
    h("h1", {}, challengeTitle(challenge, spec), " ", slots.badge),
    spec?.description ? h("p", { class: "lead" }, spec.description) : null,
    h(
      "nav",
      { class: "subnav" },
      h("a", { href: `#/challenges/${challengeId}/forks` }, "Fork graph"),
      h("a", { href: `#/challenges/${challengeId}/audit` }, "Audit"),
    ),
    slots.numbers,
    specFacts(current),
    slots.timeline,
    slots.phases,
    slots.teams,
    phasePicker(challengeId, challenge.phases, phase),
    h(
      "section",
      { class: "board-section", id: "public-board", "data-phase": phase },
      h("h2", {}, termLabel("publicBoard", "Public leaderboard"), ` (phase ${phase}) `, liveBadge),
      explain("eta", `What are eta and the Ladder? (eta in this phase: ${score((challenge.phases[phase] ?? challenge).eta)})`),
      publicBox,
    ),
    slots.private,
    slots.changes,
    slots.progress,
    slots.grants,
    submitPanel(ctx, challenge, { forkOf: forkOf ? Number(forkOf) : null }),
    slots.submissions,
  );

  // The board arrives over server-sent events; each change of the board or of anything else
  // in the index also refreshes the other sections (best score, plot, private board,
  // submissions, phases), one reload at a time.
  let boardsSeen = 0;
  let reloading = Promise.resolve();
  const reload = () => {
    reloading = reloading.then(() => loadState(challengeId, phase)).then(fill, () => {});
  };
  const stop = watchLeaderboard(challengeId, {
    limit: BOARD_LIMIT,
    phase,
    onBoard: (board) => {
      add(clear(publicBox), boardTable(board, "When the oracles score a valid submission, its submitter appears here; this table updates by itself."));
      if (boardsSeen++ > 0) reload();
    },
    onIndex: reload,
    onState: (state) => {
      liveBadge.dataset.live = state;
      liveBadge.textContent = state === "live" ? "● live" : state;
    },
  });
  ctx.onLeave(stop);
  return page;
}

/** Which phase's boards are shown: each phase is scored on its own holdout split. */
function phasePicker(challengeId, phases, chosen) {
  if (phases.length < 2) return null;
  return h(
    "nav",
    { class: "phase-picker", id: "phase-picker" },
    "Boards of phase: ",
    phases.map((p, i) => [
      i ? " · " : "",
      p.phase === chosen
        ? h("strong", { "aria-current": "true", "data-phase": p.phase }, String(p.phase))
        : h("a", { href: `#/challenges/${challengeId}?phase=${p.phase}`, "data-phase": p.phase }, String(p.phase)),
    ]),
    h("span", { class: "muted" }, " (each phase is scored on its own holdout split, so its boards are its own)"),
  );
}

function privateSection(board, challenge) {
  // phases whose private board is open, offered while the chosen one's is not
  const opened = challenge.phases.filter((p) => p.phase !== board.phase && p.score_batches > 0 && p.private_batches_opened === p.score_batches);
  const others = opened.length
    ? h(
        "p",
        { class: "opened-elsewhere" },
        "Opened: ",
        opened.map((p, i) => [
          i ? ", " : "",
          h("a", { href: `#/challenges/${challenge.challenge_id}?phase=${p.phase}`, "data-phase": p.phase }, `phase ${p.phase}'s private board`),
        ]),
        ".",
      )
    : null;
  return h(
    "section",
    { class: "board-section", id: "private-board", "data-phase": board.phase },
    h("h2", {}, termLabel("privateBoard", "Private leaderboard"), ` (phase ${board.phase})`),
    explain("privateBoard", "Why a private board?"),
    board.opened ? boardTable(board, "No valid submission in this phase.") : [empty("Not opened yet.", sentence(board.note)), others],
  );
}

/** What the phase's last correction of its scorer or labels changed: every submission whose
 * rank or status moved, old → new (nothing when the phase was never corrected). */
function rankChangesSection(found) {
  if (!found || found.correction === 0) return null;
  const arrow = (a, b) => (a === b ? String(a) : `${a} → ${b}`);
  const rank = (r) => (r === null ? "none" : String(r));
  const value = (v) => (v === null ? "none" : score(v));
  return h(
    "section",
    { class: "board-section", id: "rank-changes", "data-phase": found.phase, "data-correction": found.correction },
    h("h2", {}, `Rank changes (phase ${found.phase}, correction ${found.correction})`),
    h(
      "p",
      {},
      `The owner corrected this phase's scorer or labels (correction ${found.correction}); the oracles score every submission again under it. Ranked by ${found.ranked_by} score. Why: `,
      cidLink(found.reason_cid),
    ),
    found.items.length
      ? table(
          ["submission", "participant", "rank", "status", "score"],
          found.items.map((c) => [
            submissionLink(c.submission_id),
            profileLink(c.participant),
            arrow(rank(c.old_rank), rank(c.new_rank)),
            arrow(c.old_status, c.new_status),
            arrow(value(c.old_score), value(c.new_score)),
          ]),
          { "data-table": "rank-changes" },
        )
      : empty("No submission changed rank or status."),
  );
}

function sentence(text) {
  return text ? text[0].toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? "" : ".") : "";
}

function numbers(c, spec) {
  const metric = spec?.metric ? spec.metric.name : "the metric";
  return h(
    "section",
    { class: "numbers" },
    h(
      "dl",
      { class: "facts wide" },
      h("dt", {}, termLabel("baseline", "baseline")),
      h("dd", { "data-field": "baseline" }, score(c.baseline)),
      h("dt", {}, termLabel("target", "target")),
      h("dd", { "data-field": "target" }, score(c.target)),
      h("dt", {}, termLabel("eta", "eta (Ladder step)")),
      h("dd", { "data-field": "eta" }, score(c.eta)),
      h("dt", {}, "direction"),
      h("dd", {}, `${c.higher_is_better ? "higher" : "lower"} ${metric} is better`),
      h("dt", {}, c.phases.length > 1 ? `best public score (phase ${c.phases.length - 1})` : "best public score"),
      h(
        "dd",
        { "data-field": "best" },
        c.best
          ? [
              score(c.best.score),
              " by ",
              c.best.team ? teamLabel(c.best.team) : profileLink(c.best.participant),
              " (",
              submissionLink(c.best.submission_id),
              ")",
            ]
          : "none yet",
      ),
      h("dt", {}, termLabel("escrow", "bounty")),
      h("dd", {}, `${tokens(c.bounty)} tokens escrowed, ${tokens(c.escrow.claimed)} claimed so far`),
      h("dt", {}, "commit bond"),
      h("dd", {}, c.commit_bond === "0" ? "none" : `${wei(c.commit_bond)}, refunded at the reveal`),
      h("dt", {}, "daily cap"),
      h("dd", {}, c.daily_cap ? `${c.daily_cap} commits per address per 24 h` : "none"),
      h("dt", {}, "scoring deadline"),
      h("dd", { "data-field": "scoring-deadline" }, quotaRule(c)),
      h("dt", {}, "dispute window"),
      h("dd", { "data-field": "dispute-window" }, `${duration(c.dispute_window)}, bond ${wei(c.dispute_bond)}`),
      h("dt", {}, "notice period"),
      h(
        "dd",
        { "data-field": "notice-period" },
        `${duration(c.notice_period)}: a new phase, new oracles or a new arbiter apply only to commits opening at least that long after they are announced`,
      ),
      h("dt", {}, "activity"),
      h(
        "dd",
        {},
        [
          plural(c.submission_count, "submission"),
          plural(c.participant_count, "participant"),
          plural(c.review_count, "review"),
          plural(c.improvement_count, "improvement"),
        ].join(", "),
      ),
    ),
    explain("baseline", "What do baseline and target mean?"),
  );
}

function specFacts(spec) {
  if (!spec) return h("p", { class: "muted" }, "The challenge's spec file is not available from this node.");
  const data = spec.data || {};
  const rewards = spec.rewards || {};
  const downloads = [
    ["training data", data.train],
    ["test features (predict these rows)", data.test_features],
    ...Object.entries(data.public || {}).map(([k, cid]) => [k.replaceAll("_", " "), cid]),
  ].filter(([, cid]) => cid);
  return h(
    "section",
    { class: "spec" },
    h("h2", {}, "What to submit"),
    h(
      "p",
      {},
      `A ${spec.task} task scored with ${spec.metric?.name}. ${data.hidden_test_features ? "Submit a folder whose main.py writes" : "Upload"} a CSV with the columns `,
      h("code", {}, [spec.columns?.id, ...(spec.columns?.prediction || [])].join(",")),
      ", one row per test id.",
    ),
    hiddenFeatures(data),
    h(
      "ul",
      { class: "downloads" },
      downloads.map(([label, cid]) => h("li", {}, h("a", { href: ipfsUrl(cid), download: "" }, label), " ", h("span", { class: "cid" }, cid))),
    ),
    rewards.improvement_bps !== undefined
      ? h(
          "p",
          { class: "muted" },
          `Each phase's bounty is split: ${rewards.improvement_bps / 100}% for improvements, ${rewards.prize_bps / 100}% for the final ranking, ${rewards.review_bps / 100}% for reviews. A fork passes a share of what it earns to its parents.`,
        )
      : null,
  );
}

/** Hidden test features (a code-only challenge): who sees them and when. */
function hiddenFeatures(data) {
  if (!data.hidden_test_features) return null;
  return h(
    "p",
    { class: "hidden-features" },
    h("strong", {}, "The test features are hidden"),
    ": only your program sees them, at the oracles, as /in/test_features.csv. They are published with the labels when the phase's holdout is revealed (commitment ",
    h("code", {}, data.hidden_test_features),
    "). Try your folder first with ",
    h("code", {}, "coop run"),
    ", which holds a sample of train out in their place.",
  );
}

/** The history of the figure of merit: each phase, what it judges by, what it changed and the
 * best score under it (issue 15). `specs[i]` is phase i's spec, or null when not readable. */
function timeline(c, specs) {
  const metricOf = (i) => specs[i]?.metric?.name ?? null;
  return h(
    "section",
    { class: "timeline", id: "timeline" },
    h("h2", {}, "The figure of merit, phase by phase"),
    h(
      "ol",
      { class: "timeline" },
      c.phases.map((p, i) => {
        const metric = metricOf(i);
        const before = i > 0 ? metricOf(i - 1) : null;
        const changed = metric && before && metric !== before ? [`metric ${before} -> ${metric}`, ...p.changed] : p.changed;
        const best = (entry) => (entry ? [score(entry.score), " by ", submissionLink(entry.submission_id)] : "none yet");
        return h(
          "li",
          { "data-phase": String(p.phase), "data-state": p.state },
          h("strong", {}, `Phase ${p.phase}`),
          " ",
          stateBadge(p.state),
          h(
            "div",
            { class: "merit" },
            `${metric ?? "its metric"}, ${p.higher_is_better ? "higher" : "lower"} is better: baseline ${score(p.baseline)}, target ${score(p.target)}, eta ${score(p.eta)}`,
          ),
          h("div", { class: "changed" }, "Changed: ", changed.join("; ")),
          h("div", { class: "best" }, "Best public ", best(p.best_public), " · best private ", best(p.best_private)),
        );
      }),
    ),
  );
}

function phases(c) {
  return h(
    "section",
    { class: "phases" },
    h("h2", {}, termLabel("phase", "Phases")),
    table(
      ["phase", "commits", "reveals until", "bounty", "state", "judges", "holdout"],
      c.phases.map((p) => [
        String(p.phase),
        [`${time(p.commit_start)} – ${time(p.commit_end)}`, extensionNote(p)],
        time(p.reveal_end),
        `${tokens(p.bounty)} tokens`,
        stateBadge(p.state),
        judges(c, p),
        p.holdout ? ["revealed by ", profileLink(p.holdout.revealer), ": ", cidLink(p.holdout.labels_cid)] : "hidden until the phase ends",
      ]),
    ),
  );
}

/** The oracle set (version, quorum) and arbiter fixed for a phase when its commits opened. */
function judges(c, p) {
  const set = c.oracle_sets.find((s) => s.version === p.judges_version);
  if (!set) return "—";
  return h("span", { class: "judges", "data-version": String(set.version) }, [
    `set ${set.version}: ${set.quorum} of ${set.oracles.length} oracles sign; arbiter `,
    profileLink(p.arbiter),
  ]);
}

function progress(c, improvements, chainTime) {
  const section = h(
    "section",
    { class: "progress", id: "progress", "data-phase": improvements.phase },
    h("h2", {}, `Best score over time (phase ${improvements.phase})`),
  );
  const shown = c.phases.find((p) => p.phase === improvements.phase);
  const start = shown.commit_start;
  const end = Math.max(Math.min(shown.reveal_end, chainTime), start + 1);
  add(section, bestScorePlot(improvements, start, end));
  if (improvements.items.length === 0) {
    add(
      section,
      empty(
        "No improvement yet.",
        `The line starts at the phase's baseline (${score(shown.baseline)}). The first valid score better than it will appear as a marker, labelled with its contributor.`,
      ),
    );
  } else {
    add(
      section,
      explain("improvement", "What counts as an improvement?"),
      table(
        ["submission", "contributor", "from", "to", "when"],
        improvements.items.map((i) => ({
          attrs: { "data-submission": i.submission_id },
          cells: [
            submissionLink(i.submission_id),
            profileLink(i.participant),
            score(i.previous_best),
            h("span", { class: "score" }, score(i.score)),
            time(i.timestamp),
          ],
        })),
        { class: "improvements" },
      ),
    );
  }
  return section;
}

function submissionList(_challengeId, page) {
  const section = h("section", { class: "submissions", id: "submissions" }, h("h2", {}, "Submissions"));
  if (page.items.length === 0) {
    add(section, empty("No submissions yet.", "Be the first: commit a file with the form above."));
    return section;
  }
  add(
    section,
    table(
      ["id", "submitter", "status", "public score", "parents", "children"],
      page.items.map((sub) => ({
        attrs: { "data-submission": sub.submission_id },
        cells: [
          submissionLink(sub.submission_id),
          profileLink(sub.submitter),
          submissionStatus(sub),
          score(sub.public_score),
          String(sub.parent_count),
          String(sub.child_count),
        ],
      })),
    ),
    page.next_cursor ? h("p", { class: "muted" }, "Showing the first 100; see each participant's profile for theirs.") : null,
  );
  return section;
}
