// An EIP-1193 wallet (window.ethereum): connect, read with eth_call, and send a
// transaction through its states — checking, waiting for wallet, sent, mined or failed —
// with a revert decoded into the contract's custom error and explained.

import { explainRevert } from "./errors.js";

export class WalletError extends Error {
  constructor(message, { name = null, explanation = null, code = null } = {}) {
    super(message);
    this.name = "WalletError";
    this.errorName = name; // the custom error's name, when the chain gave one
    this.explanation = explanation;
    this.code = code;
  }
}

const USER_REJECTED = 4001;
const RECEIPT_POLL_MS = 400;

/** The first 0x-hex `data` found in an EIP-1193 error (wallets nest it differently). */
export function revertDataOf(error) {
  const seen = new Set();
  const walk = (value, depth) => {
    if (value === null || typeof value !== "object" || depth > 5 || seen.has(value)) return null;
    seen.add(value);
    if (typeof value.data === "string" && /^0x[0-9a-fA-F]*$/.test(value.data)) return value.data;
    for (const key of ["data", "error", "originalError", "cause", "info"]) {
      const found = walk(value[key], depth + 1);
      if (found !== null) return found;
    }
    return null;
  };
  return walk(error, 0);
}

/** A WalletError for a failed request: a decoded revert, a refusal, or the wallet's text. */
export function describeFailure(error) {
  if (error instanceof WalletError) return error;
  if (error && error.code === USER_REJECTED) {
    return new WalletError("You rejected the request in your wallet.", { code: USER_REJECTED });
  }
  const data = revertDataOf(error);
  if (data !== null && data.length >= 10) {
    const { name, explanation } = explainRevert(data);
    return new WalletError(name ? `${name}: ${explanation}` : explanation, { name, explanation });
  }
  const message = (error && (error.message || error.reason)) || String(error);
  return new WalletError(message, { code: error && error.code });
}

function toQuantity(value) {
  return "0x" + BigInt(value).toString(16);
}

export class Wallet {
  constructor(provider) {
    this.provider = provider;
    this.account = null;
    this.chainId = null;
  }

  /** The injected provider, or null when the browser has no wallet. */
  static injected() {
    return typeof window !== "undefined" && window.ethereum ? new Wallet(window.ethereum) : null;
  }

  async request(method, params = []) {
    return this.provider.request({ method, params });
  }

  /** Asks the wallet for an account; returns { account, chainId }. */
  async connect() {
    let accounts;
    try {
      accounts = await this.request("eth_requestAccounts");
    } catch (error) {
      throw describeFailure(error);
    }
    if (!accounts || accounts.length === 0) throw new WalletError("The wallet shared no account.");
    this.account = accounts[0];
    this.chainId = Number(BigInt(await this.request("eth_chainId")));
    return { account: this.account, chainId: this.chainId };
  }

  onChange(callback) {
    if (typeof this.provider.on !== "function") return;
    this.provider.on("accountsChanged", (accounts) => {
      this.account = accounts[0] ?? null;
      callback();
    });
    this.provider.on("chainChanged", (chainId) => {
      this.chainId = Number(BigInt(chainId));
      callback();
    });
  }

  /** eth_call; a revert becomes a WalletError with the decoded custom error. */
  async call({ to, data, value = 0n, from = this.account, block = "latest" }) {
    const tx = { to, data, value: toQuantity(value) };
    if (from) tx.from = from;
    try {
      return await this.request("eth_call", [tx, block]);
    } catch (error) {
      throw describeFailure(error);
    }
  }

  /**
   * Sends a transaction; `onState(state, detail)` sees "checking", "waiting-for-wallet",
   * "sent" (detail: hash), then "mined" (detail: receipt) or "failed" (detail: WalletError).
   * Resolves with the receipt of a successful transaction, rejects with a WalletError.
   */
  async send({ to, data, value = 0n }, onState = () => {}) {
    const tx = { from: this.account, to, data, value: toQuantity(value) };
    let hash;
    try {
      onState("checking");
      // simulated on the pending block (the next one), where the transaction would land: a
      // revert is explained before the wallet opens
      await this.call({ to, data, value, block: "pending" });
      onState("waiting-for-wallet");
      hash = await this.request("eth_sendTransaction", [tx]);
    } catch (error) {
      const failure = describeFailure(error);
      onState("failed", failure);
      throw failure;
    }
    onState("sent", hash);
    const receipt = await this.waitForReceipt(hash);
    if (BigInt(receipt.status) === 1n) {
      onState("mined", receipt);
      return receipt;
    }
    const failure = await this.whyFailed(tx, receipt);
    onState("failed", failure);
    throw failure;
  }

  async waitForReceipt(hash) {
    for (;;) {
      const receipt = await this.request("eth_getTransactionReceipt", [hash]);
      if (receipt) return receipt;
      await new Promise((resolve) => setTimeout(resolve, RECEIPT_POLL_MS));
    }
  }

  /**
   * Replays a reverted transaction on the state of its block to read the error: a reverted
   * transaction changed nothing, so that state holds what the transactions mined before it
   * in the same block did (the usual reason a transaction that simulated well fails).
   */
  async whyFailed(tx, receipt) {
    try {
      await this.call({ ...tx, value: BigInt(tx.value), block: toQuantity(receipt.blockNumber) });
    } catch (error) {
      return describeFailure(error);
    }
    return new WalletError(`The transaction was mined in block ${BigInt(receipt.blockNumber)} but reverted.`);
  }
}
