"""Reading a Codabench (competition.yaml v2) or CodaLab (v1.5) competition bundle.

A bundle is a zip holding competition.yaml and the files it names; a task's scoring
program and reference data are each a folder of the zip or a zip inside it (Codabench's
unpacker accepts both). Only the first phase's first task is read: what it names and
everything else the YAML says is recorded in `not_mapped`, never silently dropped.
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from oracle.errors import CoopError

MAX_BUNDLE_BYTES = 512 * 1024 * 1024  # uncompressed, all members together
MAPPED_KEYS = {"title", "description", "version", "tasks", "phases", "leaderboards",
               "leaderboard"}  # fmt: skip


class InvalidBundle(CoopError, ValueError):
    """The zip is not a competition bundle this import can read; the message says why."""


Files = dict[str, bytes]  # path inside a program or data folder → content


@dataclass
class Bundle:
    title: str
    description: str
    score_key: str
    higher_is_better: bool
    program: Files
    command: str
    reference: Files
    input_data: Files
    public_data: Files
    daily_cap: int | None
    time_limit: int | None
    not_mapped: list[str] = field(default_factory=list)


def read_bundle(path: Path) -> Bundle:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InvalidBundle(f"{path} is not a readable zip file: {exc}") from None
    members = _members(archive, str(path))
    config_name = _find_config(members, str(path))
    prefix = posixpath.dirname(config_name)
    try:
        config = yaml.safe_load(members[config_name])
    except yaml.YAMLError as exc:
        raise InvalidBundle(f"{config_name} is not valid YAML: {exc}") from None
    if not isinstance(config, dict):
        raise InvalidBundle(f"{config_name} does not hold a mapping of settings")
    reader = _Reader(members, prefix, str(path))
    return reader.bundle(config)


def _members(archive: zipfile.ZipFile, where: str) -> Files:
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_BUNDLE_BYTES:
        raise InvalidBundle(f"{where} unpacks to {total} bytes; the limit is {MAX_BUNDLE_BYTES}")
    files: Files = {}
    for info in archive.infolist():
        name = info.filename
        if name.startswith("/") or ".." in name.split("/"):
            raise InvalidBundle(f"{where} holds an unsafe path: {name!r}")
        if not info.is_dir() and not posixpath.basename(name).startswith("."):
            if name.startswith("__MACOSX/"):
                continue
            files[name] = archive.read(info)
    return files


def _find_config(members: Files, where: str) -> str:
    found = sorted((n for n in members if posixpath.basename(n) in ("competition.yaml",
                    "competition.yml")), key=lambda n: n.count("/"))  # fmt: skip
    if not found:
        raise InvalidBundle(f"{where} holds no competition.yaml: is it a competition bundle?")
    return found[0]


class _Reader:
    def __init__(self, members: Files, prefix: str, where: str) -> None:
        self.members, self.prefix, self.where = members, prefix, where

    def tree(self, name: str, what: str) -> Files:
        """A folder of the bundle, or a zip inside it, as its files (one top folder that
        holds everything is stripped)."""
        full = posixpath.join(self.prefix, name)
        if full in self.members:
            try:
                inner = zipfile.ZipFile(io.BytesIO(self.members[full]))
            except zipfile.BadZipFile:
                return {posixpath.basename(full): self.members[full]}
            files = _members(inner, f"{what} {name}")
        else:
            start = full.rstrip("/") + "/"
            files = {n[len(start):]: data for n, data in self.members.items()
                     if n.startswith(start)}  # fmt: skip
        if not files:
            raise InvalidBundle(f"competition.yaml names {what} {name!r}, but {self.where} "
                                "holds no such file or folder")  # fmt: skip
        tops = {n.split("/", 1)[0] for n in files}
        if len(tops) == 1 and all("/" in n for n in files):
            top = tops.pop() + "/"
            files = {n[len(top) :]: data for n, data in files.items()}
        return files

    def bundle(self, config: dict[str, Any]) -> Bundle:
        not_mapped = [f"competition.yaml `{key}`: no Coopetition counterpart"
                      for key in sorted(config) if key not in MAPPED_KEYS]  # fmt: skip
        phase, task = self._first_task(config, not_mapped)
        key, higher = self._score_column(config, not_mapped)
        program = self.tree(str(task["scoring_program"]), "the scoring program")
        metadata = program.get("metadata.yaml", program.get("metadata"))
        if metadata is None:
            raise InvalidBundle("the scoring program has no metadata.yaml naming its command")
        meta = yaml.safe_load(metadata)
        if not isinstance(meta, dict) or not isinstance(meta.get("command"), str):
            raise InvalidBundle("the scoring program's metadata.yaml has no `command`")
        for extra in ("ingestion_program", "solutions"):
            if task.get(extra):
                not_mapped.append(f"task `{extra}`: Coopetition scores predictions files; "
                                  "code submissions are specified differently "
                                  "(docs/code-submissions.md)")  # fmt: skip
        cap = phase.get("max_submissions_per_day")
        limit = phase.get("execution_time_limit")
        for name in sorted(phase):
            if name not in ("name", "label", "description", "tasks", "index", "phasenumber",
                            "max_submissions_per_day", "execution_time_limit", "public_data",
                            "scoring_program", "reference_data", "input_data"):  # fmt: skip
                not_mapped.append(f"phase `{name}`: {phase[name]} (Coopetition sets windows "
                                  "and limits with `coop challenge create` options)")  # fmt: skip
        return Bundle(
            title=str(config.get("title") or "Imported competition")[:200],
            description=str(config.get("description") or ""),
            score_key=key, higher_is_better=higher, program=program,
            command=str(meta["command"]),
            reference=self.tree(str(task["reference_data"]), "the reference data"),
            input_data=self.tree(str(task["input_data"]), "the input data")
            if task.get("input_data") else {},
            public_data=self.tree(str(phase["public_data"]), "the public data")
            if phase.get("public_data") else {},
            daily_cap=int(cap) if isinstance(cap, int) else None,
            time_limit=int(limit) if isinstance(limit, int | float) else None,
            not_mapped=not_mapped,
        )  # fmt: skip

    def _first_task(self, config: dict[str, Any],
                    not_mapped: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
        phases = config.get("phases")
        if isinstance(phases, dict):  # CodaLab v1.5: phases by number, the task inside each
            ordered = [phases[k] for k in sorted(phases, key=lambda k: int(k))]
            not_mapped += [f"phase {p.get('phasenumber', i + 1)} ({p.get('label', '')}): only "
                           "the first phase is imported; add later ones with `coop challenge "
                           "add-phase`" for i, p in enumerate(ordered[1:], start=1)]  # fmt: skip
            first = ordered[0]
            return first, first
        if not isinstance(phases, list) or not phases:
            raise InvalidBundle("competition.yaml lists no phases")
        ordered = sorted(phases, key=lambda p: p.get("index", 0))
        not_mapped += [f"phase {p.get('name', i)}: only the first phase is imported; add later "
                       "ones with `coop challenge add-phase`"
                       for i, p in enumerate(ordered[1:], start=1)]  # fmt: skip
        first = ordered[0]
        tasks = {t.get("index"): t for t in config.get("tasks") or []}
        wanted = list(first.get("tasks") or [])
        if not wanted or wanted[0] not in tasks:
            raise InvalidBundle(f"the first phase names tasks {wanted}, but competition.yaml "
                                f"defines tasks {sorted(tasks)}")  # fmt: skip
        not_mapped += [f"task {t}: only the first task of the first phase is imported"
                       for t in wanted[1:]]  # fmt: skip
        task = tasks[wanted[0]]
        for needed in ("scoring_program", "reference_data"):
            if not task.get(needed):
                raise InvalidBundle(f"task {wanted[0]} has no {needed}")
        return first, task

    def _score_column(self, config: dict[str, Any], not_mapped: list[str]) -> tuple[str, bool]:
        """The first column of the first leaderboard (lowest index / rank): its key, and
        whether higher is better (`sorting: desc`, Codabench's default)."""
        columns: list[dict[str, Any]] = []
        if isinstance(config.get("leaderboards"), list) and config["leaderboards"]:
            columns = list(config["leaderboards"][0].get("columns") or [])
            columns.sort(key=lambda c: c.get("index", 0))
        elif isinstance(config.get("leaderboard"), dict):  # v1.5
            for key, column in (config["leaderboard"].get("columns") or {}).items():
                columns.append({"key": key, **(column or {})})
            columns.sort(key=lambda c: c.get("rank", 0))
        if not columns or not columns[0].get("key"):
            raise InvalidBundle("competition.yaml has no leaderboard column to use as the score")
        first = columns[0]
        not_mapped += [f"leaderboard column `{c.get('key')}`: only the first column "
                       f"(`{first['key']}`) is the score" for c in columns[1:]]  # fmt: skip
        sorting = str(first.get("sorting", first.get("sort", "desc"))).lower()
        return str(first["key"]), sorting != "asc"
