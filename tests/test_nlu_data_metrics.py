"""Data readers (BIO, CLINC150 JSON, labelled YAML), conlleval-style slot F1 and the threshold."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import DataFormatError
from assistant.nlu.confidence import ENERGY, SOFTMAX, OosRule, fit_temperature, probabilities, rejected, scores
from assistant.nlu.data import LabeledUtterance, bio_chunks, from_words, load_labelled, read_bio_folder
from assistant.nlu.metrics import percent, score
from assistant.nlu.threshold import (
    CurvePoint,
    accepting,
    best_point,
    choose_rule,
    curve,
    required_recall,
    threshold_for_recall,
    wilson_lower,
)
from assistant.plugins.spec import SlotSpan
from assistant.results import IntentScore, ParseResult, Slot


def test_chunks_follow_conlleval():
    tags = ["B-a", "I-a", "O", "I-b", "I-b", "B-b", "I-a", "B-a", "B-a"]
    assert bio_chunks(tags) == [("a", 0, 2), ("b", 3, 5), ("b", 5, 6), ("a", 6, 7), ("a", 7, 8), ("a", 8, 9)]


def write_bio(folder, lines):
    folder.mkdir(parents=True)
    (folder / "seq.in").write_text("\n".join(w for w, _, _ in lines) + "\n")
    (folder / "seq.out").write_text("\n".join(t for _, t, _ in lines) + "\n")
    (folder / "label").write_text("\n".join(label for _, _, label in lines) + "\n")


def test_bio_folder_becomes_text_with_spans(tmp_path):
    write_bio(tmp_path / "test", [("play the 50's hits by abba", "O O B-year O O B-artist", "PlayMusic")])
    (item,) = load_labelled(tmp_path, "test")
    assert item.text == "play the 50's hits by abba"
    assert [(s.slot, item.text[s.start:s.end]) for s in item.spans] == [("year", "50's"), ("artist", "abba")]
    assert item.words is not None and len(item.words) == 6


def test_a_data_set_declares_no_schema_so_every_intent_may_carry_every_slot(tmp_path):
    """Which slots the training split happens to pair with an intent is no schema: ATIS's test split
    pairs 76 slots with intents the training split never showed them with."""
    from assistant.nlu.decoding import allowed_tags
    from assistant.nlu.training_set import dataset_training_set

    write_bio(tmp_path / "train", [("flights to boston", "O O B-toloc", "atis_flight"),
                                   ("how far is logan", "O O O B-airport", "atis_distance")])
    write_bio(tmp_path / "valid", [("airports in denver", "O O B-city", "atis_airport")])
    labels = dataset_training_set(tmp_path).labels
    assert labels.slots == ("airport", "city", "toloc")
    assert all(set(labels.intent_slots[i]) == {"airport", "city", "toloc"} for i in labels.intents if i != "oos")
    assert allowed_tags(labels, "atis_distance").all()


def test_bio_errors_name_the_line(tmp_path):
    write_bio(tmp_path / "d", [("a b", "O O", "x"), ("a b c", "O O", "x")])
    with pytest.raises(DataFormatError, match=r"seq\.out:2: 2 tags for 3 words"):
        read_bio_folder(tmp_path / "d")
    write_bio(tmp_path / "e", [("a b", "O X-y", "x")])
    with pytest.raises(DataFormatError, match="not a BIO tag"):
        read_bio_folder(tmp_path / "e")


def test_clinc_json_maps_oos(tmp_path):
    path = tmp_path / "data_full.json"
    data = {"test": [["how do i bake bread", "recipe"]], "oos_test": [["blah", "oos"]], "val": [], "train": []}
    path.write_text(json.dumps(data))
    data = load_labelled(tmp_path, "test")
    assert [(u.text, u.intent) for u in data] == [("how do i bake bread", "recipe"), ("blah", "oos")]
    with pytest.raises(DataFormatError, match="no 'bogus' split"):
        load_labelled(path, "bogus")


def test_labelled_yaml(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text("timer.start:\n  - set a timer for [5 minutes](duration)\noos:\n  - sing\n")
    data = load_labelled(path)
    assert data[0].spans == (SlotSpan("duration", 16, 25),) and data[1].intent == "oos"
    path.write_text("timer.start:\n  - set a timer for [5 minutes(duration)\n")
    with pytest.raises(DataFormatError, match=r"timer\.start"):
        load_labelled(path)


def parse_of(text, intent, slots=(), confidence=0.9):
    return ParseResult(text, IntentScore(intent, confidence), tuple(Slot(n, text[s:e], s, e) for n, s, e in slots),
                       alternatives=(IntentScore(intent, confidence),))


def test_scores_on_words_like_conlleval():
    words, tags = ["fly", "from", "new", "york", "to", "boston"], ["O", "O", "B-from", "I-from", "O", "B-to"]
    gold = from_words(words, tags, "flight")
    # the prediction ends inside a word: it is snapped to the data set's words
    pred = parse_of(gold.text, "flight", [("from", 9, 17), ("to", 21, 27)])
    assert score([gold], [pred]).slot_f1 == 1.0
    wrong_boundary = parse_of(gold.text, "flight", [("from", 9, 12), ("to", 21, 27)])
    s = score([gold], [wrong_boundary])
    assert (s.slot_precision, s.slot_recall, s.exact_match) == (0.5, 0.5, 0.0)


def test_exact_match_needs_the_intent_too():
    item = LabeledUtterance("hi", "chat.greet")
    assert score([item], [parse_of("hi", "chat.thanks")]).exact_match == 0.0
    assert score([item], [parse_of("hi", "chat.greet")]).exact_match == 1.0


def test_an_intent_only_set_has_no_slot_scores_rather_than_zero():
    data = [LabeledUtterance("what time is it", "clock.time"), LabeledUtterance("hi", "chat.greet")]
    s = score(data, [parse_of("what time is it", "clock.time", [("place", 0, 4)]), parse_of("hi", "chat.greet")])
    assert (s.slot_precision, s.slot_recall, s.slot_f1) == (None, None, None)
    assert s.to_json()["slot_f1"] is None and s.intent_accuracy == 1.0
    assert (percent(s.slot_f1), percent(s.intent_accuracy), percent(0.98765)) == ("—", "100.0%", "98.8%")


def test_missing_predicted_slots_score_zero_when_gold_has_slots():
    gold = LabeledUtterance("at noon", "alarm.set", (SlotSpan("time", 3, 7),))
    s = score([gold], [parse_of("at noon", "alarm.set")])
    assert (s.slot_precision, s.slot_recall, s.slot_f1) == (0.0, 0.0, 0.0)


def test_in_scope_accuracy_and_oos_recall():
    data = [LabeledUtterance("a", "x"), LabeledUtterance("b", "x"), LabeledUtterance("c", "oos")]
    parses = [parse_of("a", "x"), parse_of("b", "oos"), parse_of("c", "oos")]
    s = score(data, parses)
    assert (s.in_scope_accuracy, s.oos_recall) == (0.5, 1.0)


def test_threshold_trades_in_scope_accuracy_for_oos_recall():
    # classes: 0 = oos, 1 = x; logits chosen so the max softmax is 0.95, 0.70 and 0.45 (oos wins the last)
    logits = np.log(np.array([[0.05, 0.95], [0.30, 0.70], [0.55, 0.45], [0.40, 0.60]]))
    gold = np.array([1, 1, 0, 0])
    points = {round(p.threshold, 2): p for p in curve(logits, gold, OosRule(), np.array([0.0, 0.5, 0.65, 0.8]))}
    assert (points[0.0].in_scope_accuracy, points[0.0].oos_recall) == (1.0, 0.5)
    assert (points[0.65].in_scope_accuracy, points[0.65].oos_recall) == (1.0, 1.0)
    assert (points[0.8].in_scope_accuracy, points[0.8].oos_recall) == (0.5, 1.0)
    assert best_point(list(points.values())).threshold == 0.65


def test_the_rule_is_chosen_among_scores_and_temperatures():
    rng = np.random.default_rng(0)
    in_scope = rng.normal(0, 1, (200, 5))
    in_scope[np.arange(200), rng.integers(1, 5, 200)] += 6  # confident in-scope rows
    unsure = rng.normal(0, 1, (60, 5))  # out of scope: flat logits
    logits = np.vstack([in_scope, unsure])
    gold = np.concatenate([in_scope.argmax(axis=1), np.zeros(60, dtype=int)])
    rule, report = choose_rule(logits, gold)
    assert rule.method in (SOFTMAX, ENERGY) and len(report["candidates"]) == 4
    rejected_rows = rejected(logits, rule)
    assert rejected_rows[200:].mean() > 0.8 and rejected_rows[:200].mean() < 0.1


def test_near_ties_go_to_the_rule_that_refuses_fewer_good_requests(monkeypatch):
    from assistant.nlu import threshold

    points = {"softmax": CurvePoint(0.5, 0.94, 0.927), "energy": CurvePoint(7.0, 0.933, 0.936)}
    monkeypatch.setattr(threshold, "best_point", lambda pts: pts[0])
    monkeypatch.setattr(threshold, "curve", lambda logits, gold, rule, oos_index=0: [points[rule.method]])
    rule, _ = choose_rule(np.zeros((2, 3)), np.array([0, 1]))
    assert rule.method == "softmax"  # balanced 0.9335 vs 0.9345: within the tie margin, higher in-scope accuracy


def test_a_recall_measured_on_few_examples_needs_a_margin():
    assert required_recall(0.85, 100) == 0.91  # CLINC150's validation split: 91 of its 100 out-of-scope queries
    assert required_recall(0.85, 1000) == pytest.approx(0.869)
    assert required_recall(0.85, 3) == 1.0  # never enough evidence: everything must be caught
    assert wilson_lower(0, 10) == 0.0 and wilson_lower(10, 10) < 1.0 and wilson_lower(5, 0) == 0.0


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), target=st.floats(0.05, 0.99), method=st.sampled_from([SOFTMAX, ENERGY]))
def test_the_threshold_for_a_recall_is_the_lowest_that_reaches_it(seed, target, method):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 2, (80, 4))
    gold = rng.integers(0, 4, 80)
    gold[:5] = 0  # some out-of-scope rows, some of them classified as oos already
    rule = OosRule(method, 1.0)
    threshold = threshold_for_recall(logits, gold, rule, target)
    recall = curve(logits, gold, rule, np.array([threshold, threshold - 1e-4]))
    assert recall[0].oos_recall >= target - 1e-9
    assert recall[1].oos_recall < target or threshold <= scores(logits, method, 1.0).min()


def test_a_recall_target_picks_the_score_that_refuses_the_fewest_good_requests():
    rng = np.random.default_rng(0)
    in_scope = rng.normal(0, 1, (300, 5))
    in_scope[np.arange(300), rng.integers(1, 5, 300)] += rng.uniform(2, 8, 300)
    logits = np.vstack([in_scope, rng.normal(0, 1, (100, 5))])
    gold = np.concatenate([in_scope.argmax(axis=1), np.zeros(100, dtype=int)])
    rule, report = choose_rule(logits, gold, recall=0.85)
    assert (report["recall_target"], report["oos_examples"], report["required_recall"]) == (0.85, 100, 0.91)
    tried = report["candidates"]
    assert len(tried) == 4 and all(c["oos_recall"] >= 0.91 for c in tried)
    best = max(c["in_scope_accuracy"] for c in tried)
    assert curve(logits, gold, rule, np.array([rule.threshold]))[0].in_scope_accuracy == pytest.approx(best, abs=1e-4)
    with pytest.raises(ValueError, match="out-of-scope examples"):
        choose_rule(logits[:300], gold[:300], recall=0.85)


def test_the_threshold_is_lowered_so_declared_examples_the_model_gets_right_are_accepted():
    # classes: 0 = oos, 1 = x, 2 = y; max softmax 0.90, 0.62 and 0.40 (the last one misclassified as y)
    logits = np.log(np.array([[0.05, 0.90, 0.05], [0.18, 0.62, 0.20], [0.30, 0.30, 0.40]]))
    gold = np.array([1, 1, 1])
    rule = OosRule(SOFTMAX, 1.0, 0.7)
    lowered = accepting(rule, logits, gold)
    assert (lowered.method, lowered.temperature) == (SOFTMAX, 1.0)
    assert lowered.threshold == pytest.approx(0.62, abs=1e-4)
    assert not rejected(logits[:2], lowered).any()  # the misclassified one does not drag it lower
    assert accepting(OosRule(SOFTMAX, 1.0, 0.5), logits, gold) == OosRule(SOFTMAX, 1.0, 0.5)
    assert accepting(rule, logits, np.array([0, 2, 0])) == rule  # nothing in scope that it gets right and refuses


def test_energy_score_is_the_log_sum_exp_of_in_scope_logits():
    logits = np.array([[5.0, 1.0, 2.0]])
    assert scores(logits, ENERGY, 1.0)[0] == pytest.approx(np.log(np.exp(1.0) + np.exp(2.0)))
    assert scores(logits, SOFTMAX, 1.0)[0] == pytest.approx(probabilities(logits)[0].max())


def test_temperature_fits_overconfident_logits():
    rng = np.random.default_rng(1)
    gold = rng.integers(0, 3, 500)
    noisy = np.where(rng.random(500) < 0.3, rng.integers(0, 3, 500), gold)  # 30% wrong but confident
    logits = np.eye(3)[noisy] * 8.0
    assert fit_temperature(logits, gold) > 2.0


def test_intent_indices_mark_unknown_intents():
    from assistant.nlu.labels import LabelSet

    labels = LabelSet.build({"clock.time": set(), "timer.start": {"duration"}})
    assert labels.intent_indices(["timer.start", "oos", "weather.now"]) == [2, 0, -1]
