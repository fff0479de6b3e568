"""IPFS for Coopetition: CIDs equal to `ipfs add --cid-version=1`, three backends, verified reads.

Import from the module that does the job (kept light so `coop cid` starts fast):
- `importer`: CIDs and blocks for bytes, files and directory trees (streaming);
- `store`: the `ContentStore` interface every backend implements, `replicate`;
- `embedded` (default, blocks as files), `kubo` (kubo RPC over HTTP), `gateway`
  (read-only HTTP gateways), `fallback` (chain them; `open_content_store`);
- `reader`: verified DAG walks; `kubo_daemon`: a throw-away kubo for tests.

See docs/ipfs.md for the rules and limits.
"""
