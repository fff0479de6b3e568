"""dag-pb, UnixFS and CID encoding against bytes and CIDs observed from kubo itself."""

import pytest

from oracle.errors import CidMismatch, InvalidCid, MalformedDag
from oracle.ipfs.cids import DAG_PB, RAW, cid_for_block, cid_key, parse_cid, verify_block
from oracle.ipfs.dagpb import PBLink, PBNode, decode_node, encode_node
from oracle.ipfs.protobuf import decode_varint, encode_varint
from oracle.ipfs.unixfs import DIRECTORY_DATA, NodeType, decode_unixfs, symlink_data

# Root block kubo wrote for a 262145-byte file (`ipfs block get`, cid-version=1).
KUBO_ROOT_256KIB_PLUS_1 = bytes.fromhex(
    "122c0a2401551220"
    "22dfdbe5818a84eaf91ad2923f4807aebc2a6c105a03d67f636db65b686618f4"
    "12001880801012"
    "2a0a2401551220"
    "7d8c5da7fd418379048e430b33dc8ffcda739e44326b8a5d647d"
    "c0ad81ed2157"
    "12001801"
    "0a0c08021881801020808010"
    "2001"
)


@pytest.mark.parametrize("value", [0, 1, 127, 128, 300, 262144, 2**63])
def test_varint_round_trips(value: int) -> None:
    encoded = encode_varint(value)
    assert decode_varint(encoded, 0) == (value, len(encoded))


def test_known_cids_match_kubo() -> None:
    # Values printed by `ipfs add --cid-version=1` (kubo 0.42) for the same inputs.
    empty = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
    hello = "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am"
    empty_dir = "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354"
    symlink = "bafybeibysfkbozujnkzmx63h6nk4td2kmqcyhxhq67adb6vgr3mis24ble"
    assert str(cid_for_block(RAW, b"")) == empty
    assert str(cid_for_block(RAW, b"hello\n")) == hello
    assert str(cid_for_block(DAG_PB, encode_node(PBNode((), DIRECTORY_DATA)))) == empty_dir
    assert str(cid_for_block(DAG_PB, encode_node(PBNode((), symlink_data("a.txt"))))) == symlink


def test_dagpb_decodes_and_reencodes_kubo_block_byte_for_byte() -> None:
    node = decode_node(KUBO_ROOT_256KIB_PLUS_1)
    assert [link.tsize for link in node.links] == [262144, 1]
    assert all(link.name == "" and link.cid.codec.name == RAW for link in node.links)
    meta = decode_unixfs(node.data or b"")
    assert meta.type == NodeType.FILE
    assert meta.filesize == 262145
    assert meta.blocksizes == (262144, 1)
    assert encode_node(node) == KUBO_ROOT_256KIB_PLUS_1
    assert str(cid_for_block(DAG_PB, KUBO_ROOT_256KIB_PLUS_1)) == (
        "bafybeihkbxfwrjdma6zkegvjvtgl2yiqocdfyvt7ra2wqyukasnykymplu"
    )


def test_link_name_is_written_even_when_empty() -> None:
    link = PBLink(cid_for_block(RAW, b"x"), "", 1)
    assert b"\x12\x00" in encode_node(PBNode((link,), None))


@pytest.mark.parametrize(
    "block",
    [
        KUBO_ROOT_256KIB_PLUS_1[:-3],  # truncated
        b"\x1a\x00",  # unknown field 3
        b"\x0b",  # wire type 3 (group) is not protobuf we accept
        b"\x12\x02\x12\x00",  # link without a Hash
    ],
)
def test_malformed_dagpb_is_rejected(block: bytes) -> None:
    with pytest.raises(MalformedDag):
        decode_node(block)


def test_verify_block_names_the_cid_on_mismatch() -> None:
    cid = cid_for_block(RAW, b"right")
    verify_block(cid, b"right")
    with pytest.raises(CidMismatch, match=str(cid)):
        verify_block(cid, b"wrong")


def test_cidv0_is_accepted_and_canonicalised_to_v1_base32() -> None:
    v0 = parse_cid("QmaYL7E4gDTPNfLxrCEEEcNJgcHBJ55NxxTnxpDKWqMtJ3")
    assert cid_key(v0).startswith("bafybei")


@pytest.mark.parametrize("text", ["", "0", "b", "not-a-cid", "bafyreigh2akiscaildc"])
def test_garbage_is_not_a_cid(text: str) -> None:
    with pytest.raises(InvalidCid):
        parse_cid(text)
