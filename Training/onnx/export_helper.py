"""Builds the ONNX fixtures that no exporter writes on its own, with onnx.helper, and writes
their parity fixtures with onnxruntime (docs/ONNX.md, "Fixtures"):

- `padding_forms`: SAME_UPPER and SAME_LOWER strided convolutions on an odd size, a standalone
  zero Pad, a padded average pool that counts the padding, VALID max pooling, Identity, scalar
  Mul and per-channel Add constants, Flatten, Gemm with transB = 0 and alpha/beta, MatMul + Add,
  a trailing Softmax (stripped by the importer); weights in typed `float_data` fields and in
  `raw_data`; opset 13.
- `double_mlp`: a float64 model on a vector input (Gemm with transB = 1 from `double_data`,
  MatMul from `raw_data`); opset 11.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from fixtures_common import write_parity

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ONNXImportTests", "Fixtures")


def typed(name, array, kind=TensorProto.FLOAT):
    """An initializer in the typed field (float_data / double_data) instead of raw_data."""
    return helper.make_tensor(name, kind, array.shape, array.flatten().tolist())


def padding_forms(rng):
    f = np.float32
    w1 = rng.standard_normal((4, 3, 3, 3)).astype(f) * 0.4
    w2 = rng.standard_normal((6, 4, 3, 3)).astype(f) * 0.3
    initializers = [
        typed("w1", w1), typed("b1", rng.standard_normal(4).astype(f) * 0.1),
        numpy_helper.from_array(np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64), "pads1"),
        typed("w2", w2),
        numpy_helper.from_array(rng.standard_normal((1, 6, 1, 1)).astype(f) * 0.1, "shift"),
        numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads2"),
        numpy_helper.from_array(rng.standard_normal((6, 5)).astype(f), "gemm_w"),
        numpy_helper.from_array(rng.standard_normal(5).astype(f), "gemm_b"),
        numpy_helper.from_array(rng.standard_normal((5, 3)).astype(f), "mm_w"),
        numpy_helper.from_array(rng.standard_normal(3).astype(f), "mm_b"),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "w1", "b1"], ["c1"], "conv_same_upper", auto_pad="SAME_UPPER", strides=[2, 2]),
        helper.make_node("Relu", ["c1"], ["r1"], "relu1"),
        helper.make_node("Pad", ["r1", "pads1"], ["p1"], "pad_into_conv", mode="constant"),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], "conv_same_lower", auto_pad="SAME_LOWER", strides=[2, 2]),
        helper.make_node("Constant", [], ["half"], "half", value=numpy_helper.from_array(np.array(0.5, f))),
        helper.make_node("Mul", ["c2", "half"], ["m2"], "times_half"),
        helper.make_node("Add", ["m2", "shift"], ["a2"], "channel_shift"),
        helper.make_node("LeakyRelu", ["a2"], ["l2"], "leaky", alpha=0.2),
        helper.make_node("Pad", ["l2", "pads2"], ["p2"], "pad_standalone"),
        helper.make_node("MaxPool", ["p2"], ["mp"], "maxpool_valid", kernel_shape=[3, 3], auto_pad="VALID", strides=[1, 1]),
        helper.make_node("AveragePool", ["mp"], ["ap"], "avgpool_counting_pads", kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1),
        helper.make_node("Identity", ["ap"], ["id"], "identity"),
        helper.make_node("Dropout", ["id"], ["dr"], "dropout"),
        helper.make_node("GlobalAveragePool", ["dr"], ["gap"], "gap"),
        helper.make_node("Flatten", ["gap"], ["flat"], "flatten", axis=1),
        helper.make_node("Gemm", ["flat", "gemm_w", "gemm_b"], ["g"], "gemm", transB=0, alpha=0.5, beta=2.0),
        helper.make_node("Relu", ["g"], ["rg"], "relu_gemm"),
        helper.make_node("MatMul", ["rg", "mm_w"], ["mm"], "matmul"),
        helper.make_node("Add", ["mm", "mm_b"], ["logits"], "matmul_bias"),
        helper.make_node("Softmax", ["logits"], ["probabilities"], "softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "padding_forms",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, 9, 9])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 3])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="onnx.helper")
    onnx.checker.check_model(model, full_check=True)
    inputs = rng.standard_normal((2, 3, 9, 9)).astype(f)
    return model, inputs, ["c1", "c2", "p2", "ap"], "logits"


def double_mlp(rng):
    d = np.float64
    w1 = rng.standard_normal((6, 8))
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], "fc1", transB=1),
        helper.make_node("Relu", ["h"], ["r"], "relu"),
        helper.make_node("MatMul", ["r", "w2"], ["m"], "fc2"),
        helper.make_node("Add", ["m", "b2"], ["y"], "fc2_bias"),
    ]
    initializers = [
        typed("w1", w1, TensorProto.DOUBLE), typed("b1", rng.standard_normal(6), TensorProto.DOUBLE),
        numpy_helper.from_array(rng.standard_normal((6, 4)).astype(d), "w2"),
        numpy_helper.from_array(rng.standard_normal(4).astype(d), "b2"),
    ]
    graph = helper.make_graph(
        nodes, "double_mlp",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [1, 8])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [1, 4])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)], producer_name="onnx.helper")
    onnx.checker.check_model(model, full_check=True)
    return model, rng.standard_normal((2, 8)), ["h"], None


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for seed, build in enumerate([padding_forms, double_mlp]):
        model, inputs, intermediates, output = build(np.random.default_rng(100 + seed))
        path = os.path.join(OUT, f"{build.__name__}.onnx")
        onnx.save(model, path)
        metadata = {"exporter": f"onnx.helper {onnx.__version__}", "model": build.__name__, "seed": 100 + seed}
        write_parity(path, os.path.join(OUT, f"{build.__name__}.parity.safetensors"), inputs, intermediates, metadata, output=output)
        print(build.__name__, os.path.getsize(path), "bytes")
