"""A web server of pages for link cards: real HTTP on 127.0.0.1, on the shared LoopbackServer.

Each path is one kind of page the web really has (`server.url(path)` for its address):
- `/articles/og` OpenGraph (and a <title>, a description and Twitter tags it outranks);
  `/articles/twitter` Twitter tags only; `/articles/plain` only <title> and
  <meta name="description">; `/articles/deep/relative` a relative og:image (`../images/card.png`,
  which is `/articles/images/card.png`, a real PNG); `/articles/entities` HTML entities;
  `/articles/untitled` a page with nothing to call it by; `/articles/xhtml` served as XHTML.
- `/articles/latin` windows-1252 bytes under the header `charset=iso-8859-1` (browsers read it as
  windows-1252); `/articles/sjis` Shift_JIS named only in its <meta http-equiv>.
- `/redirect/{n}` redirects n times, then lands on `/articles/og`; `/redirect-to-ftp`.
- `/slow` the OpenGraph page one byte every `TRICKLE_EVERY_S`; `/slow-body` its <head> at once,
  then a body that trickles on; `/huge` and `/huge-untitled` a <head> that never ends (the second
  without a title) written until the client hangs up; `/gzip` the OpenGraph page gzipped although
  the client asked for none; `/gzip-endless` an endless gzipped <head>.
- `/photo.png` a real PNG (also a non-HTML answer); `/big.png` a PNG of `BIG_IMAGE_BYTES` with its
  Content-Length, `/big-unsized.png` the same without one; `/fake.png` "image/png" that is HTML;
  `/no-type` a page without a Content-Type; `/missing` 404; `/broken` 500.

`visits` records each request (path and lower-cased headers); `wait_for_hang_up()` is true once a
client gave up in the middle of a trickled or endless answer. `serve_tls(folder)` (before
`start()`) makes it an https server with a self-signed certificate, which no client trusts.
"""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import ssl
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from io import BufferedIOBase
from pathlib import Path
from typing import Any

from tests.fakes.image_files import png_bytes
from tests.fakes.loopback_http import LoopbackServer

TRICKLE_EVERY_S = 0.05  # the trickled OpenGraph page takes ~40 s; the tests' deadline is ~0.5 s
BIG_IMAGE_BYTES = 200_000
PHOTO = png_bytes(64, 48)

OG_TITLE = "Ship small, ship often"
OG_DESCRIPTION = "Why tiny releases beat big bangs, in five field notes."
OG_IMAGE = "https://cdn.example.test/cards/ship.png"
OG_PAGE = f"""<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>The page title that OpenGraph outranks</title>
<meta name="description" content="The plain description that OpenGraph outranks.">
<meta name="twitter:title" content="The Twitter title that OpenGraph outranks">
<meta property="og:title" content="  Ship small,
      ship often  ">
<meta property="og:description" content="{OG_DESCRIPTION}">
<meta property="og:image" content="{OG_IMAGE}">
<meta property="og:site_name" content="Field Notes">
<meta property="og:url" content="https://example.test/articles/og">
</head>
<body><h1>Ship small</h1><p>{"Words of the article. " * 40}</p></body></html>
""".encode()

TWITTER_PAGE = b"""<!doctype html><html><head>
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="Only a Twitter card">
<meta name="twitter:description" content="Described for Twitter alone.">
<meta name="twitter:image" content="https://cdn.example.test/twitter.jpg">
</head><body>Body text</body></html>
"""

PLAIN_PAGE = b"""<html><head>
<title>
    A page with
    just a title
</title>
<meta name="description" content="  Nothing but the basics.  ">
</head><body><img src="/photo.png"></body></html>
"""

RELATIVE_PAGE = b"""<html><head>
<meta property="og:title" content="A card with a relative image">
<meta property="og:image" content="../images/card.png">
</head><body></body></html>
"""

ENTITIES_PAGE = b"""<html><head>
<title>R&amp;D &lt;notes&gt; &#8212; caf&eacute; &#x1F41F;</title>
<meta property="og:description" content="Tom &amp; Jerry&#39;s &quot;best&quot;&nbsp;&nbsp;bits">
</head><body></body></html>
"""

UNTITLED_PAGE = b"""<html><head>
<meta name="description" content="A description but no title at all.">
<meta property="og:title" content="   ">
<title> \n </title>
</head><body><h1>Not a title</h1></body></html>
"""

XHTML_PAGE = b"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<title>An XHTML page</title>
</head><body/></html>
"""

LATIN_TITLE = "Café crème – à la française"  # the dash is 0x96: windows-1252, not Latin-1
LATIN_PAGE = f"<html><head><title>{LATIN_TITLE}</title></head><body></body></html>".encode("cp1252")

SJIS_TITLE = "東京の朝ごはん"
SJIS_PAGE = (
    b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    + f"<title>{SJIS_TITLE}</title></head><body></body></html>".encode("shift_jis")
)

HUGE_TITLE = "A head that never ends"
HUGE_HEAD = f"<html><head><title>{HUGE_TITLE}</title>".encode()
HUGE_UNTITLED_HEAD = b"<html><head>"
# Comments, not elements: what a huge <head> (inline styles, scripts, JSON) looks like to a reader.
HEAD_FILLER = b"<!-- padding padding padding padding padding padding padding padding -->\n" * 128


def _gzip_without_end() -> tuple[bytes, bytes]:
    """The start of a gzipped <head>, and a block of 1 MiB of spaces packed into ~1 KB that may
    follow it any number of times: each piece ends in a full flush, which forgets what came
    before, so the same bytes inflate the same way wherever they stand."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    start = packer.compress(HUGE_HEAD) + packer.flush(zlib.Z_FULL_FLUSH)
    return start, packer.compress(b" " * (1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)


GZIP_START, GZIP_MEBIBYTE_OF_SPACES = _gzip_without_end()

NOT_FOUND_PAGE = b"<html><head><title>Not found</title></head><body>404</body></html>"
BROKEN_PAGE = b"<html><head><title>Oops</title></head><body>500</body></html>"


@dataclass(frozen=True)
class Visit:
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class _Page:
    body: bytes
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


_PAGES = {
    "/articles/og": _Page(OG_PAGE),
    "/articles/twitter": _Page(TWITTER_PAGE),
    "/articles/plain": _Page(PLAIN_PAGE, "text/html"),
    "/articles/deep/relative": _Page(RELATIVE_PAGE),
    "/articles/entities": _Page(ENTITIES_PAGE),
    "/articles/untitled": _Page(UNTITLED_PAGE),
    "/articles/xhtml": _Page(XHTML_PAGE, "application/xhtml+xml"),
    "/articles/latin": _Page(LATIN_PAGE, "text/html; charset=iso-8859-1"),
    "/articles/sjis": _Page(SJIS_PAGE, "text/html"),
    "/articles/images/card.png": _Page(PHOTO, "image/png"),
    "/gzip": _Page(gzip.compress(OG_PAGE), headers=(("Content-Encoding", "gzip"),)),
    "/photo.png": _Page(PHOTO, "image/png"),
    "/big.png": _Page(PHOTO + b"\0" * (BIG_IMAGE_BYTES - len(PHOTO)), "image/png"),
    "/fake.png": _Page(b"<html><body>I am no picture</body></html>", "image/png"),
    "/no-type": _Page(OG_PAGE, None),
    "/missing": _Page(NOT_FOUND_PAGE, status=404),
    "/broken": _Page(BROKEN_PAGE, status=500),
    "/redirect-to-ftp": _Page(
        b"", status=301, headers=(("Location", "ftp://files.example.test/a"),)
    ),
}


class WebPages(LoopbackServer):
    name = "web-pages"

    def __init__(self) -> None:
        super().__init__()
        self.visits: list[Visit] = []
        self._scheme = "http"
        self._streams: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
            "/slow": self._slow,
            "/slow-body": self._slow_body,
            "/huge": lambda handler: self._endless(handler, HUGE_HEAD),
            "/huge-untitled": lambda handler: self._endless(handler, HUGE_UNTITLED_HEAD),
            "/gzip-endless": self._gzip_endless,
            "/big-unsized.png": self._big_unsized,
        }
        self._listen(_handler_for(self))

    def serve_tls(self, folder: Path) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*_self_signed_certificate(folder))
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._scheme = "https"

    @property
    def base_url(self) -> str:
        return super().base_url.replace("http:", f"{self._scheme}:", 1)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def visited(self, path: str) -> list[Visit]:
        return [visit for visit in self.visits if visit.path == path]

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.visits.append(Visit(handler.path, {k.lower(): v for k, v in handler.headers.items()}))
        stream = self._streams.get(handler.path)
        if stream is not None:
            handler.close_connection = True  # these end by hanging up, not by a length
            stream(handler)
            return
        if handler.path.startswith("/redirect/"):
            left = int(handler.path.removeprefix("/redirect/"))
            target = f"/redirect/{left - 1}" if left > 1 else "/articles/og"
            page = _Page(b"", status=302, headers=(("Location", target),))
        else:
            page = _PAGES.get(handler.path, _Page(NOT_FOUND_PAGE, status=404))
        handler.send_response(page.status)
        if page.content_type is not None:
            handler.send_header("Content-Type", page.content_type)
        for name, value in page.headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(page.body)))
        handler.end_headers()
        handler.wfile.write(page.body)

    def _head(
        self, handler: BaseHTTPRequestHandler, extra: tuple[tuple[str, str], ...] = ()
    ) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in extra:
            handler.send_header(name, value)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.flush()

    def _slow(self, handler: BaseHTTPRequestHandler) -> None:
        self._head(handler)
        self.trickle(handler.wfile, OG_PAGE, TRICKLE_EVERY_S)

    def _slow_body(self, handler: BaseHTTPRequestHandler) -> None:
        head, _, _ = OG_PAGE.partition(b"<body>")
        self._head(handler)
        handler.wfile.write(head)
        handler.wfile.flush()
        self.trickle(handler.wfile, b"<body>" + b"x" * 100_000, TRICKLE_EVERY_S)

    def _endless(self, handler: BaseHTTPRequestHandler, start: bytes) -> None:
        self._head(handler)
        self._write_until_hang_up(handler.wfile, start, lambda: HEAD_FILLER)

    def _gzip_endless(self, handler: BaseHTTPRequestHandler) -> None:
        # A client that inflated what it got without a bound would hold ~1000 times its cap
        # on the answer's bytes: a gigabyte for 1 MB read.
        self._head(handler, (("Content-Encoding", "gzip"),))
        self._write_until_hang_up(handler.wfile, GZIP_START, lambda: GZIP_MEBIBYTE_OF_SPACES)

    def _big_unsized(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Connection", "close")
        handler.end_headers()
        self._write_until_hang_up(handler.wfile, PHOTO, lambda: b"\0" * 65536)

    def _write_until_hang_up(
        self, out: BufferedIOBase, start: bytes, more: Callable[[], bytes]
    ) -> None:
        try:
            out.write(start)
            while not self._stopping.is_set():
                out.write(more())
                out.flush()
        except OSError:  # the client closed its end: it had read all it wanted
            self._hung_up.set()


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key: valid in form, trusted by no one."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "server.crt", folder / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _handler_for(server: WebPages) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server.answer(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
