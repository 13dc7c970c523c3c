#!/bin/sh
# Rebuilds the ONNX fixtures in Tests/ONNXImportTests/Fixtures (docs/ONNX.md, "Fixtures"):
# PyTorch models (torch.onnx.export), a Keras model (tf2onnx) and two onnx.helper graphs, each with
# its onnxruntime parity file. Creates Training/.venv-onnx and Training/.venv-keras from PyPI on
# first use (both gitignored). Building and testing the Swift package never runs this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
for env in onnx:torch keras:keras; do
    venv="../.venv-${env%%:*}"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install -r "requirements-${env##*:}.txt"
    fi
done
../.venv-onnx/bin/python export_torch.py "$@"
../.venv-onnx/bin/python export_helper.py
../.venv-keras/bin/python export_keras.py
