// Keccak-256 (the Ethereum hash: original Keccak padding 0x01, not SHA3's 0x06).
//
// The 1600-bit state is 25 lanes of 64 bits, each kept as two 32-bit words in a
// Uint32Array: state[2 * i] is the low half of lane i = x + 5 * y, state[2 * i + 1] the high.
// The round constants and rotation offsets are derived here from their definitions
// (FIPS 202, sections 3.2.2 and 3.2.5) rather than typed in as tables.

import { utf8, toHex } from "./bytes.js";

const RATE = 136; // bytes absorbed per permutation for a 256-bit output
const ROUNDS = 24;

function roundConstants() {
  // The 8-bit LFSR x^8 + x^6 + x^5 + x^4 + 1; bit j of round i sets lane bit 2^j - 1.
  let lfsr = 1;
  const next = () => {
    const bit = lfsr & 1;
    lfsr = lfsr & 0x80 ? ((lfsr << 1) ^ 0x71) & 0xff : (lfsr << 1) & 0xff;
    return bit;
  };
  const lo = new Uint32Array(ROUNDS);
  const hi = new Uint32Array(ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < 7; j++) {
      const position = (1 << j) - 1;
      if (next()) {
        if (position < 32) lo[round] |= 1 << position;
        else hi[round] |= 1 << (position - 32);
      }
    }
  }
  return { lo, hi };
}

function rotationOffsets() {
  // rho: lane (x, y) walks (1, 0) -> (y, 2x + 3y) and turns by (t + 1)(t + 2) / 2.
  const offsets = new Array(25).fill(0);
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    offsets[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return offsets;
}

function piTargets() {
  // pi: lane (x, y) moves to (y, 2x + 3y).
  const targets = new Array(25);
  for (let i = 0; i < 25; i++) {
    const x = i % 5;
    const y = Math.floor(i / 5);
    targets[i] = y + 5 * ((2 * x + 3 * y) % 5);
  }
  return targets;
}

const RC = roundConstants();
const RHO = rotationOffsets();
const PI = piTargets();

function permute(state) {
  const c = new Uint32Array(10);
  const b = new Uint32Array(50);
  for (let round = 0; round < ROUNDS; round++) {
    // theta: every lane XORs the parities of two neighbouring columns
    for (let x = 0; x < 5; x++) {
      let lo = 0;
      let hi = 0;
      for (let y = 0; y < 25; y += 5) {
        lo ^= state[2 * (x + y)];
        hi ^= state[2 * (x + y) + 1];
      }
      c[2 * x] = lo;
      c[2 * x + 1] = hi;
    }
    for (let x = 0; x < 5; x++) {
      const right = (x + 1) % 5;
      const left = (x + 4) % 5;
      const rlo = c[2 * right];
      const rhi = c[2 * right + 1];
      const dlo = c[2 * left] ^ ((rlo << 1) | (rhi >>> 31));
      const dhi = c[2 * left + 1] ^ ((rhi << 1) | (rlo >>> 31));
      for (let y = 0; y < 25; y += 5) {
        state[2 * (x + y)] ^= dlo;
        state[2 * (x + y) + 1] ^= dhi;
      }
    }
    // rho and pi: rotate each lane, then move it
    for (let i = 0; i < 25; i++) {
      let lo = state[2 * i];
      let hi = state[2 * i + 1];
      let n = RHO[i];
      if (n >= 32) {
        [lo, hi] = [hi, lo];
        n -= 32;
      }
      const j = PI[i];
      if (n === 0) {
        b[2 * j] = lo;
        b[2 * j + 1] = hi;
      } else {
        b[2 * j] = (lo << n) | (hi >>> (32 - n));
        b[2 * j + 1] = (hi << n) | (lo >>> (32 - n));
      }
    }
    // chi: each row mixes with the two lanes to its right
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) {
        const i = x + y;
        const i1 = ((x + 1) % 5) + y;
        const i2 = ((x + 2) % 5) + y;
        state[2 * i] = b[2 * i] ^ (~b[2 * i1] & b[2 * i2]);
        state[2 * i + 1] = b[2 * i + 1] ^ (~b[2 * i1 + 1] & b[2 * i2 + 1]);
      }
    }
    // iota
    state[0] ^= RC.lo[round];
    state[1] ^= RC.hi[round];
  }
}

function absorbByte(state, position, byte) {
  const lane = position >> 3;
  const within = position & 7;
  state[2 * lane + (within >> 2)] ^= byte << (8 * (within & 3));
}

/** keccak256(bytes) as a 32-byte Uint8Array. A string argument is hashed as UTF-8. */
export function keccak256(data) {
  const input = typeof data === "string" ? utf8(data) : data;
  const state = new Uint32Array(50);
  let offset = 0;
  for (; offset + RATE <= input.length; offset += RATE) {
    for (let k = 0; k < RATE; k++) absorbByte(state, k, input[offset + k]);
    permute(state);
  }
  const tail = input.length - offset;
  for (let k = 0; k < tail; k++) absorbByte(state, k, input[offset + k]);
  absorbByte(state, tail, 0x01);
  absorbByte(state, RATE - 1, 0x80);
  permute(state);
  const out = new Uint8Array(32);
  for (let k = 0; k < 32; k++) {
    out[k] = (state[2 * (k >> 3) + ((k & 7) >> 2)] >>> (8 * (k & 3))) & 0xff;
  }
  return out;
}

/** keccak256 as 0x-hex. */
export function keccakHex(data) {
  return toHex(keccak256(data));
}
