"""The Kubernetes manifests (deploy/k8s/) and the compose file's PostgreSQL variant, checked offline.

Every manifest is validated against the Kubernetes JSON schemas that the pinned
`kubernetes-validate` package ships (strict: unknown fields are errors too), for the oldest and
the newest Kubernetes version we claim. The overlays are rendered by `render` below, a small
strategic merge of the subset of kustomize they use, and the result is validated the same way.
"""

import copy
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
BASE = K8S / "base"
OVERLAYS = sorted(p for p in (K8S / "overlays").iterdir() if p.is_dir())
KUBERNETES_VERSIONS = ("1.30", "1.37")  # oldest maintained by the clouds at the time; newest schemas
SECRET_NAME = "neural-playground-secrets"
HEALTH_PATH = "/_stcore/health"  # what docker/healthcheck.py asks
APP_PORT = 8501  # Dockerfile: EXPOSE 8501, PORT=8501
NOT_A_RESOURCE = {"kustomization.yaml", "secret.example.yaml"}


def documents(path):
    with open(path) as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


def manifest_files():
    return sorted(p for p in K8S.rglob("*.yaml") if p.name != "kustomization.yaml")


def kustomization(folder):
    (doc,) = documents(folder / "kustomization.yaml")
    assert doc["apiVersion"] == "kustomize.config.k8s.io/v1beta1" and doc["kind"] == "Kustomization"
    return doc


def key(resource):
    return resource["kind"], resource["metadata"]["name"]


def merge(target, patch):
    """Strategic merge, as far as the overlays use it: maps merge, None deletes a key, lists of
    named items (containers, env, volumes, volumeMounts) merge by name, other lists replace."""
    for name, value in patch.items():
        if value is None:
            target.pop(name, None)
        elif isinstance(value, dict) and isinstance(target.get(name), dict):
            merge(target[name], value)
        elif (
            isinstance(value, list)
            and isinstance(target.get(name), list)
            and all(isinstance(item, dict) and "name" in item for item in value + target[name])
        ):
            by_name = {item["name"]: item for item in target[name]}
            for item in value:
                if item["name"] in by_name:
                    merge(by_name[item["name"]], item)
                else:
                    target[name].append(copy.deepcopy(item))
        else:
            target[name] = copy.deepcopy(value)
    return target


def render(folder):
    """The resources `kubectl apply -k folder` would create (namespace, images, patches)."""
    config = kustomization(folder)
    resources = {}
    for entry in config.get("resources", []):
        path = folder / entry
        for resource in render(path) if path.is_dir() else documents(path):
            assert key(resource) not in resources, f"{key(resource)} defined twice"
            resources[key(resource)] = resource
    for patch_entry in config.get("patches", []):
        for patch in documents(folder / patch_entry["path"]):
            assert key(patch) in resources, f"patch {patch_entry['path']} matches no resource"
            if patch.pop("$patch", None) == "delete":
                del resources[key(patch)]
            else:
                merge(resources[key(patch)], patch)
    for label_set in config.get("labels", []):
        for resource in resources.values():
            resource["metadata"].setdefault("labels", {}).update(label_set["pairs"])
    for resource in resources.values():
        if "namespace" in config and resource["kind"] != "Namespace":
            resource["metadata"]["namespace"] = config["namespace"]
        for image in config.get("images", []):
            for pod in pod_specs([resource]):
                for container in pod["containers"]:
                    if container["image"].split(":")[0] == image["name"]:
                        container["image"] = f"{image['name']}:{image['newTag']}"
    return list(resources.values())


def pod_specs(resources):
    return [r["spec"]["template"]["spec"] for r in resources if r["kind"] in ("Deployment", "StatefulSet")]


def one(resources, kind, name=None):
    found = [r for r in resources if r["kind"] == kind and (name is None or r["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def app_container(resources):
    (container,) = one(resources, "Deployment", "neural-playground")["spec"]["template"]["spec"]["containers"]
    return container


def env_of(container):
    return {item["name"]: item for item in container.get("env", [])}


def validate(resource, version):
    __tracebackhide__ = True
    try:
        kubernetes_validate.validate(resource, version, strict=True)
    except kubernetes_validate.ValidationError as err:
        where = ".".join(str(p) for p in err.path)
        pytest.fail(f"{key(resource)} is not valid for Kubernetes {version}: {where}: {err.message}")


# ---------------------------------------------------------------- every file, and the overlays


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: str(p.relative_to(K8S)))
def test_every_manifest_is_valid_against_the_kubernetes_schemas(path, version):
    for resource in documents(path):
        if resource.pop("$patch", None) == "delete":
            continue  # a deletion names a resource; it has no body to validate
        if path.parent.name == "sqlite-single" and path.name.startswith("single-pod"):
            continue  # a partial patch: validated once merged, below
        validate(resource, version)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("folder", [BASE, *OVERLAYS], ids=lambda p: str(p.relative_to(K8S)))
def test_every_rendered_kustomization_is_valid(folder, version):
    resources = render(folder)
    assert len(resources) >= 4
    for resource in resources:
        validate(resource, version)


def test_the_validator_refuses_what_kubernetes_would():
    # If the schemas were missing or lax, every test above would pass on anything.
    deployment = one(render(BASE), "Deployment")
    broken = copy.deepcopy(deployment)
    broken["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError, match="'three' is not of type 'integer'"):
        kubernetes_validate.validate(broken, "1.37", strict=True)
    typo = copy.deepcopy(deployment)
    typo["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError, match="livenesProbe"):
        kubernetes_validate.validate(typo, "1.37", strict=True)


def test_each_kustomization_lists_every_manifest_of_its_folder():
    for folder in [BASE, *OVERLAYS]:
        config = kustomization(folder)
        listed = {entry for entry in config.get("resources", []) if not (folder / entry).is_dir()}
        listed |= {patch["path"] for patch in config.get("patches", [])}
        present = {p.name for p in folder.glob("*.yaml")} - NOT_A_RESOURCE
        assert listed == present, (
            f"{folder.relative_to(REPO)}: listed {sorted(listed)}, files {sorted(present)}"
        )
        for entry in config.get("resources", []):
            assert (folder / entry).exists(), f"{folder.relative_to(REPO)} lists missing {entry}"
    assert kustomization(BASE)["resources"] == [
        "deployment.yaml",
        "service.yaml",
        "ingress.yaml",
        "pdb.yaml",
        "postgres-statefulset.yaml",
    ]
    # The example Secret holds publicly known values: it must never be applied with the rest.
    for folder in [BASE, *OVERLAYS]:
        assert all(r["kind"] != "Secret" for r in render(folder))


# ---------------------------------------------------------------- what the base says


def test_the_app_deployment():
    resources = render(BASE)
    deployment = one(resources, "Deployment", "neural-playground")
    assert deployment["spec"]["replicas"] == 3
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001  # the Dockerfile's USER
    assert "USER 10001:10001" in (REPO / "Dockerfile").read_text()
    container = app_container(resources)
    assert container["image"] == "neural-playground:latest"
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert container["ports"] == [{"name": "http", "containerPort": APP_PORT}]
    assert env_of(container)["PORT"]["value"] == str(APP_PORT)
    assert f"EXPOSE {APP_PORT}" in (REPO / "Dockerfile").read_text()
    for bound in ("requests", "limits"):
        assert set(container["resources"][bound]) == {"cpu", "memory"}
    assert pod["topologySpreadConstraints"][0]["topologyKey"] == "kubernetes.io/hostname"


def test_the_probes_ask_the_health_path_on_the_container_port():
    container = app_container(render(BASE))
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH_PATH, "port": "http"}, probe
    assert HEALTH_PATH in (REPO / "docker" / "healthcheck.py").read_text()
    # start-up gets the image HEALTHCHECK's 90 s before liveness may restart the pod
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] == 90


def test_secrets_come_from_the_one_secret_and_the_example_has_every_key():
    resources = render(BASE)
    refs = {}
    for pod in pod_specs(resources):
        for container in pod["containers"]:
            for item in container.get("env", []):
                if "valueFrom" in item:
                    ref = item["valueFrom"]["secretKeyRef"]
                    refs[item["name"]] = (ref["name"], ref["key"])
    assert refs == {
        "STREAMLIT_SERVER_COOKIE_SECRET": (SECRET_NAME, "cookie-secret"),
        "NEURAL_PLAYGROUND_DB_URL": (SECRET_NAME, "db-url"),
        "POSTGRES_USER": (SECRET_NAME, "postgres-user"),
        "POSTGRES_PASSWORD": (SECRET_NAME, "postgres-password"),
    }
    (example,) = documents(BASE / "secret.example.yaml")
    assert example["kind"] == "Secret" and example["metadata"]["name"] == SECRET_NAME
    assert set(example["stringData"]) == {ref_key for _, ref_key in refs.values()}
    assert example["stringData"]["db-url"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in example["stringData"]["db-url"]  # the StatefulSet's Service
    validate(example, "1.37")


def test_the_ingress_keeps_a_student_on_one_pod_and_the_websocket_open():
    resources = render(BASE)
    ingress = one(resources, "Ingress", "neural-playground")
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == "np_route"
    assert notes["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "3600"
    assert notes["nginx.ingress.kubernetes.io/proxy-send-timeout"] == "3600"
    assert all(isinstance(v, str) for v in notes.values())  # annotations must be strings
    assert ingress["spec"]["ingressClassName"] == "nginx"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    service = one(resources, "Service", backend["name"])
    assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
    deployment = one(resources, "Deployment", "neural-playground")
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_the_disruption_budget_covers_the_app_pods():
    resources = render(BASE)
    pdb = one(resources, "PodDisruptionBudget")
    assert pdb["spec"]["minAvailable"] == 1
    deployment = one(resources, "Deployment", "neural-playground")
    assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert deployment["spec"]["replicas"] > pdb["spec"]["minAvailable"]  # drains can proceed


def test_postgres_has_its_own_volume_and_service():
    resources = render(BASE)
    statefulset = one(resources, "StatefulSet", "postgres")
    (claim,) = statefulset["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    (container,) = statefulset["spec"]["template"]["spec"]["containers"]
    assert container["volumeMounts"] == [
        {"name": claim["metadata"]["name"], "mountPath": "/var/lib/postgresql/data"}
    ]
    assert env_of(container)["PGDATA"]["value"].startswith("/var/lib/postgresql/data/")
    service = one(resources, "Service", statefulset["spec"]["serviceName"])
    assert service["spec"]["ports"][0]["port"] == 5432
    assert service["spec"]["selector"] == statefulset["spec"]["selector"]["matchLabels"]
    assert statefulset["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


# ---------------------------------------------------------------- overlays


def test_the_sqlite_overlay_is_one_pod_with_its_database_on_a_volume():
    resources = render(K8S / "overlays" / "sqlite-single")
    kinds = sorted(key(r) for r in resources)
    assert ("StatefulSet", "postgres") not in kinds and ("Service", "postgres") not in kinds
    assert all(r["kind"] != "PodDisruptionBudget" for r in resources)
    deployment = one(resources, "Deployment", "neural-playground")
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    container = app_container(resources)
    env = env_of(container)
    assert env["WORKERS"]["value"] == "2"
    assert env["NEURAL_PLAYGROUND_DB_URL"] == {
        "name": "NEURAL_PLAYGROUND_DB_URL",
        "value": "sqlite:////var/lib/neural-playground/classroom.sqlite3",
    }
    assert env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]["secretKeyRef"]["name"] == SECRET_NAME
    (mount,) = container["volumeMounts"]
    assert mount["mountPath"] == "/var/lib/neural-playground"
    (volume,) = deployment["spec"]["template"]["spec"]["volumes"]
    claim = one(resources, "PersistentVolumeClaim")
    assert volume == {
        "name": mount["name"],
        "persistentVolumeClaim": {"claimName": claim["metadata"]["name"]},
    }
    # the volume must not hide the MNIST files baked into the image's data folder
    assert "NEURAL_PLAYGROUND_DATA=/opt/neural-playground/data" in (REPO / "Dockerfile").read_text()
    assert not mount["mountPath"].startswith("/opt/neural-playground/data")


def test_the_postgres_overlay_puts_everything_in_its_namespace():
    resources = render(K8S / "overlays" / "postgres")
    namespace = one(resources, "Namespace")["metadata"]["name"]
    assert namespace == "neural-playground"
    assert (
        one(resources, "Namespace")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"]
        == "restricted"
    )
    assert all(r["metadata"]["namespace"] == namespace for r in resources if r["kind"] != "Namespace")
    assert one(resources, "Deployment")["spec"]["replicas"] == 3
    assert app_container(resources)["image"] == "neural-playground:latest"


def test_every_pod_meets_the_restricted_pod_security_standard():
    # The postgres overlay's namespace enforces "restricted": a pod that misses one of these
    # would be refused by the cluster, not by these tests.
    for folder in [BASE, *OVERLAYS]:
        for pod in pod_specs(render(folder)):
            assert pod["securityContext"]["runAsNonRoot"] is True
            assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
            for container in pod["containers"]:
                assert container["securityContext"]["allowPrivilegeEscalation"] is False
                assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]


# ---------------------------------------------------------------- docker-compose.yml


def compose():
    with open(REPO / "docker-compose.yml") as f:
        return yaml.safe_load(f)


def test_compose_default_service_is_unchanged_and_needs_no_database():
    services = compose()["services"]
    default = services["neural-playground"]
    assert "profiles" not in default  # `docker compose up` starts it, as before
    assert default["ports"] == ["8501:8501"]
    assert "NEURAL_PLAYGROUND_DB_URL" not in default["environment"]  # SQLite in the data folder
    # every other service is opt-in, so `docker compose up` starts exactly what it did
    assert [name for name, s in services.items() if "profiles" not in s] == ["neural-playground"]


def test_compose_postgres_variant():
    config = compose()
    services = config["services"]
    app, db = services["neural-playground-postgres"], services["postgres"]
    assert app["profiles"] == ["postgres"] and db["profiles"] == ["postgres"]
    url = app["environment"]["NEURAL_PLAYGROUND_DB_URL"]
    assert url == "postgresql+psycopg://neural:${POSTGRES_PASSWORD:-}@postgres:5432/neural_playground"
    assert db["environment"]["POSTGRES_USER"] == "neural"
    assert db["environment"]["POSTGRES_DB"] == "neural_playground"
    assert db["environment"]["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:-}"
    assert app["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert "pg_isready" in db["healthcheck"]["test"][1]
    assert "ports" not in db  # reachable only on the compose network
    assert app["ports"] == ["8502:8501"]  # beside the default service, not in its way
    assert app["image"] == services["neural-playground"]["image"]
    (volume,) = db["volumes"]
    assert volume.split(":") == ["postgres-data", "/var/lib/postgresql/data"]
    assert "postgres-data" in config["volumes"]
    assert app["healthcheck"] == services["neural-playground"]["healthcheck"]


def test_the_database_urls_are_ones_sqlalchemy_and_psycopg_accept():
    from sqlalchemy.engine import make_url

    (example,) = documents(BASE / "secret.example.yaml")
    for text in (
        example["stringData"]["db-url"],
        compose()["services"]["neural-playground-postgres"]["environment"][
            "NEURAL_PLAYGROUND_DB_URL"
        ].replace("${POSTGRES_PASSWORD:-}", "abc123"),
    ):
        url = make_url(text)
        assert (url.get_backend_name(), url.get_driver_name()) == ("postgresql", "psycopg")
        assert (url.host, url.port, url.database) == ("postgres", 5432, "neural_playground")
    sqlite = make_url(
        env_of(app_container(render(K8S / "overlays" / "sqlite-single")))["NEURAL_PLAYGROUND_DB_URL"]["value"]
    )
    assert (
        sqlite.get_backend_name() == "sqlite"
        and sqlite.database == "/var/lib/neural-playground/classroom.sqlite3"
    )
