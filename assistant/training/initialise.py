"""Starting SqueezeBERT from a BERT-shaped model (MiniLM) where the shapes allow.

Embeddings, layer norms and the (dense) post-attention projection copy over exactly. A grouped
1x1 convolution with g groups can only hold the g diagonal blocks of a dense weight, so q, k, v,
intermediate and output start from those blocks; distillation then recovers what was cut.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from transformers import BertModel, SqueezeBertModel


def block_diagonal_into(conv: nn.Conv1d, dense: nn.Linear) -> None:
    groups = conv.groups
    out_features, in_features = dense.weight.shape
    og, ig = out_features // groups, in_features // groups
    weight = torch.empty_like(conv.weight)  # [out, in / groups, 1]
    for g in range(groups):
        weight[g * og:(g + 1) * og, :, 0] = dense.weight.data[g * og:(g + 1) * og, g * ig:(g + 1) * ig]
    conv.weight.data.copy_(weight)
    assert conv.bias is not None
    conv.bias.data.copy_(dense.bias.data)


@torch.no_grad()
def squeezebert_from_bert(student: SqueezeBertModel, bert: BertModel) -> None:
    """Copy what fits from ``bert`` (same vocabulary, hidden size and depth) into ``student``."""
    s_emb, b_emb = student.embeddings, bert.embeddings
    s_emb.word_embeddings.weight.copy_(b_emb.word_embeddings.weight)
    positions = s_emb.position_embeddings.weight.shape[0]
    s_emb.position_embeddings.weight.copy_(b_emb.position_embeddings.weight[:positions])
    types = s_emb.token_type_embeddings.weight.shape[0]
    s_emb.token_type_embeddings.weight.copy_(b_emb.token_type_embeddings.weight[:types])
    s_emb.LayerNorm.load_state_dict(b_emb.LayerNorm.state_dict())
    student_layers: Any = student.encoder.layers  # transformers modules: attribute access is untyped
    bert_layers: Any = bert.encoder.layer
    for s_layer, b_layer in zip(student_layers, bert_layers, strict=True):
        attention = b_layer.attention
        block_diagonal_into(s_layer.attention.query, attention.self.query)
        block_diagonal_into(s_layer.attention.key, attention.self.key)
        block_diagonal_into(s_layer.attention.value, attention.self.value)
        block_diagonal_into(s_layer.post_attention.conv1d, attention.output.dense)
        s_layer.post_attention.layernorm.load_state_dict(attention.output.LayerNorm.state_dict())
        block_diagonal_into(s_layer.intermediate.conv1d, b_layer.intermediate.dense)
        block_diagonal_into(s_layer.output.conv1d, b_layer.output.dense)
        s_layer.output.layernorm.load_state_dict(b_layer.output.LayerNorm.state_dict())
