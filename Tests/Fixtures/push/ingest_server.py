#!/usr/bin/env python3
"""A stand-in for Pyroscope's POST /ingest, for diag's --push tests.

Usage: ingest_server.py DIRECTORY [--fail N STATUS] [--always STATUS]
Listens on a random loopback port and prints "ready PORT". Each request is recorded as
DIRECTORY/request-K.json (method, path, query, content type) and DIRECTORY/request-K.body.
The first N requests are answered STATUS (--fail), or every one (--always); the rest 200.
Exits after 120 seconds.
"""
import http.server
import json
import os
import sys
import threading
import urllib.parse

directory = sys.argv[1]
arguments = sys.argv[2:]
fail_count, fail_status, always = 0, 200, None
if arguments[:1] == ["--fail"]:
    fail_count, fail_status = int(arguments[1]), int(arguments[2])
elif arguments[:1] == ["--always"]:
    always = int(arguments[1])
count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        count += 1
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        url = urllib.parse.urlsplit(self.path)
        record = {
            "method": self.command,
            "path": url.path,
            "query": dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True)),
            "contentType": self.headers.get("Content-Type", ""),
        }
        with open(os.path.join(directory, f"request-{count}.body"), "wb") as file:
            file.write(body)
        with open(os.path.join(directory, f"request-{count}.json"), "w") as file:
            json.dump(record, file)
        status = always if always is not None else (fail_status if count <= fail_count else 200)
        answer = b"ok\n" if status == 200 else f"status {status} from the test server\n".encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
threading.Timer(120, server.shutdown).start()
print(f"ready {server.server_address[1]}", flush=True)
server.serve_forever()
