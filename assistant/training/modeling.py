"""The joint model: an encoder, an intent head on a pooled sentence vector and a tag head on every token."""

from __future__ import annotations

import torch
from torch import nn
from transformers import BertConfig, BertModel, SqueezeBertConfig, SqueezeBertModel

from assistant.training.config import Pooling


def pool(hidden: torch.Tensor, attention_mask: torch.Tensor, pooling: Pooling) -> torch.Tensor:
    """The sentence vector the intent head reads: the first token ([CLS]), or the mean over real
    tokens, which is what MiniLM's sentence-embedding training shaped (its [CLS] never was)."""
    if pooling == "first":
        return hidden[:, 0]
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)


class JointModel(nn.Module):
    """``encoder`` is a transformers model (BERT teacher) or a :class:`FastSqueezeBert` (student)."""

    def __init__(self, encoder: nn.Module, hidden: int, n_intents: int, n_tags: int, dropout: float = 0.1,
                 pooling: Pooling = "first") -> None:
        super().__init__()
        self.encoder = encoder
        self.pooling = pooling
        self.dropout = nn.Dropout(dropout)
        self.intent_head = nn.Linear(hidden, n_intents)
        self.slot_head = nn.Linear(hidden, n_tags)
        self.crf: nn.Module | None = None
        """Learned tag-pair scores (:class:`~assistant.training.crf.TagCrf`) when trained with ``--crf``. The
        forward pass (and so the ONNX export) does not use them; the decoder does, from the model card."""

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        intents, slots, _ = self.forward_with_sentence(input_ids, attention_mask)
        return intents, slots

    def heads(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Intent and tag logits from the encoder's last hidden states."""
        intents, slots, _ = self._heads(hidden, attention_mask)
        return intents, slots

    def _heads(self, hidden: torch.Tensor, attention_mask: torch.Tensor,
               ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        hidden = self.dropout(hidden)
        sentence = pool(hidden, attention_mask, self.pooling)
        return self.intent_head(sentence), self.slot_head(hidden), sentence

    def forward_with_sentence(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Logits plus the sentence vector the intent head reads, for matching it to another space."""
        output = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        hidden = output if isinstance(output, torch.Tensor) else output.last_hidden_state
        return self._heads(hidden, attention_mask)

    def forward_with_hidden(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                            ) -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
        """Logits plus every layer's hidden states (embeddings first), for layer-wise distillation."""
        hidden_states = getattr(self.encoder, "hidden_states", None)
        if callable(hidden_states):
            states: list[torch.Tensor] = hidden_states(input_ids, attention_mask)
        else:
            output = self.encoder(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
            states = list(output.hidden_states)
        intents, slots = self.heads(states[-1], attention_mask)
        return intents, slots, states


def squeezebert_config(vocab_size: int, layers: int, hidden: int, heads: int, intermediate: int, groups: int,
                       max_positions: int) -> SqueezeBertConfig:
    """SqueezeBERT with grouped q/k/v, intermediate and output convolutions (post-attention dense)."""
    return SqueezeBertConfig(
        vocab_size=vocab_size, hidden_size=hidden, embedding_size=hidden, num_hidden_layers=layers,
        num_attention_heads=heads, intermediate_size=intermediate, max_position_embeddings=max_positions,
        q_groups=groups, k_groups=groups, v_groups=groups, post_attention_groups=1,
        intermediate_groups=groups, output_groups=groups, pad_token_id=0,
    )


def new_squeezebert(config: SqueezeBertConfig) -> SqueezeBertModel:
    return SqueezeBertModel(config)


def bert_with_vocabulary(bert: BertModel, old_ids: list[int]) -> BertModel:
    """Keep only the embedding rows of the pruned vocabulary (in its new order)."""
    old = bert.embeddings.word_embeddings.weight.data
    table = nn.Embedding(len(old_ids), old.shape[1], padding_idx=0)
    table.weight.data.copy_(old[torch.tensor(old_ids)])
    bert.embeddings.word_embeddings = table
    config: BertConfig = bert.config
    config.vocab_size = len(old_ids)
    return bert


def set_dropout(module: nn.Module, probability: float) -> None:
    """Every dropout layer of ``module`` (transformers builds them from its config) at this probability."""
    for layer in module.modules():
        if isinstance(layer, nn.Dropout):
            layer.p = probability


def parameter_count(module: nn.Module) -> int:
    """Parameters the exported network has (SqueezeBertModel's pooler is not part of the joint model, and a
    CRF's pair scores live in the model card)."""
    return sum(p.numel() for name, p in module.named_parameters() if ".pooler." not in name
               and not name.startswith("crf."))
