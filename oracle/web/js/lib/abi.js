// The Solidity ABI: encode and decode values, function selectors, calldata, and the
// decoding of custom errors from revert data.
//
// Types are written as in Solidity signatures: uint<N>, int<N>, address, bool, bytes<N>,
// bytes, string, T[], T[k] and tuples "(T1,T2)". Values going in: integers as BigInt,
// number or decimal/0x string; addresses and byte strings as 0x-hex (or Uint8Array);
// tuples and arrays as JS arrays. Values coming out: BigInt integers, checksummed
// addresses, 0x-hex bytes, JS strings, booleans and arrays.

import { asBytes, concat, fromUtf8, toHex, utf8 } from "./bytes.js";
import { keccak256 } from "./keccak.js";

export class AbiError extends Error {
  constructor(message) {
    super(message);
    this.name = "AbiError";
  }
}

// -- types -------------------------------------------------------------------------------

/** Splits "a,(b,c),d[]" at the commas that are not inside parentheses. */
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw new AbiError(`unbalanced parentheses in ${text}`);
  }
  if (depth !== 0) throw new AbiError(`unbalanced parentheses in ${text}`);
  if (text.length > 0) parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

const typeCache = new Map();

/** The parsed form of a type string. */
export function parseType(text) {
  const cached = typeCache.get(text);
  if (cached) return cached;
  const parsed = parseTypeUncached(text.trim());
  typeCache.set(text, parsed);
  return parsed;
}

function parseTypeUncached(text) {
  if (text.endsWith("]")) {
    const open = text.lastIndexOf("[");
    const inner = text.slice(open + 1, -1);
    if (open <= 0 || !/^\d*$/.test(inner)) throw new AbiError(`bad array type ${text}`);
    const of = parseType(text.slice(0, open));
    return { kind: "array", of, length: inner === "" ? null : Number(inner), text };
  }
  if (text.startsWith("(") && text.endsWith(")")) {
    return { kind: "tuple", components: splitTopLevel(text.slice(1, -1)).map(parseType), text };
  }
  let m = /^(u?)int(\d*)$/.exec(text);
  if (m) {
    const bits = m[2] === "" ? 256 : Number(m[2]);
    if (bits < 8 || bits > 256 || bits % 8 !== 0) throw new AbiError(`bad integer type ${text}`);
    return { kind: m[1] ? "uint" : "int", bits, text };
  }
  m = /^bytes(\d+)$/.exec(text);
  if (m) {
    const size = Number(m[1]);
    if (size < 1 || size > 32) throw new AbiError(`bad bytes type ${text}`);
    return { kind: "fixedBytes", size, text };
  }
  if (["address", "bool", "bytes", "string"].includes(text)) return { kind: text, text };
  throw new AbiError(`unknown ABI type ${text}`);
}

function isDynamic(type) {
  switch (type.kind) {
    case "bytes":
    case "string":
      return true;
    case "array":
      return type.length === null || isDynamic(type.of);
    case "tuple":
      return type.components.some(isDynamic);
    default:
      return false;
  }
}

function headSize(type) {
  if (isDynamic(type)) return 32;
  if (type.kind === "array") return type.length * headSize(type.of);
  if (type.kind === "tuple") return type.components.reduce((n, t) => n + headSize(t), 0);
  return 32;
}

// -- values ------------------------------------------------------------------------------

/** An integer as a BigInt, from a BigInt, a safe integer number or a decimal/0x string. */
export function toBigInt(value) {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new AbiError(`not a safe integer: ${value}`);
    return BigInt(value);
  }
  if (typeof value === "string" && /^-?(0x[0-9a-fA-F]+|\d+)$/.test(value.trim())) {
    const text = value.trim();
    return text.startsWith("-") ? -BigInt(text.slice(1)) : BigInt(text);
  }
  throw new AbiError(`not an integer: ${String(value)}`);
}

function word(big) {
  const out = new Uint8Array(32);
  let v = big;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function readWord(data, at) {
  if (at + 32 > data.length) throw new AbiError(`data too short: a word at ${at} of ${data.length} bytes`);
  let v = 0n;
  for (let i = at; i < at + 32; i++) v = (v << 8n) | BigInt(data[i]);
  return v;
}

function padRight(bytes) {
  const out = new Uint8Array(Math.ceil(bytes.length / 32) * 32);
  out.set(bytes);
  return out;
}

/** EIP-55 mixed-case checksum form of an address. */
export function toChecksumAddress(address) {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
    throw new AbiError(`not an address: ${String(address)}`);
  }
  const lower = address.slice(2).toLowerCase();
  const hash = keccak256(utf8(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}

/** True for 0x + 40 hex digits whose case is all-lower, all-upper or a valid checksum. */
export function isAddress(text) {
  if (typeof text !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(text)) return false;
  const body = text.slice(2);
  if (body === body.toLowerCase() || body === body.toUpperCase()) return true;
  return toChecksumAddress(text) === text;
}

function encodeValue(type, value) {
  switch (type.kind) {
    case "uint": {
      const v = toBigInt(value);
      if (v < 0n || v >= 1n << BigInt(type.bits)) throw new AbiError(`${v} does not fit ${type.text}`);
      return word(v);
    }
    case "int": {
      const v = toBigInt(value);
      const half = 1n << BigInt(type.bits - 1);
      if (v < -half || v >= half) throw new AbiError(`${v} does not fit ${type.text}`);
      return word(BigInt.asUintN(256, v));
    }
    case "address": {
      if (!isAddress(value)) throw new AbiError(`not an address (or a wrong checksum): ${String(value)}`);
      return word(BigInt(value));
    }
    case "bool":
      if (typeof value !== "boolean") throw new AbiError(`not a boolean: ${String(value)}`);
      return word(value ? 1n : 0n);
    case "fixedBytes": {
      const bytes = asBytes(value);
      if (bytes.length !== type.size) {
        throw new AbiError(`${type.text} needs ${type.size} bytes, got ${bytes.length}`);
      }
      return padRight(bytes);
    }
    case "bytes":
    case "string": {
      const bytes = type.kind === "string" ? utf8(String(value)) : asBytes(value);
      return concat(word(BigInt(bytes.length)), padRight(bytes));
    }
    case "array": {
      if (!Array.isArray(value)) throw new AbiError(`${type.text} needs an array`);
      if (type.length !== null && value.length !== type.length) {
        throw new AbiError(`${type.text} needs ${type.length} items, got ${value.length}`);
      }
      const items = encodeSequence(new Array(value.length).fill(type.of), value);
      return type.length === null ? concat(word(BigInt(value.length)), items) : items;
    }
    case "tuple":
      if (!Array.isArray(value)) throw new AbiError(`${type.text} needs an array of its fields`);
      return encodeSequence(type.components, value);
    default:
      throw new AbiError(`cannot encode ${type.text}`);
  }
}

function encodeSequence(types, values) {
  if (types.length !== values.length) {
    throw new AbiError(`${types.length} types but ${values.length} values`);
  }
  const heads = [];
  const tails = [];
  let tailOffset = types.reduce((n, t) => n + headSize(t), 0);
  types.forEach((type, i) => {
    const encoded = encodeValue(type, values[i]);
    if (isDynamic(type)) {
      heads.push(word(BigInt(tailOffset)));
      tails.push(encoded);
      tailOffset += encoded.length;
    } else {
      heads.push(encoded);
    }
  });
  return concat(...heads, ...tails);
}

/** abi.encode(values...) for the given type strings, as bytes. */
export function encode(types, values) {
  return encodeSequence(types.map(parseType), values);
}

function decodeValue(type, data, at) {
  switch (type.kind) {
    case "uint": {
      const v = readWord(data, at);
      if (v >= 1n << BigInt(type.bits)) throw new AbiError(`${v} does not fit ${type.text}`);
      return v;
    }
    case "int": {
      const v = BigInt.asIntN(256, readWord(data, at));
      const half = 1n << BigInt(type.bits - 1);
      if (v < -half || v >= half) throw new AbiError(`${v} does not fit ${type.text}`);
      return v;
    }
    case "address": {
      const v = readWord(data, at);
      if (v >> 160n) throw new AbiError("an address word with non-zero high bytes");
      return toChecksumAddress("0x" + v.toString(16).padStart(40, "0"));
    }
    case "bool": {
      const v = readWord(data, at);
      if (v > 1n) throw new AbiError(`not a boolean word: ${v}`);
      return v === 1n;
    }
    case "fixedBytes":
      readWord(data, at);
      return toHex(data.slice(at, at + type.size));
    case "bytes":
    case "string": {
      const length = Number(readWord(data, at));
      if (at + 32 + length > data.length) throw new AbiError(`${type.text} runs past the data`);
      const bytes = data.slice(at + 32, at + 32 + length);
      return type.kind === "string" ? fromUtf8(bytes) : toHex(bytes);
    }
    case "array": {
      let length = type.length;
      let start = at;
      if (length === null) {
        length = Number(readWord(data, at));
        start = at + 32;
        if (length > (data.length - start) / 32) throw new AbiError("array longer than the data");
      }
      return decodeSequence(new Array(length).fill(type.of), data, start);
    }
    case "tuple":
      return decodeSequence(type.components, data, at);
    default:
      throw new AbiError(`cannot decode ${type.text}`);
  }
}

function decodeSequence(types, data, base) {
  const values = [];
  let at = base;
  for (const type of types) {
    if (isDynamic(type)) {
      const offset = readWord(data, at);
      if (offset > BigInt(data.length)) throw new AbiError("an offset past the end of the data");
      values.push(decodeValue(type, data, base + Number(offset)));
      at += 32;
    } else {
      values.push(decodeValue(type, data, at));
      at += headSize(type);
    }
  }
  return values;
}

/** abi.decode(data, (types...)) as an array of values. */
export function decode(types, data) {
  return decodeSequence(types.map(parseType), asBytes(data), 0);
}

// -- functions and errors ----------------------------------------------------------------

/** "name(t1,t2)" -> { name, types, signature } (spaces and parameter names are not allowed). */
export function parseSignature(signature) {
  const m = /^([A-Za-z_$][A-Za-z0-9_$]*)\((.*)\)$/.exec(signature);
  if (!m) throw new AbiError(`not a signature: ${signature}`);
  const types = splitTopLevel(m[2]);
  types.forEach(parseType);
  return { name: m[1], types, signature };
}

/** The 4-byte selector of a function or error signature, as 0x-hex. */
export function selector(signature) {
  parseSignature(signature);
  return toHex(keccak256(utf8(signature)).slice(0, 4));
}

/** Calldata for a function call, as 0x-hex. */
export function encodeCall(signature, args) {
  const { types } = parseSignature(signature);
  return toHex(concat(asBytes(selector(signature)), encode(types, args)));
}

export const ERROR_STRING = "Error(string)";
export const PANIC = "Panic(uint256)";

/**
 * Decodes revert data against error signatures. Returns { name, signature, args } for a
 * known selector, { name: null, selector } for an unknown one, null for empty data.
 */
export function decodeError(revertData, signatures) {
  const data = asBytes(revertData);
  if (data.length === 0) return null;
  if (data.length < 4) throw new AbiError("revert data shorter than a selector");
  const wanted = toHex(data.slice(0, 4));
  for (const signature of [ERROR_STRING, PANIC, ...signatures]) {
    if (selector(signature) === wanted) {
      const { name, types } = parseSignature(signature);
      return { name, signature, args: decode(types, data.slice(4)) };
    }
  }
  return { name: null, selector: wanted, args: [] };
}
