"""The shared semantic layer: offline sentence vectors through the spaCy Doc."""

import logging

import numpy as np
import spacy

from analysis import semantic


def test_vectors_are_normalised_and_mean_meaning():
    v = semantic.embed(["my dad hits me", "my father beats me", "the swings in the park are broken", ""])
    assert v.shape == (4, semantic.DIM)
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-5)
    assert not v[3].any()  # nothing to embed: a zero vector, not NaN
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_same_as_wordllamas_own_embed():
    from pathlib import Path

    import wordllama
    from wordllama import WordLlama

    root = logging.getLogger()
    before = list(root.handlers)
    wl = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    root.handlers[:] = before
    texts = ["We need more buses at night", "Mental health help for young people takes too long"]
    assert np.allclose(semantic.embed(texts), wl.embed(texts, norm=True), atol=1e-5)


def test_the_layer_adds_no_logging_handlers():
    import importlib

    root = logging.getLogger()
    before = list(root.handlers)
    importlib.reload(semantic)
    semantic.embed(["hello"])
    assert root.handlers == before


def test_a_spacy_component_gives_each_doc_its_vector():
    nlp = spacy.blank("en")
    nlp.add_pipe("guth_sentence_vectors_v1")
    docs = list(nlp.pipe(["more youth clubs please", "youth clubs and things to do", "the hospital food"]))
    assert docs[0].has_vector
    assert np.allclose(docs[0].vector, semantic.embed(["more youth clubs please"])[0], atol=1e-6)
    assert docs[0].similarity(docs[1]) > docs[0].similarity(docs[2])
    assert docs[0]._.guth_vector is not None


def test_weights_are_pinned(tmp_path):
    import pytest

    (tmp_path / "weights").mkdir()
    (tmp_path / "tokenizers").mkdir()
    (tmp_path / "weights" / "l2_supercat_256.safetensors").write_bytes(b"not the weights")
    (tmp_path / "tokenizers" / "l2_supercat_tokenizer_config.json").write_text("{}")
    with pytest.raises(semantic.EmbeddingsUnavailable):
        semantic.Embedder(tmp_path)
