"""An intent teacher in the frozen MiniLM sentence space: a linear classifier on its sentence vectors.

all-MiniLM-L6-v2 was pretrained so that the mean-pooled, normalised vectors of paraphrases lie
close. With many intents and few examples each (CLINC150: 150 intents, 100 examples), a linear
read-out of that frozen space classifies more in-scope queries right (95.6 % of CLINC150's
validation split) than MiniLM fine-tuned as the teacher (89–94 %), so the student can learn the
intent part of its soft targets from the read-out instead. Reading every layer's mean side by side
raises the read-out to 97.3 %, but not the students distilled from it (docs/accuracy.md).
A training example's own logits come from classifiers that never saw it (out of fold), so the
soft targets carry the classifier's real uncertainty instead of a memorised answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from assistant.errors import TrainingError
from assistant.training.features import IGNORE, Features, by_length
from assistant.training.loop import Targets
from assistant.training.modeling import pool

FOLDS = 5
L2 = 1e-5
"""Chosen on CLINC150's validation split (95.6 % of its in-scope queries right by argmax; reading all six
layers, 1e-5 was also the best of 3e-6 to 2e-5)."""
MAX_ITERATIONS = 200


@torch.no_grad()
def sentence_vectors(encoder: nn.Module, features: Sequence[Features], layers: int = 1,
                     batch_size: int = 128) -> torch.Tensor:
    """One row per example: for each of the encoder's last ``layers`` layers, the mean over the real
    tokens scaled to unit length, side by side (``layers`` x width columns)."""
    encoder.eval()
    rows: list[torch.Tensor] = [torch.empty(0)] * len(features)
    for batch in by_length(features, batch_size):
        states = encoder(input_ids=batch.input_ids, attention_mask=batch.attention_mask,
                         output_hidden_states=True).hidden_states
        if not 1 <= layers < len(states):  # states[0] is the embeddings, not a layer
            raise TrainingError(f"the sentence space has {len(states) - 1} layers to read, not {layers}")
        means = [nn.functional.normalize(pool(hidden, batch.attention_mask, "mean"), dim=-1)
                 for hidden in states[-layers:]]
        vectors = torch.cat(means, dim=-1)
        for row, i in enumerate(batch.indices):
            rows[i] = vectors[row]
    return torch.stack(rows)


def fit_linear(vectors: torch.Tensor, labels: torch.Tensor, n_classes: int, l2: float = L2) -> nn.Linear:
    """Multinomial logistic regression, L2 on the weights (not the bias), solved with L-BFGS."""
    linear = nn.Linear(vectors.shape[1], n_classes)
    nn.init.zeros_(linear.weight)
    nn.init.zeros_(linear.bias)
    optimizer = torch.optim.LBFGS(linear.parameters(), lr=1.0, max_iter=MAX_ITERATIONS,
                                  line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(linear(vectors), labels) + l2 * linear.weight.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return linear


def out_of_fold_logits(vectors: torch.Tensor, labels: torch.Tensor, n_classes: int, seed: int,
                       folds: int = FOLDS, l2: float = L2) -> np.ndarray:
    """Each example's logits from a classifier fitted on the other folds."""
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(labels), generator=generator)
    logits = torch.zeros((len(labels), n_classes))
    for fold in range(folds):
        held = order[fold::folds]
        kept = torch.ones(len(labels), dtype=torch.bool)
        kept[held] = False
        linear = fit_linear(vectors[kept], labels[kept], n_classes, l2)
        with torch.no_grad():
            logits[held] = linear(vectors[held])
    return logits.numpy()


def with_sentence_intents(targets: Targets, encoder: nn.Module, features: Sequence[Features], distinct: int,
                          n_intents: int, seed: int, layers: int = 1, keep_vectors: bool = False) -> Targets:
    """``targets`` with its intent logits replaced by the sentence-space teacher's (and the sentence
    vectors it read, with ``keep_vectors``).

    ``features[:distinct]`` are distinct examples; any after them must be the same objects repeated
    (the final pass repeats the held-out examples) and get the logits of their first occurrence, so
    no fold's classifier is fitted on a copy of an example it scores. Distinct examples without a gold
    intent (perturbed copies) are scored by a classifier fitted on all the labelled ones."""
    vectors = sentence_vectors(encoder, features[:distinct], layers)
    logits = _logits(vectors, [f.intent for f in features[:distinct]], n_intents, seed)
    position = {id(f): i for i, f in enumerate(features[:distinct])}
    try:
        rows = [position[id(f)] for f in features]
    except KeyError:
        raise ValueError("an example after the distinct ones is not a repeat of one of them") from None
    kept = [vectors[i].numpy() for i in rows] if keep_vectors else None
    return Targets([logits[i] for i in rows], targets.slot_logits, kept)


def _logits(vectors: torch.Tensor, intents: Sequence[int], n_intents: int, seed: int) -> np.ndarray:
    """Out-of-fold logits for the labelled rows; the others' from a classifier fitted on every labelled row."""
    labels = torch.tensor(intents, dtype=torch.long)
    labelled = labels != IGNORE
    if bool(labelled.all()):
        return out_of_fold_logits(vectors, labels, n_intents, seed)
    if not bool(labelled.any()):
        raise TrainingError("the sentence-space intent teacher needs labelled examples to fit")
    logits = np.zeros((len(labels), n_intents), dtype=np.float32)
    logits[labelled.numpy()] = out_of_fold_logits(vectors[labelled], labels[labelled], n_intents, seed)
    linear = fit_linear(vectors[labelled], labels[labelled], n_intents)
    with torch.no_grad():
        logits[~labelled.numpy()] = linear(vectors[~labelled]).numpy()
    return logits
