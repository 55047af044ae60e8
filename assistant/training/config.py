"""Settings of one training run; every field ends up in the model card."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

MINILM = "minilm"
SCRATCH = "scratch"
Pooling = Literal["first", "mean"]
POOLINGS: tuple[Pooling, ...] = ("first", "mean")
SENTENCE = "sentence"
IntentTeacher = Literal["teacher", "sentence"]
INTENT_TEACHERS: tuple[IntentTeacher, ...] = ("teacher", "sentence")


@dataclass
class TrainConfig:
    output: Path
    init: str = MINILM
    """'minilm' (student from the fine-tuned MiniLM teacher), 'scratch', or a SqueezeBERT checkpoint
    folder / hub id loaded with ``from_pretrained``."""
    teacher: str | None = MINILM
    """'minilm' to distil from a fine-tuned MiniLM, or None for plain supervised training."""
    layers: int = 6
    hidden: int = 384
    heads: int = 12
    intermediate: int = 1536
    groups: int = 4
    """Groups of the q/k/v, intermediate and output 1x1 convolutions (SqueezeBERT's paper uses 4)."""
    fit_groups: bool | None = None
    """Start each grouped block from the least-squares fit of the dense layer's outputs on training
    sentences (assistant/training/fit_groups.py) instead of its diagonal block; None: whenever the
    student starts from MiniLM (measured better on SNIPS and on the built-in plugins)."""
    vocab_size: int = 16000
    """Word pieces kept (most frequent first, plus every piece the data uses); bounds the model size."""
    max_tokens: int = 128
    teacher_epochs: int = 4
    teacher_lr: float = 1e-4
    epochs: int = 14
    lr: float = 3e-4
    batch_size: int = 32
    warmup: float = 0.06
    weight_decay: float = 0.01
    intent_teacher: IntentTeacher = "teacher"
    """Where the intent part of the soft targets comes from: the fine-tuned teacher, or 'sentence', a
    linear classifier on the frozen MiniLM's sentence vectors (better with many intents and few
    examples each; see assistant/training/sentence_teacher.py). Slot targets always come from the teacher."""
    sentence_layers: int = 1
    """How many of the frozen MiniLM's last layers the 'sentence' intent teacher reads: each layer's token
    mean, scaled to unit length, side by side. All six classify 1.7 points more of CLINC150's in-scope
    validation queries right than the last alone, yet the students distilled from them separate
    out-of-scope queries worse (docs/accuracy.md), so the default reads the last."""
    sentence_match: float = 0.0
    """Weight of a loss pulling the student's sentence vector (the intent head's input), through a linear map
    trained alongside and not exported, towards the frozen sentence vectors the 'sentence' intent teacher
    reads: the space's geometry, not only the logits read from it. 0 leaves it out (docs/accuracy.md); the
    short final pass always does."""
    crf: float = 0.0
    """Weight of a linear-chain CRF's loss on the words' tag sequences (assistant/training/crf.py): tag-pair
    scores learned with the tagger, kept in the model card and added by the decoder. 0 trains none."""
    teacher_crf: float = 0.0
    """The same for the teacher, whose pair scores leave with it. On SNIPS it raised the teacher and not
    the student distilled from it (docs/accuracy.md), so 0 (the default) trains none."""
    teacher_marginals: bool = True
    """With ``teacher_crf``: the student's slot targets are the teacher's chain's per-word marginals
    (forward-backward over its word and pair scores), not its per-word scores alone."""
    dropout: float = 0.1
    """Dropout probability everywhere in the student (embeddings, attention, residual branches, heads); the
    teacher keeps MiniLM's 0.1. The grouped student does not fit its training split as the dense one does
    (docs/accuracy.md), so less regularisation is worth measuring."""
    ema: float = 0.0
    """Decay of an exponential moving average of the student's weights over its updates, which replaces
    the weights when the student's training ends (0: none). The schedule already decays the learning
    rate to zero, and on SNIPS the average validated below the last weights (docs/accuracy.md)."""
    intent_weight: float = 1.0
    """Weight of the student's intent terms (gold labels and soft targets) against its slot terms, in its
    training and the final pass; the teacher and the declared examples' reinforcement train with 1. ATIS
    students trail their teachers on intents; at 2 they validated one intent higher per seed and 0.15 lower
    on slot F1, at 1.5 two intents and two sentences lower in three seeds, and at 0.5 SNIPS validated lower
    on slots (docs/accuracy.md), so the default stays 1."""
    distill_alpha: float = 0.5
    temperature: float = 2.0
    pooling: Pooling = "first"
    """Sentence vector for the intent head: 'first' ([CLS]) or 'mean' (mean over the tokens)."""
    distill_hidden: float = 0.0
    """Weight of layer-wise hidden-state distillation (needs --init minilm so the shapes match)."""
    augment: int = 0
    """Copies of each training utterance with slots, their values swapped for other values of the same
    slots (assistant/training/augment.py); 0 trains on the data as it is."""
    fresh_copies: bool = False
    """Draw the student's substitution copies anew instead of reusing the teacher's, so the teacher's
    soft targets on them are predictions on sentences it never trained on, not answers it memorised."""
    perturbed: int = 0
    """Copies of each training utterance with words swapped or cut at random (assistant/training/perturb.py)
    that only the teachers' soft targets label: what the teachers answer near the training sentences, not
    on them alone. They join the student's examples, not the teacher's nor the final pass's; 0 adds none."""
    per_intent: int = 300
    holdout: float = 0.1
    final_epochs: int = 2
    """Epochs over all data (held-out part included) after the held-out evaluation."""
    threshold: float | None = None
    """Out-of-scope confidence threshold; None chooses it on the held-out split."""
    oos_recall: float | None = None
    """Out-of-scope recall the chosen threshold must keep on the held-out split (allowing for its size),
    refusing as few good requests as it can; None takes the best balance of the two instead."""
    quantize: bool = True
    seed: int = 0
    tokenizer: Path | None = None
    """Base tokenizer for 'scratch' when MiniLM is not installed (default: the shipped model's)."""
    threads: int | None = None

    @property
    def fits_groups(self) -> bool:
        """Whether this run fits the grouped layers: ``fit_groups`` resolved (a dense student has none)."""
        wanted = self.init == MINILM if self.fit_groups is None else self.fit_groups
        return wanted and self.groups > 1

    def to_json(self) -> dict[str, Any]:
        """The settings as the model card records them, with ``fit_groups`` resolved to what was done."""
        settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
        return {**settings, "fit_groups": self.fits_groups}
