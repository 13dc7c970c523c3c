"""Shared helpers of the ONNX fixture scripts: onnxruntime parity values and a safetensors writer.

A parity fixture `NAME.parity.safetensors` (docs/ONNX.md, "Fixtures") holds, float32 (float64 for a
float64 model) in ONNX's own layouts (NCHW for maps):

- `input`  [N, ...]  the fixed inputs (seeded normal values; float64 for a float64 model),
- `output` [N, ...]  onnxruntime's graph output for them (the input of a trailing Softmax, which
                     the importer strips, when metadata `output` names one),
- `value.<k>`        onnxruntime's value of the k-th intermediate tensor named in the metadata
                     key `intermediates` (comma-separated ONNX tensor names), for every input,
- `gradient` [N, ...] (float64, when the exporter is PyTorch) `d output[n, gradient_class] / d input[n]`
                     from torch.autograd on the float64 copy of the model.

The metadata records the exporter and the versions that made the file.
"""

import json
import os
import struct

import numpy as np
import onnx
import onnxruntime


def write_safetensors(path, tensors, metadata):
    """Writes `tensors` (name -> numpy array, float32 or float64) in the safetensors layout."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        array = np.ascontiguousarray(array)
        dtype = {np.dtype("float32"): "F32", np.dtype("float64"): "F64"}[array.dtype]
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path + ".tmp", "wb") as handle:
        handle.write(struct.pack("<Q", len(text)))
        handle.write(text)
        for blob in blobs:
            handle.write(blob)
    os.replace(path + ".tmp", path)


def onnxruntime_values(model_path, inputs, intermediates):
    """Runs onnxruntime on each input (batch of one) and returns the output and intermediates."""
    model = onnx.load(model_path)
    model = onnx.shape_inference.infer_shapes(model)
    known = {v.name: v for v in list(model.graph.value_info) + list(model.graph.output)}
    for name in intermediates:
        if name not in [o.name for o in model.graph.output]:
            model.graph.output.append(known[name])
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    names = [o.name for o in model.graph.output]
    results = {name: [] for name in names}
    for item in inputs:
        values = session.run(names, {input_name: item[None]})
        for name, value in zip(names, values):
            results[name].append(value[0])
    return {name: np.stack(values) for name, values in results.items()}


def write_parity(model_path, fixture_path, inputs, intermediates, metadata, gradient=None, output=None):
    """Writes the parity fixture of one model (see the module docstring)."""
    model = onnx.load(model_path)
    output_name = output or model.graph.output[0].name
    values = onnxruntime_values(model_path, inputs, intermediates + ([output] if output else []))
    dtype = inputs.dtype
    tensors = {"input": inputs, "output": values[output_name].astype(dtype)}
    for index, name in enumerate(intermediates):
        tensors[f"value.{index}"] = values[name].astype(dtype)
    metadata = dict(metadata)
    metadata["intermediates"] = ",".join(intermediates)
    metadata["output"] = output_name
    metadata["onnxruntime"] = onnxruntime.__version__
    metadata["onnx"] = onnx.__version__
    if gradient is not None:
        tensors["gradient"], metadata["gradient_class"] = gradient
    write_safetensors(fixture_path, tensors, metadata)


def intermediate_names(model_path, op_types, limit=4):
    """Names of the first outputs of nodes of the given op types (the values checked by parity)."""
    graph = onnx.load(model_path).graph
    names = [node.output[0] for node in graph.node if node.op_type in op_types]
    if len(names) <= limit:
        return names
    step = len(names) / limit
    return [names[int(i * step)] for i in range(limit)]
