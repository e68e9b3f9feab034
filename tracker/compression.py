"""gzip for pages and other text: a phone on mobile data gets about a tenth of the bytes.

Behind a proxy that compresses (nginx's gzip), responses arrive here already encoded
or the proxy leaves them be; served straight from gunicorn, this does the work.

BREACH (guessing a secret in a compressed page from its size) needs the secret
compressed together with text the attacker controls, in many responses carrying the
same secret. In a precompressed page each filled-in piece (the CSRF token among them)
is compressed on its own, so nothing else on the page shares its window; a page
compressed whole carries a token signed with the current second, which no attacker
can use without its signature, and that changes every second.
"""
import gzip
import re
import struct
import zlib
from collections.abc import Iterable

from flask import Flask, request

COMPRESSIBLE = {
    "text/html", "text/css", "text/csv", "text/plain", "application/json",
    "application/javascript", "text/javascript", "image/svg+xml",
}
MIN_BYTES = 1024  # below about a kilobyte gzip saves less than its own framing costs
# Level 3 writes within a tenth of level 6's size in 40% of its time: an 84 KB role page
# becomes 7.2 KB in 0.37 ms (6.5 KB in 0.96 ms at 6), measured on the benchmark's page.
LEVEL = 3


def wants_gzip() -> bool:
    return bool(request.accept_encodings.quality("gzip"))


def compress_response(response):
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough  # files sent as they are, e.g. static files
        or response.is_streamed
        or response.status_code < 200
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
        or not wants_gzip()
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    return response


# A gzip member's header (no name, no time, unknown OS) and a final empty deflate block.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_LAST_BLOCK = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS).flush()


def _deflated_piece(data: bytes) -> bytes:
    """Raw deflate of data, ended on a byte boundary and referring to nothing before it,
    so that such pieces placed one after another form a single valid deflate stream."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


class PrecompressedPage:
    """A page with holes for what differs per request (a CSRF token, the reader's own bit
    of the navigation), its fixed pieces compressed once: a shared page then costs a few
    tiny compressions per request instead of compressing 80 KB."""

    def __init__(self, page: str, holes: Iterable[str]):
        holes = tuple(holes)
        pattern = re.compile("|".join(map(re.escape, holes))) if holes else None
        self._pieces = [piece.encode() for piece in (pattern.split(page) if pattern else [page])]
        self._holes = tuple(pattern.findall(page)) if pattern else ()
        self._deflated = [_deflated_piece(piece) for piece in self._pieces]

    def body(self, fillers: dict[str, str], gzipped: bool) -> bytes:
        """The page with each hole filled from `fillers`, gzipped when asked."""
        filled = {hole: text.encode() for hole, text in fillers.items()}
        plain = b"".join(_interleave(self._pieces, [filled[hole] for hole in self._holes]))
        if not gzipped:
            return plain
        deflated = {hole: _deflated_piece(data) for hole, data in filled.items()}
        stream = b"".join(_interleave(self._deflated, [deflated[hole] for hole in self._holes])) + _LAST_BLOCK
        return _GZIP_HEADER + stream + struct.pack("<II", zlib.crc32(plain), len(plain) & 0xFFFFFFFF)


def _interleave(pieces: list[bytes], fillings: list[bytes]):
    """pieces[0], fillings[0], pieces[1], ... (one more piece than fillings)."""
    yield pieces[0]
    for filling, piece in zip(fillings, pieces[1:]):
        yield filling
        yield piece


def init_app(app: Flask) -> None:
    app.after_request(compress_response)
