"""A real HTTP client for the live server: whole bodies read off the socket, cookies kept, login through the form.

The Flask test client calls the app in-process and buffers streamed bodies inside the request's context, so it
cannot see a body that breaks once the view has returned; this client sees what a browser or curl would.
"""

from __future__ import annotations

import http.client
import re
import secrets
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class LiveResponse:
    """A response whose body was read to the end."""

    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class LiveClient:
    """One browser-like visitor of the live server (its own cookies, Secure ones included, as on 127.0.0.1)."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict | None = None, files: dict[str, tuple[str, bytes]] | None = None
    ) -> LiveResponse:
        """Send one request on a fresh connection and read the whole body (an unfinished body raises).

        `files` ({field: (file name, bytes)}) sends the form as multipart/form-data, as a file upload does."""
        headers = {"Accept-Language": "fr"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if files is not None:
            body, headers["Content-Type"] = _multipart(form or {}, files)
        elif form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()  # http.client raises IncompleteRead if the stream stops short
            for header in response.headers.get_all("Set-Cookie") or ():
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["expires"] != "Thu, 01 Jan 1970 00:00:00 GMT":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return LiveResponse(response.status, response.headers, data)
        finally:
            conn.close()

    def get(self, path: str) -> LiveResponse:
        return self.request("GET", path)

    def post(self, path: str, form: dict, files: dict[str, tuple[str, bytes]] | None = None) -> LiveResponse:
        """POST a form (the caller adds a csrf_token field when the app asks for one), with files if given."""
        return self.request("POST", path, form, files)

    def csrf_token(self, path: str) -> str:
        """The CSRF token of the form on the page at `path`."""
        found = _CSRF_INPUT.search(self.get(path).text)
        assert found, f"no form with a CSRF token on {path}"
        return found.group(1)

    def log_in(self, email: str, password: str) -> None:
        """Log in through the real login form, as a person would."""
        page = self.get("/login")
        token = _CSRF_INPUT.search(page.text)
        form = {"email": email, "password": password}
        if token:
            form["csrf_token"] = token.group(1)
        response = self.post("/login", form)
        assert response.status == 302, f"login failed ({response.status})"


def _multipart(form: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body of the fields and files, and its Content-Type."""
    boundary = "----repairlab" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in form.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
