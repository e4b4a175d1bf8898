"""all-MiniLM-L6-v2 as ONNX models: exported from the packaged model once, cached in the data
dir, run with onnxruntime. Two builds: int8 (`onnx-int8`) and float (`onnx-fp32`).

Why int8: ingest is embedding-bound; onnxruntime with dynamically quantized int8 weights embeds
2.2x the passages per CPU second of the float export reading as many tokens. The weights of the matrix
products (attention projections, feed-forward) are quantized per output channel; the word
embeddings stay float. On CPUs with VNNI the weights are signed 8 bits, which VNNI multiplies
exactly and which, on the 12-spec store, keep held-out recall@5 at the float model's 0.923 (the
earlier unsigned weights with quantized embeddings: 0.892); elsewhere unsigned (AVX2's kernel
saturates signed weights: cosine to the float model 0.94 instead of 0.99). Activations are
quantized per model run, so a passage's int8 vector varies a little with the passages batched
with it (cosine to the float model above 0.98 on the 12 specs either way).
Why float: it is the float model itself (the same vectors as sentence-transformers to 1e-5), so
the intent parser's classifiers, tuned on it, decide as before, without a process importing torch
and sentence-transformers (seconds of a one-shot `ranpilot run`) to embed one request.
Both graphs include mean pooling and L2 normalisation: they return the sentence embedding.

The cache (`<data_dir>/models/<variant>/model.onnx` + `manifest.json`) records the SHA-256 of the
ONNX file and of the source weights; a missing, corrupt or stale file is reported on stderr and
rebuilt (a build takes 10-30 s and needs torch, which ranpilot depends on). The file is hashed
again only when its size or modification time differ from the manifest's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

INT8 = "onnx-int8"
FP32 = "onnx-fp32"
#: Tokens of a text the model reads; the rest is cut. fp32 reads the model's max_seq_length
#: (sentence_bert_config.json: 256), as sentence-transformers does. int8, the ingest model, reads
#: 192: the model's cost grows with the tokens and half of the passages are longer than 256, so it
#: embeds 1.35x the passages per CPU second, and held-out recall@5 on the 12-spec store stays the
#: float model's 0.923 (160 tokens: 0.908). Queries and intent clauses are far shorter than either.
MAX_TOKENS = {INT8: 192, FP32: 256}
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
#: How each file is made (int8 4: attention and GELU fused, then the matrix products quantized,
#: signed or unsigned by the CPU; fp32 1: the plain export, nothing fused, closest to the float
#: model).
BUILD = {INT8: 4, FP32: 1}


class OnnxModelError(RuntimeError):
    """The ONNX model cannot be built (export or quantization failed)."""


def cache_dir(data_dir: Path, variant: str = INT8) -> Path:
    return Path(data_dir) / "models" / f"all-MiniLM-L6-v2-{variant}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_fingerprint(model_dir: Path) -> str:
    """Identifies the source weights cheaply (size and name; the package version pins the bytes)."""
    weights = model_dir / "model.safetensors"
    return f"{weights.stat().st_size}:{weights.resolve()}"


def ensure_model(model_dir: Path, data_dir: Path, variant: str = INT8) -> Path:
    """The cached ONNX file of `variant`, built when missing, corrupt or made from other weights."""
    from filelock import FileLock

    folder = cache_dir(data_dir, variant)
    if _cache_problem(folder, model_dir, variant) is None:  # the usual case: no lock file to take
        return folder / "model.onnx"
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / "build.lock")):
        problem = _cache_problem(folder, model_dir, variant)
        if problem:
            print(f"ranpilot: {problem}; building the {variant} ONNX embedding model (once, 10-30 s) in {folder}",
                  file=sys.stderr)
            _build(model_dir, folder, variant)
    return folder / "model.onnx"


def _cache_problem(folder: Path, model_dir: Path, variant: str) -> str | None:
    """Why the cached model cannot be used, or None when it can."""
    model, manifest = folder / "model.onnx", folder / "manifest.json"
    if not model.exists() or not manifest.exists():
        return f"{model} is missing"
    try:
        recorded = json.loads(manifest.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        return f"{manifest} is unreadable ({exc})"
    if recorded.get("build") != BUILD[variant]:
        return f"{model} was built by another version of ranpilot"
    if recorded.get("source") != source_fingerprint(model_dir):
        return f"{model} was built from other weights"
    if recorded.get("weights", int8_weights()) != int8_weights():
        return f"{model} was quantized for another CPU"
    if recorded.get("stamp") != _stamp(model) and recorded.get("sha256") != _sha256(model):
        return f"{model} is corrupt (its SHA-256 differs from {manifest.name})"
    return None


def _stamp(path: Path) -> list[int]:
    """Size and modification time: a file with the manifest's has not changed since it was hashed."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _build(model_dir: Path, folder: Path, variant: str) -> None:
    """Export the float model with pooling and normalisation (int8: fuse and quantize it), then
    move the file into place (the manifest last, so an interrupted build is seen as missing)."""
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        float_path = Path(tmp) / "float.onnx"
        try:
            _export_float(model_dir, float_path)
            built = _quantize(float_path, Path(tmp) / "int8.onnx") if variant == INT8 else float_path
        except Exception as exc:  # torch and onnx raise many types; the message says which step
            raise OnnxModelError(f"building the ONNX model from {model_dir} failed: {type(exc).__name__}: {exc}") from exc
        (folder / "manifest.json").unlink(missing_ok=True)
        os.replace(built, folder / "model.onnx")
    model = folder / "model.onnx"
    manifest = {"variant": variant, "build": BUILD[variant], "source": source_fingerprint(model_dir),
                "sha256": _sha256(model), "stamp": _stamp(model), "opset": OPSET, "max_tokens": MAX_TOKENS[variant]}
    if variant == INT8:
        manifest["weights"] = int8_weights()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))


def _export_float(model_dir: Path, path: Path) -> None:
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    class Pooled(torch.nn.Module):
        """BERT, then the attention-masked mean of the token states, L2-normalised."""

        def __init__(self, bert: torch.nn.Module):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            states = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    hf_logging.disable_progress_bar()
    # eager attention exports the pattern onnxruntime's BERT optimizer fuses (SDPA's does not)
    model = Pooled(AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")).eval()
    example = tuple(torch.ones(2, 8, dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {"embedding": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on BERT's Python control flow
        torch.onnx.export(model, example, str(path), input_names=list(INPUTS), output_names=["embedding"],
                          dynamic_axes=axes, opset_version=OPSET, dynamo=False)


def _quantize(float_path: Path, int8_path: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    _fuse(float_path)
    weights = QuantType.QInt8 if int8_weights() == "s8" else QuantType.QUInt8
    with _root_logging_silenced():  # its advice to pre-process would otherwise configure root logging
        quantize_dynamic(str(float_path), str(int8_path), weight_type=weights, per_channel=True,
                         op_types_to_quantize=["MatMul", "Attention"],  # not EmbedLayerNormalization
                         extra_options={"DefaultTensorType": 1})  # FLOAT, for the fused ops' outputs
    return int8_path


@contextmanager
def _root_logging_silenced():
    """The quantizer logs through `logging.warning`, which installs a root handler when there is
    none (after which every library's debug records print too): hold a silent one meanwhile."""
    root, quiet = logging.getLogger(), logging.NullHandler()
    root.addHandler(quiet)
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
        root.removeHandler(quiet)


@lru_cache(maxsize=1)
def int8_weights() -> str:
    """'s8' (signed weights) on a CPU with VNNI, else 'u8' (unsigned)."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:  # not Linux: the unsigned weights that work everywhere
        return "u8"
    return "s8" if flags & {"avx512_vnni", "avx_vnni"} else "u8"


def _fuse(path: Path) -> None:
    """Fuse the float graph in place into onnxruntime's BERT kernels (Attention, BiasGelu): fewer,
    larger ops, about 15% faster once quantized. Residual additions and layer norms stay apart:
    onnxruntime's fused SkipLayerNormalization took a fifth of the quantized model's time, and
    without it the model embeds 1.2x the passages per CPU second."""
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    options = FusionOptions("bert")
    options.enable_skip_layer_norm = False
    optimize_model(str(path), model_type="bert", num_heads=12, hidden_size=384, opt_level=1,
                   optimization_options=options).save_model_to_file(str(path))


class OnnxEncoder:
    """Tokenizer + one single-threaded onnxruntime session that `threads` workers share, each
    running whole batches (data parallel). Batches on separate cores need no synchronisation
    between operators, where onnxruntime's intra-op threads meet after each of them and, when they
    do not spin (spinning threads stall each other when another process holds a core), sleep and
    wake after each of them (benchmarks/ingest.py compares)."""

    def __init__(self, model_path: Path, tokenizer_path: Path, threads: int, max_tokens: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.threads = threads
        self.session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"],
                                            disabled_optimizers=["SkipLayerNormFusion"])  # see _fuse
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding()

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Embeddings in input order. Texts are sorted by length so a batch wastes little on
        padding; each worker gets at least one batch."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        size = max(1, min(batch_size, -(-len(texts) // self.threads)))
        batches = [order[start : start + size] for start in range(0, len(texts), size)]
        if self.threads == 1 or len(batches) == 1:
            for rows in batches:
                out[rows] = self._run([texts[i] for i in rows])
            return out
        with ThreadPoolExecutor(max_workers=self.threads) as pool:  # onnxruntime releases the GIL
            for rows, vectors in zip(batches, pool.map(lambda rows: self._run([texts[i] for i in rows]), batches)):
                out[rows] = vectors
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]


@lru_cache(maxsize=4)
def encoder(threads: int, variant: str = INT8) -> OnnxEncoder:
    """One encoder per thread count and variant per process, the model built or checked on first
    use in the data dir of that moment (a process embeds with one model whatever stores it opens)."""
    from ranpilot.knowledge.embeddings import model_dir
    from ranpilot.settings import load_settings

    source, data_dir = model_dir(), load_settings().data_dir
    model = ensure_model(source, data_dir, variant)
    try:
        return OnnxEncoder(model, source / "tokenizer.json", threads, MAX_TOKENS[variant])
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
        (cache_dir(data_dir, variant) / "manifest.json").unlink(missing_ok=True)
        raise OnnxModelError(f"{model} cannot be loaded ({exc}); it was removed and is rebuilt on the next run") from exc
