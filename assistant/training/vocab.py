"""Pruning the WordPiece vocabulary so the embedding table fits the size budget.

BERT's uncased vocabulary lists whole words roughly by corpus frequency. We keep the special
tokens, every single-character piece (so any word still tokenizes, in more pieces), every piece
the training data uses, and then the most frequent remaining pieces up to the budget.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from tokenizers import Tokenizer

SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def prune_tokenizer(base: Path, texts: Iterable[str], size: int) -> tuple[Tokenizer, list[int]]:
    """A tokenizer over a pruned vocabulary, and for each new id the id it had in ``base``."""
    data = json.loads(base.read_text(encoding="utf-8"))
    vocab: dict[str, int] = data["model"]["vocab"]
    full = Tokenizer.from_str(json.dumps(data))
    full.no_truncation()
    full.no_padding()
    keep = {t for t in SPECIAL if t in vocab}
    keep |= {t for t in vocab if len(t) == 1 or (t.startswith("##") and len(t) == 3)}
    for encoding in full.encode_batch(list(texts)):
        keep.update(encoding.tokens)
    for token, _ in sorted(vocab.items(), key=lambda kv: kv[1]):
        if len(keep) >= size:
            break
        if not token.startswith("[unused"):
            keep.add(token)
    old_ids = sorted(vocab[t] for t in keep)
    by_id = {i: t for t, i in vocab.items()}
    new_vocab = {by_id[old]: new for new, old in enumerate(old_ids)}
    data["model"]["vocab"] = new_vocab
    data["truncation"] = None
    data["padding"] = None
    data["added_tokens"] = [
        {**tok, "id": new_vocab[tok["content"]]} for tok in data.get("added_tokens", []) if tok["content"] in new_vocab
    ]
    post = data.get("post_processor") or {}
    for special in (post.get("special_tokens") or {}).values():
        special["ids"] = [new_vocab[t] for t in special["tokens"]]
    return Tokenizer.from_str(json.dumps(data)), old_ids
