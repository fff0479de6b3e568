// Finding the browser's wallets: each wallet extension announces itself by EIP-6963 (a
// name, an icon and its EIP-1193 provider) and the user picks one; a wallet that does not
// announce is found as window.ethereum instead.

const ANNOUNCE = "eip6963:announceProvider";
const REQUEST = "eip6963:requestProvider";

/** The pre-EIP-6963 way: one injected provider, whichever wallet wrote it last. */
function injected() {
  const provider = typeof window !== "undefined" ? window.ethereum : null;
  return provider && typeof provider.request === "function" ? [{ id: "window.ethereum", name: "Browser wallet", icon: null, rdns: null, provider }] : [];
}

/** Only inline images: an announced icon must not make the page fetch from elsewhere. */
function inlineIcon(icon) {
  return typeof icon === "string" && /^data:image\//.test(icon) ? icon : null;
}

/**
 * Asks the browser's wallets to announce themselves and calls `onChange(wallets)` now and
 * whenever another one announces (extensions may load after the page). Each wallet is
 * { id, name, icon, rdns, provider }; with no announcement the list is window.ethereum's
 * (or empty). Returns a function that stops listening.
 */
export function watchWallets(onChange) {
  const announced = new Map();
  let answering = true; // wallets answer the request while it is dispatched: report them at once
  const current = () => (announced.size ? [...announced.values()] : injected());
  const onAnnounce = (event) => {
    const { info, provider } = event.detail ?? {};
    if (!info || typeof info.uuid !== "string" || !provider || typeof provider.request !== "function") return;
    if (announced.get(info.uuid)?.provider === provider) return;
    const name = typeof info.name === "string" && info.name.trim() ? info.name.trim() : "Unnamed wallet";
    announced.set(info.uuid, { id: info.uuid, name, icon: inlineIcon(info.icon), rdns: typeof info.rdns === "string" ? info.rdns : null, provider });
    if (!answering) onChange(current());
  };
  window.addEventListener(ANNOUNCE, onAnnounce);
  window.dispatchEvent(new Event(REQUEST));
  answering = false;
  onChange(current());
  return () => window.removeEventListener(ANNOUNCE, onAnnounce);
}
