// The maintained libraries the web app's chain code uses, as one ES module: tools/setup.sh
// bundles this file with esbuild into oracle/web/js/lib/ethereum.js (a build output, not in
// git). @noble/hashes hashes; viem encodes and decodes the ABI and speaks to the wallet.
// docs/web.md ("For developers") and docs/decisions.md say why.

export { keccak_256 } from "@noble/hashes/sha3";
export { randomBytes } from "@noble/hashes/utils";
export {
  AbiDecodingZeroDataError,
  AbiErrorSignatureNotFoundError,
  BaseError,
  TransactionNotFoundError,
  WaitForTransactionReceiptTimeoutError,
  createClient,
  custom,
  decodeAbiParameters,
  decodeErrorResult,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  hexToBytes,
  isAddress,
  parseAbi,
  parseAbiItem,
  parseAbiParameters,
  toEventSelector,
  toFunctionSelector,
  toHex,
} from "viem";
// each action on its own (not a client with every action decorated): a third of the size
export {
  call,
  getChainId,
  getTransaction,
  getTransactionCount,
  requestAddresses,
  sendTransaction,
  waitForTransactionReceipt,
} from "viem/actions";
