// The web app's shell: loads the deployment (/v1/status), keeps the wallet connection in
// the header (with a choice when the browser has several wallets), and renders the page the
// URL's #fragment names.

import { ApiProblem, get } from "./api.js";
import { watchWallets } from "./chain/discovery.js";
import { Wallet, WalletError } from "./chain/wallet.js";
import { clear, empty, h } from "./ui/dom.js";
import { shortAddress } from "./ui/format.js";
import * as audit from "./pages/audit.js";
import * as challenge from "./pages/challenge.js";
import * as challenges from "./pages/challenges.js";
import * as forks from "./pages/forks.js";
import * as profile from "./pages/profile.js";
import * as submission from "./pages/submission.js";

const ROUTES = [
  [/^\/?$/, challenges, () => ({})],
  [/^\/challenges\/(\d+)$/, challenge, (m) => ({ challengeId: Number(m[1]) })],
  [/^\/challenges\/(\d+)\/forks$/, forks, (m) => ({ challengeId: Number(m[1]) })],
  [/^\/challenges\/(\d+)\/audit$/, audit, (m) => ({ challengeId: Number(m[1]) })],
  [/^\/submissions\/(\d+)$/, submission, (m) => ({ submissionId: Number(m[1]) })],
  [/^\/profiles\/(0x[0-9a-fA-F]{40})$/, profile, (m) => ({ address: m[1] })],
];

const ctx = {
  status: null, // GET /v1/status: chain id and contract addresses
  wallet: null, // the wallet the page acts with: the only one found, or the one chosen (until then the first)
  wallets: [], // every wallet found (chain/discovery.js)
  walletChosen: false, // whether `wallet` is the one to use (chosen, or the only one), so it is listened to
  choosingWallet: false, // the header lists the wallets to pick from
  account: null, // the connected account, once connected on the right chain
  cleanups: [],
  onLeave(fn) {
    this.cleanups.push(fn);
  },
  rerender: () => route(),
  refreshAfter: (receipt, box) => refreshAfter(receipt, box),
  notices: [], // status boxes of the last action, shown above the page it re-renders
  connect: () => connect(),
  spec: new Map(), // challenge id -> its spec JSON (fetched once from IPFS)
};

function parseLocation() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  return { path: path || "/", query: new URLSearchParams(query) };
}

async function route() {
  for (const cleanup of ctx.cleanups.splice(0)) cleanup();
  const main = document.getElementById("app");
  const { path, query } = parseLocation();
  const found = ROUTES.map(([re, page, params]) => [re.exec(path), page, params]).find(([m]) => m);
  const view = h("div", { class: "page" });
  clear(main).append(view);
  if (!found) {
    view.append(empty("There is no page here.", h("a", { href: "#/" }, "See all challenges")));
    return;
  }
  const [match, page, params] = found;
  view.append(h("p", { class: "loading" }, "Loading…"));
  const notices = ctx.notices.splice(0);
  try {
    const content = await page.render({ ...params(match), query }, ctx);
    if (main.firstChild === view) clear(view).append(...(notices.length ? [h("div", { class: "notices" }, notices)] : []), content);
  } catch (error) {
    if (main.firstChild !== view) return;
    clear(view).append(
      error instanceof ApiProblem && error.status === 404
        ? empty("Not found.", error.message, h("a", { href: "#/" }, "See all challenges"))
        : h("div", { class: "error-box" }, h("strong", {}, "This page could not be loaded. "), String(error.message || error)),
    );
  }
  document.body.dataset.page = page.name || "";
}

/**
 * After an action's transaction is mined: waits until the index has read its block, then
 * renders the page again so it shows the new state, keeping the action's status box on top.
 */
async function refreshAfter(receipt, box) {
  const block = Number(BigInt(receipt.blockNumber));
  const hash = location.hash;
  for (let tries = 0; tries < 240; tries++) {
    const status = await get("status").catch(() => null);
    if (status && status.indexed_block >= block) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (location.hash !== hash) return; // the user moved on
  box.dataset.refreshed = "true";
  ctx.notices.push(box);
  await route();
}

const CHOSEN_WALLET = "coop.chosen-wallet.v1"; // localStorage: the wallet picked last, by its rdns or name

function walletKey(found) {
  return found.rdns ?? found.name;
}

/** The wallets found so far: the only one (or the one picked before) is used at once. */
function setWallets(found) {
  ctx.wallets = found;
  if (!ctx.walletChosen) {
    const remembered = localStorage.getItem(CHOSEN_WALLET);
    const pick = found.length === 1 ? found[0] : found.find((w) => walletKey(w) === remembered);
    if (pick) adopt(pick);
    else ctx.wallet = found.length ? new Wallet(found[0].provider, { name: found[0].name }) : null;
  }
  if (ctx.status) renderWallet();
}

function adopt(found) {
  const wallet = new Wallet(found.provider, { name: found.name });
  ctx.wallet = wallet;
  ctx.walletChosen = true;
  ctx.choosingWallet = false;
  wallet.onChange(() => {
    if (ctx.wallet !== wallet) return; // another wallet was picked since
    ctx.account = wallet.chainId === ctx.status.chain_id ? wallet.account : null;
    renderWallet();
    route();
  });
}

async function choose(found) {
  adopt(found);
  localStorage.setItem(CHOSEN_WALLET, walletKey(found));
  await connect();
}

function walletChoices() {
  return h(
    "span",
    { class: "wallet-choices", role: "group", "aria-label": "Choose a wallet" },
    "Connect with: ",
    ctx.wallets.map((found) =>
      h(
        "button",
        { type: "button", class: "wallet-choice", "data-wallet": found.name, onclick: () => choose(found) },
        ...(found.icon ? [h("img", { src: found.icon, alt: "", width: 16, height: 16 }), " "] : []),
        found.name,
      ),
    ),
  );
}

function renderWallet(message = null) {
  const box = clear(document.getElementById("wallet"));
  const navProfile = document.getElementById("nav-profile");
  navProfile.hidden = !ctx.account;
  if (ctx.account) navProfile.href = `#/profiles/${ctx.account}`;
  if (!ctx.wallet) {
    box.append(
      h(
        "span",
        { class: "muted", title: "Install MetaMask or another Ethereum wallet to submit, review or claim. Reading needs no wallet." },
        "No wallet found",
      ),
    );
    return;
  }
  if (ctx.account) {
    const title = `${ctx.account} (${ctx.wallet.name})`;
    box.append(
      h(
        "span",
        { class: "connected", "data-account": ctx.account, "data-wallet": ctx.wallet.name },
        "● ",
        h("a", { href: `#/profiles/${ctx.account}`, title }, shortAddress(ctx.account)),
      ),
    );
    if (ctx.wallets.length > 1) box.append(" ", h("button", { type: "button", class: "link", id: "switch-wallet", onclick: switchWallet }, "switch wallet"));
  } else if (ctx.wallet.account && ctx.status && ctx.wallet.chainId !== ctx.status.chain_id) {
    box.append(
      h("span", { class: "warn" }, `Wallet on chain ${ctx.wallet.chainId}, this platform is on ${ctx.status.chain_id}. `),
      h("button", { onclick: switchChain }, "Switch network"),
    );
  } else if (ctx.choosingWallet) {
    box.append(walletChoices());
  } else {
    box.append(h("button", { id: "connect", onclick: () => connect() }, "Connect wallet"));
  }
  if (message) box.append(h("span", { class: "error-text" }, ` ${message}`));
}

/** Back to the list of wallets: the next pick signs from now on. */
function switchWallet() {
  ctx.walletChosen = false;
  ctx.account = null;
  localStorage.removeItem(CHOSEN_WALLET);
  ctx.choosingWallet = true;
  renderWallet();
  route();
}

async function switchChain() {
  try {
    await ctx.wallet.request("wallet_switchEthereumChain", [{ chainId: `0x${ctx.status.chain_id.toString(16)}` }]);
    await connect();
  } catch (error) {
    renderWallet(error.message);
  }
}

async function connect({ silent = false } = {}) {
  if (!ctx.walletChosen) {
    // several wallets and none picked yet: the header lists them
    ctx.choosingWallet = true;
    renderWallet();
    return false;
  }
  try {
    await ctx.wallet.connect();
  } catch (error) {
    renderWallet(error instanceof WalletError ? error.message : String(error));
    return false;
  }
  const rightChain = ctx.wallet.chainId === ctx.status.chain_id;
  ctx.account = rightChain ? ctx.wallet.account : null;
  renderWallet();
  if (!silent) route();
  return rightChain;
}

async function start() {
  try {
    ctx.status = await get("status");
  } catch (error) {
    clear(document.getElementById("app")).append(
      h("div", { class: "error-box" }, h("strong", {}, "The API is not answering. "), String(error.message || error)),
    );
    return;
  }
  watchWallets(setWallets);
  if (ctx.walletChosen) {
    // reconnect silently when the site was allowed before (no wallet pop-up)
    try {
      const accounts = await ctx.wallet.request("eth_accounts");
      if (accounts?.length) await connect({ silent: true });
    } catch {
      /* not allowed yet: the Connect button stays */
    }
  }
  renderWallet();
  window.addEventListener("hashchange", route);
  await route();
}

start();
