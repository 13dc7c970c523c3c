"""Training tool for the three models of the paper (VGG7, ResNet20, ResNet20-Fixup).

Trains on CIFAR-10 with TensorFlow, checkpoints atomically, and exports to the safetensors
layout of docs/WEIGHTS.md together with a parity fixture and a model card.
"""
