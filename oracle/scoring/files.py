"""Reading predictions and labels files (CSV, gzip-compressed CSV, Parquet) into Arrow tables.

The format is told by the first bytes, never by a file name. Every refusal is an
ArtifactRejected carrying a Status and a sentence the submitter can act on; nothing here
raises anything else for bad input.
"""

import csv
import functools
import itertools
import mmap
import os
import re
import stat
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from oracle.scoring.rejection import ArtifactRejected
from oracle.status import Status
from oracle.text import quote_value

GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
UTF8_BOM = b"\xef\xbb\xbf"
UNSUPPORTED = {  # magic bytes of containers people upload by mistake
    b"PK\x03\x04": "a zip archive",
    b"BZh": "bzip2 data",
    b"\xfd7zXZ\x00": "xz data",
    b"\x28\xb5\x2f\xfd": "zstd data",
}
FORMATS = "CSV, gzip-compressed CSV or Parquet"
Blob = bytes | mmap.mmap  # a file's content: in memory, or mapped read-only
STREAMED_BYTES = 4 * 2**20  # larger files are mapped without reading them in at once
GZIP_INPUT_BYTES = 2**20  # compressed bytes handed to the inflater at a time
GZIP_PIECE_BYTES = 16 * 2**20  # inflated bytes taken from it at a time (whole-file reads)
PARALLEL_CSV_BYTES = 4 * 2**20  # smaller CSV bodies are parsed in one thread
MAX_CSV_THREADS = 8
CSV_BLOCK_BYTES = 16 * 2**20  # Arrow parses in blocks (16 MiB measured best): the longest row
MAX_HEADER_BYTES = 2**20  # a CSV header line (the spec's names are at most 1001 x 200)
MAX_PARQUET_FOOTER_BYTES = 4 * 2**20  # Parquet metadata: its parse time grows with it
EXAMPLES = 3  # names or ids quoted in a reason
_NON_SPACE = re.compile(rb"\S")  # what bytes.strip() keeps, found without a copy


def load_bytes(source: bytes | str | os.PathLike[str], max_bytes: int) -> Blob:
    """The file's content, refused unread when over `max_bytes`. A regular file is mapped
    read-only and populated in one call instead of copied (5 ms against 40 ms for 47 MB)."""
    if isinstance(source, bytes):
        if len(source) > max_bytes:
            raise ArtifactRejected(
                Status.TOO_LARGE,
                f"{len(source)} bytes is over the challenge's limit of {max_bytes} bytes",
            )
        return source
    try:
        with Path(source).open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):  # a pipe: read, stopping past the limit
                data = handle.read(max_bytes + 1)
                return load_bytes(data, max_bytes)
            if info.st_size > max_bytes:
                raise ArtifactRejected(
                    Status.TOO_LARGE,
                    f"the file is {info.st_size} bytes, over the challenge's limit of "
                    f"{max_bytes} bytes",
                )
            if info.st_size == 0:
                return b""
            if info.st_size > STREAMED_BYTES:  # read in blocks: its pages come in as read
                mapped = mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)
                mapped.madvise(mmap.MADV_SEQUENTIAL)
                return mapped
            flags = mmap.MAP_PRIVATE | getattr(mmap, "MAP_POPULATE", 0)  # read ahead at once
            return mmap.mmap(handle.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
    except OSError as exc:
        raise ArtifactRejected(Status.UNREADABLE, f"cannot read the file: {exc.strerror}") from None


def _gunzip(data: Blob, limit: int) -> bytes:
    """Inflates (possibly multi-member) gzip data, stopping as soon as it passes `limit`."""
    return b"".join(_inflated(data, limit, GZIP_PIECE_BYTES))


def _inflated(data: Blob, limit: int, piece_bytes: int) -> Iterator[bytes]:
    """The inflated bytes of (possibly multi-member) gzip data, in pieces of at most
    `piece_bytes`, refused as soon as they pass `limit` (a bomb is never inflated whole);
    the compressed pages are let go of as read. The one inflater of both read paths, so a
    refusal is the same sentence at the same byte whichever path reads."""
    total, start = 0, 0
    while start < len(data):  # one gzip member after another
        if data[start : start + 2] != GZIP_MAGIC:
            raise ArtifactRejected(Status.UNREADABLE, "bytes follow the gzip data; remove them")
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = b""
        while not inflater.eof:
            if not pending:
                if start >= len(data):
                    raise ArtifactRejected(Status.UNREADABLE, "the gzip data is truncated")
                pending = data[start : start + GZIP_INPUT_BYTES]
                start += len(pending)
                let_go(data, start)
            try:
                piece = inflater.decompress(pending, min(piece_bytes, limit + 1 - total))
            except zlib.error as exc:
                raise ArtifactRejected(
                    Status.UNREADABLE, f"the gzip data is corrupt ({exc})"
                ) from None
            pending = inflater.unconsumed_tail
            total += len(piece)
            if total > limit:
                raise ArtifactRejected(
                    Status.TOO_LARGE,
                    f"it decompresses to more than {limit} bytes (a decompression bomb?); "
                    "submit a smaller file",
                )
            if piece:
                yield piece
        start -= len(inflater.unused_data)  # the next member starts there


def read_table(data: Blob, types: Mapping[str, pa.DataType], max_uncompressed: int) -> pa.Table:
    """The file as a table with exactly the columns of `types`, converted to those types."""
    if data[:2] == GZIP_MAGIC:
        data = _gunzip(data, max_uncompressed)
    for magic, what in UNSUPPORTED.items():
        if data[: len(magic)] == magic:
            raise ArtifactRejected(Status.UNREADABLE, f"this is {what}; submit {FORMATS}")
    if _NON_SPACE.search(data) is None:
        raise ArtifactRejected(Status.UNREADABLE, "the file is empty")
    if data[:4] == PARQUET_MAGIC:
        return _read_parquet(data, types, max_uncompressed)
    return _read_csv(data, types)


def read_table_blocks(
    data: Blob, types: Mapping[str, pa.DataType], max_uncompressed: int, block_bytes: int
) -> Iterator[pa.Table]:
    """The file as `read_table` reads it, in tables of about `block_bytes` of CSV rows
    each (cut at line ends), the mapped pages of each block let go of once it is parsed: a
    large file is never resident whole, nor is its table. A file that cannot be cut at line
    ends (gzip, Parquet, a quote anywhere) is one table. Same refusals, same row numbers."""
    plain = data[:2] != GZIP_MAGIC and data[:4] != PARQUET_MAGIC
    if not plain or len(data) <= block_bytes or _has_quote(data, block_bytes):
        yield read_table(data, types, max_uncompressed)
        return
    for magic, what in UNSUPPORTED.items():
        if data[: len(magic)] == magic:
            raise ArtifactRejected(Status.UNREADABLE, f"this is {what}; submit {FORMATS}")
    if _NON_SPACE.search(data) is None:
        raise ArtifactRejected(Status.UNREADABLE, "the file is empty")
    header, body_start = _read_header(data, list(types))
    yield from _csv_blocks(_mapped_parts(data, body_start, block_bytes), header, types, data)


class CannotStream(Exception):
    """The file cannot be read in blocks with the result of reading it whole (a quoted
    value that may hold a line break, a Parquet column whose decoded size needs the whole
    file): read it whole (read_table), which also words any refusal."""


def stream_table_blocks(
    data: Blob, types: Mapping[str, pa.DataType], max_uncompressed: int, block_bytes: int
) -> Iterator[pa.Table]:
    """The file in tables of about `block_bytes` each, for a caller that reads it whole
    again (read_table) to word a refusal: a CSV, quoted or not, plain or gzip-compressed
    (inflated as read), cut at line ends; Parquet in batches of rows. The mapped pages are
    let go of as read. Refusals from the file as a whole (TOO_LARGE: a gzip bomb, Parquet
    metadata or columns over the limit) are read_table's own; others may be worded
    differently, and CannotStream says to read the file whole."""
    if data[:4] == PARQUET_MAGIC:
        yield from _parquet_blocks(data, types, max_uncompressed, max(1, block_bytes // 16))
        return
    if data[:2] != GZIP_MAGIC:
        header, body_start = _read_header(data, list(types))
        yield from _csv_blocks(_mapped_parts(data, body_start, block_bytes), header, types, data)
        return
    pieces = _inflated(data, max_uncompressed, block_bytes)
    first = b""
    for piece in pieces:  # at least the header line
        first += piece
        if b"\n" in first:
            break
    header, body_start = _read_header(first, list(types))
    body = itertools.chain([first[body_start:]], pieces)
    yield from _csv_blocks(_line_parts(body, block_bytes), header, types)


Part = tuple[pa.Buffer, bool, int]  # CSV rows, whether they hold a quote, where they end


def _mapped_parts(data: Blob, start: int, block_bytes: int) -> Iterator[Part]:
    """data[start:] in parts of about `block_bytes` cut at line ends (no copy), each with
    whether it holds a quote and the offset it ends at (its pages let go of from there)."""
    buffer = pa.py_buffer(data)
    while start < len(data):
        end = data.find(b"\n", min(start + block_bytes, len(data) - 1))
        end = len(data) if end < 0 else end + 1
        yield buffer.slice(start, end - start), data.find(b'"', start, end) >= 0, end
        start = end


def _line_parts(pieces: Iterator[bytes], block_bytes: int) -> Iterator[Part]:
    """The bytes of `pieces` end to end, in parts of at least `block_bytes` (but the last)
    cut at line ends, each with whether it holds a quote (and 0: nothing mapped)."""
    rest = b""
    for piece in pieces:
        rest += piece
        end = rest.rfind(b"\n") + 1 if len(rest) >= block_bytes else 0
        if end:
            part, rest = rest[:end], rest[end:]
            yield pa.py_buffer(part), b'"' in part, 0
    if rest:
        yield pa.py_buffer(rest), b'"' in rest, 0


def _csv_blocks(
    parts: Iterator[Part], header: list[str], types: Mapping[str, pa.DataType], data: Blob = b""
) -> Iterator[pa.Table]:
    """Each part of the CSV body parsed as a table (its own copy of the values), its rows
    numbered after the parts before it; `data`'s pages before a part's end let go of once
    it is parsed, not kept while its table is used.
    (Parsing the next part in a second thread meanwhile was measured no faster on two busy
    cores.) A part cut at a line end inside a quoted value leaves a text value holding a
    quote or a line break: CannotStream, whenever a part with a quote has such a value."""
    convert = _convert_options(types)
    text_columns = [name for name, kind in types.items() if kind == pa.string()]
    rows_before = 0
    for buffer, quoted, end in parts:
        reading = functools.partial(_read_part, buffer, header, convert)
        table = _parsed(reading, buffer, header, types, rows_before)
        if quoted and any(_holds_cut_marks(table.column(c)) for c in text_columns):
            raise CannotStream
        rows_before += len(table)
        let_go(data, end)
        yield table


def _holds_cut_marks(column: pa.ChunkedArray) -> bool:
    return bool(pc.any(pc.match_substring_regex(column, '["\r\n]')).as_py())


def _read_part(part: pa.Buffer, header: list[str], convert: pa_csv.ConvertOptions) -> pa.Table:
    """Arrow's parse of CSV rows (no header) in this thread. A block no larger than the part:
    Arrow allocates the whole block for every read, 0.7 ms of a small file's 0.85 ms with
    16 MiB (an audit reads 100,000 small files)."""
    read = pa_csv.ReadOptions(
        column_names=header, use_threads=False, block_size=min(CSV_BLOCK_BYTES, part.size + 1)
    )
    return pa_csv.read_csv(pa.BufferReader(part), read_options=read, convert_options=convert)


def _has_quote(data: Blob, block_bytes: int) -> bool:
    """Whether a quote is anywhere in `data`, searched a block at a time, the pages of each
    let go of (a search of the whole mapped file at once made all of it resident)."""
    for start in range(0, len(data), block_bytes):
        end = min(start + block_bytes, len(data))
        if data.find(b'"', start, end) >= 0:
            return True
        let_go(data, end)
    return False


def let_go(data: Blob, end: int) -> None:
    """Drops the mapped pages before `end` from this process's memory (the file stays in
    the page cache): a large file is never resident whole."""
    if isinstance(data, mmap.mmap):
        data.madvise(mmap.MADV_DONTNEED, 0, end - end % mmap.PAGESIZE)


def _convert_options(types: Mapping[str, pa.DataType]) -> pa_csv.ConvertOptions:
    return pa_csv.ConvertOptions(
        column_types=dict(types),
        null_values=[""],  # an empty cell is missing; "nan" and "inf" stay numbers
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )


def _check_columns(found: list[str], wanted: list[str]) -> None:
    """Refuses unless `found` is `wanted` in some order; linear in the number of columns."""
    counts = Counter(found)
    wanted_set = set(wanted)
    missing = [c for c in wanted if c not in counts]
    extra = [c for c in counts if c not in wanted_set]
    repeated = [c for c, n in counts.items() if n > 1]
    if not (missing or extra or repeated):
        return
    problems = [
        f"{what} {_names(cols)}"
        for what, cols in (("missing", missing), ("unexpected", extra), ("repeated", repeated))
        if cols
    ]
    raise ArtifactRejected(
        Status.WRONG_FORMAT,
        f"the columns must be exactly {_names(wanted)} (any order); the file has "
        f"{len(found)}: " + "; ".join(problems) + "; rename or remove columns to match",
    )


def _names(columns: list[str]) -> str:
    shown = ", ".join(quote_value(c) for c in columns[:EXAMPLES])
    return shown + (f" and {len(columns) - EXAMPLES} more" if len(columns) > EXAMPLES else "")


def _read_csv(data: Blob, types: Mapping[str, pa.DataType]) -> pa.Table:
    header, body_start = _read_header(data, list(types))
    if _NON_SPACE.search(data, body_start) is None:
        return pa.table({name: pa.array([], type=kind) for name, kind in types.items()})
    parse = functools.partial(_read_part, header=header, convert=_convert_options(types))

    buffer = pa.py_buffer(data)
    cuts = _line_cuts(data, body_start)
    parts = [buffer.slice(a, b - a) for a, b in itertools.pairwise(cuts)]
    if len(parts) == 1:
        tables = [_parsed(lambda: parse(parts[0]), parts[0], header, types, 0)]
    else:
        # Our own threads, joined before returning: Arrow's global pool (use_threads=True)
        # can abort the interpreter at exit (apache/arrow#34314).
        with ThreadPoolExecutor(len(parts), thread_name_prefix="coop-csv") as pool:
            futures = [pool.submit(parse, part) for part in parts]
        tables = []
        for part, future in zip(parts, futures, strict=True):  # the first error first
            rows_before = sum(len(t) for t in tables)
            tables.append(_parsed(future.result, part, header, types, rows_before))
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


def _read_header(data: Blob, wanted: list[str]) -> tuple[list[str], int]:
    """The header's column names, checked against `wanted`, and where the rows begin."""
    start = len(UTF8_BOM) if data[: len(UTF8_BOM)] == UTF8_BOM else 0
    header_end = data.find(b"\n", start, start + MAX_HEADER_BYTES + 1)
    if header_end < 0 and len(data) - start > MAX_HEADER_BYTES:
        raise ArtifactRejected(
            Status.WRONG_FORMAT,
            f"the first line is longer than {MAX_HEADER_BYTES} bytes, the limit for a header; "
            f"the header names the columns only: {','.join(wanted)}",
        )
    body_start = len(data) if header_end < 0 else header_end + 1
    try:
        first_line = data[start:body_start].rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError:
        raise ArtifactRejected(
            Status.UNREADABLE, f"the header is not UTF-8; submit {FORMATS}"
        ) from None
    try:  # a field over csv's limit (128 KiB) cannot be one of the spec's names (<= 200)
        header = next(csv.reader([first_line]))
    except csv.Error as exc:
        raise ArtifactRejected(
            Status.WRONG_FORMAT,
            f"the header cannot be read as CSV ({exc}); its first line must name the "
            f"columns: {','.join(wanted)}",
        ) from None
    _check_columns(header, wanted)
    return header, body_start


def _parsed(
    parsing: Callable[[], pa.Table],
    part: pa.Buffer,
    header: list[str],
    types: Mapping[str, pa.DataType],
    rows_before: int,
) -> pa.Table:
    """The table `parsing` gives for `part`, or a refusal naming the row when Arrow fails."""
    try:
        return parsing()
    except pa.ArrowInvalid as exc:
        raise _csv_rejection(str(exc), part, header, types, rows_before) from None


def _line_cuts(data: Blob, start: int) -> list[int]:
    """Offsets cutting data[start:] at line ends into two parts per CPU, or into one part
    when it is small or holds a quote (a quoted field may contain a line break)."""
    count = min(2 * (os.cpu_count() or 1), MAX_CSV_THREADS)  # extra parts even out the load
    size = len(data) - start
    if count == 1 or size < PARALLEL_CSV_BYTES or data.find(b'"', start) >= 0:
        return [start, len(data)]
    cuts = [start]
    for i in range(1, count):
        end = data.find(b"\n", max(cuts[-1], start + size * i // count))
        if end < 0 or end + 1 >= len(data):
            break
        cuts.append(end + 1)
    return [*cuts, len(data)]


def _csv_rejection(
    message: str,
    part: pa.Buffer,
    header: list[str],
    types: Mapping[str, pa.DataType],
    rows_before: int,
) -> ArtifactRejected:
    """Why Arrow could not read `part` (the rows after `rows_before`), as a refusal naming
    the row, the id, the column and the fix. Runs only for a bad file; linear in the part."""
    first = message.splitlines()[0] if message else message
    if "straddling" in first:
        return ArtifactRejected(
            Status.UNREADABLE,
            f"a line is longer than a row may be ({CSV_BLOCK_BYTES} bytes); write one row per "
            "line: the id, then the predictions",
        )
    as_text = pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in header}, null_values=[""],
        strings_can_be_null=True,
    )  # fmt: skip
    read = pa_csv.ReadOptions(column_names=header, use_threads=False, block_size=CSV_BLOCK_BYTES)
    id_column = next(iter(types))
    try:
        text = pa_csv.read_csv(pa.BufferReader(part), read_options=read, convert_options=as_text)
    except pa.ArrowInvalid as exc:
        return _parse_rejection(str(exc).splitlines()[0], header, header.index(id_column),
                                rows_before)  # fmt: skip
    ids = text.column(id_column).combine_chunks()
    for name, kind in types.items():
        if kind == pa.string():
            continue
        column = text.column(name).combine_chunks()
        row = _first_unconvertible(column, kind)
        if row is not None:
            return ArtifactRejected(
                Status.WRONG_TYPE,
                f"column {quote_value(name)} of row {rows_before + row + 1} (id "
                f"{quote_value(ids[row].as_py())}) is {quote_value(column[row].as_py())}, "
                "not a number; write a number such as 0.25 or 1e-3 in every row (NA and other "
                "marks of a missing value are not numbers)",
            )
    return ArtifactRejected(Status.UNREADABLE, f"not a readable CSV file ({first[:200]})")


def _parse_rejection(
    message: str, header: list[str], id_position: int, rows_before: int
) -> ArtifactRejected:
    """A refusal for a CSV parse error (not a value's conversion), from Arrow's message."""
    found = re.search(r"Row #(\d+): Expected (\d+) columns, got (\d+): (.*)", message)
    if found:
        row, wanted, got, line = found.groups()
        fields = line.split(",")  # as Arrow shows the row: its fields, perhaps cut short
        row_id = fields[id_position] if id_position < len(fields) else "?"
        return ArtifactRejected(
            Status.WRONG_FORMAT,
            f"row {rows_before + int(row)} (id {quote_value(row_id)}) has "
            f"{got} field(s); every row has the header's {wanted} ({','.join(header)}): "
            "remove extra commas or quote values that hold one",
        )
    if "UTF8" in message or "UTF-8" in message:
        return ArtifactRejected(
            Status.UNREADABLE, "the file is not UTF-8 text; save it as UTF-8 CSV"
        )
    return ArtifactRejected(
        Status.UNREADABLE,
        f"not a readable CSV file ({message[:200]}); submit {FORMATS} with one row per line",
    )


def _first_unconvertible(column: pa.Array, kind: pa.DataType) -> int | None:
    """The first row whose text Arrow cannot convert to `kind`, found by halving: the work
    is at most twice the column's size."""
    start, end = 0, len(column)
    if _converts(column, kind):
        return None
    while end - start > 1:  # column[start:end] holds a bad value
        middle = (start + end) // 2
        if _converts(column.slice(start, middle - start), kind):
            start = middle
        else:
            end = middle
    return start


def _converts(column: pa.Array, kind: pa.DataType) -> bool:
    try:
        pc.cast(column, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


def _read_parquet(data: Blob, types: Mapping[str, pa.DataType], limit: int) -> pa.Table:
    encoded, rows, text = _open_parquet(data, types, limit)
    try:
        table = encoded.read(columns=list(types), use_threads=False)  # see _read_csv
    except (pa.ArrowException, OSError) as exc:
        raise ArtifactRejected(Status.UNREADABLE, f"not a readable Parquet file ({exc})") from None
    decoded = rows * 12 * len(types) + sum(_text_bytes(table.column(n)) for n in text)
    if decoded > limit:
        raise ArtifactRejected(
            Status.TOO_LARGE, f"its columns decode to about {decoded} bytes, over {limit}"
        )
    return pa.table({name: _cast(table.column(name), name, t) for name, t in types.items()})


def _parquet_blocks(
    data: Blob, types: Mapping[str, pa.DataType], limit: int, batch_rows: int
) -> Iterator[pa.Table]:
    """The Parquet file in tables of `batch_rows` rows, checked as _read_parquet checks the
    whole; the mapped pages let go of after each batch. Over the decoded limit: CannotStream
    (the whole read words it, with the total)."""
    encoded, rows, text = _open_parquet(data, types, limit)
    decoded = rows * 12 * len(types)
    batches = encoded.iter_batches(batch_rows, columns=list(types), use_threads=False)
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowException, OSError) as exc:
            raise ArtifactRejected(
                Status.UNREADABLE, f"not a readable Parquet file ({exc})"
            ) from None
        if batch is None:
            return
        columns = {name: pa.chunked_array([batch.column(name)]) for name in types}
        decoded += sum(_text_bytes(columns[n]) for n in text)
        if decoded > limit:
            raise CannotStream
        table = pa.table({name: _cast(columns[name], name, t) for name, t in types.items()})
        del batch, columns
        let_go(data, len(data))  # read again from the page cache if a later batch needs it
        yield table


def _open_parquet(
    data: Blob, types: Mapping[str, pa.DataType], limit: int
) -> tuple[pq.ParquetFile, int, list[str]]:
    """The Parquet file opened for reading `types`' columns, text columns kept
    dictionary-encoded (until their decoded size is known), after the checks that need
    only its metadata; with its row count and the text columns' names."""
    footer = int.from_bytes(data[-8:-4], "little") if len(data) >= 12 else 0
    if MAX_PARQUET_FOOTER_BYTES < footer <= len(data) - 12:  # longer: truncated, for Arrow
        raise ArtifactRejected(
            Status.TOO_LARGE,
            f"its metadata is {footer} bytes, over the limit of {MAX_PARQUET_FOOTER_BYTES} "
            f"(too many columns or row groups); write only the columns {','.join(types)}, "
            "in fewer row groups",
        )
    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        meta = parquet.metadata
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    except (pa.ArrowException, OSError) as exc:
        raise ArtifactRejected(Status.UNREADABLE, f"not a readable Parquet file ({exc})") from None
    if unpacked > limit:
        raise ArtifactRejected(
            Status.TOO_LARGE, f"its columns decompress to {unpacked} bytes, over {limit}"
        )
    _check_columns(parquet.schema_arrow.names, list(types))
    schema = parquet.schema_arrow
    text = [n for n in types if _is_bytes(schema.field(n).type)]
    try:
        encoded = pq.ParquetFile(pa.BufferReader(data), read_dictionary=text)
    except (pa.ArrowException, OSError) as exc:
        raise ArtifactRejected(Status.UNREADABLE, f"not a readable Parquet file ({exc})") from None
    return encoded, meta.num_rows, text


def _is_bytes(kind: pa.DataType) -> bool:
    return any(
        check(kind)
        for check in (pa.types.is_string, pa.types.is_large_string, pa.types.is_binary,
                      pa.types.is_large_binary)
    )  # fmt: skip


def _text_bytes(column: pa.ChunkedArray) -> int:
    """Bytes of a dictionary-encoded string column once decoded, without decoding it."""
    total = 0
    for chunk in column.chunks:
        lengths = pc.binary_length(chunk.dictionary).cast(pa.int64())
        total += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
    return int(total)


def _cast(column: pa.ChunkedArray, name: str, wanted: pa.DataType) -> pa.ChunkedArray:
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind)
    text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
    if wanted == pa.float64() and numeric:
        return column.cast(pa.float64())
    if wanted == pa.string() and (text or pa.types.is_integer(kind)):
        return column.cast(pa.string())
    needed = "numbers" if wanted == pa.float64() else "text or whole numbers"
    raise ArtifactRejected(
        Status.WRONG_TYPE, f"column {name!r} holds {kind}; it must hold {needed}"
    )
