"""A code submission's folder comes back from IPFS as it went in, and nothing else does."""

from pathlib import Path

import pytest

from oracle.errors import ContentTooLarge, MalformedDag, NotAFile
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.folder import export_folder


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_a_folder_round_trips_byte_for_byte(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "main.py").write_text("import pkg.model\n")
    (src / "pkg" / "model.py").write_bytes(b"x = 1\n" * 100_000)  # several blocks
    (src / "pkg" / "__init__.py").write_text("")
    store = EmbeddedStore(tmp_path / "ipfs")
    cid = parse_cid(store.add_path(src).cid)
    size = export_folder(store.get_block, cid, tmp_path / "out", max_bytes=10**7)
    assert tree(tmp_path / "out") == tree(src)
    assert size == sum(len(data) for data in tree(src).values())


def test_links_files_and_oversized_folders_are_refused(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "ipfs")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "main.py").write_text("print(1)\n")
    (linked / "secret").symlink_to("/etc/shadow")
    with pytest.raises(MalformedDag, match="secret in .* is a symlink"):
        export_folder(store.get_block, parse_cid(store.add_path(linked).cid), tmp_path / "a",
                      max_bytes=10**6)  # fmt: skip
    assert not (tmp_path / "a" / "secret").exists()
    with pytest.raises(NotAFile):
        export_folder(store.get_block, parse_cid(store.add_bytes(b"id,p\n").cid), tmp_path / "b",
                      max_bytes=10**6)  # fmt: skip
    big = tmp_path / "big"
    big.mkdir()
    (big / "main.py").write_bytes(b"#" * 5000)
    with pytest.raises(ContentTooLarge):
        export_folder(store.get_block, parse_cid(store.add_path(big).cid), tmp_path / "c",
                      max_bytes=4096)  # fmt: skip
