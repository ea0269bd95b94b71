"""The deployment files parse, and every POLICYQA_* variable they set is a setting policyqa reads."""

import re

import yaml

from policyqa.settings import Settings, unknown_variables

from .conftest import ROOT

DEPLOY = ROOT / "deploy" / "milvus"


def policyqa_variables(node) -> dict[str, str]:
    found = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("POLICYQA_"):
                found[key] = str(value)
            elif key == "name" and isinstance(value, str) and value.startswith("POLICYQA_"):
                found[value] = str(node.get("value", ""))
            found.update(policyqa_variables(value))
    elif isinstance(node, list):
        for item in node:
            found.update(policyqa_variables(item))
    return found


def test_compose_and_kubernetes_files_set_only_known_settings():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    assert {"etcd", "minio", "milvus", "build", "policyqa", "lb"} <= set(compose["services"])
    assert compose["services"]["policyqa"]["deploy"]["replicas"]
    k8s = list(yaml.safe_load_all((DEPLOY / "policyqa-k8s.yaml").read_text(encoding="utf-8")))
    assert [d["kind"] for d in k8s] == ["ConfigMap", "Deployment", "Service", "CronJob"]
    values = yaml.safe_load((DEPLOY / "milvus-values.yaml").read_text(encoding="utf-8"))
    assert values["cluster"]["enabled"] is True
    variables = {**policyqa_variables(compose), **policyqa_variables(k8s)}
    assert {"POLICYQA_STORE", "POLICYQA_MILVUS_URI", "POLICYQA_MILVUS_TOKEN"} <= set(variables)
    assert unknown_variables(variables) == []
    # The values that are not ${…} substitutions are valid settings.
    plain = {k[len("POLICYQA_") :].lower(): v for k, v in variables.items() if "${" not in v and v}
    Settings(**plain)
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r'pip install -c "\$\{CONSTRAINTS\}" "\.\[milvus\]"', dockerfile)
