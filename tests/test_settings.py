"""Settings from the environment: list forms, typed choices refused in one line before any model loads."""

import os
import subprocess
import sys
import time

import pytest

from policyqa.errors import ConfigError
from policyqa.settings import load_settings, unknown_variables

from .conftest import ROOT


@pytest.mark.parametrize(
    "value, keys",
    [
        ("k1,k2", ["k1", "k2"]),
        ("k1", ["k1"]),
        (" k1 , k2 ,", ["k1", "k2"]),
        ('["k1", "k2"]', ["k1", "k2"]),
        ("", []),
    ],
)
def test_api_keys_from_the_environment(monkeypatch, value, keys):
    monkeypatch.setenv("POLICYQA_API_KEYS", value)
    monkeypatch.setenv("POLICYQA_CORS_ORIGINS", "http://a.gov,http://b.gov")
    settings = load_settings()
    assert settings.api_keys == keys and settings.cors_origins == ["http://a.gov", "http://b.gov"]


@pytest.mark.parametrize(
    "name, value, needle",
    [
        ("POLICYQA_FUSION", "bogus", "POLICYQA_FUSION"),
        ("POLICYQA_ANALYZER", "bogus", "POLICYQA_ANALYZER"),
        ("POLICYQA_BACKEND", "gpu", "POLICYQA_BACKEND"),
        ("POLICYQA_DENSE_WEIGHT", "1.5", "POLICYQA_DENSE_WEIGHT"),
        ("POLICYQA_API_KEYS", "[not json", "POLICYQA_API_KEYS"),
        ("POLICYQA_TOP_K", "many", "POLICYQA_TOP_K"),
        ("POLICYQA_STORE", "redis", "POLICYQA_STORE"),
        ("POLICYQA_MILVUS_COLLECTION", "policy-qa", "POLICYQA_MILVUS_COLLECTION"),
        ("POLICYQA_MILVUS_TIMEOUT", "0", "POLICYQA_MILVUS_TIMEOUT"),
    ],
)
def test_bad_values_are_one_config_error(monkeypatch, name, value, needle):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert needle in str(caught.value) and "\n" not in str(caught.value)


def test_unknown_variables_are_named_with_a_suggestion():
    notes = unknown_variables({"POLICYQA_FUSON": "rrf", "POLICYQA_MODEL": "x", "POLICYQA_SHARED_DATA": "/d"})
    assert notes == ["POLICYQA_FUSON (did you mean POLICYQA_FUSION?)"]


def test_cli_refuses_a_bad_setting_before_loading_anything(tmp_path):
    env = {**os.environ, "POLICYQA_ANALYZER": "bogus", "POLICYQA_MODEL": "fake-64"}
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "policyqa", "index", "build", "--corpus", str(ROOT / "corpus"), "--index", str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert (
        out.stderr.startswith("error: invalid settings: POLICYQA_ANALYZER")
        and len(out.stderr.splitlines()) == 1
    )
    assert not (tmp_path / "CURRENT").exists() and time.perf_counter() - started < 30
