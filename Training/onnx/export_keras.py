"""Exports a small Keras CNN (channels-last, as Keras builds it) to ONNX with tf2onnx and writes its
parity fixture with onnxruntime (docs/ONNX.md, "Fixtures"). Runs in Training/.venv-keras
(tensorflow-cpu, tf2onnx, onnxruntime), kept apart from the PyTorch environment.

The model: Rescaling (input normalisation), Conv2D SAME + BatchNormalization + ReLU, MaxPooling2D,
a strided VALID Conv2D, Add with a 1×1 projection, LeakyReLU, Flatten of a channels-last map,
Dense, ReLU, Dense. tf2onnx keeps the input NHWC and inserts the Transposes around it.
"""

import os

import numpy as np
import tensorflow as tf
import tf2onnx

from fixtures_common import intermediate_names, write_parity

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ONNXImportTests", "Fixtures")
keras = tf.keras


def build():
    keras.utils.set_random_seed(7)
    x = inputs = keras.Input((16, 16, 3), batch_size=1, name="image")
    x = keras.layers.Rescaling(1 / 0.25, offset=-2.0)(x)
    x = keras.layers.Conv2D(8, 3, padding="same", use_bias=False)(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.MaxPooling2D(2)(x)
    y = keras.layers.Conv2D(12, 3, strides=2, padding="same")(x)
    y = keras.layers.ReLU()(y)
    shortcut = keras.layers.Conv2D(12, 1, strides=2)(x)
    x = keras.layers.LeakyReLU(negative_slope=0.2)(keras.layers.Add()([y, shortcut]))
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(16, activation="relu")(x)
    outputs = keras.layers.Dense(10)(x)
    model = keras.Model(inputs, outputs)
    rng = np.random.default_rng(3)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.set_weights([rng.random(8) + 0.5, rng.standard_normal(8) * 0.1, rng.standard_normal(8) * 0.1, rng.random(8) + 0.5])
        elif isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)) and layer.use_bias:
            kernel, bias = layer.get_weights()
            layer.set_weights([kernel, rng.standard_normal(bias.shape) * 0.1])  # Keras starts biases at 0
    return model


if __name__ == "__main__":
    model = build()
    path = os.path.join(OUT, "keras_cnn.onnx")
    spec = (tf.TensorSpec((1, 16, 16, 3), tf.float32, name="image"),)
    function = tf.function(lambda image: model(image, training=False))
    tf2onnx.convert.from_function(function, input_signature=spec, opset=15, output_path=path)
    inputs = np.random.default_rng(7).standard_normal((2, 16, 16, 3)).astype(np.float32) * 0.25 + 0.5
    metadata = {"exporter": f"tf2onnx {tf2onnx.__version__} (tensorflow {tf.__version__})", "model": "keras_cnn", "seed": 7}
    write_parity(path, os.path.join(OUT, "keras_cnn.parity.safetensors"), inputs, intermediate_names(path, {"Conv", "MaxPool", "Add", "LeakyRelu"}), metadata)
    print("keras_cnn", os.path.getsize(path), "bytes")
