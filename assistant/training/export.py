"""Exporting the trained joint model to ONNX, int8 quantisation, and the equivalence check.

The student trains as :class:`FastSqueezeBert` and is exported as :class:`SplitGroupsSqueezeBert`
(one 2-D MatMul per convolution group, [batch, sequence, channels]), so the graph has no Conv
nodes; dynamic int8 quantisation then turns the MatMuls into DynamicQuantizeMatMul with packed
weights and the embedding tables into int8 Gathers, which is most of the model's size.
``benchmarks/nlu.py`` measures this layout against the batched one and transformers' Conv1d.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Literal

import numpy as np
import torch

from assistant.training.fast_squeezebert import FastSqueezeBert
from assistant.training.modeling import JointModel
from assistant.training.split_groups import SplitGroupsSqueezeBert, splits_cleanly

INPUT_NAMES = ["input_ids", "attention_mask"]
OUTPUT_NAMES = ["intent_logits", "slot_logits"]
OPSET = 17
Layout = Literal["split", "batched"]


def export_onnx(joint: JointModel, path: Path, sample_ids: torch.Tensor, layout: Layout = "split") -> None:
    """TorchScript-based export (``dynamo=False``): it needs no extra packages and its graph is what
    the equivalence tests and benchmarks measure; torch 2.13 (pinned) still ships it, deprecated.
    A SqueezeBERT student is exported group by group (``split``) unless ``batched`` is asked for
    (the benchmark's comparison) or its groups do not line up; other encoders as they are."""
    joint.eval()
    mask = torch.ones_like(sample_ids)
    module: torch.nn.Module = joint
    encoder = joint.encoder
    if layout == "split" and isinstance(encoder, FastSqueezeBert) and splits_cleanly(encoder.config):
        module = _SplitJoint(joint, SplitGroupsSqueezeBert(encoder.model))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        _export(module, path, sample_ids, mask)


class _SplitJoint(torch.nn.Module):
    """The joint model's heads on the split-layout encoder (same parameters)."""

    def __init__(self, joint: JointModel, encoder: SplitGroupsSqueezeBert) -> None:
        super().__init__()
        self.joint = joint
        self.encoder = encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.joint.heads(self.encoder(input_ids, attention_mask), attention_mask)


def _export(module: torch.nn.Module, path: Path, sample_ids: torch.Tensor, mask: torch.Tensor) -> None:
    torch.onnx.export(
        module, (sample_ids, mask), str(path), input_names=INPUT_NAMES, output_names=OUTPUT_NAMES,
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
    mask = torch.ones_like(ids)
    intents, slots = joint.heads(encoder.model(input_ids=ids, attention_mask=mask).last_hidden_state, mask)
    return intents.numpy(), slots.numpy()


def onnx_logits(path: Path, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    intents, slots = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
    return intents, slots


def max_difference(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    return max(float(np.abs(x - y).max()) for x, y in zip(a, b, strict=True))


def quantize(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of MatMul weights and the embedding tables.

    MatMul weights get a scale per output column: MiniLM's residual stream has an outlier channel, and
    a grouped output layer fitted to reproduce it (``--fit-groups``) holds weights a hundred times
    larger in that one column, so one scale for the whole matrix left the other 95 columns of its
    group one or two int8 steps (docs/accuracy.md)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # the quantizer logs advice through the root logger
    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"], per_channel=True)
