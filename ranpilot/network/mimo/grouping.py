"""Semi-orthogonal user selection (Yoo and Goldsmith 2006), vectorized over cells.

Each cell partitions its UEs into co-scheduling groups of at most its layer count: a group starts
with the UE whose CSI is strongest, then repeatedly adds the UE with the most channel energy
orthogonal to the members already chosen, among those whose correlation with every member is
below the threshold. Groups share the cell's PRBs (the scheduler splits them), so every UE is in
exactly one group.
"""

from __future__ import annotations

import numpy as np


def padded_by_cell(serving: np.ndarray, num_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """(slot (N,): each UE's position within its cell, valid (C, U) mask) for a (C, U, ...) layout."""
    order = np.argsort(serving, kind="stable")
    counts = np.bincount(serving, minlength=num_cells)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    slot = np.empty(len(serving), dtype=int)
    slot[order] = np.arange(len(serving)) - starts[serving[order]]
    valid = np.arange(max(int(counts.max(initial=0)), 1))[None, :] < counts[:, None]
    return slot, valid


def semi_orthogonal_groups(
    csi: np.ndarray, serving: np.ndarray, layers: np.ndarray, max_correlation: float
) -> np.ndarray:
    """Group index within its cell of every UE (N,). csi (N, M); layers (C,) per cell."""
    num_cells = len(layers)
    slot, valid = padded_by_cell(serving, num_cells)
    h = np.zeros((*valid.shape, csi.shape[1]), dtype=np.complex64)
    h[serving, slot] = csi
    energy = np.sum(np.abs(h) ** 2, axis=2)
    unit = h / np.sqrt(np.maximum(energy, 1e-30))[..., None]
    group = np.full(valid.shape, -1)
    remaining = valid.copy()
    cells = np.arange(num_cells)
    index = 0
    while remaining.any():
        eligible, residual = remaining.copy(), energy.copy()
        basis = np.zeros((num_cells, int(layers.max()), csi.shape[1]), dtype=np.complex64)
        for layer in range(int(layers.max())):
            score = np.where(eligible & (layer < layers)[:, None], residual, -1.0)
            pick = score.argmax(axis=1)
            chosen = score[cells, pick] >= 0.0
            if not chosen.any():
                break
            group[cells[chosen], pick[chosen]] = index
            remaining[cells[chosen], pick[chosen]] = False
            correlation = np.abs(_inner(unit[cells, pick], unit))
            eligible &= remaining & chosen[:, None] & (correlation < max_correlation)
            basis[:, layer] = _orthogonal_part(h[cells, pick], basis[:, :layer]) * chosen[:, None]
            residual = residual - np.abs(_inner(basis[:, layer], h)) ** 2
        index += 1
    return group[serving, slot]


def _orthogonal_part(picked: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """(C, M) unit vector along the part of `picked` orthogonal to the orthonormal `basis` (C, L, M)."""
    rest = picked - (np.swapaxes(basis, 1, 2) @ _inner(picked, basis)[..., None].conj())[..., 0]
    return rest / np.sqrt(np.maximum(np.sum(np.abs(rest) ** 2, axis=1, keepdims=True), 1e-30))


def _inner(v: np.ndarray, h: np.ndarray) -> np.ndarray:
    """(C, U) inner products v_c^H h_cu of one vector per cell (C, M) with its rows h (C, U, M)."""
    return (h @ v.conj()[..., None])[..., 0]
