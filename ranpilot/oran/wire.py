"""Message framing for network transports: one JSON object a line, {"mtype", "xid", "payload"}.

The message layer (`messages.encode` / `decode`) owns mtype and payload; this layer adds the
transaction id that pairs a reply with its request (RMR's xaction) and the line framing. A
line that does not end in a newline was cut off by a dropped connection and is never decoded.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import BinaryIO

from pydantic import BaseModel, ValidationError

from ranpilot.oran.messages import decode, encode

MAX_LINE = 32 * 1024 * 1024  # a twin state of a 57-cell, 2,850-UE network is about 0.4 MB


@dataclass
class Frame:
    mtype: int
    xid: str
    message: BaseModel


class FrameError(ValueError):
    """A complete line that is not a valid message; carries what could be read of it."""

    def __init__(self, reason: str, mtype: int | None = None, xid: str = "", request_id: str = ""):
        super().__init__(reason)
        self.mtype, self.xid, self.request_id = mtype, xid, request_id


def to_line(message: BaseModel, xid: str = "") -> bytes:
    return (json.dumps({**encode(message), "xid": xid}, separators=(",", ":")) + "\n").encode()


def read_frame(stream: BinaryIO) -> Frame | None:
    """The next frame; None when the stream ended (cleanly or mid-line). Raises FrameError."""
    line = stream.readline(MAX_LINE + 1)
    if not line.endswith(b"\n"):
        if len(line) > MAX_LINE:
            raise ConnectionError(f"a frame longer than {MAX_LINE} bytes")
        return None
    try:
        data = json.loads(line)
        header = (int(data["mtype"]), str(data.get("xid", "")))
    except (ValueError, KeyError, TypeError) as exc:
        raise FrameError(f"not a framed message: {exc}") from exc
    try:
        return Frame(header[0], header[1], decode(data))
    except KeyError:
        raise FrameError(f"unknown mtype {header[0]}", *header) from None
    except ValidationError as exc:
        payload = data.get("payload")
        request_id = str(payload.get("request_id", "")) if isinstance(payload, dict) else ""
        raise FrameError(f"invalid payload for mtype {header[0]}: {exc}", *header, request_id) from None


class StreamPeer:
    """The sending side of a connection; sends from several threads never interleave."""

    def __init__(self, stream: BinaryIO):
        self._stream, self._lock = stream, threading.Lock()

    def send(self, message: BaseModel, xid: str = "") -> None:
        with self._lock:
            self._stream.write(to_line(message, xid))
            self._stream.flush()
