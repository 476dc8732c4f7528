"""Another issuer's web server, for verifier tests: a real HTTP server on loopback that
serves the documents a test puts on it, so the verifier fetches them through fetch.py as
it would from the internet (VERIFIER_ALLOW_PRIVATE_ADDRESSES lets it reach loopback)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class IssuerSite:
    """Documents by path, each with the status it answers with."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[int, bytes, str]] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, content_type = site.documents.get(
                    self.path, (404, b"not found", "text/plain")
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def did(self) -> str:
        """The did:web of this site's root path `issuer` (did.json at /issuer/did.json)."""
        return f"did:web:127.0.0.1%3A{self.server.server_address[1]}:issuer"

    def put(self, path: str, document: Any, *, status: int = 200) -> str:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.documents[path] = (status, body, "application/ld+json")
        return f"{self.url}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
