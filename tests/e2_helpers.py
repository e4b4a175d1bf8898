"""E2 Setup on a raw test connection: the node sends its E2SetupRequest first on every
connection; a raw client reads it and answers as ranpilot's RIC side does."""

import io
import socket

from ranpilot.oran.e2.ran_functions import answer_setup
from ranpilot.oran.messages import E2SetupRequest
from ranpilot.oran.wire import Wire


def complete_e2_setup(raw: socket.socket, wire: Wire | None = None) -> E2SetupRequest:
    """Read the node's E2SetupRequest (unbuffered, so later reads see what follows) and answer it."""
    wire = wire or Wire()
    frame = wire.read(raw.makefile("rb", buffering=0))
    assert isinstance(frame.message, E2SetupRequest), frame
    answer = io.BytesIO()
    wire.write(answer, answer_setup(frame.message), frame.xid)
    raw.sendall(answer.getvalue())
    return frame.message
