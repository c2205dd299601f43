"""Link cards: a page's title, description, image and site, read from its own metadata.

LinkedIn does not fetch a page for posts made through the API (LINKEDIN-API.md, link card): the
card shows exactly what we send. So Linkie reads it: OpenGraph first (`og:title`, ...), then the
Twitter card (`twitter:title`, ...), then the page's `<title>` and `<meta name="description">`.

Pages are strangers' servers, so every fetch is bounded: one deadline over the whole request,
redirects included (services/http_deadline.py); at most `MAX_REDIRECTS` redirects, http and https
only; only the media types asked for; and at most `max_bytes` of the answer, decoded, read off
the socket. A page is read only up to its `</head>` (or `<body>`): that is where metadata lives.
The bounded read happens in a response hook of the client from `web_client()`, because the hook
runs inside `request_within`, under its deadline, before httpx would read the whole answer.

Every failure is a `LinkPreviewError` (a `ValidationError`: the user can act on it, typing the
card by hand at worst) in plain words. httpx is imported where a request is made, as in
services/linkedin.py: a screen that only shows a card imports none of it.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path
from socket import gaierror
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from linkie_desktop.domain.images import open_checked_image
from linkie_desktop.domain.post_content import MAX_MEDIA_TITLE_CHARS, validate_link_url
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.text import first_unstorable, is_blank
from linkie_desktop.private_files import private_folder

if TYPE_CHECKING:
    import httpx

# The fetched text is shortened to fit, at a word, so a card never starts out over a limit: the
# title to the card's limit, the description to 256 characters, the limit LinkedIn's Share API
# published for a shared link's description (its title's was 200, as ours); the feed cuts them
# near ~200 / ~300 characters anyway.
MAX_TITLE_CHARS = MAX_MEDIA_TITLE_CHARS
MAX_DESCRIPTION_CHARS = 256
MAX_SITE_NAME_CHARS = 100
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT_S = 10.0
# Metadata sits in <head>, which real pages keep well under this; the rest of a page is not read.
DEFAULT_MAX_PAGE_BYTES = 1_048_576
# A card's thumbnail is a small picture (LinkedIn suggests 1200×627); a larger file is no thumbnail.
MAX_THUMBNAIL_BYTES = 10_000_000

_WEB_SCHEMES = ("http", "https")
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
# Where <head> ends: its end tag, or the body starting when a page leaves the end tag out.
_HEAD_OVER = re.compile(rb"</head|<body", re.IGNORECASE)
# <meta charset="..."> and <meta http-equiv="Content-Type" content="text/html; charset=...">.
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE
)
# The WHATWG Encoding Standard reads these labels as windows-1252, as browsers do: 0x80-0x9F are
# letters such as € and ’ there, but control characters in Latin-1.
_READ_AS_WINDOWS_1252 = frozenset({"iso8859-1", "ascii"})
_HOOK_RULE = "linkie_body_rule"  # the request extension that carries a fetch's `_Wanted`


class LinkPreviewError(ValidationError):
    """The card could not be filled from the page; the message says why, in plain words."""


@dataclass(frozen=True)
class LinkPreview:
    """What a link card shows. `url` is the page's address after redirects."""

    url: str
    title: str
    description: str
    image_url: str | None
    site_name: str | None


@dataclass(frozen=True)
class _Wanted:
    """What one fetch accepts, and the words its messages use."""

    noun: str  # "That page", "The card's image"
    types: tuple[str, ...]  # media types taken; one ending in "/" takes all of its kind
    accept: str  # the Accept header
    wrong_type: str  # a message with {media_type}
    max_bytes: int  # of the decoded answer
    whole: bool  # an answer over max_bytes is refused (an image), else read as far as that (a page)
    stop_at_head: bool

    def __post_init__(self) -> None:
        if self.max_bytes < 1:  # zlib reads a room of 0 as "no limit"
            raise ValueError(f"max_bytes must be at least 1, not {self.max_bytes}")

    @property
    def read_limit(self) -> int:
        return self.max_bytes + 1 if self.whole else self.max_bytes  # +1 tells one over the cap

    def takes(self, media_type: str) -> bool:
        return any(
            media_type.startswith(kind) if kind.endswith("/") else media_type == kind
            for kind in self.types
        )


# --- fetching ---------------------------------------------------------------------------------


def web_client() -> httpx.Client:
    """A client for `fetch_link_card` and `download_thumbnail`: the whole-request deadline, the
    bounded read and the redirect limit. Pass one to fetch several things on one connection pool;
    without one, each call makes its own."""
    from linkie_desktop import DISPLAY_NAME, __version__
    from linkie_desktop.services.http_deadline import deadline_client

    client = deadline_client(follow_redirects=True)
    client.max_redirects = MAX_REDIRECTS
    client.event_hooks = {"request": [], "response": [_read_bounded_body]}
    # Some sites turn away clients that do not name themselves; compressed answers are declined
    # so the cap counts what is read (one that comes compressed anyway is inflated within it).
    client.headers["User-Agent"] = f"Mozilla/5.0 (compatible; {DISPLAY_NAME}/{__version__})"
    client.headers["Accept-Encoding"] = "identity"
    return client


def fetch_link_card(
    url: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_PAGE_BYTES,
    client: httpx.Client | None = None,
) -> LinkPreview:
    """The card for the page at `url`, from its metadata. LinkPreviewError in plain words when
    the page cannot be read or has no title (a missing image is no error: image_url is None)."""
    wanted = _Wanted(
        noun="That page",
        types=_PAGE_TYPES,
        accept="text/html, application/xhtml+xml, */*;q=0.1",
        wrong_type="That address is not a web page (it is {media_type}).",
        max_bytes=max_bytes,
        whole=False,
        stop_at_head=True,
    )
    response = _fetch(web_address(url), wanted, timeout_s, client)
    body = response.content
    card = parse_card(body, str(response.url), response.charset_encoding)
    if card is None:
        where = f" in its first {_size_words(max_bytes)}" if _cut_short(body, max_bytes) else ""
        raise LinkPreviewError(f"That page has no title{where}; type one for the card.")
    return card


def download_thumbnail(
    image_url: str,
    dest_folder: Path,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = MAX_THUMBNAIL_BYTES,
    client: httpx.Client | None = None,
) -> Path:
    """Fetch the card's image into a new private file in `dest_folder` and return its path.

    The file is a whole PNG, JPEG or GIF within LinkedIn's pixel limit (domain/images.py), since
    it goes through the Images API; anything else is refused and nothing is left behind.
    """
    wanted = _Wanted(
        noun="The card's image",
        types=("image/",),
        accept="image/png, image/jpeg, image/gif, */*;q=0.1",
        wrong_type="The card's image address is not an image (it is {media_type}).",
        max_bytes=max_bytes,
        whole=True,
        stop_at_head=False,
    )
    response = _fetch(web_address(image_url), wanted, timeout_s, client)
    image = response.content
    if len(image) > max_bytes:  # no Content-Length said so beforehand
        raise _too_big(max_bytes)
    return _save_checked_image(image, dest_folder)


def web_address(text: str) -> str:
    """`text` as an address a link card may hold (domain/post_content.py); a pasted
    `example.com/page` without its scheme is taken as https."""
    address = text.strip()
    if not address:
        raise LinkPreviewError("Paste a web address first.")
    if not urlsplit(address).scheme:
        address = f"https://{address.removeprefix('//')}"
    try:
        return validate_link_url(address)
    except ValidationError as exc:
        raise LinkPreviewError(str(exc)) from None


def _fetch(
    url: str, wanted: _Wanted, timeout_s: float, client: httpx.Client | None
) -> httpx.Response:
    import httpx

    from linkie_desktop.services.http_deadline import request_within

    if client is not None and _read_bounded_body not in client.event_hooks["response"]:
        raise TypeError("the client must come from link_preview.web_client()")
    own = client is None
    http = web_client() if client is None else client
    try:
        response = request_within(
            http,
            timeout_s,
            "GET",
            url,
            headers={"Accept": wanted.accept},
            extensions={_HOOK_RULE: wanted},
        )
    except httpx.TimeoutException:
        seconds = "1 second" if timeout_s == 1 else f"{timeout_s:g} seconds"
        raise LinkPreviewError(f"{wanted.noun} did not answer within {seconds}.") from None
    except httpx.TooManyRedirects:
        raise LinkPreviewError(
            f"That address redirects more than {MAX_REDIRECTS} times; open it in a browser "
            "and paste the address it ends at."
        ) from None
    except httpx.ConnectError as exc:
        raise LinkPreviewError(f"Could not reach {_host(exc, url)}: {_reason(exc)}.") from None
    except httpx.InvalidURL:
        raise LinkPreviewError(f"That is not a web address: {url}") from None
    except httpx.TransportError as exc:
        raise LinkPreviewError(
            f"The connection to {_host(exc, url)} broke off: {_reason(exc)}."
        ) from None
    finally:
        if own:
            http.close()
    if not response.is_success:
        raise _status_refused(response, wanted)
    return response


def _read_bounded_body(response: httpx.Response) -> None:
    """The response hook of `web_client()`: the redirect's target checked, the media type checked
    before a byte of the body is read, then at most `read_limit` decoded bytes read.

    It runs inside `request_within`, so the whole-request deadline bounds this read too.
    """
    import httpx

    wanted = response.request.extensions.get(_HOOK_RULE)
    original = response.stream
    if not isinstance(wanted, _Wanted) or not isinstance(original, httpx.SyncByteStream):
        return  # not a fetch of ours (web_client() is a sync client: the second never holds)
    try:
        if response.has_redirect_location:
            _check_redirect(response)
        body = b""  # a redirect's or a refusal's words are not needed
        if response.is_success:
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if not wanted.takes(media_type):
                shown = media_type or "of no stated type"
                raise LinkPreviewError(wanted.wrong_type.format(media_type=shown))
            if wanted.whole and _declared_length(response) > wanted.max_bytes:
                raise _too_big(wanted.max_bytes)
            body = _read_decoded(original, response, wanted)
    finally:
        original.close()
    response.headers.pop("Content-Encoding", None)  # inflated here: httpx must not inflate again
    response.stream = httpx.ByteStream(body)


def _check_redirect(response: httpx.Response) -> None:
    target = urljoin(str(response.url), response.headers["Location"].strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in _WEB_SCHEMES:
        raise LinkPreviewError(
            f"That address redirects to one that is not a web page ({scheme}:); "
            "only web pages make a link card."
        )


def _declared_length(response: httpx.Response) -> int:
    try:
        return int(response.headers.get("Content-Length", "0"))
    except ValueError:
        return 0


def _read_decoded(stream: httpx.SyncByteStream, response: httpx.Response, wanted: _Wanted) -> bytes:
    decode = _decoder(response.headers.get("Content-Encoding", ""), wanted.noun)
    body = bytearray()
    scanned = 0
    for raw in stream:
        body += decode(raw, wanted.read_limit - len(body))
        if len(body) >= wanted.read_limit:
            break
        if wanted.stop_at_head and _HEAD_OVER.search(body, max(scanned - 6, 0)):
            break
        scanned = len(body)
    return bytes(body[: wanted.read_limit])


def _decoder(content_encoding: str, noun: str) -> Callable[[bytes, int], bytes]:
    """What turns the answer's bytes into the page's, giving at most `room` bytes per call: a
    small compressed answer can inflate a thousandfold (a "zip bomb"), so it is inflated within
    the cap instead of by httpx, which would inflate all of it first."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda raw, room: raw[:room]
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise LinkPreviewError(f"{noun} came in a form Linkie cannot read ({encoding}).")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # +32: a gzip or a zlib header

    def inflate(raw: bytes, room: int) -> bytes:
        try:
            return inflater.decompress(raw, room)
        except zlib.error:
            raise LinkPreviewError(f"{noun} arrived damaged; try again later.") from None

    return inflate


def _cut_short(body: bytes, max_bytes: int) -> bool:
    return len(body) >= max_bytes and _HEAD_OVER.search(body) is None


def _too_big(max_bytes: int) -> LinkPreviewError:
    return LinkPreviewError(
        f"The card's image is larger than {_size_words(max_bytes)}; "
        "choose a smaller picture for the thumbnail."
    )


def _size_words(size: int) -> str:
    """10_000_000 -> "10 MB", 1_048_576 -> "1 MB", 65_536 -> "64 KB": the unit that divides it."""
    for unit, scale in (("MB", 1_000_000), ("MB", 1 << 20), ("KB", 1000), ("KB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size:,} bytes"


def _status_refused(response: httpx.Response, wanted: _Wanted) -> LinkPreviewError:
    code = response.status_code
    try:
        phrase = response.reason_phrase or HTTPStatus(code).phrase
    except ValueError:
        phrase = ""
    answered = f"the site answered {code} {phrase}".rstrip()
    if code in (404, 410):
        return LinkPreviewError(f"{wanted.noun} was not found ({answered}); check the address.")
    if code in (401, 403):
        return LinkPreviewError(
            f"{wanted.noun} is not public ({answered}); type the card's details yourself."
        )
    if code >= 500:
        return LinkPreviewError(f"{wanted.noun} could not be read ({answered}); try again later.")
    return LinkPreviewError(f"{wanted.noun} could not be read ({answered}).")


def _host(exc: httpx.RequestError, url: str) -> str:
    try:
        return exc.request.url.host  # after a redirect: the host that failed, not the first
    except RuntimeError:
        return urlsplit(url).hostname or url


def _reason(exc: BaseException) -> str:
    """The words of the OS error beneath httpx's, e.g. "connection refused"."""
    import ssl  # only once something failed: OpenSSL's module need not load with this one

    seen: BaseException | None = exc
    for _ in range(10):  # a chain of causes is short; a cycle in one must not hang this
        if seen is None:
            break
        if isinstance(seen, gaierror):
            return "no site has that name; check the address"
        if isinstance(seen, ssl.SSLCertVerificationError):
            return f"its certificate cannot be trusted ({seen.verify_message})"
        if isinstance(seen, OSError) and seen.strerror:
            return _lower_first(seen.strerror)
        seen = seen.__cause__ or seen.__context__
    return _lower_first(str(exc).rstrip(".")) or "the connection failed"


def _lower_first(words: str) -> str:
    # "Connection refused" -> "connection refused", but "SSL ..." stays as it is.
    if len(words) > 1 and words[0].isupper() and words[1].islower():
        return words[0].lower() + words[1:]
    return words


def _save_checked_image(image: bytes, dest_folder: Path) -> Path:
    """Written under a fresh private name (mkstemp: 0600), checked, then renamed with the suffix
    of its real type, so a half-written or refused file is never found under an image's name."""
    private_folder(dest_folder)
    descriptor, partial_name = tempfile.mkstemp(
        prefix="link-thumbnail-", suffix=".part", dir=dest_folder
    )
    partial = Path(partial_name)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(image)
        with open_checked_image(partial, whole=True) as checked:
            suffix = checked.info.suffix
        target = partial.with_suffix(suffix)
        partial.replace(target)
    except ValidationError as exc:
        partial.unlink(missing_ok=True)
        raise LinkPreviewError(f"The card's image cannot be its thumbnail. {exc}") from None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise LinkPreviewError(
            f"The card's image could not be saved: {exc.strerror or exc}."
        ) from None
    return target


# --- reading the page -------------------------------------------------------------------------


def parse_card(body: bytes, page_url: str, header_charset: str | None = None) -> LinkPreview | None:
    """The card from the start of an HTML page (None when it has no title). `header_charset` is
    the one the Content-Type header named, which wins over the page's own <meta charset>."""
    head = _HeadReader()
    head.read(_decode(body, header_charset))
    title = _first(head, "og:title", "twitter:title") or _clean(head.title or "")
    if not title:
        return None
    image = _first(head, "og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    image = image or _first(head, "twitter:image:src")
    return LinkPreview(
        url=page_url,
        title=_shorten(title, MAX_TITLE_CHARS),
        description=_shorten(
            _first(head, "og:description", "twitter:description", "description"),
            MAX_DESCRIPTION_CHARS,
        ),
        image_url=_absolute_web_url(image, page_url),
        site_name=_shorten(_first(head, "og:site_name"), MAX_SITE_NAME_CHARS) or None,
    )


class _HeadReader(HTMLParser):
    """The <meta> values (by property and by name, the first of each) and the <title> of a
    page's head. Entities are decoded by HTMLParser, in text and in attribute values alike."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self._title_parts: list[str] | None = None
        self._done = False

    def read(self, text: str, piece: int = 64 * 1024) -> None:
        for start in range(0, len(text), piece):
            if self._done:
                break
            self.feed(text[start : start + piece])
        self.close()
        self._end_title()  # a title the cut-off page never closed

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        if tag == "meta":
            values = {name: value for name, value in attrs if value is not None}
            content = values.get("content")
            for key in (values.get("property"), values.get("name")):
                if key and content is not None:
                    self.meta.setdefault(key.strip().lower(), content)
        elif tag == "title" and self.title is None:
            self._title_parts = []
        elif tag == "body":
            self._done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._end_title()
        elif tag == "head":
            self._done = True

    def handle_data(self, data: str) -> None:
        if self._title_parts is not None:
            self._title_parts.append(data)

    def _end_title(self) -> None:
        if self._title_parts is not None:
            self.title = "".join(self._title_parts)
            self._title_parts = None


def _first(head: _HeadReader, *keys: str) -> str:
    """The first of `keys` whose meta value has something to show, cleaned ("" for none)."""
    for key in keys:
        cleaned = _clean(head.meta.get(key, ""))
        if cleaned:
            return cleaned
    return ""


def _clean(text: str) -> str:
    """One line of text: whitespace runs made one space, characters no post may hold dropped,
    and nothing at all when nothing would show."""
    text = " ".join(text[: 8 * MAX_DESCRIPTION_CHARS].split())  # a longer value is cut anyway
    while (found := first_unstorable(text)) is not None:
        text = text.replace(found.char, "")
    return "" if is_blank(text) else text


def _shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word with an ellipsis when it was longer."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def _absolute_web_url(address: str, page_url: str) -> str | None:
    if not address:
        return None
    absolute = urljoin(page_url, address)
    return absolute if urlsplit(absolute).scheme.lower() in _WEB_SCHEMES else None


def _decode(body: bytes, header_charset: str | None) -> str:
    """The page's text, by the HTML rules' order: a byte order mark, the header's charset, a
    <meta> charset; without any, UTF-8 if the bytes are UTF-8, else windows-1252 (as browsers)."""
    for mark, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")):
        if body.startswith(mark):
            return body[len(mark) :].decode(codec, errors="replace")
    if body.startswith(codecs.BOM_UTF16_BE):
        return body[2:].decode("utf-16-be", errors="replace")
    declared = _codec(header_charset)
    if declared is None:
        found = _META_CHARSET.search(body)
        declared = _codec(found.group(1).decode("ascii")) if found else None
        if declared is not None and declared.startswith("utf-16"):
            declared = "utf-8"  # a <meta> read as ASCII cannot be UTF-16: the HTML rules say so
    if declared is not None:
        return body.decode(declared, errors="replace")
    try:
        # final=False: a page cut at the cap may end inside a character; that is still UTF-8.
        return codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None  # a name no codec has: read as if none was given
    return "cp1252" if name in _READ_AS_WINDOWS_1252 else name
