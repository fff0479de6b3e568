"""Folders through the API (issue 14, the web app's folder view and upload): a browser adds
a folder one file at a time and gets the CID `coop submit FOLDER` gives; any folder's files
are listed with their CIDs and sizes."""

from pathlib import Path

from fastapi.testclient import TestClient

from oracle.chain.artifacts import REPO_ROOT
from oracle.ipfs.importer import import_path

RIDGE = REPO_ROOT / "examples" / "code" / "diabetes-ridge"


def a_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    (folder / "lib").mkdir(parents=True)
    (folder / "main.py").write_text((RIDGE / "main.py").read_text())
    (folder / "lib" / "features.py").write_text("COLUMNS = ['age', 'bmi']\n")
    (folder / "README.md").write_bytes(b"x" * 300_000)  # two chunks: a dag-pb file
    return folder


def upload(client: TestClient, folder: Path) -> dict[str, str]:
    cids = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        added = client.post("/v1/ipfs", content=path.read_bytes())
        assert added.status_code == 201, added.text
        cids[path.relative_to(folder).as_posix()] = added.json()["cid"]
    return cids


def test_a_folder_added_file_by_file_has_the_cid_coop_submit_gives(
    client: TestClient, tmp_path: Path
) -> None:
    folder = a_folder(tmp_path)
    cids = upload(client, folder)
    parts = [{"path": p, "cid": c} for p, c in cids.items()]
    made = client.post("/v1/ipfs/folder", json={"files": parts})
    assert made.status_code == 201, made.text
    assert made.json()["cid"] == str(import_path(folder).cid)
    assert made.json()["size"] == sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

    listing = client.get(f"/v1/ipfs/{made.json()['cid']}/files").json()
    assert [f["path"] for f in listing["files"]] == ["README.md", "lib/features.py", "main.py"]
    assert {f["path"]: f["cid"] for f in listing["files"]} == cids
    assert [f["size"] for f in listing["files"]] == [
        300_000,
        25,
        len((RIDGE / "main.py").read_bytes()),
    ]
    main = next(f for f in listing["files"] if f["path"] == "main.py")
    assert client.get(f"/ipfs/{main['cid']}").content == (folder / "main.py").read_bytes()


def test_bad_folders_are_refused_with_what_to_do(client: TestClient, tmp_path: Path) -> None:
    cids = upload(client, a_folder(tmp_path))
    main = cids["main.py"]
    for path in ("../main.py", "/main.py", ".git/config", "a//b.py", ""):
        refused = client.post("/v1/ipfs/folder", json={"files": [{"path": path, "cid": main}]})
        assert refused.status_code == 422 and refused.json()["reason"] == "bad_path", path
    clash = client.post("/v1/ipfs/folder", json={"files": [
        {"path": "lib", "cid": main}, {"path": "lib/x.py", "cid": main}]})  # fmt: skip
    assert clash.status_code == 422 and "is a file and a folder" in clash.json()["detail"]
    unknown = "bafkreigdsixz6dcqrv7q6g6ur5t3n5g2iiuo2ivwr24zr5ykoyjmwm6khq"
    missing = client.post("/v1/ipfs/folder", json={"files": [{"path": "m.py", "cid": unknown}]})
    assert missing.status_code == 404 and "add the file first" in missing.json()["detail"]
    not_folder = client.get(f"/v1/ipfs/{main}/files")
    assert not_folder.status_code == 422 and not_folder.json()["reason"] == "not_a_folder"
