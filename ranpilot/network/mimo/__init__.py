"""Multi-antenna cells: TR 38.901 CDL channels per UE, CSI aging and prediction, semi-orthogonal
MU-MIMO grouping and `beam_solver` precoders (opt-in through `NetworkConfig.antenna`).

Modules: `config` (the `AntennaConfig`), `channels` (rays and channel vectors), `csi` (aged or
predicted CSI), `grouping` (user selection), `downlink` (precoding and SINR), `ssb` (SSB beam
sets: beam-level SS-RSRP and the SSB overhead). Kept free of
imports here: `NetworkConfig` imports `config`, and the others load cvxpy and torch only when a
network has more than one port.
"""
