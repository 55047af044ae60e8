"""Running the exported joint model with ONNX Runtime on the CPU."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.errors import ModelError
from assistant.nlu.decoding import Decoder
from assistant.nlu.encoding import Encoded, TextEncoder
from assistant.nlu.int8_kernels import int8_caveat
from assistant.nlu.modelcard import MODEL_FILE, TOKENIZER_FILE, ModelCard
from assistant.results import ParseResult, Stage
from assistant.timing import StageClock


@dataclass(frozen=True)
class SessionSettings:
    """ONNX Runtime settings that matter on a desktop.

    One intra-op thread is fastest for short requests (measured in ``benchmarks/``); spinning
    is off so an idle assistant does not burn a core waiting for work.
    """

    threads: int = 1
    spin: bool = False
    memory_arena: bool = True


class NluModel:
    """The shipped (or user-trained) model: text in, :class:`ParseResult` out."""

    def __init__(self, directory: Path, settings: SessionSettings | None = None,
                 threshold: float | None = None) -> None:
        import onnxruntime as ort  # imported here: module import stays cheap for tools that only read cards

        self.directory = directory
        self.card = ModelCard.read(directory)
        self.labels = self.card.labels
        for name in (MODEL_FILE, TOKENIZER_FILE):
            if not (directory / name).is_file():
                raise ModelError(f"{directory} has no {name}; retrain with `assistant train`")
        self.encoder = TextEncoder.from_file(directory / TOKENIZER_FILE, self.card.max_tokens)
        settings = settings or SessionSettings()
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, settings.threads)
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.enable_cpu_mem_arena = settings.memory_arena
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if settings.spin else "0")
        options.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(directory / MODEL_FILE), options,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError(f"cannot load {directory / MODEL_FILE}: {exc}") from exc
        self.caveat = int8_caveat(self.card.precision)
        rule = self.card.oos if threshold is None else replace(self.card.oos, threshold=threshold)
        self.decoder = Decoder(self.labels, rule, self.card.tag_bigrams, self.card.tag_transitions)

    @property
    def threshold(self) -> float:
        return self.decoder.rule.threshold

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.decoder.rule = replace(self.decoder.rule, threshold=value)

    @property
    def size_bytes(self) -> int:
        return (self.directory / MODEL_FILE).stat().st_size

    def parse(self, text: str, clock: StageClock | None = None) -> ParseResult:
        clock = clock or StageClock()
        with clock.measure(Stage.TOKENIZE):
            encoded = self.encoder.encode(text)
        with clock.measure(Stage.MODEL):
            ids = encoded.input_ids[None, :]
            intent_logits, slot_logits = self.session.run(
                None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        with clock.measure(Stage.DECODE):
            return self._decode(text, encoded, intent_logits[0], slot_logits[0])

    def parse_batch(self, texts: Sequence[str], batch_size: int = 64) -> list[ParseResult]:
        """Parse many texts (evaluation); batches by length to waste little on padding."""
        results: list[ParseResult | None] = [None] * len(texts)
        for i, encoded, intent_logits, slot_logits in self._batches(texts, batch_size):
            results[i] = self._decode(texts[i], encoded, intent_logits, slot_logits)
        return [r for r in results if r is not None]

    def intent_logits(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Raw intent logits [n, intents] (to choose the out-of-scope rule on validation data)."""
        out = np.zeros((len(texts), len(self.labels.intents)), dtype=np.float32)
        for i, _, intent_logits, _ in self._batches(texts, batch_size):
            out[i] = intent_logits
        return out

    def _batches(self, texts: Sequence[str], batch_size: int,
                 ) -> Iterator[tuple[int, Encoded, np.ndarray, np.ndarray]]:
        encoded = [self.encoder.encode(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].input_ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(encoded[i].input_ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(chunk):
                n = len(encoded[i].input_ids)
                ids[row, :n] = encoded[i].input_ids
                mask[row, :n] = 1
            intent_logits, slot_logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(chunk):
                yield i, encoded[i], intent_logits[row], slot_logits[row]

    def _decode(self, text: str, encoded: Encoded, intent_logits: np.ndarray,
                slot_logits: np.ndarray) -> ParseResult:
        return self.decoder.decode(text, encoded.word_spans, encoded.word_first_token, intent_logits, slot_logits,
                                   encoded.truncated_at)
