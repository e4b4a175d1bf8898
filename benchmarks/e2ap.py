"""E2 on the two wires: bytes per KPM report and per RC control, and encode/decode time, JSON
against E2AP in aligned PER (ranpilot.oran.e2.asn1); plus the one-off compile of the ASN.1
modules. A report is one subscription's indication of a 21-cell network with 210 UEs (cell,
node and per-UE measurements). The E2SM-KPM indication messages of the per-UE report are also
encoded with and without asn1tools' type check, alternately in this process (the hot path skips it).

Run: .venv/bin/python benchmarks/e2ap.py
"""

from __future__ import annotations

import statistics
import time

from ranpilot.network import Network, NetworkConfig
from ranpilot.oran.e2.asn1.codec import spec
from ranpilot.oran.e2.asn1.e2sm_kpm import indication_pieces
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.messages import (
    CellSleep, RcControlRequest, SubscriptionRequest, SubscriptionResponse, TxPower,
)
from ranpilot.oran.wire import WIRES, cross, make_wire

MEASUREMENTS = ["DRB.UEThpDl", "RRU.PrbUsedDl", "RRU.PrbTotDl", "DRB.RlcSduDelayDl", "L1M.DL-SS-RSRP", "PEE.AvgPower",
                "L1M.DL-SS-SINR", "CQI"]
AGENT = ["DRB.UEThpDl", "RRU.PrbUsedDl", "RRU.PrbAvailDl", "DRB.RlcSduDelayDl"]  # RanpilotXApp's subscription
REPEATS = 10


def timed(fn, repeats: int = REPEATS) -> float:
    """Median wall time of fn() in ms."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    spec()
    print(f"compile ranpilot's ASN.1 modules once per process: {time.perf_counter() - start:.2f} s")
    network = Network(NetworkConfig(num_ues=210), seed=1)
    network.step()
    node = SimulatedE2Node(network)
    control = RcControlRequest(meid="gnb-sim-1", request_id="c", actions=[TxPower(cell=c, txPowerDbm=40.0) for c in range(21)]
                               + [CellSleep(cell=3, asleep=True)])
    for label, names, per_ue in (("agent's 4 cell measurements", AGENT, False), ("all 8, per UE too", MEASUREMENTS, True)):
        indication = node.indication(node.subscribe(1000, names, per_ue))
        for name in WIRES:
            ric, node_end = make_wire(name), make_wire(name, "gnb-sim-1")
            cross(SubscriptionRequest(meid="gnb-sim-1", report_period_ms=1000, measurements=names, per_ue=per_ue),
                  ric, node_end, "s")
            cross(SubscriptionResponse(subscription_id=indication.subscription_id), node_end, ric, "s")
            report = node_end.payloads(indication)
            encode_ms = timed(lambda: node_end.payloads(indication))
            decode_ms = timed(lambda: [ric.message(m, p) for m, p in report])
            print(f"{label:28s} {name:5s} report: {sum(len(p) for _, p in report):6,d} bytes in {len(report):2d} "
                  f"messages, encode {encode_ms:6.1f} ms, decode {decode_ms:6.1f} ms")
    for name in WIRES:
        print(f"22-action RC control, {name:5s}: {sum(len(p) for _, p in make_wire(name).payloads(control, 'c')):5,d} bytes")
    type_check_cost(node.indication(node.subscribe(1000, MEASUREMENTS, True)))


def type_check_cost(indication) -> None:
    """The per-UE report's E2SM-KPM indication messages encoded with asn1tools' type check (as
    before) and without (as now), alternating so both see the same machine load."""
    messages = [spec().decode("E2SM-KPM-IndicationMessage", body) for _, _, body in indication_pieces(indication)]
    checked, unchecked = [], []
    for _ in range(REPEATS):
        for check, times in ((True, checked), (False, unchecked)):
            start = time.perf_counter()
            for message in messages:
                spec().encode("E2SM-KPM-IndicationMessage", message, check_types=check)
            times.append((time.perf_counter() - start) * 1e3)
    print(f"210-UE report's {len(messages)} KPM indication messages: encode {statistics.median(checked):.1f} ms "
          f"type-checked (before), {statistics.median(unchecked):.1f} ms unchecked (now)")


if __name__ == "__main__":
    main()
