"""The model card: what a model directory holds, how it was made and how well it does.

``model_card.json`` is read by the runtime (labels, threshold, data hash); ``MODEL_CARD.md`` is
the same record for people.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import ModelError
from assistant.nlu.confidence import OosRule
from assistant.nlu.labels import LabelSet
from assistant.nlu.tag_bigrams import TagBigrams
from assistant.nlu.tag_transitions import TagTransitions

CARD_FILE = "model_card.json"
CARD_MARKDOWN = "MODEL_CARD.md"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"


@dataclass(frozen=True)
class ModelCard:
    labels: LabelSet
    data_hash: str
    """Fingerprint of the plugin data the model was trained on."""
    oos: OosRule
    """When a request counts as out of scope (score, temperature, threshold)."""
    max_tokens: int
    name: str = "assistant-nlu"
    created: str = ""
    architecture: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    libraries: dict[str, str] = field(default_factory=dict)
    command: str = ""
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    tag_bigrams: TagBigrams | None = None
    """Tag-pair counts of the training split and their weight in slot decoding (None: not used)."""
    tag_transitions: TagTransitions | None = None
    """Tag-pair scores learned with the model (``--crf``); the decoder adds them (None: none learned)."""

    @property
    def threshold(self) -> float:
        return self.oos.threshold

    @property
    def precision(self) -> str:
        """How the model file stores its numbers ("fp32", or which int8 export; "" on a card without it)."""
        return str(self.architecture.get("precision", ""))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "created": self.created, "command": self.command,
            "data_hash": self.data_hash, "threshold": self.threshold, "oos_rule": self.oos.to_json(),
            "max_tokens": self.max_tokens,
            "labels": self.labels.to_json(), "architecture": self.architecture, "training": self.training,
            "data": self.data, "metrics": self.metrics, "libraries": self.libraries, "files": self.files,
            **({"tag_bigrams": self.tag_bigrams.to_json()} if self.tag_bigrams is not None else {}),
            **({"tag_transitions": self.tag_transitions.to_json()} if self.tag_transitions is not None else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelCard:
        return cls(
            labels=LabelSet.from_json(data["labels"]), data_hash=data["data_hash"],
            oos=OosRule(**data["oos_rule"]) if "oos_rule" in data else OosRule(threshold=float(data["threshold"])),
            max_tokens=int(data["max_tokens"]),
            name=data.get("name", "assistant-nlu"), created=data.get("created", ""),
            architecture=data.get("architecture", {}), training=data.get("training", {}),
            data=data.get("data", {}), metrics=data.get("metrics", {}), libraries=data.get("libraries", {}),
            command=data.get("command", ""), files=data.get("files", {}),
            tag_bigrams=TagBigrams.from_json(data["tag_bigrams"]) if "tag_bigrams" in data else None,
            tag_transitions=(TagTransitions.from_json(data["tag_transitions"]) if "tag_transitions" in data
                             else None),
        )

    @classmethod
    def read(cls, directory: Path) -> ModelCard:
        path = directory / CARD_FILE
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise ModelError(f"no model card at {path}; is {directory} a model directory?") from None
        except (KeyError, ValueError, TypeError, AttributeError, AssertionError) as exc:
            raise ModelError(f"the model card {path} is unreadable: {exc}") from exc

    def write(self, directory: Path) -> None:
        (directory / CARD_FILE).write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")
        (directory / CARD_MARKDOWN).write_text(render_markdown(self), encoding="utf-8")


def file_record(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"sha256": digest, "bytes": path.stat().st_size}


def render_markdown(card: ModelCard) -> str:
    lines = [f"# Model card: {card.name}", "", f"Created {card.created} by `{card.command}`.", ""]
    lines += ["## Architecture", ""] + [f"- {k}: {v}" for k, v in card.architecture.items()] + [""]
    lines += ["## Training", ""] + [f"- {k}: {v}" for k, v in card.training.items()] + [""]
    lines += ["## Data", "", f"- data hash: `{card.data_hash}`"] + [f"- {k}: {v}" for k, v in card.data.items()]
    lines += ["", "## Metrics (held-out split, the exported ONNX model as shipped)", ""]
    lines += [f"- {k}: {v}" for k, v in card.metrics.items()]
    rule = card.oos
    lines += ["", f"Out of scope: the model's best class is `oos`, or its {rule.method} score (temperature "
              f"{rule.temperature:g}) is below {rule.threshold:g}. Inputs are cut at {card.max_tokens} tokens.", ""]
    if card.tag_bigrams is not None:
        lines += [f"Slots: constrained BIO Viterbi with the training split's tag-pair prior at weight "
                  f"{card.tag_bigrams.weight:g} (chosen on the held-out split; "
                  f"{len(card.tag_bigrams.counts)} distinct pairs).", ""]
    if card.tag_transitions is not None:
        lines += [f"Slots also add {len(card.tag_transitions.scores)} tag-pair scores learned with the model "
                  "(a linear-chain CRF, `--crf`).", ""]
    lines += ["## Labels", "", f"{len(card.labels.intents)} intents: " + ", ".join(card.labels.intents), "",
              f"{len(card.labels.slots)} slots: " + ", ".join(card.labels.slots), ""]
    lines += ["## Files", ""] + [f"- {name}: {rec.get('bytes', 0) / 1e6:.2f} MB, sha256 `{rec.get('sha256', '')}`"
                                 for name, rec in card.files.items()]
    lines += ["", "## Libraries", ""] + [f"- {k} {v}" for k, v in card.libraries.items()] + [""]
    return "\n".join(lines)
