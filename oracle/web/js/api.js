// The REST API (docs/api.md): JSON reads, problem details turned into ApiProblem, uploads.

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiProblem";
    this.status = status;
    this.reason = problem.reason || null;
  }
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { title: response.statusText };
  }
}

/** GET /v1/<path> as JSON; a problem answer throws ApiProblem. */
export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) query.set(k, String(v));
  const url = `/v1/${path}${query.size ? `?${query}` : ""}`;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new ApiProblem(response.status, await problemOf(response));
  return response.json();
}

/** Every item of a paginated list, following next_cursor (at most `maxPages` pages). */
export async function getAll(path, params = {}, maxPages = 20) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const answer = await get(path, { ...params, limit: 500, cursor });
    items.push(...answer.items);
    cursor = answer.next_cursor;
    if (!cursor) break;
  }
  return items;
}

/** Adds bytes (a File, Blob or string) to the node's IPFS store; returns { cid, size }. */
export async function uploadToIpfs(body) {
  const response = await fetch("/v1/ipfs", { method: "POST", body });
  if (response.status !== 201) throw new ApiProblem(response.status, await problemOf(response));
  return response.json();
}

/** A file's text from the gateway (verified against its CID by the server). */
export async function ipfsText(cid) {
  const response = await fetch(`/ipfs/${encodeURIComponent(cid)}`);
  if (!response.ok) throw new ApiProblem(response.status, await problemOf(response));
  return response.text();
}

export function ipfsUrl(cid) {
  return `/ipfs/${encodeURIComponent(cid)}`;
}

/**
 * Opens the live public board of a phase (null: the latest); calls `onBoard(leaderboard)` on
 * connect and on each change of the board, `onIndex()` when anything else in the index changed.
 */
export function watchLeaderboard(challengeId, { limit, phase = null, onBoard, onIndex = () => {}, onState = () => {} }) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (phase !== null) query.set("phase", String(phase));
  const source = new EventSource(`/v1/challenges/${challengeId}/leaderboard/stream?${query}`);
  source.addEventListener("leaderboard", (event) => onBoard(JSON.parse(event.data)));
  source.addEventListener("index", () => onIndex());
  source.addEventListener("open", () => onState("live"));
  source.addEventListener("error", () => onState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"));
  return () => source.close();
}
