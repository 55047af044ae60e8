"""Training the joint SqueezeBERT model (PyTorch + transformers, the ``train`` extra).

Nothing here is imported by the assistant at run time; ``assistant train`` loads it on demand.
"""

from __future__ import annotations

from assistant.errors import TrainingError

INSTALL_HINT = "pip install -e '.[train]' -c constraints.txt"


def require_training_extras() -> None:
    """Fail early, naming the command to run, when torch or transformers is missing."""
    missing = []
    for module in ("torch", "transformers", "onnx"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise TrainingError(f"training needs {', '.join(missing)}; install the training extra: {INSTALL_HINT}")
