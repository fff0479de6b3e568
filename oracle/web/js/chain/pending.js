// Commits waiting for their reveal, kept in localStorage so a reload (or a crash) between
// commit and reveal never loses the salt. A record is written before the commit is sent and
// removed only once its reveal is mined.

const KEY = "coop.pending-commits.v1";

function readAll() {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function writeAll(records) {
  localStorage.setItem(KEY, JSON.stringify(records));
}

/** Pending commits of this chain and book (optionally one account and challenge). */
export function pendingCommits({ chainId, book, account = null, challengeId = null }) {
  return readAll().filter(
    (r) =>
      r.chainId === chainId &&
      r.book.toLowerCase() === book.toLowerCase() &&
      (account === null || r.submitter.toLowerCase() === account.toLowerCase()) &&
      (challengeId === null || r.challengeId === challengeId),
  );
}

/** Saves a new record (keyed by its commitment) and returns it. */
export function savePending(record) {
  const records = readAll().filter((r) => r.commitment !== record.commitment);
  records.push(record);
  writeAll(records);
  return record;
}

export function updatePending(commitment, changes) {
  const records = readAll();
  const record = records.find((r) => r.commitment === commitment);
  if (!record) return null;
  Object.assign(record, changes);
  writeAll(records);
  return record;
}

export function removePending(commitment) {
  writeAll(readAll().filter((r) => r.commitment !== commitment));
}
