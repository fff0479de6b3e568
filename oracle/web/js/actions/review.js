// Reviewing someone else's revealed submission: the text goes to IPFS, the verdict and the
// text's CID on chain.

import { uploadToIpfs } from "../api.js";
import { callData } from "../chain/contracts.js";
import { WalletError } from "../chain/wallet.js";
import { add, empty, h } from "../ui/dom.js";
import { explain } from "../ui/glossary.js";
import { note, txStatus } from "../ui/txstatus.js";

const VERDICTS = [
  [1, "approve"],
  [2, "concern"],
  [3, "reject"],
];

export function reviewForm(ctx, sub, phase) {
  const section = h("div", { class: "review", id: "review" }, h("h2", {}, "Review it"), explain("review", "What is a review?"));
  if (sub.state === "committed") {
    add(section, empty("Not revealed yet: nothing to review."));
    return section;
  }
  if (!ctx.account) {
    add(section, empty(ctx.wallet ? "Connect your wallet to review." : "A wallet is needed to review."));
    return section;
  }
  if (ctx.account.toLowerCase() === sub.submitter.toLowerCase()) {
    add(section, empty("This is your own submission.", "Others can review it; you cannot."));
    return section;
  }
  const mine = sub.reviews.find((r) => r.reviewer.toLowerCase() === ctx.account.toLowerCase());
  if (mine) {
    add(section, empty(`You reviewed this submission (${mine.verdict_name}).`, "One review per reviewer and submission."));
    return section;
  }
  if (phase && phase.state === "ended") {
    add(section, empty("Reviews are closed.", "The reveal window of this submission's phase has ended."));
    return section;
  }
  const text = h("textarea", { id: "review-text", rows: 4, placeholder: "What is good or wrong about it? (stored on IPFS, public)" });
  const verdicts = h(
    "div",
    { class: "verdicts" },
    VERDICTS.map(([value, label], i) => h("label", {}, h("input", { type: "radio", name: "verdict", value, checked: i === 0 }), ` ${label} `)),
  );
  const tracker = txStatus("Review");
  const button = h("button", { type: "submit", id: "review-button" }, "Send review");
  const form = h("form", { class: "review-form" }, verdicts, text, button, tracker.box);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const verdict = Number(form.querySelector("input[name=verdict]:checked").value);
      if (!text.value.trim()) throw new Error("write a few words first.");
      note(tracker.box, "uploading", "Adding the review text to IPFS…");
      const { cid } = await uploadToIpfs(new Blob([text.value], { type: "text/plain" }));
      const receipt = await ctx.wallet.send({ to: ctx.status.deployment.book, data: callData("review", [sub.submission_id, verdict, cid]) }, tracker.onState);
      await ctx.refreshAfter(receipt, tracker.box);
    } catch (error) {
      if (!(error instanceof WalletError)) note(tracker.box, "failed", `Not sent: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  });
  add(section, form);
  return section;
}
