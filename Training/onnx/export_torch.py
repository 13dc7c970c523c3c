"""Exports the PyTorch fixture models to ONNX (torch.onnx.export, the dynamo exporter) and writes
their parity fixtures with onnxruntime and torch.autograd (docs/ONNX.md, "Fixtures").

    Training/onnx/make-fixtures.sh        # creates Training/.venv-onnx and runs this file

Weights are PyTorch's seeded default initialisation; batch-norm statistics are seeded random
values so that folding them is not the identity. Batch norms that follow a convolution are fused
into it (in float32) before export; the one after each residual sum stays a BatchNormalization
node. Nothing here is trained: the fixtures check
the import, not accuracy.
"""

import os
import sys

import numpy as np
import torch
from torch import nn

from fixtures_common import intermediate_names, write_parity

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ONNXImportTests", "Fixtures")
OPSET = 18
SIZE = 16


def conv_bn_relu(cin, cout, stride=1):
    return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class VGGMaxPool(nn.Module):
    """VGG-style: conv-BN-ReLU blocks, 2×2 and padded 3×3 max pooling, flatten of a 4×4 map."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *conv_bn_relu(3, 8), *conv_bn_relu(8, 8), nn.MaxPool2d(2),
            *conv_bn_relu(8, 16), nn.MaxPool2d(3, stride=2, padding=1),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 4 * 4, 24), nn.ReLU(), nn.Dropout(0.5), nn.Linear(24, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class Block(nn.Module):
    """A ResNet basic block; a strided block has a 1×1 projection shortcut with batch norm."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(*conv_bn_relu(cin, cout, stride), nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout))
        self.shortcut = nn.Identity()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
        self.after = nn.BatchNorm2d(cout)

    def forward(self, x):
        return torch.relu(self.after(self.body(x) + self.shortcut(x)))


class ResNetProjection(nn.Module):
    """ResNet-style: two projection blocks and one identity block, a padded average pool that
    counts the padding (count_include_pad), global average pooling."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn_relu(3, 8))
        self.blocks = nn.Sequential(Block(8, 16, 2), Block(16, 16, 1), Block(16, 24, 2))
        self.pool = nn.AvgPool2d(3, stride=1, padding=1)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(24, 10))

    def forward(self, x):
        return self.head(self.pool(self.blocks(self.stem(x))))


class ConcatNet(nn.Module):
    """Inception-style branches (1×1, dilated 3×3, grouped 3×3, padded max pool), concatenated;
    an explicit zero Pad, Leaky ReLU, PReLU with one slope, an average pool without the padding."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU())
        self.b1 = nn.Conv2d(8, 4, 1)
        self.b2 = nn.Conv2d(8, 4, 3, padding=2, dilation=2)
        self.b3 = nn.Conv2d(8, 4, 3, padding=1, groups=2)
        self.b4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(8, 4, 1))
        self.pad = nn.ZeroPad2d((1, 0, 1, 0))
        self.down = nn.Conv2d(16, 16, 3, stride=2)
        self.leaky = nn.LeakyReLU(float(np.float32(0.1)))  # the slope ONNX stores (float32)
        self.prelu = nn.PReLU()
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.head = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], dim=1)
        x = self.prelu(self.leaky(self.down(self.pad(x))))
        return self.head(torch.flatten(self.pool(x), 1))


class Normalised(nn.Module):
    """Input normalisation by constants `(x − mean) / std` before the first convolution."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.49, 0.48, 0.45]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.25, 0.24, 0.26]).view(1, 3, 1, 1))
        self.body = nn.Sequential(*conv_bn_relu(3, 8), nn.MaxPool2d(2), *conv_bn_relu(8, 8, 2))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))

    def forward(self, x):
        return self.head(self.body((x - self.mean) / self.std))


class TanhNet(nn.Module):
    """A Tanh activation: the importer must refuse it (not piecewise linear)."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.Tanh(), nn.Flatten(), nn.Linear(4 * SIZE * SIZE, 10))

    def forward(self, x):
        return self.body(x)


MODELS = {
    "vgg_maxpool": VGGMaxPool,
    "resnet_projection": ResNetProjection,
    "concat_branches": ConcatNet,
    "normalised_input": Normalised,
    "tanh": TanhNet,
}


def randomise_batch_norm(model, generator):
    for module in model.modules():
        if isinstance(module, (nn.BatchNorm2d, nn.BatchNorm1d)):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
            module.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
            module.weight.data.copy_(torch.rand(n, generator=generator) + 0.5)
            module.bias.data.copy_(torch.randn(n, generator=generator) * 0.1)


def fuse_batch_norm(module):
    """Folds every Conv2d → BatchNorm2d pair of the Sequentials into the convolution, in float32,
    as the exporter would; the float64 copy used for the gradient then has exactly the exported
    weights (otherwise torch's float64 fold and the exporter's float32 fold differ by ~1e-7)."""
    for child in module.children():
        fuse_batch_norm(child)
    if isinstance(module, nn.Sequential):
        layers = list(module)
        for index in range(len(layers) - 1):
            if isinstance(layers[index], nn.Conv2d) and isinstance(layers[index + 1], nn.BatchNorm2d):
                module[index] = torch.nn.utils.fusion.fuse_conv_bn_eval(layers[index], layers[index + 1])
                module[index + 1] = nn.Identity()


def gradient(model, inputs, unit):
    """d model(x)[unit] / dx for every input, float64 (the H^I of the logit)."""
    double = model.double()
    x = torch.tensor(inputs, dtype=torch.float64, requires_grad=True)
    double(x)[:, unit].sum().backward()
    model.float()
    return x.grad.numpy()


def export(name, seed):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = MODELS[name]()
    with torch.no_grad():
        randomise_batch_norm(model, generator)
    model.eval()
    fuse_batch_norm(model)
    size = 32 if name == "resnet_projection" else SIZE  # one CIFAR-sized model, for `backmap verify`
    inputs = np.random.default_rng(seed).standard_normal((2, 3, size, size)).astype(np.float32) * 0.5 + 0.5
    path = os.path.join(OUT, f"{name}.onnx")
    program = torch.onnx.export(
        model, (torch.from_numpy(inputs[:1]),), dynamo=True, opset_version=OPSET,
        input_names=["image"], output_names=["logits"], external_data=False, verbose=False,
    )
    program.save(path)
    ops = {"Conv", "Relu", "MaxPool", "Add", "Concat", "AveragePool", "GlobalAveragePool", "LeakyRelu", "PRelu", "Div"}
    metadata = {"exporter": f"torch.onnx.export (dynamo) {torch.__version__}", "opset": OPSET, "seed": seed, "model": name}
    grad = None if name == "tanh" else (gradient(model, inputs, 3), 3)
    write_parity(path, os.path.join(OUT, f"{name}.parity.safetensors"), inputs, intermediate_names(path, ops), metadata, grad)
    print(name, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name in sys.argv[1:] or MODELS:
        export(name, 16 + list(MODELS).index(name))
