"""int8 export: a weight matrix with one outlier column keeps the other columns' precision, and no
x86 CPU clamps its products (7-bit weights: no 16-bit saturation without VNNI)."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx", reason="quantisation needs the train extra (onnx)")
pytest.importorskip("onnxruntime.quantization", reason="quantisation needs onnxruntime's quantizer")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from assistant.nlu.int8_kernels import WeightFormat, int8_extensions, saturates  # noqa: E402
from assistant.training.export import quantize, quantize_weights, sample_sentences  # noqa: E402


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


def _extreme_product(tmp_path, make_int8) -> tuple[np.ndarray, np.ndarray]:
    """Weights at their column's maximum times activations at the top of their uint8 range: on a CPU
    without VNNI, full-range int8 weights add two such byte products past 2**15 (VPMADDUBSW saturates)."""
    import onnxruntime as ort

    weight = np.random.default_rng(0).normal(0, 1, (64, 8)).astype(np.float32)
    weight[:, 0] = 1.0
    _matmul_model(tmp_path / "fp32.onnx", weight)
    make_int8(tmp_path / "fp32.onnx", tmp_path / "int8.onnx")
    x = np.ones((1, 64), np.float32)
    x[0, 0] = -1.0  # the zero point lands mid-range, so the ones quantise to 255
    got = ort.InferenceSession(str(tmp_path / "int8.onnx"), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    return got, x @ weight


def test_the_shipped_int8_format_multiplies_without_saturating_on_this_cpu(tmp_path):
    got, exact = _extreme_product(tmp_path, quantize)
    flags = sorted(int8_extensions())
    assert np.abs(got - exact).max() < 0.02 * np.abs(exact).max(), f"on {flags}: {got} against {exact}"


@pytest.mark.skipif(not saturates(int8_extensions()),
                    reason="saturation happens on x86 CPUs with AVX2 and without VNNI; this one is not such")
def test_full_range_int8_weights_saturate_on_a_cpu_without_vnni(tmp_path):
    """Why the shipped format is not the full-range int8 it was until 2026-12-07 (benchmarks/int8.py)."""
    got, exact = _extreme_product(tmp_path, lambda s, t: quantize_weights(s, t, WeightFormat("int8")))
    assert abs(got[0, 0] - exact[0, 0]) > 0.5 * abs(exact[0, 0])


def test_the_export_check_samples_sentences_across_the_set_and_keeps_the_longest():
    sentences = [np.arange(2 + i % 7) for i in range(1000)]
    sentences[555] = np.arange(40)
    chosen = sample_sentences(sentences, 16)
    assert len(chosen) == 16 and any(len(s) == 40 for s in chosen)
    assert len({id(s) for s in chosen}) == 16  # no sentence twice
    assert chosen[0] is sentences[555] and chosen[1] is sentences[0] and chosen[-1] is sentences[999]
    assert sample_sentences(sentences[:5], 16) == sentences[:5]


def test_the_shipped_format_stores_matmul_weights_in_seven_bits(tmp_path):
    """The CPU-independent half of the check above: on a CPU with VNNI the product test passes whatever the
    format, so the stored weights are read too (7-bit int8: within [-64, 64])."""
    weight = np.random.default_rng(1).normal(0, 1, (64, 8)).astype(np.float32)
    _matmul_model(tmp_path / "fp32.onnx", weight)
    quantize(tmp_path / "fp32.onnx", tmp_path / "int8.onnx")
    stored = [numpy_helper.to_array(t) for t in onnx.load(str(tmp_path / "int8.onnx")).graph.initializer
              if t.data_type == TensorProto.INT8 and t.dims == [64, 8]]
    assert len(stored) == 1 and np.abs(stored[0].astype(int)).max() <= 64
