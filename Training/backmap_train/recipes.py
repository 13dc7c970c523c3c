"""Training recipes per model: the paper's (NOTES.md §6) adapted to a 2-core CPU budget."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .data import Augmentation

# Softened colour augmentation (flip, resize 36 and crop 32 as in the paper): the paper's
# magnitudes (saturation [0, 2], contrast [0.4, 1.6], brightness 0.5) are made for 150–500
# epochs; with a few dozen epochs they mostly cost accuracy.
SOFT_AUGMENTATION = Augmentation(saturation=(0.5, 1.5), contrast=(0.7, 1.3), brightness=0.2)

PAPER = {
    "vgg7": ("89.5%", "lr 0.01 [0,299], 0.002 [300,399], 0.0005 [400,500]; 500 epochs"),
    "resnet20": ("91.6%", "lr 0.01 [0,99], 0.001 [100,149], 0.0002 [150,200]; 200 epochs"),
    "resnet20-fixup": ("91.2%", "lr 0.002 [0,79], 0.001 [80,119], 0.0005 [120,150]; 150 epochs"),
}


@dataclass(frozen=True)
class Recipe:
    epochs: int
    batch: int = 128
    peak_lr: float = 0.1
    warmup_fraction: float = 0.15
    momentum: float = 0.9
    l1: float = 1e-6            # coefficient of sum |w| over conv kernels
    weight_decay: float = 5e-4  # coefficient of 0.5 * sum w^2 over conv kernels and fc.weight
    scalar_lr_factor: float = 1.0  # Fixup scalars: 0.1 (Zhang et al. 2019)
    bn_momentum: float = 0.95
    leaky_slope: float = 0.1
    seed: int = 1
    augmentation: Augmentation = field(default_factory=lambda: SOFT_AUGMENTATION)

    def lr(self, step: int, total: int) -> float:
        """Linear warm-up from peak/10 to peak, then cosine annealing to 0."""
        import math
        warm = max(1, int(self.warmup_fraction * total))
        if step < warm:
            return self.peak_lr * (0.1 + 0.9 * step / warm)
        t = (step - warm) / max(1, total - warm)
        return self.peak_lr * 0.5 * (1 + math.cos(math.pi * min(1.0, t)))

    def describe(self) -> str:
        return (f"SGD, Nesterov momentum {self.momentum}, batch {self.batch}, {self.epochs} "
                f"epochs; learning rate: linear warm-up {self.peak_lr / 10:g} -> "
                f"{self.peak_lr:g} over the first {self.warmup_fraction:.0%} of steps, then "
                f"cosine annealing to 0; loss = cross-entropy + {self.l1:g} * sum|kernel| + "
                f"{self.weight_decay:g}/2 * sum kernel^2 (conv kernels; the L2 term also on "
                f"fc.weight)"
                + (f"; Fixup scalars use lr x {self.scalar_lr_factor:g} and no decay"
                   if self.scalar_lr_factor != 1.0 else ""))

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


# Epoch budgets: VGG7 trained for 80 epochs (1-1.5 min each). The ResNets cost 3-3.5 min per
# epoch on the 2-core machine, so they get short one-cycle-style schedules that fit one
# working session (about 70 and 45 minutes); short warm-up + cosine schedules are known to
# reach most of the final accuracy of residual networks on CIFAR-10.
RECIPES = {
    "vgg7": Recipe(epochs=80),
    # The bundled ResNet20 was resumed after epoch 4 with `--shorten-to 15` (see its model card).
    "resnet20": Recipe(epochs=20),
    "resnet20-fixup": Recipe(epochs=11, scalar_lr_factor=0.1),
}
