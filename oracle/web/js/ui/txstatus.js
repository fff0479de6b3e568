// A box showing where a transaction is: checking, waiting for the wallet, sent, (sped up,)
// mined — or failed, replaced, dropped or not mined in time, with what that means.

import { h, clear } from "./dom.js";

const TEXT = {
  checking: "Checking the transaction against the chain…",
  "waiting-for-wallet": "Waiting for your wallet: confirm the transaction there.",
  sent: "Sent. Waiting for it to be mined…",
  repriced: "Your wallet sent it again at another fee, as transaction",
  mined: "Mined.",
  failed: "Failed.",
  replaced: "Replaced.",
  dropped: "Dropped.",
  timeout: "Still not mined.",
};

const ENDED_WITH_ERROR = new Set(["failed", "replaced", "dropped", "timeout"]);

/** A status element and the `onState` callback Wallet.send drives it with. */
export function txStatus(label) {
  const box = h("div", { class: "tx", "data-action": label, "data-state": "idle", "data-history": "", role: "status" });
  const onState = (state, detail) => {
    box.dataset.state = state;
    box.dataset.history = `${box.dataset.history} ${state}`.trim();
    clear(box);
    box.append(h("strong", {}, `${label}: `), TEXT[state] ?? state);
    if (state === "sent") box.append(" ", h("code", { class: "tx-hash" }, detail));
    if (state === "repriced") box.append(" ", h("code", { class: "tx-hash" }, detail.hash));
    if (state === "mined") box.append(` Block ${BigInt(detail.blockNumber)}, transaction `, h("code", { class: "tx-hash" }, detail.transactionHash));
    if (ENDED_WITH_ERROR.has(state)) {
      box.append(" ");
      if (detail.errorName) box.append(h("code", { class: "error-name" }, detail.errorName), " — ");
      box.append(h("span", { class: "error-text" }, detail.explanation ?? detail.message));
    }
  };
  return { box, onState };
}

/** Shows a plain message (an error before any transaction, or a step such as an upload). */
export function note(box, state, text) {
  box.dataset.state = state;
  clear(box);
  box.append(text);
}
