// How numbers, addresses, times and links read on the page.

import { h } from "./dom.js";

const WAD_DIGITS = 18n;

/** A score object {wad, decimal} as text (the exact decimal the API computed). */
export function score(value) {
  return value ? value.decimal : "—";
}

/** A WAD score as a JS number (for plotting only; text always uses score()). */
export function scoreNumber(value) {
  return Number(value.decimal);
}

/** Token base units (18 decimals) as an exact decimal string with thousands separators. */
export function tokens(units, decimals = WAD_DIGITS) {
  const v = BigInt(units);
  const base = 10n ** decimals;
  const whole = (v / base).toLocaleString("en-US");
  const fraction = (v % base).toString().padStart(Number(decimals), "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction.slice(0, 6)}${fraction.length > 6 ? "…" : ""}` : whole;
}

export function wei(units) {
  return BigInt(units) === 0n ? "none" : `${tokens(units)} ETH`;
}

export function shortAddress(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : "—";
}

export function profileLink(address, label = null) {
  return h("a", { href: `#/profiles/${address}`, class: "address", title: address }, label ?? shortAddress(address));
}

export function submissionLink(id) {
  return h("a", { href: `#/submissions/${id}` }, `#${id}`);
}

export function challengeLink(id, label = null) {
  return h("a", { href: `#/challenges/${id}` }, label ?? `Challenge ${id}`);
}

export function cidLink(cid) {
  return cid
    ? h("a", { href: `/ipfs/${encodeURIComponent(cid)}`, class: "cid", title: "Fetch from this node's IPFS gateway (bytes verified against the CID)" }, cid)
    : "—";
}

/** Unix seconds as "2026-11-29 10:04 UTC". */
export function time(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  return `${new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** A duration in seconds as "3 h 20 min". */
export function duration(seconds) {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.round((s % 86400) / 3600)} h`;
}

export function percent(ppm) {
  return `${(ppm / 10000).toLocaleString("en-US", { maximumFractionDigits: 4 })}%`;
}

export function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export function badge(text, kind = text) {
  return h("span", { class: `badge badge-${kind}` }, text);
}
