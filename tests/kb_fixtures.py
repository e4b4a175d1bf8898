"""A small corpus in 3GPP layout (text written for these tests), shared by the knowledge tests."""

from pathlib import Path

SPEC_A = """3GPP TS 99.901 V18.4.0 (2025-12)

Technical Specification

Widget Radio; Overall description

(Release 18)

Contents

Foreword5

1Scope6

4.1Handover control7

# Foreword

This Technical Specification has been produced by the 3rd Generation Partnership Project.

# 1Scope

The present document describes widget radio networks.

# 4Mobility

## 4.1Handover control

A neighbour cell is chosen when its measured level plus the cell individual offset exceeds the serving level by the hysteresis. The pusch-PowerControl field is unrelated to handover.

## 4.2Load balancing

Congested cells shed traffic to neighbours with spare physical resource blocks.

| Parameter | Range |
| --- | --- |
| offset | -24 to 24 dB |

# 5Energy

## 5.1Cell sleep

Capacity cells may be switched off at night when the traffic load is low, while coverage cells stay on.
"""

SPEC_B = """3GPP TS 99.902 V17.0.0 (2024-06)

(Release 17)

# 7Power control

## 7.1Uplink power

The uplink transmit power follows an open loop with fractional path loss compensation alpha and closed-loop commands. The measurement DRB.UEThpDl is reported per cell.

## 7.2Downlink power

Downlink power is set per cell by configuration and limited by the base station class.
"""


def write_corpus(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "spec_a.md").write_text(SPEC_A)
    (directory / "spec_b.md").write_text(SPEC_B)
    return directory
