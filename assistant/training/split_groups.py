"""SqueezeBERT's forward pass with each convolution group as its own 2-D MatMul: the layout we export.

Training computes with :class:`FastSqueezeBert` (all groups in one batched MatMul), which is what
PyTorch's backward pass is fast at. ONNX Runtime is not: a batched MatMul with a 3-D weight
quantises to ``MatMulIntegerToFloat`` without pre-packed weights, and the reshapes and transposes
around it cost more than the arithmetic at the short sequences an assistant sees. Here every
group is a plain ``x_g @ W_g`` on a slice of the channels, which quantises to
``DynamicQuantizeMatMul`` with packed int8 weights, and the graph has a third fewer nodes:

- a group's query, key and value weights are one MatMul ([q | k | v] side by side), and its
  outputs are exactly the heads that group owns, so one reshape and one transpose give every head;
- the intermediate and output convolutions have the same groups, so a group's activations stay
  in their slice from one to the other (no concatenation in between).

Same parameters as the wrapped ``SqueezeBertModel``, same function (tested against transformers).
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn
from torch.nn import functional
from transformers import SqueezeBertConfig, SqueezeBertModel

from assistant.training.fast_squeezebert import layer_norm


def splits_cleanly(config: SqueezeBertConfig) -> bool:
    """True when the groups line up as this layout needs: query, key and value share their groups,
    whole heads fall in each group, and the feed-forward pair shares its groups (SqueezeBERT as
    published, and every shape ``assistant train`` builds)."""
    groups = config.q_groups
    heads = config.num_attention_heads
    return (config.k_groups == config.v_groups == groups and heads % groups == 0
            and config.hidden_size % heads == 0 and config.intermediate_groups == config.output_groups
            and config.hidden_size % config.intermediate_groups == 0)


def _group_weights(conv: nn.Conv1d, groups: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Each group's weight as [in, out] (for ``x @ w``) and its bias (zeros when the conv has none)."""
    weight = conv.weight[:, :, 0]
    bias = conv.bias if conv.bias is not None else weight.new_zeros(weight.shape[0])
    size = weight.shape[0] // groups
    return [(weight[i * size:(i + 1) * size].t(), bias[i * size:(i + 1) * size]) for i in range(groups)]


def _affine(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return torch.matmul(x, weight) + bias


class SplitGroupsSqueezeBert(nn.Module):
    """``SqueezeBertModel`` (without its pooler) computed group by group; see the module docstring."""

    def __init__(self, model: SqueezeBertModel) -> None:
        super().__init__()
        if not splits_cleanly(model.config):
            raise ValueError("this SqueezeBERT configuration's groups do not line up for the split layout")
        self.model = model
        config = model.config
        self.groups = config.q_groups
        self.ffn_groups = config.intermediate_groups
        self.width = config.hidden_size  # a Python int, so the exported Split has constant sizes
        self.heads = config.num_attention_heads
        self.head_size = config.hidden_size // self.heads

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.model.embeddings(input_ids=input_ids)
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        layers: Any = self.model.encoder.layers  # transformers modules: attribute access is untyped
        for layer in layers:
            context = self._attention(x, layer.attention, bias)
            post = layer.post_attention
            attended = functional.linear(context, post.conv1d.weight[:, :, 0], post.conv1d.bias)
            x = layer_norm(post.dropout(attended) + x, post.layernorm)
            x = layer_norm(self._feed_forward(x, layer.intermediate, layer.output) + x, layer.output.layernorm)
        return x

    def _attention(self, x: torch.Tensor, attention: Any, mask_bias: torch.Tensor) -> torch.Tensor:
        groups, size = self.groups, self.head_size
        per_group = [_group_weights(conv, groups) for conv in (attention.query, attention.key, attention.value)]
        slices = torch.split(x, self.width // groups, dim=-1)
        fused = []
        for g, part in enumerate(slices):
            weight = torch.cat([w[g][0] for w in per_group], dim=1)
            fused.append(_affine(part, weight, torch.cat([w[g][1] for w in per_group])))
        # [batch, seq, group, q/k/v, head in group, head size] -> [q/k/v, batch, head, seq, head size]
        batch = x.shape[0]
        qkv = torch.cat(fused, dim=-1).reshape(batch, -1, groups, 3, self.heads // groups, size)
        q, k, v = qkv.permute(3, 0, 2, 4, 1, 5).reshape(3, batch, self.heads, -1, size).unbind(0)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(size)) + mask_bias
        probs = attention.dropout(torch.softmax(scores, dim=-1))
        return torch.matmul(probs, v).transpose(1, 2).reshape(batch, -1, self.heads * size)

    def _feed_forward(self, x: torch.Tensor, intermediate: Any, output: Any) -> torch.Tensor:
        groups = self.ffn_groups
        slices = torch.split(x, self.width // groups, dim=-1)
        inner = _group_weights(intermediate.conv1d, groups)
        outer = _group_weights(output.conv1d, groups)
        outs = [_affine(intermediate.act(_affine(part, *inner[g])), *outer[g]) for g, part in enumerate(slices)]
        return output.dropout(torch.cat(outs, dim=-1))
