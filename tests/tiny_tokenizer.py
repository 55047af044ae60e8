"""A small BERT-style WordPiece tokenizer built in memory, for tests that need real offsets."""

from __future__ import annotations

from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece

WORDS = ("set a timer for five minutes the pasta please what time is it in new york remind me to call mom at pm am "
         "cafe s , . ! ? ' -").split(" ")


def tiny_tokenizer(extra: tuple[str, ...] = ()) -> Tokenizer:
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = sorted(set("abcdefghijklmnopqrstuvwxyz0123456789"))
    vocab_list = specials + list(dict.fromkeys([*WORDS, *extra, *chars, *("##" + c for c in chars)]))
    vocab = {token: i for i, token in enumerate(vocab_list)}
    tokenizer = Tokenizer(WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    return tokenizer
