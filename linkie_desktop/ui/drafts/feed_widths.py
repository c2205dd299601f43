"""The widths the preview's attachments are laid out at, for the Desktop or Mobile feed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Widths:
    """Media run edge to edge of the feed's card (LinkedIn's 555 px column on desktop, a 375 px
    phone); polls and link cards sit in the text column, inset like the text."""

    edge: int
    column: int
    widest_edge: int  # pictures are decoded for the widest layout: switching never re-decodes
