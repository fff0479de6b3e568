// Byte helpers: hex <-> Uint8Array, UTF-8, concatenation. Hex strings are 0x-prefixed.

export class BytesError extends Error {
  constructor(message) {
    super(message);
    this.name = "BytesError";
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes) {
  let out = "0x";
  for (const b of bytes) out += HEX[b];
  return out;
}

export function fromHex(hex) {
  if (typeof hex !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new BytesError(`not a 0x-prefixed hex string of whole bytes: ${String(hex).slice(0, 80)}`);
  }
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** Bytes from a Uint8Array (copied as is) or a 0x-hex string. */
export function asBytes(value) {
  if (value instanceof Uint8Array) return value;
  return fromHex(value);
}

export function utf8(text) {
  return new TextEncoder().encode(text);
}

export function fromUtf8(bytes) {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** `n` cryptographically random bytes (for salts). */
export function randomBytes(n) {
  const out = new Uint8Array(n);
  crypto.getRandomValues(out);
  return out;
}
