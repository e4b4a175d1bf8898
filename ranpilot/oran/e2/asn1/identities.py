"""The E2SM common identities ranpilot's node uses (E2SM clause 6.2.3): PLMN 001-01, UE id
gNB-DU-UEID whose gNB-CU-UE-F1AP-ID is ranpilot's UE number, and NR CGIs whose NR cell identity
is ranpilot's cell number."""

from __future__ import annotations

from ranpilot.oran.e2.asn1.codec import E2apError, decode_type, encode_type

PLMN = bytes.fromhex("00f110")  # MCC 001, MNC 01 (test network)


def ue_id(number: int) -> tuple:
    return ("gNB-DU-UEID", {"gNB-CU-UE-F1AP-ID": number})


def ue_number(ue: tuple | None) -> int:
    """ranpilot's UE number in a UEID: its gNB-CU-UE-F1AP-ID (gNB-DU-UEID, or gNB-UEID's first)."""
    if ue is None:
        raise E2apError("no UE id where one is needed")
    kind, value = ue
    if kind == "gNB-DU-UEID":
        return value["gNB-CU-UE-F1AP-ID"]
    if kind == "gNB-UEID" and value.get("gNB-CU-UE-F1AP-ID-List"):
        return value["gNB-CU-UE-F1AP-ID-List"][0]["gNB-CU-UE-F1AP-ID"]
    raise E2apError(f"UE id {kind} without a gNB-CU-UE-F1AP-ID is not read by ranpilot")


def nr_cgi(cell: int) -> bytes:
    """The APER NR-CGI of a cell."""
    return encode_type("NR-CGI", {"pLMNIdentity": PLMN, "nRCellIdentity": ((cell << 4).to_bytes(5, "big"), 36)})


def cell_of(data: bytes) -> int:
    """The cell number (NR cell identity) in APER NR-CGI bytes."""
    return int.from_bytes(decode_type("NR-CGI", data)["nRCellIdentity"][0], "big") >> 4
