"""A linear-chain CRF over the words' tags: tag-pair scores learned with the tagger.

The tagger scores each word on its own, and the decoder's tag-pair prior (:mod:`assistant.nlu.tag_bigrams`)
is counted, not learned. Here the scores of neighbouring tag pairs are parameters trained with the
student on the likelihood of each whole gold tag sequence (Lafferty et al. 2001), so the per-word
scores and the pair scores learn to complement each other. Only the first sub-word of each word is
tagged, so the chain runs over words. Pairs the BIO scheme forbids are barred in training as the
decoder bars them, so the normaliser counts only sequences the decoder can return.

The ONNX model does not use the pair scores: they go into the model card
(:class:`assistant.nlu.tag_transitions.TagTransitions`) and the decoder's Viterbi pass adds them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from assistant.nlu.decoding import start_mask, transition_mask
from assistant.nlu.tag_transitions import TagTransitions
from assistant.training.features import IGNORE

BARRED = -1e4
"""Score of a forbidden pair or start in training: exp() of it vanishes next to any real sequence."""
MARGINAL_FLOOR = 1e-30
"""Marginals below this (a barred tag's are 0) are raised to it before the log, so targets stay finite."""


class TagCrf(nn.Module):
    barred: torch.Tensor
    start_barred: torch.Tensor

    def __init__(self, tags: Sequence[str], weight: float) -> None:
        super().__init__()
        self.tags = tuple(tags)
        self.weight = weight
        """Of the sequence loss against the per-word losses."""
        self.transitions = nn.Parameter(torch.zeros(len(tags), len(tags)))
        """[previous, next] learned scores."""
        self.register_buffer("barred", torch.where(torch.from_numpy(transition_mask(tags)), 0.0, BARRED))
        self.register_buffer("start_barred", torch.where(torch.from_numpy(start_mask(tags)), 0.0, BARRED))

    def loss(self, slot_logits: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        """Negative log-likelihood of the gold tag sequences, per tagged word.

        ``slot_logits`` is [batch, tokens, tags], ``tags`` [batch, tokens] with the gold tag at each
        word's first sub-word and IGNORE elsewhere (:class:`~assistant.training.features.Features`)."""
        emissions, gold, real = words_only(slot_logits, tags)
        words = real.sum(dim=1)
        if int(words.sum()) == 0:
            return slot_logits.sum() * 0.0
        pairs = self.transitions + self.barred
        log_z = self.log_normaliser(emissions, real, pairs, self.start_barred)
        emitted = (emissions.gather(2, gold[:, :, None]).squeeze(2) * real).sum(dim=1)
        paired = (pairs[gold[:, :-1], gold[:, 1:]] * real[:, 1:]).sum(dim=1)
        gold_score = emitted + paired + self.start_barred[gold[:, 0]]
        has_words = words > 0
        return (log_z - gold_score)[has_words].sum() / words.sum()

    def marginal_targets(self, slot_logits: np.ndarray, words: np.ndarray, temperature: float) -> np.ndarray:
        """One sentence's slot logits (a teacher's, [tokens, tags]) with each word's row (``words`` masks
        the words' first sub-words, :meth:`Features.first_subwords`) replaced by the chain's
        log-marginals times ``temperature``, so that the distillation's softmax(row / T) is the
        marginal distribution of the CRF with all its scores divided by T.

        The per-word scores alone leave out what the pair scores know about the word's neighbours. The
        marginals are the gradient of log Z with respect to the per-word scores, so the one forward
        recursion that trains the chain also gives them (autograd does the backward pass)."""
        tagged = np.flatnonzero(words)
        if len(tagged) == 0:
            return slot_logits
        emissions = (torch.from_numpy(slot_logits[tagged]).float() / temperature)[None].requires_grad_()
        with torch.no_grad():
            pairs = (self.transitions + self.barred) / temperature
        real = torch.ones(emissions.shape[:2], dtype=torch.bool)
        with torch.enable_grad():
            self.log_normaliser(emissions, real, pairs, self.start_barred / temperature).sum().backward()
        assert emissions.grad is not None
        log_marginals = emissions.grad[0].clamp_min(MARGINAL_FLOOR).log()
        out = slot_logits.copy()
        out[tagged] = (log_marginals * temperature).numpy()
        return out

    @staticmethod
    def log_normaliser(emissions: torch.Tensor, real: torch.Tensor, pairs: torch.Tensor,
                        start: torch.Tensor) -> torch.Tensor:
        """log Z of each row's chain (the forward recursion), over its real words only: [batch].

        Each step is a matrix product in probability space, scaled by the row's largest score, rather
        than a log-sum-exp over a [batch, tags, tags] tensor: with ATIS's 159 tags that made the CRF
        cost its training 44 % more time. Barred pairs are exp(-1e4) = 0 there."""
        alpha = emissions[:, 0] + start
        weights = pairs.exp()
        floor = torch.finfo(alpha.dtype).tiny
        for w in range(1, emissions.shape[1]):
            top = alpha.max(dim=1, keepdim=True).values
            step = ((alpha - top).exp() @ weights).clamp_min(floor).log() + top + emissions[:, w]
            alpha = torch.where(real[:, w, None], step, alpha)
        return torch.logsumexp(alpha, dim=1)

    def learned(self) -> TagTransitions:
        """The pair scores as the model card keeps them."""
        return TagTransitions.from_matrix(self.tags, self.transitions.detach().numpy(),
                                          transition_mask(self.tags))


def words_only(slot_logits: torch.Tensor, tags: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The scores and gold tags of the tagged positions, moved to the front of each row:
    ([batch, words, tags], [batch, words], a [batch, words] mask of real words)."""
    tagged = tags != IGNORE
    positions = torch.arange(tags.shape[1]).expand_as(tags)
    order = torch.where(tagged, positions, positions + tags.shape[1]).argsort(dim=1)
    width = max(1, int(tagged.sum(dim=1).max()))
    index = order[:, :width]
    real = tagged.gather(1, index)
    emissions = slot_logits.gather(1, index[:, :, None].expand(-1, -1, slot_logits.shape[2]))
    gold = torch.where(real, tags.gather(1, index), 0)
    return emissions, gold, real
