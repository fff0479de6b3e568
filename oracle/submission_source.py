"""Where a submission's code came from: a git repository's commit, recorded in the artifact.

`coop submit --from-git` snapshots the repository's HEAD (refusing uncommitted changes to
tracked files) into a folder holding only its tracked files, plus `coop-source.json`:
`{"repository": URL, "commit": HEX, "path": SUBFOLDER}` (and `"licence"` when one is chosen;
oracle/artifact_manifest.py holds the one manifest format). The manifest is part of the folder
the CID names, so the commit is bound by the CID that is committed on chain; the API and
the web app read it back from the artifact to link the source.
"""

import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from oracle.artifact_manifest import MANIFEST, manifest_fields, manifest_json
from oracle.artifact_manifest import read_manifest as read_manifest_bytes
from oracle.errors import CoopError, IpfsError
from oracle.ipfs.store import ContentStore

COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")  # sha1, or sha256 repositories


class GitSourceError(CoopError, ValueError):
    """The folder cannot be submitted from git as it is; the message says what to do."""


@dataclass(frozen=True)
class SourceManifest:
    repository: str
    commit: str
    path: str  # the submitted subfolder of the repository, "" for its root

    def to_json(self, licence: str | None = None) -> str:
        fields = {"repository": self.repository, "commit": self.commit, "path": self.path}
        return manifest_json(fields if licence is None else {"licence": licence, **fields})

    @property
    def url(self) -> str | None:
        """A browsable link to the commit (GitHub's and GitLab's /tree/ layout), for http(s)
        repositories only."""
        if not self.repository.startswith(("https://", "http://")):
            return None
        base = self.repository.removesuffix("/").removesuffix(".git")
        return f"{base}/tree/{self.commit}" + (f"/{self.path}" if self.path else "")


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              text=True, check=False)  # fmt: skip
    except FileNotFoundError:
        raise GitSourceError("git is not installed: --from-git needs the git command") from None
    if done.returncode != 0:
        raise GitSourceError(f"git {' '.join(args)} failed in {folder}: {done.stderr.strip()}")
    return done.stdout


def public_url(url: str) -> str:
    """The remote's URL without credentials (`https://user:token@host/...` → `https://host/...`)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return url


def snapshot(folder: Path, into: Path, licence: str | None = None) -> SourceManifest:
    """Writes HEAD's tracked files under `folder` into the new folder `into`, with the
    manifest (naming `licence` when given); refuses a repository with uncommitted changes
    to tracked files."""
    if not folder.is_dir():
        raise GitSourceError(f"{folder} is not a folder: --from-git submits a folder of a "
                             "git repository")  # fmt: skip
    try:
        root = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    except GitSourceError:
        raise GitSourceError(f"{folder} is not inside a git repository; commit your code "
                             "first (git init, git add, git commit)") from None  # fmt: skip
    changed = _git(root, "status", "--porcelain", "--untracked-files=no").splitlines()
    if changed:
        shown = ", ".join(line[3:] for line in changed[:5])
        more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        raise GitSourceError(f"the repository {root} has uncommitted changes ({shown}{more}): "
                             "commit or stash them, so that the commit recorded is the code "
                             "submitted")  # fmt: skip
    commit = _git(root, "rev-parse", "HEAD").strip()
    remotes = _git(root, "remote").split()
    if "origin" not in remotes:
        raise GitSourceError(f"the repository {root} has no remote named origin: add the "
                             "public repository (git remote add origin URL) so that the "
                             "submission can say where its code lives")  # fmt: skip
    repository = public_url(_git(root, "remote", "get-url", "origin").strip())
    sub = folder.resolve().relative_to(root.resolve()).as_posix()
    sub = "" if sub == "." else sub
    tree = f"HEAD:{sub}" if sub else "HEAD"
    into.mkdir(parents=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "-C", str(root), "archive", "--format=tar", tree],
                       stdout=archive, check=True)  # fmt: skip
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(into, filter="data")
    if (into / MANIFEST).exists():
        raise GitSourceError(f"the repository tracks a {MANIFEST} of its own; rename it")
    manifest = SourceManifest(repository, commit, sub)
    (into / MANIFEST).write_text(manifest.to_json(licence))
    return manifest


def read_manifest(data: bytes) -> SourceManifest | None:
    """The manifest as the artifact holds it, or None when it is not a well-formed one."""
    raw = manifest_fields(data)
    if raw is None:
        return None
    repository, commit, path = raw.get("repository"), raw.get("commit"), raw.get("path", "")
    if not (isinstance(repository, str) and 0 < len(repository) <= 500
            and isinstance(commit, str) and COMMIT.fullmatch(commit)
            and isinstance(path, str) and len(path) <= 500):  # fmt: skip
        return None
    return SourceManifest(repository, commit, path)


def artifact_source(store: ContentStore, artifact_cid: str) -> SourceManifest | None:
    """The manifest at the top of a revealed artifact; None for a file, a folder without a
    well-formed one, or an artifact `store` cannot deliver."""
    try:
        raw = read_manifest_bytes(store, artifact_cid)
    except (IpfsError, ValueError):
        return None
    return None if raw is None else read_manifest(raw)
