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
it, before applying any (the loop overwrites one backup with an identical copy): a
transaction of 100 actions on one table copied the whole table 100 times. The server copies
each table once per transaction instead: the same backup, a hundredth of the cost. What a
transaction does, and what a cancelled one restores, are unchanged.

The server also sums the time it spends on each operation (DynamoDB and SSM by X-Amz-Target,
S3 by method, LIST and COPY): `GET /moto-profile` answers the totals as JSON, and
`DELETE /moto-profile` starts them afresh. That is where the emulator's time goes at scale (the
bench prints it for the migration alone).

Usage: python moto_serial_server.py -H 127.0.0.1 -p PORT
"""
import argparse
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


def copy_each_table_once_per_transaction() -> None:
    """moto's transaction backup: one deep copy per table and transaction, not one per action."""
    import copy

    import moto.dynamodb.models as models
    from moto.dynamodb.models.table import Table

    class OncePerTable:
        """The `copy` module as moto's DynamoDB models see it; inside a transaction a table is copied once."""

        memo: dict | None = None

        def deepcopy(self, value, memo=None):  # type: ignore[no-untyped-def]
            if self.memo is not None and isinstance(value, Table):
                if id(value) not in self.memo:
                    self.memo[id(value)] = copy.deepcopy(value, memo)
                return self.memo[id(value)]
            return copy.deepcopy(value, memo)

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(copy, name)

    shim = OncePerTable()
    models.copy = shim  # type: ignore[assignment]
    transact = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):  # type: ignore[no-untyped-def]
        # Requests are served one at a time (below), so one memo at a time.
        shim.memo = {}
        try:
            return transact(self, transact_items)
        finally:
            shim.memo = None

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


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
    copy_each_table_once_per_transaction()
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

    run_simple(args.host, args.port, one_at_a_time, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
