// The contract functions and events the web app uses, as Solidity signatures, and the
// submission commitment (docs/contracts.md, "Submission commitment"). Hashing is
// @noble/hashes' keccak-256 and the ABI is viem's (lib/ethereum.js, built by setup).
// tests/web/test_web_crypto.py checks each signature against the compiled ABIs.

import {
  decodeAbiParameters,
  encodeAbiParameters,
  encodeFunctionData,
  hexToBytes,
  keccak_256,
  parseAbiItem,
  parseAbiParameters,
  toEventSelector,
  toHex,
} from "../lib/ethereum.js";

export const FUNCTIONS = {
  commitRules: { contract: "registry", signature: "commitRules(uint256)", returns: ["uint32", "uint8", "uint256", "bool"] },
  commit: { contract: "book", signature: "commit(uint256,bytes32)" },
  reveal: { contract: "book", signature: "reveal(uint256,string,uint256[],uint32[],bytes32)" },
  review: { contract: "book", signature: "review(uint256,uint8,string)" },
  claim: { contract: "vault", signature: "claim(uint256,uint32,address,uint256,bytes32[])" },
};

export const EVENTS = {
  Committed: {
    contract: "book",
    signature: "Committed(uint256,uint256,address,uint32,bytes32,uint256)",
    // indexed: submissionId, challengeId, submitter; data: phase, commitment, bond
    data: ["uint32", "bytes32", "uint256"],
  },
};

export function eventTopic(name) {
  return toEventSelector(EVENTS[name].signature);
}

/** Calldata for one of FUNCTIONS. */
export function callData(name, args) {
  const abi = [parseAbiItem(`function ${FUNCTIONS[name].signature}`)];
  return encodeFunctionData({ abi, functionName: name, args });
}

/** Decodes a view's return data. */
export function decodeReturn(name, data) {
  return decodeAbiParameters(parseAbiParameters(FUNCTIONS[name].returns.join(",")), data);
}

/** keccak256 of a text (as UTF-8) or of 0x-hex bytes, as 0x-hex. */
export function keccakHex({ text = null, hex = null }) {
  return toHex(keccak_256(text !== null ? text : hexToBytes(hex)));
}

/** abi.encode(values...) for the given type strings, as 0x-hex. */
export function abiEncode(types, values) {
  return encodeAbiParameters(parseAbiParameters(types.join(",")), values);
}

export const PPM = 1_000_000;
export const MAX_PARENTS = 8;

/** keccak256(abi.encode(uint256[] parents, uint32[] weightsPpm)). */
export function forkHash(parents, weightsPpm) {
  return keccakHex({ hex: abiEncode(["uint256[]", "uint32[]"], [parents, weightsPpm]) });
}

/** The commitment SubmissionBook.commit expects for these reveal values (0x-hex). */
export function submissionCommitment({ chainId, book, challengeId, submitter, artifactCid, parents, weightsPpm, salt }) {
  return keccakHex({
    hex: abiEncode(
      ["uint256", "address", "uint256", "address", "bytes32", "bytes32", "bytes32"],
      [chainId, book, challengeId, submitter, keccakHex({ text: artifactCid }), forkHash(parents, weightsPpm), salt],
    ),
  });
}

/**
 * Parents and percentages -> the on-chain form: ids ascending, weights in ppm summing to
 * exactly 1,000,000 (the rounding remainder goes to the largest share). Throws a
 * ForkInputError naming the problem, so a commit that could never be revealed is not sent.
 */
export class ForkInputError extends Error {
  constructor(message) {
    super(message);
    this.name = "ForkInputError";
  }
}

export function forkArguments(shares) {
  if (shares.length === 0) return { parents: [], weightsPpm: [] };
  if (shares.length > MAX_PARENTS) throw new ForkInputError(`at most ${MAX_PARENTS} parents`);
  const sorted = [...shares].sort((a, b) => a.parent - b.parent);
  sorted.forEach((s, i) => {
    if (!Number.isSafeInteger(s.parent) || s.parent < 1) throw new ForkInputError(`parent "${s.parent}" is not a submission id`);
    if (i > 0 && sorted[i - 1].parent === s.parent) throw new ForkInputError(`parent ${s.parent} is listed twice`);
    if (!(s.percent > 0)) throw new ForkInputError(`parent ${s.parent} needs a share above 0%`);
  });
  const total = sorted.reduce((n, s) => n + s.percent, 0);
  if (Math.abs(total - 100) > 1e-9) throw new ForkInputError(`the shares add up to ${total}%, not 100%`);
  const weightsPpm = sorted.map((s) => Math.floor((s.percent * PPM) / 100));
  const largest = weightsPpm.indexOf(Math.max(...weightsPpm));
  weightsPpm[largest] += PPM - weightsPpm.reduce((n, w) => n + w, 0);
  if (weightsPpm.some((w) => w <= 0)) throw new ForkInputError("every parent needs a share of at least 1 ppm");
  return { parents: sorted.map((s) => s.parent), weightsPpm };
}
