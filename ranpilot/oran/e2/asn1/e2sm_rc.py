"""E2SM-RC v01.03 payloads for ranpilot's RC controls (RAN function 3, OID `RC_OID`).

One control action travels as control header format 1 (UE id, style, action) and message format
1; several (an atomic `RcControlRequest`) as header format 2 and message format 2, one style item
per run of consecutive actions of one style (at most 63 actions each). RAN parameters:

| control | style / action | RAN parameters (id: meaning, value type) |
| --- | --- | --- |
| `Handover` | 3 / 1 | header UE id gNB-DU-UEID (gNB-CU-UE-F1AP-ID = `ueId`); 1 Target Primary Cell ID > 2 CHOICE Target Cell > 3 NR Cell > 4 NR CGI (OCTET STRING: the APER NR-CGI, PLMN 001-01, NR cell identity = `targetCell`) |
| `SlicePrbQuota` | 2 / 6 | 1 RRM Policy Ratio List > 2 RRM Policy Ratio Group > {3 RRM Policy > 5 Member List > 6 Member > {7 PLMN, 8 S-NSSAI > {9 SST, 10 SD}}, 11 min, 12 max, 13 dedicated PRB policy ratio (INTEGER %)}; ranpilot adds 10001: the cell (INTEGER) |
| `TxPower`, `CellSleep`, `CellIndividualOffset`, `Tilt`, `UePMax`, `MimoPrecoder`, `MimoLayers`, `CsiPrediction` | 1000 (ranpilot) / 1-8 | 1: the cell (INTEGER); 2: the setting in its RC field's unit (REAL dBm, dB, degrees; BOOLEAN asleep, CSI prediction; INTEGER precoder index, layers) |
| `SliceSteering` | 1000 (ranpilot) / 9 | 1: the cell, 2: the slice's SST, 3: the steering preference's index (INTEGER each) |
| `UeSteering`, `UeGuaranteedRate` | 1000 (ranpilot) / 10, 11 | header UE id gNB-DU-UEID (gNB-CU-UE-F1AP-ID = `ueId`) when the control travels alone; 1: the cell, 2: `ueId` (INTEGER), 3: the preference's index (INTEGER) / the guaranteed DL rate (REAL kbit/s) |
| `SsbBeams` | 1000 (ranpilot) / 12 | 1: the cell, 2: the SSB beams swept (INTEGER each) |

The ranpilot style's parameters follow `RC_CODECS` (the RC half of the network's action table):
parameter i is the i-th RC field of the action's codec. Header UE id for cell-level actions:
gNB-DU-UEID 0, as srsRAN sends for a slice quota; a per-UE control alone carries its UE there. A failed control carries ranpilot's cause text
in its control outcome (format 1, RAN parameter 10002, OCTET STRING in UTF-8).
"""

from __future__ import annotations

from pydantic import ValidationError

from ranpilot.oran.e2.asn1.codec import E2apError, decode_type, encode_type
from ranpilot.oran.e2.asn1.identities import PLMN, cell_of, nr_cgi, ue_id, ue_number
from ranpilot.oran.e2.node import RC_CODECS
from ranpilot.oran.messages import ControlAction, Handover, SlicePrbQuota

RC_OID = "1.3.6.1.4.1.53148.1.1.2.3"
CELL_PARAMETER, CAUSE_PARAMETER = 10001, 10002
MAX_ACTIONS_PER_STYLE = 63
_RANPILOT = {codec.control: [(i + 1, rc) for i, rc in enumerate(codec.fields.values())]
             for codec in RC_CODECS.values() if codec.control.model_fields["style"].default == 1000}
_BY_ACTION_ID = {cls.model_fields["action"].default: cls for cls in _RANPILOT}


def ranpilot_parameters(action_id: int) -> tuple[str, list[tuple[int, str]]]:
    """(name, [(RAN parameter id, RC field name)]) of ranpilot's style 1000 control action `action_id`."""
    if action_id not in _BY_ACTION_ID:
        raise E2apError(f"RC style 1000 has no action {action_id}; ranpilot's are {sorted(_BY_ACTION_ID)}")
    control = _BY_ACTION_ID[action_id]
    return control.__name__, _RANPILOT[control]


def control_payloads(actions: list[ControlAction]) -> tuple[bytes, bytes]:
    """(E2SM-RC-ControlHeader, E2SM-RC-ControlMessage) carrying `actions`."""
    if len(actions) == 1:
        action = actions[0]
        header = {"ueID": _ue(action), "ric-Style-Type": action.style, "ric-ControlAction-ID": action.action}
        return (encode_type("E2SM-RC-ControlHeader", {"ric-controlHeader-formats": ("controlHeader-Format1", header)}),
                encode_type("E2SM-RC-ControlMessage", {"ric-controlMessage-formats": (
                    "controlMessage-Format1", {"ranP-List": _parameters(action)})}))
    if any(isinstance(a, Handover) for a in actions):
        raise E2apError("a handover travels alone (its UE is in the control header), not among other actions")
    styles: list[dict] = []
    for action in actions:
        if not styles or styles[-1]["indicated-Control-Style-Type"] != action.style \
                or len(styles[-1]["ric-ControlAction-List"]) == MAX_ACTIONS_PER_STYLE:
            styles.append({"indicated-Control-Style-Type": action.style, "ric-ControlAction-List": []})
        styles[-1]["ric-ControlAction-List"].append({"ric-ControlAction-ID": action.action,
                                                     "ranP-List": {"ranP-List": _parameters(action)}})
    return (encode_type("E2SM-RC-ControlHeader", {"ric-controlHeader-formats": ("controlHeader-Format2", {})}),
            encode_type("E2SM-RC-ControlMessage", {"ric-controlMessage-formats": (
                "controlMessage-Format2", {"ric-ControlStyle-List": styles})}))


def read_control(header: bytes, message: bytes, default_cell: int | None = None) -> list[ControlAction]:
    """The control actions an RC header and message ask for. `default_cell` is the cell of a slice
    PRB quota that names none (a foreign one; ranpilot's name theirs in RAN parameter 10001)."""
    kind, head = decode_type("E2SM-RC-ControlHeader", header)["ric-controlHeader-formats"]
    fmt, body = decode_type("E2SM-RC-ControlMessage", message)["ric-controlMessage-formats"]
    if kind == "controlHeader-Format1" and fmt == "controlMessage-Format1":
        return _actions(head["ric-Style-Type"], head["ric-ControlAction-ID"], head["ueID"], body["ranP-List"],
                        default_cell)
    if kind == "controlHeader-Format2" and fmt == "controlMessage-Format2":
        return [a for style in body["ric-ControlStyle-List"] for item in style["ric-ControlAction-List"]
                for a in _actions(style["indicated-Control-Style-Type"], item["ric-ControlAction-ID"], head.get("ueID"),
                                  item["ranP-List"]["ranP-List"], default_cell)]
    raise E2apError(f"RC {kind} with {fmt}: formats 1+1 or 2+2 are read")


def failure_outcome(cause: str) -> bytes:
    """E2SM-RC-ControlOutcome carrying ranpilot's cause text."""
    item = {"ranParameter-ID": CAUSE_PARAMETER, "ranParameter-value": ("valueOctS", cause.encode())}
    return encode_type("E2SM-RC-ControlOutcome", {"ric-controlOutcome-formats": ("controlOutcome-Format1",
                                                                                 {"ranP-List": [item]})})


def read_failure_outcome(outcome: bytes) -> str:
    """The cause text in a control outcome ("" when it carries none)."""
    _, body = decode_type("E2SM-RC-ControlOutcome", outcome)["ric-controlOutcome-formats"]
    texts = [item["ranParameter-value"][1] for item in body["ranP-List"]
             if item["ranParameter-ID"] == CAUSE_PARAMETER and item["ranParameter-value"][0] == "valueOctS"]
    return texts[0].decode(errors="replace") if texts else ""


# -- encoding -----------------------------------------------------------------------------------
def _ue(action: ControlAction) -> tuple:
    return ue_id(getattr(action, "ueId", 0))  # a handover's or a per-UE control's UE; else none (0)


def _element(value: tuple) -> tuple:
    return ("ranP-Choice-ElementFalse", {"ranParameter-value": value})


def _items(pairs: list[tuple[int, tuple]]) -> list[dict]:
    return [{"ranParameter-ID": i, "ranParameter-valueType": v} for i, v in pairs]


def _structure(pairs: list[tuple[int, tuple]]) -> tuple:
    return ("ranP-Choice-Structure", {"ranParameter-Structure": {"sequence-of-ranParameters": _items(pairs)}})


def _list(*structures: list[tuple[int, tuple]]) -> tuple:
    return ("ranP-Choice-List", {"ranParameter-List": {"list-of-ranParameter": [
        {"sequence-of-ranParameters": _items(s)} for s in structures]}})


def _parameters(action: ControlAction) -> list[dict]:
    if isinstance(action, Handover):
        cgi = _element(("valueOctS", nr_cgi(action.targetCell)))
        return _items([(1, _structure([(2, _structure([(3, _structure([(4, cgi)]))]))]))])
    if isinstance(action, SlicePrbQuota):
        snssai = [(9, _element(("valueOctS", bytes([action.sst]))))]
        if action.sd is not None:
            snssai.append((10, _element(("valueOctS", bytes.fromhex(action.sd)))))
        member = [(6, _structure([(7, _element(("valueOctS", PLMN))), (8, _structure(snssai))]))]
        group = [(3, _structure([(5, _list(member))])),
                 (11, _element(("valueInt", action.minPrbPolicyRatio))),
                 (12, _element(("valueInt", action.maxPrbPolicyRatio))),
                 (13, _element(("valueInt", action.dedicatedPrbPolicyRatio)))]
        return _items([(1, _list([(2, _structure(group))])), (CELL_PARAMETER, _element(("valueInt", action.cell)))])
    return _items([(i, _element(_value(getattr(action, field)))) for i, field in _RANPILOT[type(action)]])


def _value(value) -> tuple:
    if isinstance(value, bool):
        return ("valueBoolean", value)
    return ("valueInt", value) if isinstance(value, int) else ("valueReal", float(value))


# -- decoding -----------------------------------------------------------------------------------
def _actions(style: int, action_id: int, ue: tuple | None, parameters: list[dict],
             default_cell: int | None) -> list[ControlAction]:
    if (style, action_id) == (3, 1):
        return [Handover(ueId=ue_number(ue), targetCell=cell_of(_leaf(_flat(parameters), 4, "valueOctS")))]
    if (style, action_id) == (2, 6):
        top = {p["ranParameter-ID"]: p["ranParameter-valueType"] for p in parameters}
        cell = _flat(parameters).get(CELL_PARAMETER, ("valueInt", default_cell))[1]
        if cell is None:
            raise E2apError(f"a slice PRB quota without the cell (RAN parameter {CELL_PARAMETER})")
        if 1 not in top or top[1][0] != "ranP-Choice-List":
            raise E2apError("a slice PRB quota without its RRM Policy Ratio List (RAN parameter 1)")
        return [_quota(_flat(group["sequence-of-ranParameters"]), cell)
                for group in top[1][1]["ranParameter-List"]["list-of-ranParameter"]]
    if style == 1000 and action_id in _BY_ACTION_ID:
        cls = _BY_ACTION_ID[action_id]
        values = _flat(parameters)
        try:
            return [cls(**{field: values[i][1] for i, field in _RANPILOT[cls] if i in values})]
        except ValidationError as exc:
            raise E2apError(f"RC style 1000 action {action_id} ({cls.__name__}): {exc.errors()[0]['msg']} at "
                            f"{exc.errors()[0]['loc']}") from None
    raise E2apError(f"RC style {style} action {action_id} is not one ranpilot controls")


def _quota(values: dict, cell: int) -> SlicePrbQuota:
    sd = values.get(10)
    return SlicePrbQuota(cell=cell, sst=_leaf(values, 9, "valueOctS")[0], sd=sd[1].hex() if sd else None,
                         minPrbPolicyRatio=_leaf(values, 11, "valueInt"),
                         maxPrbPolicyRatio=values.get(12, ("valueInt", 100))[1],
                         dedicatedPrbPolicyRatio=values.get(13, ("valueInt", 0))[1])


def _flat(parameters: list[dict]) -> dict[int, tuple]:
    """RAN parameter id -> (value kind, value) of every element under `parameters` (the first of a list)."""
    out: dict[int, tuple] = {}
    for p in parameters:
        kind, body = p["ranParameter-valueType"]
        if kind == "ranP-Choice-Structure":
            nested = body["ranParameter-Structure"].get("sequence-of-ranParameters", [])
        elif kind == "ranP-Choice-List":
            nested = body["ranParameter-List"]["list-of-ranParameter"][0].get("sequence-of-ranParameters", [])
        else:
            nested = []
            if "ranParameter-value" in body:
                out.setdefault(p["ranParameter-ID"], body["ranParameter-value"])
        for key, value in _flat(nested).items():
            out.setdefault(key, value)
    return out


def _leaf(values: dict[int, tuple], parameter: int, kind: str):
    if parameter not in values or values[parameter][0] != kind:
        raise E2apError(f"RAN parameter {parameter} missing or not {kind}")
    return values[parameter][1]

