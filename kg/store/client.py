"""A small SPARQL 1.1 Protocol client on urllib, for the remote store (`kg.store.remote`).

Queries and updates are POSTed with a timeout; HTTP digest (what Virtuoso asks for) or basic
authentication answers the server's challenge and is then sent up front, so a large update is
sent once; failures become `StoreError` (or `QueryError` for a query the engine rejects), naming
the endpoint.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.client import HTTPResponse
from typing import Any

from kg.errors import QueryError, StoreError

#: Bodies larger than this are not sent before the server's auth challenge is known.
PROBE_BYTES = 64 * 1024
_HASHES: dict[str, Callable[[bytes], Any]] = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
# Virtuoso appends the query it compiled to its error messages: keep only the message.
_ECHOED_QUERY = re.compile(r"\n\s*SPARQL query:.*", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


class Credentials:
    """A user and password, answered to each endpoint's HTTP digest or basic challenge."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self._challenges: dict[str, dict[str, str]] = {}
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def known(self, url: str) -> bool:
        """Tell whether this endpoint's challenge (or that it needs none) is known."""
        return url in self._challenges

    def learn(self, url: str, header: str | None) -> bool:
        """Remember an endpoint's `WWW-Authenticate` challenge; False if none we can answer."""
        scheme, _, rest = (header or "").strip().partition(" ")
        with self._lock:
            if scheme.lower() == "basic":
                self._challenges[url] = {"scheme": "basic"}
                return True
            if scheme.lower() == "digest":
                params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
                if params.get("algorithm", "MD5").upper() not in _HASHES or "nonce" not in params:
                    return False
                self._challenges[url] = {"scheme": "digest", **params}
                self._counts[params["nonce"]] = 0
                return True
        return False

    def no_challenge(self, url: str) -> None:
        """Remember that an endpoint answered without asking for credentials."""
        self._challenges.setdefault(url, {"scheme": ""})

    def header(self, url: str, method: str) -> str | None:
        """Return the `Authorization` header for a request to `url`, once its challenge is known."""
        with self._lock:
            challenge = self._challenges.get(url)
            if not challenge or not challenge["scheme"]:
                return None
            if challenge["scheme"] == "basic":
                token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
                return f"Basic {token}"
            nonce = challenge["nonce"]
            self._counts[nonce] = count = self._counts.get(nonce, 0) + 1
        digest = _HASHES[challenge.get("algorithm", "MD5").upper()]

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()

        parts = urllib.parse.urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        realm = challenge.get("realm", "")
        ha1, ha2 = h(f"{self.user}:{realm}:{self.password}"), h(f"{method}:{uri}")
        fields = {"username": self.user, "realm": realm, "nonce": nonce, "uri": uri,
                  "algorithm": challenge.get("algorithm", "MD5")}
        if "opaque" in challenge:
            fields["opaque"] = challenge["opaque"]
        qops = [q.strip() for q in challenge.get("qop", "").split(",")]
        if "auth" in qops:
            nc, cnonce = f"{count:08x}", os.urandom(8).hex()
            fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            text = ", ".join(f'{k}="{v}"' for k, v in fields.items())
            return f"Digest {text}, qop=auth, nc={nc}, cnonce=\"{cnonce}\""
        fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
        return "Digest " + ", ".join(f'{k}="{v}"' for k, v in fields.items())


def engine_message(body: bytes) -> str:
    """Return the readable part of an engine's error body (no echoed query, no HTML tags).

    >>> engine_message(b"Virtuoso 37000 Error SP030: syntax error\\n\\nSPARQL query:\\nSELECT")
    'Virtuoso 37000 Error SP030: syntax error'
    """
    text = _TAGS.sub(" ", _ECHOED_QUERY.sub("", body.decode("utf-8", errors="replace")))
    return " ".join(text.split())[:500]


class SparqlClient:
    """Query and update endpoints of one SPARQL 1.1 engine, with credentials and a timeout."""

    def __init__(self, query_url: str, update_url: str = "", user: str = "", password: str = "",
                 timeout: float = 20.0) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout
        self.credentials = Credentials(user, password) if user else None
        #: The `Server` header of the last answer (Virtuoso says `Virtuoso/07.20...`).
        self.server = ""
        self._opener = urllib.request.build_opener()  # no auth handlers: Credentials answers

    def query(self, text: str, accept: str, params: list[tuple[str, str]] | None = None) -> HTTPResponse:
        """POST a query (form-encoded, with protocol parameters); return the open response.

        Raises:
            QueryError: the engine rejected the query (HTTP 400), with its message.
            StoreError: the endpoint is unreachable, too slow, refuses the credentials, or failed.
        """
        body = urllib.parse.urlencode([("query", text), *(params or [])]).encode("utf-8")
        return self._send(self.query_url, body, "application/x-www-form-urlencoded", accept, QueryError)

    def update(self, text: str) -> None:
        """POST a SPARQL Update and wait for it to finish.

        Raises:
            StoreError: the endpoint is unreachable, too slow, refuses the update or the credentials.
        """
        with self._send(self.update_url, text.encode("utf-8"), "application/sparql-update; charset=utf-8",
                        "*/*", StoreError) as response, self.reading(self.update_url):
            response.read()

    @contextlib.contextmanager
    def reading(self, url: str) -> Iterator[None]:
        """Turn a timeout or a dropped connection while an answer is read into StoreError."""
        try:
            yield
        except TimeoutError:
            raise StoreError(f"the SPARQL engine at {url} did not answer within {self.timeout:g} s") from None
        except (ConnectionError, urllib.error.URLError) as error:
            raise StoreError(f"lost the connection to the SPARQL engine at {url}: {error}") from None

    def _send(self, url: str, body: bytes, content_type: str, accept: str,
              rejected: type[Exception]) -> HTTPResponse:
        """Send a request, answering one auth challenge; map failures to our errors."""
        credentials = self.credentials
        if credentials and not credentials.known(url) and len(body) > PROBE_BYTES:
            self._attempt(url, b"", content_type, accept, rejected, probe=True)
        for _attempt in range(2):
            headers = {"Content-Type": content_type, "Accept": accept, "User-Agent": "equal-kg"}
            authorization = credentials.header(url, "POST") if credentials else None
            if authorization:
                headers["Authorization"] = authorization
            response = self._attempt(url, body, content_type, accept, rejected, headers=headers)
            if response is not None:
                if credentials:
                    credentials.no_challenge(url)
                return response
        raise StoreError(f"{url} refused the credentials of user {credentials.user if credentials else ''!r} "
                         "(HTTP 401): check KG_STORE_USER and KG_STORE_PASSWORD")

    def _attempt(self, url: str, body: bytes, content_type: str, accept: str, rejected: type[Exception],
                 headers: dict[str, str] | None = None, probe: bool = False) -> HTTPResponse | None:
        """Make one request; None when it was answered by an auth challenge worth retrying."""
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers=headers or {"Content-Type": content_type, "Accept": accept})
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            with error:
                message = engine_message(error.read(4096))
                challenge = error.headers.get("WWW-Authenticate")
            self.server = error.headers.get("Server", self.server)
            if error.code == 401:
                if self.credentials is None:
                    raise StoreError(f"{url} asks for credentials (HTTP 401): set KG_STORE_USER and "
                                     "KG_STORE_PASSWORD") from None
                if not self.credentials.learn(url, challenge) and not probe:
                    raise StoreError(f"{url} asks for an authentication we do not speak: {challenge}") from None
                return None  # answered on the next attempt, with the challenge learned
            if probe:
                return None
            if error.code == 400:
                raise rejected(f"the SPARQL engine at {url} refused the request: {message}") from None
            if error.code == 403:
                raise StoreError(f"{url} does not allow this (HTTP 403): {message}") from None
            raise StoreError(f"the SPARQL engine at {url} failed (HTTP {error.code}): {message}") from None
        except TimeoutError:
            raise StoreError(f"the SPARQL engine at {url} did not answer within {self.timeout:g} s") from None
        except (urllib.error.URLError, ConnectionError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {reason}") from None
        self.server = response.headers.get("Server", self.server)
        if probe:
            response.close()
            return None
        return response
