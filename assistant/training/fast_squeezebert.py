"""SqueezeBERT's forward pass in [batch, sequence, channels] layout, on transformers' own parameters.

``transformers.SqueezeBertModel`` computes in [batch, channels, sequence] with grouped ``Conv1d``;
on a CPU its backward pass is several times slower than the same arithmetic written as one
batched MatMul over the groups (measured: ``benchmarks/``). This module keeps the parameters
where transformers has them (so checkpoints load and save with ``from_pretrained`` and
``save_pretrained``) and only computes differently. For ONNX Runtime the same parameters are
exported group by group (:mod:`assistant.training.split_groups`): it runs a grouped 1x1 Conv as
one small single-threaded GEMM per group, int8 quantisation turns Conv into the slow
ConvInteger, and a batched MatMul with 3-D weights quantises less well than 2-D ones.
Equivalence with ``SqueezeBertModel`` is tested.

Per-token layers run on the real tokens only (:mod:`assistant.training.packing`).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn import functional
from transformers import SqueezeBertModel

from assistant.training.packing import PackedEncoder, RealTokens


def grouped_pointwise(x: torch.Tensor, conv: nn.Conv1d) -> torch.Tensor:
    """A grouped 1x1 ``Conv1d`` applied to x of shape [..., channels]."""
    groups = conv.groups
    out_channels, in_per_group, _ = conv.weight.shape
    if groups == 1:
        return functional.linear(x, conv.weight[:, :, 0], conv.bias)
    out_per_group = out_channels // groups
    weight = conv.weight.view(groups, out_per_group, in_per_group).transpose(1, 2)  # [g, in/g, out/g]
    grouped = x.reshape(-1, groups, in_per_group).transpose(0, 1)  # [g, tokens, in/g]
    y = torch.matmul(grouped, weight).transpose(0, 1).reshape(*x.shape[:-1], out_channels)
    return y if conv.bias is None else y + conv.bias


def layer_norm(x: torch.Tensor, norm: nn.LayerNorm) -> torch.Tensor:
    # SqueezeBertLayerNorm transposes around the channel axis; here channels are already last.
    return nn.LayerNorm.forward(norm, x)


class FastSqueezeBert(PackedEncoder[SqueezeBertModel]):
    """Same function and parameters as ``SqueezeBertModel`` (without its pooler)."""

    def layers(self) -> list[Any]:
        return list(self.model.encoder.layers)

    def layer(self, layer: Any, x: torch.Tensor, tokens: RealTokens) -> torch.Tensor:
        attention, project = layer.attention, self.project
        context = tokens.attend(project(x, attention.query), project(x, attention.key), project(x, attention.value),
                                self.heads, self.head_size, attention.dropout)
        post = layer.post_attention
        x = layer_norm(post.dropout(project(context, post.conv1d)) + x, post.layernorm)
        hidden = layer.intermediate.act(project(x, layer.intermediate.conv1d))
        out = layer.output
        return layer_norm(out.dropout(project(hidden, out.conv1d)) + x, out.layernorm)

    def project(self, x: torch.Tensor, conv: nn.Conv1d) -> torch.Tensor:
        """Every 1x1 convolution goes through here (so the student's initialisation can see its inputs)."""
        return grouped_pointwise(x, conv)
