"""Another issuer's web server on loopback, for verifier tests: it serves DID documents,
credentials and status lists as another installation (or an attacker) would, and can answer
one byte at a time to hold a connection open."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from microcred.badges import keys
from microcred.badges.jsonld import DID_V1, MULTIKEY_V1


class OutsideServer:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.drips: dict[str, float] = {}  # path → seconds between bytes
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                server.hits.append(self.path)
                if self.path in server.drips:
                    server._drip(self, server.drips[self.path])
                    return
                status, body = server.routes.get(self.path, (404, b"not here"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def _drip(handler: BaseHTTPRequestHandler, every: float) -> None:
        """A status line, then headers and a body one byte at a time, for a minute."""
        stop = time.monotonic() + 60
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            handler.wfile.flush()
            for byte in b"Content-Type: application/json\r\n\r\n" + b'{"a": "' + b"x" * 10_000:
                if time.monotonic() > stop:
                    break
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(every)
        except OSError:
            return  # the verifier hung up: what it should do

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def did(self, path: str) -> str:
        return f"did:web:127.0.0.1%3A{self.port}:{path}"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve_json(self, path: str, document: Any, status: int = 200) -> None:
        self.routes[path] = (status, json.dumps(document).encode())

    def publish_did(
        self,
        name: str,
        keypair: keys.KeyPair,
        *,
        controller: str | None = None,
        listed: bool = True,
    ) -> tuple[str, str]:
        """Serve `did:web:127.0.0.1%3A<port>:<name>` with one key; returns (did, method id).
        `controller` writes another DID into the key's controller field, as an attacker
        would."""
        did = self.did(name)
        method = f"{did}#key-1"
        self.serve_json(
            f"/{name}/did.json",
            {
                "@context": [DID_V1, MULTIKEY_V1],
                "id": did,
                "verificationMethod": [
                    {
                        "id": method,
                        "type": "Multikey",
                        "controller": controller or did,
                        "publicKeyMultibase": keys.public_multikey(keypair.public),
                    }
                ],
                "assertionMethod": [method] if listed else [],
            },
        )
        return did, method

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def when(seconds: float, check: Callable[[], bool]) -> bool:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        if check():
            return True
        time.sleep(0.05)
    return check()
