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
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn
from torch.nn import functional
from transformers import SqueezeBertModel


def grouped_pointwise(x: torch.Tensor, conv: nn.Conv1d) -> torch.Tensor:
    """A grouped 1x1 ``Conv1d`` applied to x of shape [batch, sequence, channels]."""
    groups = conv.groups
    out_channels, in_per_group, _ = conv.weight.shape
    if groups == 1:
        return functional.linear(x, conv.weight[:, :, 0], conv.bias)
    out_per_group = out_channels // groups
    batch, seq, _ = x.shape
    weight = conv.weight.view(groups, out_per_group, in_per_group).transpose(1, 2)  # [g, in/g, out/g]
    grouped = x.reshape(batch * seq, groups, in_per_group).transpose(0, 1)  # [g, batch*seq, in/g]
    y = torch.matmul(grouped, weight).transpose(0, 1).reshape(batch, seq, out_channels)
    return y if conv.bias is None else y + conv.bias


def layer_norm(x: torch.Tensor, norm: nn.LayerNorm) -> torch.Tensor:
    # SqueezeBertLayerNorm transposes around the channel axis; here channels are already last.
    return nn.LayerNorm.forward(norm, x)


class FastSqueezeBert(nn.Module):
    """Same function and parameters as ``SqueezeBertModel`` (without its pooler)."""

    def __init__(self, model: SqueezeBertModel) -> None:
        super().__init__()
        self.model = model
        self.config = model.config
        self.heads = model.config.num_attention_heads
        self.head_size = model.config.hidden_size // self.heads

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.hidden_states(input_ids, attention_mask)[-1]

    def hidden_states(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> list[torch.Tensor]:
        """The embeddings' output and every layer's, [batch, sequence, channels] each."""
        x = self.model.embeddings(input_ids=input_ids)
        states = [x]
        batch, seq, _ = x.shape
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        scale = 1.0 / math.sqrt(self.head_size)
        layers: Any = self.model.encoder.layers  # transformers modules: attribute access is untyped
        for layer in layers:
            attention = layer.attention
            q = grouped_pointwise(x, attention.query).view(batch, seq, self.heads, self.head_size).transpose(1, 2)
            k = grouped_pointwise(x, attention.key).view(batch, seq, self.heads, self.head_size).permute(0, 2, 3, 1)
            v = grouped_pointwise(x, attention.value).view(batch, seq, self.heads, self.head_size).transpose(1, 2)
            probs = attention.dropout(torch.softmax(torch.matmul(q, k) * scale + bias, dim=-1))
            context = torch.matmul(probs, v).transpose(1, 2).reshape(batch, seq, self.heads * self.head_size)
            post = layer.post_attention
            x = layer_norm(post.dropout(grouped_pointwise(context, post.conv1d)) + x, post.layernorm)
            hidden = layer.intermediate.act(grouped_pointwise(x, layer.intermediate.conv1d))
            out = layer.output
            x = layer_norm(out.dropout(grouped_pointwise(hidden, out.conv1d)) + x, out.layernorm)
            states.append(x)
        return states
