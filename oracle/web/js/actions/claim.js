// Claiming a reward: fetch the account's Merkle proof from the API, send RewardVault.claim.

import { get } from "../api.js";
import { callData } from "../chain/contracts.js";
import { WalletError } from "../chain/wallet.js";
import { h } from "../ui/dom.js";
import { note, txStatus } from "../ui/txstatus.js";

export function claimButton(ctx, reward) {
  const tracker = txStatus("Claim");
  const button = h("button", { type: "button", class: "claim-button" }, "Claim");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      note(tracker.box, "checking", "Fetching your Merkle proof…");
      const proof = await get(`challenges/${reward.challenge_id}/rewards/${reward.phase}/proofs/${ctx.account}`);
      if (proof.claimed) throw new Error("already claimed.");
      const data = callData("claim", [proof.challenge_id, proof.phase, proof.account, proof.amount, proof.proof]);
      const receipt = await ctx.wallet.send({ to: ctx.status.deployment.vault, data }, tracker.onState);
      await ctx.refreshAfter(receipt, tracker.box);
    } catch (error) {
      if (!(error instanceof WalletError)) note(tracker.box, "failed", `Not claimed: ${error.message}`);
      button.disabled = false;
    }
  });
  return h("div", { class: "claim" }, button, tracker.box);
}
