"""Exporting the trained joint model to ONNX, int8 quantisation, and the equivalence check.

The student's encoder is :class:`FastSqueezeBert` (batched MatMul in [batch, sequence, channels]),
so the exported graph has no Conv nodes; dynamic int8 quantisation then turns the MatMuls into
MatMulInteger and the embedding tables into int8 Gathers, which is most of the model's size.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch

from assistant.training.fast_squeezebert import FastSqueezeBert
from assistant.training.modeling import JointModel

INPUT_NAMES = ["input_ids", "attention_mask"]
OUTPUT_NAMES = ["intent_logits", "slot_logits"]
OPSET = 17


def export_onnx(joint: JointModel, path: Path, sample_ids: torch.Tensor) -> None:
    """TorchScript-based export (``dynamo=False``): it needs no extra packages and its graph is what
    the equivalence tests and benchmarks measure; torch 2.13 (pinned) still ships it, deprecated."""
    joint.eval()
    mask = torch.ones_like(sample_ids)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        _export(joint, path, sample_ids, mask)


def _export(joint: JointModel, path: Path, sample_ids: torch.Tensor, mask: torch.Tensor) -> None:
    torch.onnx.export(
        joint, (sample_ids, mask), str(path), input_names=INPUT_NAMES, output_names=OUTPUT_NAMES,
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                      "intent_logits": {0: "batch"}, "slot_logits": {0: "batch", 1: "sequence"}},
        opset_version=OPSET, dynamo=False,
    )


@torch.no_grad()
def reference_logits(joint: JointModel, ids: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Logits computed by transformers' own ``SqueezeBertModel`` forward (the Conv1d layout)."""
    joint.eval()
    encoder = joint.encoder
    assert isinstance(encoder, FastSqueezeBert)
    hidden = encoder.model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
    return joint.intent_head(hidden[:, 0]).numpy(), joint.slot_head(hidden).numpy()


def onnx_logits(path: Path, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    intents, slots = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
    return intents, slots


def max_difference(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    return max(float(np.abs(x - y).max()) for x, y in zip(a, b, strict=True))


def quantize(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of MatMul weights and the embedding tables."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # the quantizer logs advice through the root logger
    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"], per_channel=False)
