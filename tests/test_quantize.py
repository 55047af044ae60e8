"""int8 export: a weight matrix with one outlier column keeps the other columns' precision."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx", reason="quantisation needs the train extra (onnx)")
pytest.importorskip("onnxruntime.quantization", reason="quantisation needs onnxruntime's quantizer")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from assistant.training.export import quantize, sample_sentences  # noqa: E402


def _matmul_model(path, weight: np.ndarray) -> None:
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "outlier",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, weight.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, weight.shape[1]])],
        [numpy_helper.from_array(weight, "w")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def test_an_outlier_column_does_not_flatten_the_others(tmp_path):
    import onnxruntime as ort

    rng = np.random.default_rng(0)
    weight = rng.normal(0, 0.05, (96, 24)).astype(np.float32)
    weight[:, 3] *= 300  # like the fitted output layer's column for MiniLM's outlier channel
    _matmul_model(tmp_path / "fp32.onnx", weight)
    quantize(tmp_path / "fp32.onnx", tmp_path / "int8.onnx")
    x = rng.normal(0, 1, (64, 96)).astype(np.float32)
    exact = x @ weight
    got = ort.InferenceSession(str(tmp_path / "int8.onnx"), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    normal = [c for c in range(weight.shape[1]) if c != 3]
    error = np.abs(got[:, normal] - exact[:, normal]).mean() / np.abs(exact[:, normal]).mean()
    assert error < 0.05  # one scale for the matrix: about 1.0 (those columns round to zero or one step)


def test_the_export_check_samples_sentences_across_the_set_and_keeps_the_longest():
    sentences = [np.arange(2 + i % 7) for i in range(1000)]
    sentences[555] = np.arange(40)
    chosen = sample_sentences(sentences, 16)
    assert len(chosen) == 16 and any(len(s) == 40 for s in chosen)
    assert len({id(s) for s in chosen}) == 16  # no sentence twice
    assert chosen[0] is sentences[555] and chosen[1] is sentences[0] and chosen[-1] is sentences[999]
    assert sample_sentences(sentences[:5], 16) == sentences[:5]
