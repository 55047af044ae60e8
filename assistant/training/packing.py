"""Computing a padded batch's per-token layers on its real tokens only.

Training batches are drawn at random, so each is padded to its longest utterance: on SNIPS the
mean utterance has 12 word pieces and the mean batch is 22 wide, so almost half of every encoder
layer's work (projections, feed-forward layers, layer norms) would be spent on padding. The encoders in
:mod:`assistant.training.fast_squeezebert` and :mod:`assistant.training.fast_bert` keep the
hidden states packed as [tokens, channels]; only attention, which must see each utterance as a
row, spreads them back onto the padded [batch, sequence] grid. The result is the same function.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import torch
from torch import nn


class RealTokens:
    """Where a batch's real tokens sit in its padded [batch, sequence] grid."""

    def __init__(self, attention_mask: torch.Tensor, pack: bool = True) -> None:
        self.batch, self.seq = attention_mask.shape
        # A traced or compiled graph (ONNX export) must not depend on the sample's mask: it computes padded.
        everything = (not pack or torch.jit.is_tracing() or torch.compiler.is_compiling()
                      or bool(attention_mask.all()))
        self.index = None if everything else attention_mask.reshape(-1).nonzero().squeeze(1)
        self.bias = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

    def pack(self, x: torch.Tensor) -> torch.Tensor:
        """[batch, sequence, channels] -> [tokens, channels] (unchanged when nothing is padding)."""
        if self.index is None:
            return x
        return x.reshape(self.batch * self.seq, -1)[self.index]

    def spread(self, x: torch.Tensor) -> torch.Tensor:
        """The inverse of :meth:`pack`; padding positions get zeros."""
        if self.index is None:
            return x
        grid = x.new_zeros(self.batch * self.seq, x.shape[-1]).index_copy(0, self.index, x)
        return grid.view(self.batch, self.seq, -1)

    def attend(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, heads: int, head_size: int,
               dropout: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
        """Scaled dot-product attention of packed queries, keys and values (padding keys masked).
        The sizes come as numbers, not from the tensors' shapes, so a traced graph has no constants
        taken from a sample."""
        width = heads * head_size
        grid = self.spread(torch.cat([q, k, v], dim=-1))
        q, k, v = (part.reshape(self.batch, self.seq, heads, head_size).transpose(1, 2)
                   for part in grid.split([width, width, width], dim=-1))
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(head_size) + self.bias.to(q.dtype)
        context = torch.matmul(dropout(torch.softmax(scores, dim=-1)), v)
        return self.pack(context.transpose(1, 2).reshape(self.batch, self.seq, width))


Encoder = TypeVar("Encoder", bound=nn.Module)


class PackedEncoder(nn.Module, Generic[Encoder]):
    """A transformers encoder's parameters, computed layer by layer on real tokens only.

    Subclasses say where the layers are and what one layer computes; the parameters stay where
    transformers has them, so checkpoints load and save as usual."""

    model: Encoder

    def __init__(self, model: Encoder, pack: bool = True) -> None:
        super().__init__()
        self.model = model
        self.config: Any = getattr(model, "config")  # noqa: B009 - nn.Module's attributes are untyped
        self.pack = pack
        """False computes on the padded grid throughout (what ``benchmarks/training.py`` compares)."""
        self.heads: int = self.config.num_attention_heads
        self.head_size: int = self.config.hidden_size // self.heads

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.hidden_states(input_ids, attention_mask)[-1]

    def hidden_states(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> list[torch.Tensor]:
        """The embeddings' output and every layer's, [batch, sequence, channels] each."""
        tokens = RealTokens(attention_mask, self.pack)
        embeddings: Any = getattr(self.model, "embeddings")  # noqa: B009
        x = tokens.pack(embeddings(input_ids=input_ids))
        states = [x]
        for layer in self.layers():
            x = self.layer(layer, x, tokens)
            states.append(x)
        return [tokens.spread(state) for state in states]

    def layers(self) -> list[Any]:
        raise NotImplementedError

    def layer(self, layer: Any, x: torch.Tensor, tokens: RealTokens) -> torch.Tensor:
        """One layer on packed hidden states [tokens, channels]."""
        raise NotImplementedError
