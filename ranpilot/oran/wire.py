"""The two wires the O-RAN messages travel on, and their framing on a byte stream.

- `json` (`Wire`, the default): ranpilot's co-simulation protocol. Payloads are the message
  layer's JSON (`messages.encode` / `decode`); on a stream, one JSON object a line,
  {"mtype", "xid", "payload"}. A line that does not end in a newline was cut off by a dropped
  connection and is never decoded.
- `asn1` (`E2apWire`): the E2 messages (E2 Setup, RIC subscription, indication, control: mtypes 12001-12050)
  travel as E2AP PDUs in aligned PER with E2SM-KPM / E2SM-RC payloads, as e2term forwards them
  (`ranpilot.oran.e2.asn1`); A1 messages and ranpilot's extensions keep their JSON payload. On a
  stream, binary frames as RMR carries a message: mtype (4 bytes, big-endian), transaction id
  (1 length byte, then ASCII), payload (4 length bytes, then the payload). A KPM indication
  leaves as one PDU per measured object (`e2sm_kpm.merge` joins them again).

The message layer owns mtype and payload; the framing adds the transaction id that pairs a reply
with its request (RMR's xaction).
"""

from __future__ import annotations

import json
import struct
import threading
from dataclasses import dataclass
from typing import BinaryIO

from pydantic import BaseModel, ValidationError

from ranpilot.oran.e2.asn1.codec import E2apError
from ranpilot.oran.e2.asn1.session import E2apSession
from ranpilot.oran.messages import (
    MTYPE_OF, RIC_CONTROL_ACK, RIC_CONTROL_FAILURE, RIC_CONTROL_REQ, RIC_E2_SETUP_FAILURE, RIC_E2_SETUP_REQ,
    RIC_E2_SETUP_RESP, RIC_INDICATION, RIC_SUB_FAILURE, RIC_SUB_REQ, RIC_SUB_RESP, decode, encode,
)

MAX_LINE = 32 * 1024 * 1024  # a twin state of a 57-cell, 2,850-UE network is about 0.4 MB
WIRES = ("json", "asn1")
E2_MTYPES = frozenset({RIC_SUB_REQ, RIC_SUB_RESP, RIC_SUB_FAILURE, RIC_CONTROL_REQ, RIC_CONTROL_ACK,
                       RIC_CONTROL_FAILURE, RIC_INDICATION, RIC_E2_SETUP_REQ, RIC_E2_SETUP_RESP, RIC_E2_SETUP_FAILURE})
_HEADER, _LENGTH = struct.Struct(">IB"), struct.Struct(">I")


@dataclass
class Frame:
    mtype: int
    xid: str
    message: BaseModel


class FrameError(ValueError):
    """A complete frame that is not a valid message; carries what could be read of it."""

    def __init__(self, reason: str, mtype: int | None = None, xid: str = "", request_id: str = ""):
        super().__init__(reason)
        self.mtype, self.xid, self.request_id = mtype, xid, request_id


class WireMismatch(ConnectionError):
    """The peer speaks the other wire (the connection cannot continue)."""


class Wire:
    """The JSON wire. `payloads` / `message` are the payload bytes of each mtype (what RMR carries);
    `write` / `read` frame them on a stream."""

    name = "json"

    def payloads(self, message: BaseModel, xid: str = "") -> list[tuple[int, bytes]]:
        """(mtype, payload) of each transport message that carries `message`."""
        wire = encode(message)
        return [(wire["mtype"], json.dumps(wire["payload"], separators=(",", ":")).encode())]

    def message(self, mtype: int, payload: bytes, xid: str = "") -> BaseModel:
        """The message in one payload. Raises KeyError (unknown mtype), ValueError (not JSON, not
        E2AP) or pydantic.ValidationError (a payload that is not the mtype's message)."""
        return decode({"mtype": mtype, "payload": json.loads(payload)})

    def write(self, stream: BinaryIO, message: BaseModel, xid: str = "") -> None:
        stream.write((json.dumps({**encode(message), "xid": xid}, separators=(",", ":")) + "\n").encode())

    def read(self, stream: BinaryIO) -> Frame | None:
        """The next frame; None when the stream ended (cleanly or mid-line). Raises FrameError."""
        if (stream.peek(1) if hasattr(stream, "peek") else b"")[:1] == b"\x00":  # before waiting for a newline
            raise WireMismatch("a binary E2AP frame on the json wire: both ends need the same wire")
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


class E2apWire(Wire):
    """The ASN.1 wire: E2 messages as E2AP (one `E2apSession` per connection end; `meid` is the
    node's, for the node end)."""

    name = "asn1"

    def __init__(self, meid: str = ""):
        self.session = E2apSession(meid)

    def payloads(self, message: BaseModel, xid: str = "") -> list[tuple[int, bytes]]:
        mtype = MTYPE_OF[type(message)]
        if mtype not in E2_MTYPES:
            return super().payloads(message, xid)
        return [(mtype, pdu) for pdu in self.session.encode(message, xid)]

    def message(self, mtype: int, payload: bytes, xid: str = "") -> BaseModel:
        if mtype not in E2_MTYPES:
            return super().message(mtype, payload, xid)
        message = self.session.decode(payload, xid)
        if MTYPE_OF[type(message)] != mtype:
            raise E2apError(f"mtype {mtype} carries a {type(message).__name__}")
        return message

    def write(self, stream: BinaryIO, message: BaseModel, xid: str = "") -> None:
        tag = xid.encode()
        stream.write(b"".join(_HEADER.pack(mtype, len(tag)) + tag + _LENGTH.pack(len(payload)) + payload
                              for mtype, payload in self.payloads(message, xid)))

    def read(self, stream: BinaryIO) -> Frame | None:
        head = stream.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return None
        if head[0] != 0:  # mtypes are below 2**24
            raise WireMismatch("not an E2AP frame (a JSON line?) on the asn1 wire: both ends need the same wire")
        mtype, tag_length = _HEADER.unpack(head)
        tag, length = stream.read(tag_length), stream.read(_LENGTH.size)
        if len(tag) < tag_length or len(length) < _LENGTH.size:
            return None
        size = _LENGTH.unpack(length)[0]
        if size > MAX_LINE:
            raise ConnectionError(f"a frame longer than {MAX_LINE} bytes")
        payload, xid = stream.read(size), tag.decode(errors="replace")
        if len(payload) < size:
            return None
        try:
            return Frame(mtype, xid, self.message(mtype, payload, xid))
        except KeyError:
            raise FrameError(f"unknown mtype {mtype}", mtype, xid) from None
        except (ValueError, ValidationError) as exc:  # E2apError is a ValueError
            request = self.session.request_name(payload) if mtype in E2_MTYPES else ""
            raise FrameError(f"invalid payload for mtype {mtype}: {exc}", mtype, xid, request) from None


def make_wire(name: str, meid: str = "") -> Wire:
    """A wire by name (`json` or `asn1`); ValueError for another name."""
    if name not in WIRES:
        raise ValueError(f"unknown wire {name!r}: expected one of {', '.join(WIRES)}")
    return E2apWire(meid) if name == "asn1" else Wire()


def cross(message: BaseModel, sender: Wire, receiver: Wire, xid: str = "") -> list[BaseModel]:
    """`message` as the receiving end reads it after it crossed from `sender` (in-process runtimes)."""
    return [receiver.message(mtype, payload, xid) for mtype, payload in sender.payloads(message, xid)]


def read_frame(stream: BinaryIO, wire: Wire | None = None) -> Frame | None:
    """The next frame on the stream (JSON wire by default); None at its end. Raises FrameError."""
    return (wire or Wire()).read(stream)


class StreamPeer:
    """The sending side of a connection; sends from several threads never interleave."""

    def __init__(self, stream: BinaryIO, wire: Wire | None = None):
        self._stream, self._lock, self.wire = stream, threading.Lock(), wire or Wire()

    def send(self, message: BaseModel, xid: str = "") -> None:
        with self._lock:
            self.wire.write(self._stream, message, xid)
            self._stream.flush()
