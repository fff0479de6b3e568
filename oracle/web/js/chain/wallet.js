// The wallet the page acts with (an EIP-1193 provider that chain/discovery.js found): connect,
// read with eth_call, and send a transaction through its states — checking, waiting for the
// wallet, sent, then mined or failed, replaced, dropped or timed out — with a revert decoded
// into the contract's custom error and explained. viem (lib/ethereum.js) makes the requests
// and waits for the receipt, noticing a replacement.

import {
  TransactionNotFoundError,
  WaitForTransactionReceiptTimeoutError,
  call,
  createClient,
  custom,
  getChainId,
  getTransaction,
  getTransactionCount,
  requestAddresses,
  sendTransaction,
  waitForTransactionReceipt,
} from "../lib/ethereum.js";
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
const POLL_MS = 400;
export const RECEIPT_TIMEOUT_MS = 10 * 60_000;
// a sent transaction the node no longer knows, with nothing pending or mined at its nonce,
// this many checks in a row (one check every DROP_CHECK_MS), was dropped
const DROP_CHECK_MS = 2_000;
const DROP_CHECKS = 2;

/** The first value `pick` returns for an error or its nested causes (wallets nest them differently). */
function findInError(error, pick) {
  const seen = new Set();
  const walk = (value, depth) => {
    if (value === null || typeof value !== "object" || depth > 6 || seen.has(value)) return null;
    seen.add(value);
    const found = pick(value);
    if (found !== null && found !== undefined) return found;
    for (const key of ["data", "error", "originalError", "cause", "info"]) {
      const inner = walk(value[key], depth + 1);
      if (inner !== null) return inner;
    }
    return null;
  };
  return walk(error, 0);
}

/** The first 0x-hex `data` found in an EIP-1193 error or its causes. */
export function revertDataOf(error) {
  return findInError(error, (value) => (typeof value.data === "string" && /^0x[0-9a-fA-F]*$/.test(value.data) ? value.data : null));
}

/** A WalletError for a failed request: a decoded revert, a refusal, or the wallet's text. */
export function describeFailure(error) {
  if (error instanceof WalletError) return error;
  if (findInError(error, (value) => value.code === USER_REJECTED || null)) {
    return new WalletError("You rejected the request in your wallet.", { code: USER_REJECTED });
  }
  const data = revertDataOf(error);
  if (data !== null && data.length >= 10) {
    const { name, explanation } = explainRevert(data);
    return new WalletError(name ? `${name}: ${explanation}` : explanation, { name, explanation });
  }
  const message = (error && (error.shortMessage || error.message || error.reason)) || String(error);
  return new WalletError(message, { code: error?.code ?? null });
}

function minutes(ms) {
  const n = Math.round(ms / 60_000);
  return n >= 1 ? `${n} minute${n === 1 ? "" : "s"}` : `${Math.round(ms / 1000)} seconds`;
}

export class Wallet {
  /** `name`: how the wallet announced itself; `receiptTimeoutMs`: how long to wait for a mined transaction. */
  constructor(provider, { name = "Browser wallet", receiptTimeoutMs = RECEIPT_TIMEOUT_MS } = {}) {
    this.provider = provider;
    this.name = name;
    this.receiptTimeoutMs = receiptTimeoutMs;
    this.client = createClient({ transport: custom(provider), pollingInterval: POLL_MS });
    this.account = null;
    this.chainId = null;
  }

  async request(method, params = []) {
    return this.provider.request({ method, params });
  }

  /** Asks the wallet for an account; returns { account, chainId }. */
  async connect() {
    let accounts;
    try {
      accounts = await requestAddresses(this.client);
    } catch (error) {
      throw describeFailure(error);
    }
    if (!accounts || accounts.length === 0) throw new WalletError("The wallet shared no account.");
    this.account = accounts[0];
    this.chainId = await getChainId(this.client);
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

  /** eth_call on `block` ("latest", "pending" or a block number); a revert becomes a WalletError with the decoded custom error. */
  async call({ to, data, value = 0n, from = this.account, block = "latest" }) {
    const at = typeof block === "string" ? { blockTag: block } : { blockNumber: BigInt(block) };
    try {
      const result = await call(this.client, { account: from ?? undefined, to, data, value: BigInt(value), ...at });
      return result.data ?? "0x";
    } catch (error) {
      throw describeFailure(error);
    }
  }

  /**
   * Sends a transaction; `onState(state, detail)` sees "checking", "waiting-for-wallet",
   * "sent" (detail: hash), maybe "repriced" (detail: the replacement transaction, the same
   * call with another fee), then "mined" (detail: receipt) or, with a WalletError as
   * detail, "failed", "replaced" (another transaction took its nonce), "dropped" (the
   * network forgot it) or "timeout". Resolves with the receipt of a successful
   * transaction, rejects with a WalletError.
   */
  async send({ to, data, value = 0n }, onState = () => {}) {
    let hash;
    try {
      onState("checking");
      // simulated on the pending block (the next one), where the transaction would land: a
      // revert is explained before the wallet opens
      await this.call({ to, data, value, block: "pending" });
      onState("waiting-for-wallet");
      hash = await sendTransaction(this.client, { account: this.account, chain: null, to, data, value: BigInt(value) });
    } catch (error) {
      const failure = describeFailure(error);
      onState("failed", failure);
      throw failure;
    }
    onState("sent", hash);
    let receipt;
    try {
      receipt = await this.waitForReceipt(hash, onState);
    } catch (error) {
      const failure = describeFailure(error);
      onState(["replaced", "dropped", "timeout"].includes(failure.code) ? failure.code : "failed", failure);
      throw failure;
    }
    if (receipt.status === "success") {
      onState("mined", receipt);
      return receipt;
    }
    const failure = await this.whyFailed({ to, data, value }, receipt);
    onState("failed", failure);
    throw failure;
  }

  /**
   * The receipt of `hash`, or of the transaction that repriced it (the same call with
   * another fee, reported to `onState` as "repriced"). Rejects with a WalletError whose
   * code is "replaced" (another transaction took the nonce), "dropped" or "timeout".
   */
  async waitForReceipt(hash, onState = () => {}) {
    let replacement = null;
    const drop = this.watchForDrop(hash);
    try {
      const receipt = await waitForTransactionReceipt(this.client, {
        hash,
        timeout: this.receiptTimeoutMs,
        pollingInterval: POLL_MS,
        signal: drop.signal,
        onReplaced: (found) => {
          replacement = found;
        },
      });
      if (replacement === null) return receipt;
      const other = replacement.transaction.hash;
      if (replacement.reason === "repriced") {
        onState("repriced", replacement.transaction);
        return receipt;
      }
      const what =
        replacement.reason === "cancelled"
          ? `It was cancelled in your wallet: transaction ${other}, sending nothing to your own account with the same nonce, was mined instead (block ${receipt.blockNumber})`
          : `Your account sent another transaction with the same nonce (${other}, mined in block ${receipt.blockNumber}), so this one will never be mined`;
      throw new WalletError(`${what}. Nothing was done; send it again if you still want it.`, { code: "replaced" });
    } catch (error) {
      if (drop.dropped) {
        throw new WalletError(
          "The network no longer has this transaction and nothing was mined with its nonce (a node or your wallet discarded it, e.g. for a too low fee). Nothing was done; send it again.",
          { code: "dropped" },
        );
      }
      if (error instanceof WaitForTransactionReceiptTimeoutError) {
        throw new WalletError(
          `Not mined after ${minutes(this.receiptTimeoutMs)}. It may still be mined later: check your wallet's activity before sending it again (transaction ${hash}).`,
          { code: "timeout" },
        );
      }
      throw error;
    } finally {
      drop.stop();
    }
  }

  /**
   * Checks every few seconds whether the node still knows a sent transaction; when it does
   * not and nothing is pending or mined at its nonce, aborts `signal` with `dropped` set.
   */
  watchForDrop(hash) {
    const controller = new AbortController();
    const watch = { signal: controller.signal, dropped: false, stop: () => clearInterval(timer) };
    let sent = null;
    let misses = 0;
    let busy = false;
    const check = async () => {
      if (busy) return;
      busy = true;
      try {
        sent = await getTransaction(this.client, { hash });
        misses = 0;
      } catch (error) {
        if (!(error instanceof TransactionNotFoundError) || sent === null) return;
        const next = await getTransactionCount(this.client, { address: sent.from, blockTag: "pending" }).catch(() => null);
        if (next === null) return;
        misses = next > sent.nonce ? 0 : misses + 1;
        if (misses >= DROP_CHECKS) {
          watch.dropped = true;
          controller.abort();
        }
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(check, DROP_CHECK_MS);
    check();
    return watch;
  }

  /**
   * Replays a reverted transaction on the state of its block to read the error: a reverted
   * transaction changed nothing, so that state holds what the transactions mined before it
   * in the same block did (the usual reason a transaction that simulated well fails). When
   * the replay passes, the transaction may have used all the gas it was given.
   */
  async whyFailed({ to, data, value }, receipt) {
    try {
      await this.call({ to, data, value, block: receipt.blockNumber });
    } catch (error) {
      return describeFailure(error);
    }
    const mined = await getTransaction(this.client, { hash: receipt.transactionHash }).catch(() => null);
    if (mined !== null && receipt.gasUsed >= mined.gas) {
      return new WalletError(
        `The transaction ran out of gas in block ${receipt.blockNumber}: it was given ${mined.gas} gas and used all of it. Nothing was done; send it again with a higher gas limit.`,
        { code: "out-of-gas" },
      );
    }
    return new WalletError(`The transaction was mined in block ${receipt.blockNumber} but reverted.`);
  }
}
