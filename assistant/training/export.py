"""Exporting the trained joint model to ONNX, int8 quantisation, and the equivalence check.

The student trains as :class:`FastSqueezeBert` and is exported as :class:`SplitGroupsSqueezeBert`
(one 2-D MatMul per convolution group, [batch, sequence, channels]), so the graph has no Conv
nodes; dynamic int8 quantisation then turns the MatMuls into DynamicQuantizeMatMul with packed
weights and the embedding tables into int8 Gathers, which is most of the model's size.
``benchmarks/nlu.py`` measures this layout against the batched one and transformers' Conv1d.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import torch

from assistant.nlu.int8_kernels import WeightFormat, precision_of
from assistant.training.fast_squeezebert import FastSqueezeBert
from assistant.training.modeling import JointModel
from assistant.training.split_groups import SplitGroupsSqueezeBert, splits_cleanly

INPUT_NAMES = ["input_ids", "attention_mask"]
OUTPUT_NAMES = ["intent_logits", "slot_logits"]
OPSET = 17
Layout = Literal["split", "batched"]
SHIPPED_FORMAT = WeightFormat("int8", reduce_range=True)
"""Chosen 2026-12-07 on the shipped weights (docs/performance.md): 7-bit int8 and uint8 both changed no
built-in example's intent; by the rule set before, the smaller largest logit change decided."""
INT8 = precision_of(SHIPPED_FORMAT)
"""What :func:`quantize` makes, as the model card records it (benchmarks compare cached models by it);
"int8 dynamic (MatMul per output column, Gather)" until 2026-12-07 was full-range int8 weights."""
SAMPLE = 64
"""Sentences the export check runs one at a time (:func:`largest_differences`)."""


def precision(quantized: bool) -> str:
    """The model card's precision of an export, quantised or not."""
    return INT8 if quantized else "fp32"


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
    return _onnx_runner(path)(ids)


def _onnx_runner(path: Path) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    def run(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        intents, slots = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        return intents, slots

    return run


def max_difference(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    return max(float(np.abs(x - y).max()) for x, y in zip(a, b, strict=True))


def largest_differences(joint: JointModel, fp32: Path, int8: Path | None,
                        sentences: Sequence[np.ndarray]) -> dict[str, float]:
    """The largest |logit| change the export (and the int8 quantisation) make over ``sentences``, each
    run alone as the app parses a request: int8 activations are quantised per batch, so a batch would
    measure another thing. One sentence is not enough: an int8 defect that moved one example by six
    logits left the longest sentence within half a logit (docs/accuracy.md)."""
    exported = _onnx_runner(fp32)
    quantised = _onnx_runner(int8) if int8 is not None else None
    export_changes, int8_changes = [], []
    for ids in sentences:
        batch = ids[None, :]
        fp32_logits = exported(batch)
        export_changes.append(max_difference(reference_logits(joint, torch.from_numpy(batch)), fp32_logits))
        if quantised is not None:
            int8_changes.append(max_difference(fp32_logits, quantised(batch)))
    differences = {"transformers_vs_onnx_fp32": max(export_changes, default=0.0)}
    if quantised is not None:
        differences["onnx_fp32_vs_int8"] = max(int8_changes, default=0.0)
    return differences


def sample_sentences(sentences: Sequence[np.ndarray], count: int = SAMPLE) -> list[np.ndarray]:
    """The longest sentence and others spread evenly from the first to the last, at most ``count``."""
    if len(sentences) <= count:
        return list(sentences)
    longest = max(range(len(sentences)), key=lambda i: len(sentences[i]))
    spread = np.linspace(0, len(sentences) - 1, count - 1).round().astype(int)
    return [sentences[i] for i in dict.fromkeys([longest, *spread.tolist()])]


def quantize(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of MatMul weights and the embedding tables, in the shipped format.

    MatMul weights get a scale per output column: MiniLM's residual stream has an outlier channel, and
    a grouped output layer fitted to reproduce it (``--fit-groups``) holds weights a hundred times
    larger in that one column, so one scale for the whole matrix left the other 95 columns of its
    group one or two int8 steps (docs/accuracy.md)."""
    quantize_weights(source, target, SHIPPED_FORMAT)


def quantize_weights(source: Path, target: Path, weight_format: WeightFormat) -> None:
    """ONNX Runtime's dynamic quantisation of MatMul weights (a scale per output column) and Gathers."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # the quantizer logs advice through the root logger
    quantize_dynamic(str(source), str(target), op_types_to_quantize=["MatMul", "Gather"], per_channel=True,
                     weight_type=QuantType.QUInt8 if weight_format.weights == "uint8" else QuantType.QInt8,
                     reduce_range=weight_format.reduce_range)
