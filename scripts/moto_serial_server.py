"""moto's server, one request at a time.

moto's TransactWriteItems deep-copies every table it touches and, when the transaction is
cancelled (a condition failed), puts that copy back in place of the live table
(moto/dynamodb/models/__init__.py, transact_write_items). Its server is threaded, so every
write another request made to that table in the meantime is silently undone: an item moved
by a concurrent transaction reappears at its old key, or disappears. DynamoDB isolates
transactions; serialising requests gives moto the same property. moto holds the GIL for
nearly all of its work anyway, so little throughput is lost. Connections are still served
by threads, so one idle keep-alive connection never blocks the others.

Usage: python moto_serial_server.py -H 127.0.0.1 -p PORT
"""
import argparse
import os
import signal
import sys
import threading

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(0))

    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            # The whole response is produced under the lock: moto computes it lazily.
            return list(app(environ, start_response))

    run_simple(args.host, args.port, one_at_a_time, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
