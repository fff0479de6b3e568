// Submitting from a wallet: upload the file to IPFS, commit its fingerprint (with the fork's
// parents and weights), then reveal it in a later block. The salt and the reveal values are
// kept in localStorage from before the commit is sent until the reveal is mined.

import { ApiProblem, get, uploadToIpfs } from "../api.js";
import { uploadEntries, uploadFolder } from "./folder.js";
import { licensedEntries } from "./licence.js";
import { ForkInputError, callData, decodeReturn, eventTopic, forkArguments, submissionCommitment } from "../chain/contracts.js";
import { pendingCommits, removePending, savePending, updatePending } from "../chain/pending.js";
import { WalletError } from "../chain/wallet.js";
import { randomBytes, toHex } from "../lib/ethereum.js";
import { add, clear, empty, h } from "../ui/dom.js";
import { percent, submissionLink, wei } from "../ui/format.js";
import { explain } from "../ui/glossary.js";
import { note, txStatus } from "../ui/txstatus.js";

/** The submission id from a mined commit's Committed log. */
export function committedId(receipt, book) {
  const topic = eventTopic("Committed");
  const log = receipt.logs.find((l) => l.address.toLowerCase() === book.toLowerCase() && l.topics[0] === topic);
  if (!log) throw new WalletError("The commit was mined but emitted no Committed event.");
  return Number(BigInt(log.topics[1]));
}

export function submitPanel(ctx, challenge, { forkOf = null } = {}) {
  const section = h(
    "section",
    { class: "submit", id: "submit" },
    h("h2", {}, "Submit predictions"),
    explain("commitReveal", "How does submitting work (commit, then reveal)?"),
  );
  if (!ctx.wallet) {
    add(
      section,
      empty(
        "No wallet in this browser.",
        "Install MetaMask (or any Ethereum wallet) to submit from this page, or use `coop submit` from a terminal. Everything else here works without one.",
      ),
    );
    return section;
  }
  if (!ctx.account) {
    add(
      section,
      empty("Connect your wallet to submit.", "Your wallet signs the commit and the reveal; this page never sees your keys."),
      h("button", { onclick: () => ctx.connect() }, "Connect wallet"),
    );
    return section;
  }
  const pendingBox = h("div", { class: "pending", id: "pending" });
  add(section, pendingBox);
  const refresh = () => renderPending(ctx, challenge, pendingBox, refresh);
  refresh();
  if (challenge.state === "commit") add(section, commitForm(ctx, challenge, forkOf, refresh));
  else
    add(
      section,
      empty(
        "Commits are closed.",
        challenge.state === "upcoming"
          ? "The commit window has not opened yet."
          : "This challenge's commit window is over; reveals of earlier commits are still accepted until the reveal end.",
      ),
    );
  return section;
}

function shareRow(parent = "", share = "") {
  return h(
    "div",
    { class: "share" },
    h("label", {}, "parent submission #", h("input", { type: "number", min: 1, step: 1, class: "parent-id", value: parent })),
    h("label", {}, "share ", h("input", { type: "number", min: 0, max: 100, step: "any", class: "parent-percent", value: share }), " %"),
    h("button", { type: "button", class: "link", onclick: (e) => e.target.closest(".share").remove() }, "remove"),
  );
}

function readShares(box) {
  return [...box.querySelectorAll(".share")]
    .map((row) => ({ parent: row.querySelector(".parent-id").value.trim(), percent: row.querySelector(".parent-percent").value.trim() }))
    .filter((r) => r.parent !== "" || r.percent !== "")
    .map((r) => ({ parent: Number(r.parent), percent: Number(r.percent) }));
}

function commitForm(ctx, challenge, forkOf, refresh) {
  const fileInput = h("input", { type: "file", id: "artifact" });
  const folderInput = h("input", { type: "file", id: "artifact-folder", webkitdirectory: true, multiple: true });
  const licenceInput = h("input", { type: "text", id: "licence", placeholder: "the challenge's default", pattern: "[A-Za-z0-9.+\\-]{1,64}", size: 18 });
  const shares = h("div", { class: "shares", id: "parents" });
  if (forkOf) add(shares, shareRow(forkOf, 100));
  const tracker = txStatus("Commit");
  const button = h("button", { type: "submit", id: "commit-button" }, "Commit");
  const form = h(
    "form",
    { class: "commit-form" },
    h("label", {}, "Predictions file ", fileInput),
    h("label", {}, " or a code folder (with main.py) ", folderInput),
    h("label", {}, "Licence (SPDX, optional) ", licenceInput, " ", explain("licence", "Which licences?")),
    h(
      "fieldset",
      {},
      h("legend", {}, "Fork (optional): the submissions you built on"),
      explain("fork", "What is a fork?"),
      shares,
      h("button", { type: "button", class: "link", onclick: () => add(shares, shareRow()) }, "+ add a parent"),
    ),
    button,
    tracker.box,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const picked = folderInput.files.length ? { folder: folderInput.files } : { file: fileInput.files[0] };
      picked.licence = licenceInput.value.trim();
      await commit(ctx, challenge, picked, readShares(shares), tracker);
      form.reset();
      clear(shares);
    } catch (error) {
      if (!(error instanceof WalletError)) note(tracker.box, "failed", `Not committed: ${error.message}`);
    } finally {
      button.disabled = false;
      refresh();
    }
  });
  return form;
}

async function commit(ctx, challenge, { file, folder, licence }, shares, tracker) {
  if (!file && !folder) throw new Error("choose the file with your predictions (or your code folder) first.");
  const { parents, weightsPpm } = forkArguments(shares);
  const { book, registry } = ctx.status.deployment;
  const challengeId = challenge.challenge_id;
  note(tracker.box, "checking", "Checking the parents, that the challenge is open, and its commit bond…");
  await checkParents(parents);
  let bond;
  try {
    [, , bond] = decodeReturn("commitRules", await ctx.wallet.call({ to: registry, data: callData("commitRules", [challengeId]) }));
  } catch (error) {
    tracker.onState("failed", error);
    throw error;
  }
  const name = file ? file.name : folder[0].webkitRelativePath.split("/")[0];
  note(tracker.box, "uploading", `Adding ${name} to IPFS…`);
  const progress = (step) => note(tracker.box, "uploading", step);
  const { cid } = folder
    ? await uploadFolder(folder, progress, licence)
    : licence
      ? await uploadEntries(licensedEntries([{ path: file.name, file }], licence), progress)
      : await uploadToIpfs(file);
  const salt = toHex(randomBytes(32));
  const values = { chainId: ctx.status.chain_id, book, challengeId, submitter: ctx.account, artifactCid: cid, parents, weightsPpm, salt };
  const commitment = submissionCommitment(values);
  savePending({ ...values, commitment, fileName: name, bond: bond.toString(), submissionId: null, commitTx: null, savedAt: Date.now() });
  let receipt;
  try {
    receipt = await ctx.wallet.send({ to: book, data: callData("commit", [challengeId, commitment]), value: bond }, (state, detail) => {
      if (state === "sent") updatePending(commitment, { commitTx: detail });
      tracker.onState(state, detail);
    });
  } catch (error) {
    // nothing was committed on chain — unless the wait ended without knowing: a commit that
    // timed out or that the node lost may still be mined, so its salt stays until the page
    // sees its receipt (or the user forgets it)
    const unknown = error instanceof WalletError && (error.code === "timeout" || error.code === "dropped");
    if (!unknown) removePending(commitment);
    throw error;
  }
  updatePending(commitment, { submissionId: committedId(receipt, book) });
}

/** A parent must exist and be revealed before the commit, or the reveal will fail. */
async function checkParents(parents) {
  for (const id of parents) {
    let parent;
    try {
      parent = await get(`submissions/${id}`);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) throw new ForkInputError(`there is no submission #${id} to fork.`);
      throw error;
    }
    if (parent.state === "committed") {
      throw new ForkInputError(`submission #${id} is not revealed yet: only revealed submissions can be parents.`);
    }
  }
}

async function resolveSent(ctx, record) {
  // a commit sent before a reload: find its submission id (or drop it if it reverted)
  const receipt = await ctx.wallet.request("eth_getTransactionReceipt", [record.commitTx]);
  if (!receipt) return record;
  if (BigInt(receipt.status) !== 1n) {
    removePending(record.commitment);
    return null;
  }
  return updatePending(record.commitment, { submissionId: committedId(receipt, record.book) });
}

async function renderPending(ctx, challenge, box, refresh) {
  const { book } = ctx.status.deployment;
  let records = pendingCommits({ chainId: ctx.status.chain_id, book, account: ctx.account, challengeId: challenge.challenge_id });
  records = (await Promise.all(records.map((r) => (r.submissionId === null && r.commitTx ? resolveSent(ctx, r) : r)))).filter(Boolean);
  clear(box);
  if (records.length === 0) return;
  add(
    box,
    h("h3", {}, "Your commits waiting for a reveal"),
    h(
      "p",
      { class: "muted" },
      "These commits are saved in this browser with their salts. Reveal each one before the reveal window ends, or it will never be scored.",
    ),
    h(
      "ul",
      {},
      records.map((r) => pendingItem(ctx, r, refresh)),
    ),
  );
}

function pendingItem(ctx, record, refresh) {
  const fork = record.parents.length ? ` forking ${record.parents.map((p, i) => `#${p} (${percent(record.weightsPpm[i])})`).join(", ")}` : "";
  const backup = h(
    "a",
    {
      href: URL.createObjectURL(new Blob([JSON.stringify(record, null, 2)], { type: "application/json" })),
      download: `coop-commit-${record.commitment.slice(2, 10)}.json`,
      title: "The values needed to reveal, in case this browser loses them",
    },
    "save a backup",
  );
  const item = h("li", { class: "pending-commit", "data-commitment": record.commitment, "data-submission": record.submissionId ?? "" });
  if (record.submissionId === null) {
    add(
      item,
      `${record.fileName}: the commit was ${record.commitTx ? "sent and is not mined yet" : "not confirmed"}. `,
      backup,
      " ",
      h(
        "button",
        {
          type: "button",
          class: "link",
          onclick: () => {
            removePending(record.commitment);
            refresh();
          },
        },
        "forget it",
      ),
    );
    return item;
  }
  const tracker = txStatus("Reveal");
  const button = h("button", { type: "button", class: "reveal-button" }, `Reveal #${record.submissionId}`);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await ctx.wallet.send(
        { to: record.book, data: callData("reveal", [record.submissionId, record.artifactCid, record.parents, record.weightsPpm, record.salt]) },
        tracker.onState,
      );
      removePending(record.commitment);
      add(
        clear(item),
        h(
          "span",
          { class: "revealed", "data-submission": record.submissionId },
          "Revealed ",
          submissionLink(record.submissionId),
          ". The oracles fetch and score it next; the leaderboard updates by itself.",
        ),
        tracker.box,
      );
    } catch {
      button.disabled = false;
    }
  });
  add(
    item,
    h("span", {}, "Submission ", submissionLink(record.submissionId), ` — ${record.fileName}${fork}, bond ${wei(record.bond)}. `),
    button,
    " ",
    backup,
    tracker.box,
  );
  return item;
}
