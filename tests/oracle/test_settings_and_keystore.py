"""Settings come from file, then environment, then flags; keystores stay encrypted."""

import json
from pathlib import Path

import pytest

from oracle.errors import ConfigError
from oracle.keystore import KeystoreError, list_keys, new_key, save_key, unlock
from oracle.settings import load_settings

KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"


def test_environment_overrides_file_and_flags_override_both(tmp_path: Path) -> None:
    config = tmp_path / "coop.toml"
    config.write_text('rpc_url = "http://file:1"\nconfirmations = 3\npeers = ["http://a"]\n')
    env = {"COOP_RPC_URL": "http://env:2", "COOP_PEERS": "http://p1, http://p2"}
    settings = load_settings(config, env, confirmations=5)
    assert settings.rpc_url == "http://env:2"
    assert settings.peers == ("http://p1", "http://p2")
    assert settings.confirmations == 5


def test_invalid_value_names_the_setting_and_where_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"confirmations.*COOP_"):
        load_settings(
            None, {"COOP_CONFIG": str(tmp_path / "none.toml"), "COOP_CONFIRMATIONS": "-1"}
        )


def test_no_setting_makes_a_real_oracle_sign_wrong_scores(tmp_path: Path) -> None:
    """The lying oracle of the quorum tests is the tests' own (tests/oracle/daemon/
    lying_oracle.py): an operator's config cannot turn it on."""
    config = tmp_path / "coop.toml"
    config.write_text("fault_score_offset = 3\n")
    with pytest.raises(ConfigError, match="fault_score_offset"):
        load_settings(config, {})


def test_secrets_never_show_in_repr() -> None:
    settings = load_settings(None, {"COOP_PASSWORD": "hunter2", "COOP_CONFIG": "/nonexistent"})
    assert "hunter2" not in repr(settings)
    assert settings.password is not None and settings.password.get_secret_value() == "hunter2"


def test_keystore_round_trip_is_encrypted_and_private(tmp_path: Path) -> None:
    entry = save_key(tmp_path, "alice", KEY, "pw")
    text = entry.path.read_text()
    assert KEY[2:] not in text and json.loads(text)["crypto"]["kdf"] == "scrypt"
    assert entry.path.stat().st_mode & 0o077 == 0
    assert unlock(tmp_path, "alice", "pw").address == entry.address
    assert [e.name for e in list_keys(tmp_path)] == ["alice"]


def test_keystore_errors_say_what_to_do(tmp_path: Path) -> None:
    new_key(tmp_path, "bob", "pw")
    with pytest.raises(KeystoreError, match="wrong password"):
        unlock(tmp_path, "bob", "nope")
    with pytest.raises(KeystoreError, match=r"known: bob.*coop account new"):
        unlock(tmp_path, "carol", "pw")
    with pytest.raises(KeystoreError, match="exists already"):
        save_key(tmp_path, "bob", KEY, "pw")
    with pytest.raises(KeystoreError, match="not a valid private key"):
        save_key(tmp_path, "dave", "0x1234", "pw")


def test_defaults_are_the_same_from_every_folder_and_find_make_runs_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    seen = set()
    for folder in (tmp_path / "a", tmp_path / "b" / "c"):
        folder.mkdir(parents=True)
        monkeypatch.chdir(folder)
        s = load_settings(environ={})
        seen.add((s.data_dir, s.keystore_dir, s.deployment, s.rpc_url))
    assert seen == {(home / ".coop", home / ".coop" / "keystores",
                     home / ".coop" / "deployment.json", "http://127.0.0.1:8555")}  # fmt: skip
    moved = load_settings(environ={"COOP_DATA_DIR": str(tmp_path / "d")})
    assert moved.keystore_dir == tmp_path / "d" / "keystores"
    assert moved.deployment == tmp_path / "d" / "deployment.json"
    assert moved.ipfs_path == tmp_path / "d" / "ipfs"
    own = load_settings(environ={"COOP_DATA_DIR": "x", "COOP_KEYSTORE_DIR": str(tmp_path / "k")})
    assert own.keystore_dir == tmp_path / "k", "an explicit setting still wins"


def test_code_runs_at_once_come_from_the_file_or_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "coop.toml"
    config.write_text("code_runs = 2\n")
    assert load_settings(config, environ={}).code_runs == 2
    assert load_settings(config, environ={"COOP_CODE_RUNS": "4"}).code_runs == 4
    assert load_settings(environ={"COOP_CONFIG": str(tmp_path / "none.toml")}).code_runs == 1
    with pytest.raises(ConfigError, match="code_runs"):
        load_settings(config, environ={"COOP_CODE_RUNS": "0"})
