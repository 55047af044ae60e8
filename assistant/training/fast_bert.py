"""BERT's forward pass on transformers' own parameters, per-token layers on real tokens only.

The MiniLM teacher is a ``transformers.BertModel``; it trains for a third of a recipe's time, on
the same half-padded random batches as the student (:mod:`assistant.training.packing`). This keeps
its parameters where transformers has them (vocabulary pruning, the student's initialisation and
the sentence space read them there) and only computes differently: absolute positions, encoder
only, no pooler. Equivalence with ``BertModel`` is tested.
"""

from __future__ import annotations

from typing import Any

import torch
from transformers import BertModel

from assistant.training.packing import PackedEncoder, RealTokens


class FastBert(PackedEncoder[BertModel]):
    """Same last hidden states and parameters as ``BertModel`` (an encoder, not a decoder)."""

    def layers(self) -> list[Any]:
        return list(self.model.encoder.layer)

    def layer(self, layer: Any, x: torch.Tensor, tokens: RealTokens) -> torch.Tensor:
        attention = layer.attention.self
        context = tokens.attend(attention.query(x), attention.key(x), attention.value(x), self.heads, self.head_size,
                                attention.dropout)
        post = layer.attention.output
        x = post.LayerNorm(post.dropout(post.dense(context)) + x)
        hidden = layer.intermediate.intermediate_act_fn(layer.intermediate.dense(x))
        out = layer.output
        return out.LayerNorm(out.dropout(out.dense(hidden)) + x)
