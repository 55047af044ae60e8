"""Grouped layers started from what the dense layers compute, not from their diagonal blocks.

A grouped 1x1 convolution's output group reads only its own slice of the input channels. Cutting
a dense weight down to its diagonal blocks (:func:`assistant.training.initialise.block_diagonal_into`)
drops three quarters of what each output reads with 4 groups, and MiniLM spreads its weights
evenly over the input channels. The channels are strongly correlated, though, so a block fitted
by least squares to reproduce the dense layer's outputs from its own slice recovers much more of
them (measured in docs/accuracy.md).

The fit runs layer by layer and projection by projection, in the order the student computes: each
block is fitted to the source's outputs from the inputs the student, as fitted so far, actually
gives it, so that errors do not compound (fitted to the source's own inputs instead, each
projection is closer but the stack of them drifts further than the cut one does). Only the
inputs' second moments and their products with the targets are kept, so memory does not grow
with the number of tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from transformers import BertModel, SqueezeBertModel

from assistant.training.fast_bert import FastBert
from assistant.training.fast_squeezebert import FastSqueezeBert
from assistant.training.features import Features, by_length
from assistant.training.packing import RealTokens

FIT_EXAMPLES = 4096
"""Training examples whose tokens the fit sees (evenly spaced over the list): tens of thousands
of tokens for at most 97 coefficients per output channel at 4 groups of 384."""
RIDGE = 1e-3
"""Ridge penalty, relative to the mean diagonal of the inputs' second moments."""


class _Moments:
    """[x, 1]^T [x, 1] and, for each target y, [x, 1]^T y, summed over tokens."""

    def __init__(self, targets: int) -> None:
        self.gram = torch.zeros(0)
        self.cross = [torch.zeros(0)] * targets

    def add(self, x: torch.Tensor, ys: Sequence[torch.Tensor]) -> None:
        x = x.reshape(-1, x.shape[-1])  # packed [tokens, channels], or unpacked if no token was padding
        x = torch.cat([x, x.new_ones(x.shape[0], 1)], dim=1).double()
        first = not self.gram.numel()
        self.gram = x.T @ x if first else self.gram + x.T @ x
        products = [x.T @ y.reshape(-1, y.shape[-1]).double() for y in ys]
        self.cross = products if first else [c + p for c, p in zip(self.cross, products, strict=True)]


class _InputRecorder(FastSqueezeBert):
    """Computes as :class:`FastSqueezeBert` does and keeps what one convolution was given."""

    def __init__(self, model: SqueezeBertModel) -> None:
        super().__init__(model)
        self.watched: nn.Conv1d | None = None
        self.seen: torch.Tensor | None = None

    def project(self, x: torch.Tensor, conv: nn.Conv1d) -> torch.Tensor:
        if conv is self.watched:
            self.seen = x
        return super().project(x, conv)


@dataclass
class _Batch:
    tokens: RealTokens
    student: torch.Tensor
    """The student's packed hidden states entering the current layer."""
    source: torch.Tensor
    """The source's, for the same tokens."""


@torch.no_grad()
def fit_grouped_layers(student: SqueezeBertModel, source: BertModel, features: Sequence[Features],
                       batch_size: int = 64) -> None:
    """Fit the student's grouped q, k, v, intermediate and output weights, layer by layer, to
    ``source``'s dense projections on ``features`` (same depth and width; the rest already copied)."""
    step = max(1, len(features) // FIT_EXAMPLES)
    student_encoder, source_encoder = _InputRecorder(student), FastBert(source)
    modes = student.training, source.training
    student.eval()
    source.eval()
    batches = []
    for padded in by_length(list(features[::step]), batch_size):
        tokens = RealTokens(padded.attention_mask)
        batches.append(_Batch(tokens, tokens.pack(student.embeddings(input_ids=padded.input_ids)),
                              tokens.pack(source.embeddings(input_ids=padded.input_ids))))
    s_layers: Any = student.encoder.layers  # transformers modules: attribute access is untyped
    b_layers: Any = source.encoder.layer
    for s_layer, b_layer in zip(s_layers, b_layers, strict=True):
        attention: Any = b_layer.attention.self
        for convs, denses in (((s_layer.attention.query, s_layer.attention.key, s_layer.attention.value),
                               (attention.query, attention.key, attention.value)),
                              ((s_layer.intermediate.conv1d,), (b_layer.intermediate.dense,)),
                              ((s_layer.output.conv1d,), (b_layer.output.dense,))):
            moments = _Moments(len(convs))  # q, k and v read the same input
            for batch in batches:
                moments.add(_inputs(student_encoder, s_layer, convs[0], batch),
                            _outputs(source_encoder, b_layer, denses, batch))
            for conv, cross in zip(convs, moments.cross, strict=True):
                fit_block_diagonal(conv, moments.gram, cross)
        for batch in batches:
            batch.student = student_encoder.layer(s_layer, batch.student, batch.tokens)
            batch.source = source_encoder.layer(b_layer, batch.source, batch.tokens)
    student.train(modes[0])
    source.train(modes[1])


def _outputs(encoder: FastBert, layer: Any, denses: Sequence[nn.Linear], batch: _Batch) -> list[torch.Tensor]:
    """What each of the source's dense projections outputs when the layer runs on this batch."""
    seen: dict[int, torch.Tensor] = {}
    handles = [dense.register_forward_hook(lambda module, args, out, i=i: seen.__setitem__(i, out))
               for i, dense in enumerate(denses)]
    try:
        encoder.layer(layer, batch.source, batch.tokens)
    finally:
        for handle in handles:
            handle.remove()
    return [seen[i] for i in range(len(denses))]


def _inputs(encoder: _InputRecorder, layer: Any, conv: nn.Conv1d, batch: _Batch) -> torch.Tensor:
    """What the student gives this convolution when the layer runs on this batch."""
    encoder.watched, encoder.seen = conv, None
    encoder.layer(layer, batch.student, batch.tokens)
    seen, encoder.watched, encoder.seen = encoder.seen, None, None
    assert seen is not None
    return seen


def fit_block_diagonal(conv: nn.Conv1d, gram: torch.Tensor, cross: torch.Tensor) -> None:
    """Each group of ``conv``: the weights and bias on its input slice that best reproduce the
    targets ``y`` for that group, given ``gram`` = [x, 1]^T [x, 1] and ``cross`` = [x, 1]^T y."""
    assert conv.bias is not None
    groups = conv.groups
    in_features, out_features = gram.shape[0] - 1, cross.shape[1]
    out_size, in_size = out_features // groups, in_features // groups
    penalty = RIDGE * float(gram.diagonal()[:-1].mean())
    ridge = torch.diag(torch.cat([torch.full((in_size,), penalty), torch.zeros(1)])).double()
    for g in range(groups):
        rows = torch.cat([torch.arange(g * in_size, (g + 1) * in_size), torch.tensor([in_features])])
        outputs = slice(g * out_size, (g + 1) * out_size)
        solution = torch.linalg.solve(gram[rows][:, rows] + ridge, cross[rows, outputs]).to(conv.weight.dtype)
        conv.weight.data[outputs, :, 0] = solution[:in_size].T
        conv.bias.data[outputs] = solution[in_size]
