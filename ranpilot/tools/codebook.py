"""3GPP TS 38.214 5.2.2.2.1 Type-I single-panel codebook: the oversampled 2-D DFT beams of an
N1 x N2 panel (O1, O2 oversampling; one polarization, or two with QPSK co-phasing), each UE's PMI
on the CSI it has, and the beams a set of PMIs gives. `beam_solver` and the multi-antenna downlink
(`ranpilot.network.mimo.downlink`) use them.
"""

from __future__ import annotations

import numpy as np


def type1_codebook(n1: int, n2: int, o1: int, o2: int, dual: bool) -> tuple[np.ndarray, list[list[int]]]:
    """All Type-I single-panel rank-1 beams (columns, unit norm) and their (l, m, phase) indices."""
    beams, index = [], []
    for l in range(n1 * o1):
        v = np.exp(2j * np.pi * l * np.arange(n1) / (o1 * n1))
        for m in range(n2 * o2):
            u = np.exp(2j * np.pi * m * np.arange(n2) / (o2 * n2))
            base = np.kron(v, u)
            for phase in range(4 if dual else 1):
                beam = np.concatenate([base, (1j**phase) * base]) if dual else base
                beams.append(beam / np.linalg.norm(beam))
                index.append([l, m, phase])
    return np.stack(beams, axis=1), index


def type1_pmi(H: np.ndarray, n1: int, n2: int, o1: int, o2: int) -> np.ndarray:
    """Each user's PMI among the one-polarization Type-I beams (columns of `type1_codebook(n1, n2,
    o1, o2, False)`) that maximizes |h_k^T w|, H (..., K, n1 n2) -> (..., K): the beams are an
    oversampled 2-D DFT, so h^T w for all is one zero-padded 2-D inverse FFT of h, in codebook
    order (l outer, m inner), off BLAS (whose threads stall the product on a busy machine)."""
    grid = np.fft.ifft2(H.reshape(*H.shape[:-1], n1, n2), s=(n1 * o1, n2 * o2))
    return np.argmax(np.abs(grid.reshape(*H.shape[:-1], -1)), axis=-1)


def codebook_beams(book: np.ndarray, pmi: np.ndarray, power: float) -> np.ndarray:
    """The users' codebook beams: columns `pmi` (..., K) of `book` (M, B) as beams (..., M, K),
    the users sharing `power` equally."""
    return np.moveaxis(book[:, pmi], 0, -2) * np.sqrt(power / pmi.shape[-1])
