"""What the peer benchmark's folded networks share: the joint input [x; x_b] and its layers."""
from __future__ import annotations

import numpy as np

SIDE, COLOURS = 32, 3
IMAGE_SIZE = SIDE * SIDE * COLOURS


class JointInputLayout:
    """For a folded network with `kernels` (conv0 … convN) and `biases` (the slices of x_b in
    layer order: one per convolution, then fc.bias)."""
    kernels: list
    biases: list[np.ndarray]

    @property
    def bias_vector(self) -> np.ndarray:
        return np.concatenate(self.biases)

    def bias_offsets(self) -> list[int]:
        """Index in [x; x_b] of the first bias of each layer (conv0 … convN, fc)."""
        return [IMAGE_SIZE + int(k) for k in np.cumsum([0] + [b.size for b in self.biases[:-1]])]

    @property
    def verified_layers(self) -> list[str]:
        """The layers `backmap verify` reports: conv1 … convN, fc (conv0 is not verified)."""
        return [f"conv{i}" for i in range(1, len(self.kernels))] + ["fc"]
