"""moto's server, one request at a time.

moto's TransactWriteItems deep-copies every table it touches and, when the transaction is
cancelled (a condition failed), puts that copy back in place of the live table
(moto/dynamodb/models/__init__.py, transact_write_items). Its server is threaded, so every
write another request made to that table in the meantime is silently undone: an item moved
by a concurrent transaction reappears at its old key, or disappears. DynamoDB isolates
transactions; serialising requests gives moto the same property. moto holds the GIL for
nearly all of its work anyway, so little throughput is lost. Connections are still served
by threads, so one idle keep-alive connection never blocks the others.

moto 5.2.5 also ignores `If-None-Match: *` on CopyObject (it honours it on PutObject only),
which S3 honours for both: a conditional copy onto an existing key fails with 412
PreconditionFailed. The copy engine relies on that instead of a HEAD of the destination
before every copy, so the emulator gets the same check (test/integration/emulator-isolation.test.ts).

The same TransactWriteItems backs a table up by deep-copying it once per ACTION that names
it, before applying any: a transaction of 100 actions on one table copied the whole table 100
times, and even one copy per transaction makes the cost of a run grow with the square of its
data. The server keeps an undo journal of the items a transaction writes instead (below). What
a transaction does, and what a cancelled one restores, are unchanged. Its conditions are
parsed once each, not three times (conditions_parsed_once).

The server also sums the time it spends on each operation (DynamoDB and SSM by X-Amz-Target,
S3 by method, LIST and COPY): `GET /moto-profile` answers the totals as JSON, and
`DELETE /moto-profile` starts them afresh. That is where the emulator's time goes at scale (the
bench prints it for the migration alone).

Connections stay open between requests, as S3's and DynamoDB's do (KeptAliveRequestHandler):
werkzeug's development server closes every connection after one response, so every request
of an SDK client paid a new TCP connection, on the client's side and on this server's (an
accept and a new thread).

Usage: python moto_serial_server.py -H 127.0.0.1 -p PORT
"""
import argparse
import io
import json
import os
import signal
import sys
import threading
import time

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.s3.exceptions import PreconditionFailed
from moto.s3.responses import S3Response


def honour_if_none_match_on_copy() -> None:
    """S3's conditional copy: `If-None-Match: *` refuses a destination key that exists."""
    copy_object = S3Response.copy_object

    def conditional_copy_object(self):  # type: ignore[no-untyped-def]
        if self.headers.get("If-None-Match") == "*" and self.backend.get_object(self.bucket_name, self.parse_key_name()) is not None:
            raise PreconditionFailed("If-None-Match")
        return copy_object(self)

    S3Response.copy_object = conditional_copy_object  # type: ignore[method-assign]


def undo_journal_per_transaction() -> None:
    """A transaction undone from a journal of the items it wrote, not from copies of its tables.

    moto backs up every table a transaction names with a deep copy, so a cancelled transaction
    can put the copy back: each TransactWriteItems costs as much as copying its tables, and a
    run's cost grows with the square of its data. Here the backup is a journal instead. Before
    each write of the transaction, the item at that key (or its absence) is noted; a transaction
    that fails undoes the journal in reverse order. What a transaction does, and the state a
    failed one leaves (exactly the state before it), are unchanged; only the cost is DynamoDB's
    shape: the items touched, not the tables. Requests are served one at a time (below), so
    nothing else writes while a transaction runs.
    """
    import copy

    import moto.dynamodb.models as models
    from moto.dynamodb.models.table import Table

    class NoTableCopies:
        """The `copy` module as moto's DynamoDB models see it: a table "copied" is the table itself."""

        def deepcopy(self, value, memo=None):  # type: ignore[no-untyped-def]
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(copy, name)

    models.copy = NoTableCopies()  # type: ignore[assignment]
    backend = models.DynamoDBBackend
    transact = backend.transact_write_items

    def transact_write_items(self, transact_items):  # type: ignore[no-untyped-def]
        journal: list[tuple[str, dict, dict | None]] = []

        def noted(table_name, key):  # type: ignore[no-untyped-def]
            before = backend.get_item(self, table_name, key)
            journal.append((table_name, copy.deepcopy(key), copy.deepcopy(before.to_json()["Attributes"]) if before else None))

        def put_item(table_name, item_attrs, *args, **kwargs):  # type: ignore[no-untyped-def]
            table = self.get_table(table_name)
            key = {table.hash_key_attr: item_attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = item_attrs[table.range_key_attr]
            noted(table_name, key)
            return backend.put_item(self, table_name, item_attrs, *args, **kwargs)

        def update_item(table_name, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            noted(table_name, key)
            return backend.update_item(self, table_name, key, *args, **kwargs)

        def delete_item(table_name, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            noted(table_name, key)
            return backend.delete_item(self, table_name, key, *args, **kwargs)

        self.put_item, self.update_item, self.delete_item = put_item, update_item, delete_item
        try:
            return transact(self, transact_items)
        except BaseException:
            for table_name, key, before in reversed(journal):
                if before is None:
                    backend.delete_item(self, table_name, key)
                else:
                    backend.put_item(self, table_name, before)
            raise
        finally:
            del self.put_item, self.update_item, self.delete_item

    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def query_reads_only_its_partition() -> None:
    """A Query of a table by its partition key reads that partition, as DynamoDB does.

    moto answers every Query by sorting all the table's items (`Table.all_items`) and keeping
    those of the asked partition: each query costs as much as sorting the whole table, so
    per-user queries make a run's cost grow with the square of its users. For a query of the
    table itself by a string partition key, the server hands moto only that partition's items;
    moto then filters, sorts and pages them exactly as before, so the answer is the same. An
    index query still looks at every item (moto keeps no index), but unsorted: moto sorts what
    it keeps by the index and table keys, a total order, so the first sort changed nothing.
    """
    from moto.dynamodb.models.table import Table

    query = Table.query

    def every_item(table):  # type: ignore[no-untyped-def]
        if table.range_key_attr:
            return [item for partition in table.items.values() for item in partition.values()]
        return list(table.items.values())

    def partition_query(self, hash_key, *args, **kwargs):  # type: ignore[no-untyped-def]
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name:
            items = every_item(self)
        elif hash_key is not None and getattr(hash_key, "type", None) == "S":
            partition = self.items.get(hash_key)
            if partition is None:
                items = []
            elif self.range_key_attr:
                items = list(partition.values())
            else:
                items = [partition]
        else:
            return query(self, hash_key, *args, **kwargs)
        self.all_items = lambda: items  # type: ignore[method-assign]
        try:
            return query(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = partition_query  # type: ignore[method-assign]


def table_sorted_once_per_change() -> None:
    """A table's items are sorted again only when its items changed.

    moto answers every Scan page by sorting all of the table's items (`Table.all_items`),
    comparing typed values (a cast per comparison), before walking to the page's start key: a
    paged scan sorted the whole table once per page, and the sorts were most of its time.
    Here the sorted list is kept with the identities of the items it was sorted from, in the
    table's own order; while the table holds exactly those item objects (a put or a restore
    makes new ones, a delete drops one; the list keeps the old ones alive, so an identity is
    never reused while it is kept), the same order is answered, as a fresh list. Otherwise
    moto sorts again. What every scan answers is unchanged.
    """
    from moto.dynamodb.models.table import Table

    all_items = Table.all_items

    def sorted_once(self):  # type: ignore[no-untyped-def]
        if self.range_key_attr:
            current = [item for partition in self.items.values() for item in partition.values()]
        else:
            current = list(self.items.values())
        identities = [id(item) for item in current]
        kept = self.__dict__.get("_sorted_items")
        if kept is None or kept[0] != identities:
            kept = (identities, all_items(self))
            self.__dict__["_sorted_items"] = kept
        return list(kept[1])

    Table.all_items = sorted_once  # type: ignore[method-assign]


def attribute_values_serialised_directly() -> None:
    """A DynamoDB answer's items go to JSON as they are, as DynamoDB sends them.

    moto serialises every answer by walking botocore's output shape: for each attribute value
    of each item it visits all ten members of the AttributeValue structure (S, N, B, SS, ...)
    through a generic value picker. That walk, not the scan itself, was most of a Scan's time
    (about half a millisecond per item returned) and a large part of every Query and GetItem.
    An attribute value without binary data serialises to itself (strings and numbers as
    strings, sets as lists of strings, maps and lists member by member, NULL and BOOL as
    booleans), so it is written out directly; one holding binary data (B, BS, anywhere
    inside) takes moto's own path, which base64-encodes it.
    """
    from moto.core.serialize import BaseJSONSerializer

    serialize_structure = BaseJSONSerializer._serialize_type_structure
    unchanged = object()

    def plain(value):  # type: ignore[no-untyped-def]
        """The attribute value as moto's walk would write it, or `unchanged` when only that walk will do."""
        if not isinstance(value, dict):
            return unchanged
        out = {}
        for member, v in value.items():
            if v is None:
                continue
            if member in ("S", "N"):
                if not isinstance(v, str):
                    return unchanged
                out[member] = v
            elif member in ("SS", "NS"):
                if not isinstance(v, list) or not all(isinstance(e, str) for e in v):
                    return unchanged
                out[member] = list(v)
            elif member in ("NULL", "BOOL"):
                if not isinstance(v, bool):
                    return unchanged
                out[member] = v
            elif member == "M":
                if not isinstance(v, dict):
                    return unchanged
                inner = {}
                for name, nested in v.items():
                    converted = plain(nested)
                    if converted is unchanged:
                        return unchanged
                    inner[name] = converted
                out[member] = inner
            elif member == "L":
                if not isinstance(v, list):
                    return unchanged
                items = [plain(nested) for nested in v]
                if any(i is unchanged for i in items):
                    return unchanged
                out[member] = items
            else:
                return unchanged
        return out

    def direct_structure(self, serialized, value, shape, key):  # type: ignore[no-untyped-def]
        if key and shape.name == "AttributeValue":
            converted = plain(value)
            if converted is not unchanged:
                self._default_serialize(serialized, converted, shape, key)
                return
        serialize_structure(self, serialized, value, shape, key)

    BaseJSONSerializer._serialize_type_structure = direct_structure  # type: ignore[method-assign]


def conditions_parsed_once() -> None:
    """A condition expression is parsed once, not once per look at it.

    moto parses each TransactWriteItems action's ConditionExpression three times: to validate
    the request (moto/dynamodb/responses.py), to check it before the writes, and again inside
    the put, update or delete the transaction then makes (moto/dynamodb/models/__init__.py).
    Its lexer compiles a regular expression per character of the expression, so the parses,
    not the writes, were most of a transaction's time (about 30 ms for 100 actions). The parse
    is a pure function of the expression, its names and its values, and the tree it builds is
    only read (every node's state is set when it is built): the tree of the first parse is kept,
    built from private copies of the names and values, and the same text with the same names and
    values gets it back, with the names and values the parse found. An expression that does not
    parse raises as before, every time. What every condition decides is unchanged.
    """
    import copy

    from moto.dynamodb.comparisons import ConditionExpressionParser

    parse = ConditionExpressionParser.parse
    parsed: dict[str, tuple] = {}  # type: ignore[type-arg]

    def parse_once(self):  # type: ignore[no-untyped-def]
        key = json.dumps([self.condition_expression, self.expression_attribute_names, self.expression_attribute_values], sort_keys=True, default=repr)
        hit = parsed.get(key)
        if hit is None:
            private = ConditionExpressionParser(
                self.condition_expression, copy.deepcopy(self.expression_attribute_names), copy.deepcopy(self.expression_attribute_values)
            )
            hit = (parse(private), tuple(private.expr_attr_names_found), tuple(private.expr_attr_values_found))
            if len(parsed) >= 4096:
                parsed.clear()
            parsed[key] = hit
        op, names_found, values_found = hit
        self.expr_attr_names_found.extend(names_found)
        self.expr_attr_values_found.extend(values_found)
        return op

    ConditionExpressionParser.parse = parse_once  # type: ignore[method-assign]


def listings_read_only_their_prefix() -> None:
    """A bucket listing with a prefix reads the keys under that prefix, as S3 does.

    moto answers every listing by walking a copy of the whole bucket (`_VersionedKeyStore.items`
    copies the dict and looks up each key's latest version), so a listing of one user's prefix
    costs as much as the bucket holds, and per-user listings make a run's cost grow with the
    square of its users. Each key store keeps its names sorted (kept up to date by its own
    writes and deletes; any other change drops the index, which is rebuilt on the next listing),
    and a listing with a prefix hands moto only the keys in that prefix's range: a contiguous
    run of the sorted names. moto then builds, sorts and pages its answer exactly as before.

    A ListObjectsV2 page without a delimiter reads only its own page, as S3 does: moto built,
    sorted and filtered every key under the prefix for each page and then skipped to the
    continuation token, so a prefix of N keys listed in pages of 1,000 cost N²/1,000 (at 10,000
    users, the verification's listings of the consolidation bucket's prefixes). The page now
    starts at its token (or start-after) in the sorted names and reads at most max-keys + 1 of
    them; its keys, their order, its truncation and its next token are moto's own
    (`_truncate_result`). With a delimiter, or a token moto does not know, moto answers as before.
    """
    import bisect

    from moto.s3.models import FakeDeleteMarker, FakeTableStorageBucket, S3Backend
    from moto.s3.utils import _VersionedKeyStore

    def names(store):  # type: ignore[no-untyped-def]
        index = store.__dict__.get("_sorted_names")
        if index is None:
            index = sorted(dict.keys(store))
            store.__dict__["_sorted_names"] = index
        return index

    def noting_new_name(write):  # type: ignore[no-untyped-def]
        def wrapped(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            new = not dict.__contains__(self, key)
            result = write(self, key, *args, **kwargs)
            index = self.__dict__.get("_sorted_names")
            if new and index is not None:
                bisect.insort(index, key)
            return result

        return wrapped

    def noting_removed_name(remove):  # type: ignore[no-untyped-def]
        def wrapped(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
            present = dict.__contains__(self, key)
            result = remove(self, key, *args, **kwargs)
            index = self.__dict__.get("_sorted_names")
            if present and index is not None:
                at = bisect.bisect_left(index, key)
                if at < len(index) and index[at] == key:
                    del index[at]
            return result

        return wrapped

    def dropping_index(change):  # type: ignore[no-untyped-def]
        def wrapped(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.__dict__.pop("_sorted_names", None)
            return change(self, *args, **kwargs)

        return wrapped

    _VersionedKeyStore.__setitem__ = noting_new_name(_VersionedKeyStore.__setitem__)  # type: ignore[method-assign]
    _VersionedKeyStore.setlist = noting_new_name(_VersionedKeyStore.setlist)  # type: ignore[method-assign]
    _VersionedKeyStore.pop = noting_removed_name(_VersionedKeyStore.pop)  # type: ignore[method-assign]
    _VersionedKeyStore.__delitem__ = noting_removed_name(dict.__delitem__)  # type: ignore[method-assign]
    for change in ("clear", "update", "setdefault", "popitem"):
        setattr(_VersionedKeyStore, change, dropping_index(getattr(dict, change)))

    list_objects = S3Backend.list_objects

    def prefix_listing(self, bucket, prefix, *args, **kwargs):  # type: ignore[no-untyped-def]
        store = getattr(bucket, "keys", None)
        if not prefix or not isinstance(store, _VersionedKeyStore):
            return list_objects(self, bucket, prefix, *args, **kwargs)
        index = names(store)
        at = bisect.bisect_left(index, prefix)
        matching = []
        while at < len(index) and index[at].startswith(prefix):
            matching.append((index[at], store[index[at]]))
            at += 1
        store.__dict__["items"] = lambda: matching
        try:
            return list_objects(self, bucket, prefix, *args, **kwargs)
        finally:
            del store.__dict__["items"]

    S3Backend.list_objects = prefix_listing  # type: ignore[method-assign]

    list_objects_v2 = S3Backend.list_objects_v2

    def page_listing(self, bucket, prefix, delimiter, continuation_token, start_after, max_keys):  # type: ignore[no-untyped-def]
        store = getattr(bucket, "keys", None)
        after = self._pagination_tokens.get(continuation_token) if continuation_token else start_after
        if delimiter or not max_keys or max_keys < 0 or (continuation_token and after is None) or isinstance(bucket, FakeTableStorageBucket) or not isinstance(store, _VersionedKeyStore):
            return list_objects_v2(self, bucket, prefix, delimiter, continuation_token, start_after, max_keys)
        prefix = prefix or ""
        index = names(store)
        at = bisect.bisect_left(index, prefix)
        if after:
            # moto's _get_results_from_token: the keys strictly after the token's key.
            at = max(at, bisect.bisect_right(index, after))
        page = []
        while at < len(index) and index[at].startswith(prefix) and len(page) <= max_keys:
            key = store[index[at]]
            if not isinstance(key, FakeDeleteMarker):
                page.append(key)
            at += 1
        return self._truncate_result(page, max_keys)

    S3Backend.list_objects_v2 = page_listing  # type: ignore[method-assign]


class KeptAliveRequestHandler(MotoRequestHandler):
    """HTTP/1.1 keep-alive for werkzeug's development server.

    Werkzeug answers every request with `Connection: close` because it cannot tell where a
    request body the application left unread ends: draining it could read into the next
    request. This handler reads the whole body first (its Content-Length, or none), hands the
    application a buffer of it, and leaves werkzeug's `Connection: close` out, so the stream
    stands at the next request line. A request whose body has no length (chunked) or that waits
    for `100 Continue` is served exactly as werkzeug serves it, and its connection closed.
    """

    protocol_version = "HTTP/1.1"
    # Werkzeug writes a response's headers and body separately. Held by Nagle's algorithm until
    # the client's delayed ACK of the headers, the body of a kept-alive answer came 40 ms late
    # (closing the connection used to push it out at once).
    disable_nagle_algorithm = True
    # An idle connection's thread ends after this long; a client sends its next request on a
    # new connection (the SDKs retry one that meets the close).
    timeout = 60
    keep_alive = False

    def run_wsgi(self) -> None:
        body = self.whole_body()
        self.keep_alive = body is not None
        if body is None:
            return super().run_wsgi()
        socket_file = self.rfile
        # Werkzeug's own drain after the response then reads this buffer, never the socket.
        self.rfile = io.BytesIO(body)
        try:
            super().run_wsgi()
        finally:
            self.rfile = socket_file

    def whole_body(self) -> "bytes | None":
        """The request's body read to its end, or None when its end is not known beforehand."""
        if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue" or self.headers.get("Transfer-Encoding"):
            return None
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.strip().isdigit():
            return None
        body = self.rfile.read(int(length))
        if len(body) < int(length):
            # The client hung up mid-body: moto gets what came, and the connection closes after.
            self.close_connection = True
        return body

    def send_header(self, keyword: str, value: str) -> None:
        if self.keep_alive and keyword.lower() == "connection" and value.lower() == "close":
            return
        super().send_header(keyword, value)

    def log_error(self, format: str, *args) -> None:  # type: ignore[no-untyped-def]
        # An idle connection timing out is how keep-alive ends, not an error.
        if format.startswith("Request timed out"):
            return
        super().log_error(format, *args)


def operation_of(environ) -> str:  # type: ignore[no-untyped-def]
    """DynamoDB/SSM: the X-Amz-Target's action; S3: the method, and LIST for a bucket listing."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.split(".")[-1]
    method = environ.get("REQUEST_METHOD", "?")
    path = environ.get("PATH_INFO", "/")
    # Path-style addressing: /bucket is the bucket itself, /bucket/key an object.
    if method == "GET" and "/" not in path.strip("/"):
        return "s3 LIST"
    if method == "PUT" and environ.get("HTTP_X_AMZ_COPY_SOURCE"):
        return "s3 COPY"
    return f"s3 {method}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(0))

    honour_if_none_match_on_copy()
    undo_journal_per_transaction()
    conditions_parsed_once()
    query_reads_only_its_partition()
    table_sorted_once_per_change()
    attribute_values_serialised_directly()
    listings_read_only_their_prefix()
    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    profile: dict[str, list[float]] = {}

    def one_at_a_time(environ, start_response):  # type: ignore[no-untyped-def]
        if environ.get("PATH_INFO") == "/moto-profile":
            with lock:
                if environ.get("REQUEST_METHOD") == "DELETE":
                    profile.clear()
                body = json.dumps({op: {"requests": int(n), "seconds": round(t, 3)} for op, (n, t) in sorted(profile.items())}).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        with lock:
            # The whole response is produced under the lock: moto computes it lazily.
            began = time.perf_counter()
            body = list(app(environ, start_response))
            entry = profile.setdefault(operation_of(environ), [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - began
            return body

    run_simple(args.host, args.port, one_at_a_time, threaded=True, request_handler=KeptAliveRequestHandler)


if __name__ == "__main__":
    main()
