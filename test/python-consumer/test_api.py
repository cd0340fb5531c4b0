"""Every public API shape of the library, used from Python through the jsii binding.

Run by scripts/consumer-python.sh in a virtualenv holding the wheel, cdk8s and cdk8s-plus-27:
    python test_api.py <path to the library's .jsii assembly>
The first test walks the assembly, so a type or member added in TypeScript is checked here without
editing this file; the others call each part of the API the way a Python user does.
"""
import json
import os
import re
import sys
import tempfile
import unittest

import cdk8s
import cdk8s_secure_trading_api as lib
from cdk8s_plus_27 import k8s

ASSEMBLY = sys.argv.pop(1) if len(sys.argv) > 1 else None
IMAGE = "ghcr.io/example/order-gateway:1.4.2@sha256:" + "3f1e1c0b5a0d4c1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f"


def snake(name: str) -> str:
    """jsii's Python name for a camelCase member."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def chart(ns: str = "trading"):
    app = cdk8s.App(outdir=tempfile.mkdtemp(prefix="python-consumer-"))
    return app, cdk8s.Chart(app, "trading", namespace=ns)


def minimal(**overrides):
    props = dict(
        image=IMAGE,
        host="api.trading.example.com",
        tls=lib.TlsCertificate.from_cert_manager_cluster_issuer("letsencrypt-prod"),
        credentials=[lib.ExchangeCredentials.from_secret("binance-futures-api")],
    )
    props.update(overrides)
    return props


def objects(c, kind):
    return [o for o in c.to_json() if o["kind"] == kind]


class EveryShapeExists(unittest.TestCase):
    """Each type of the assembly is in the module, with each member under its Python name."""

    @unittest.skipUnless(ASSEMBLY, "needs the .jsii path")
    def test_every_type_and_member(self):
        with open(ASSEMBLY, encoding="utf-8") as f:
            assembly = json.load(f)
        checked = 0
        for fqn, t in assembly["types"].items():
            cls = getattr(lib, t["name"], None)
            self.assertIsNotNone(cls, f"{fqn} is not in cdk8s_secure_trading_api")
            if t["kind"] == "enum":
                for m in t["members"]:
                    self.assertTrue(hasattr(cls, m["name"]), f"{fqn}.{m['name']}")
            elif t.get("datatype"):
                init = cls.__init__.__code__.co_varnames
                for p in t.get("properties", []):
                    self.assertIn(snake(p["name"]), init, f"struct {fqn} takes no {snake(p['name'])}")
            else:
                for m in t.get("methods", []):
                    self.assertTrue(hasattr(cls, snake(m["name"])), f"{fqn}.{m['name']} -> {snake(m['name'])}")
                for p in t.get("properties", []):
                    name = p["name"] if p.get("const") else snake(p["name"])
                    self.assertTrue(hasattr(cls, name), f"{fqn}.{p['name']} -> {name}")
                if "initializer" in t:
                    params = cls.__init__.__code__.co_varnames
                    for p in t["initializer"].get("parameters", []):
                        struct = assembly["types"].get(p["type"].get("fqn", ""), {})
                        if struct.get("datatype"):
                            # jsii flattens a trailing props struct into keyword arguments.
                            for sp in struct.get("properties", []):
                                self.assertIn(snake(sp["name"]), params, f"{fqn}(..., {snake(sp['name'])}=)")
                        else:
                            self.assertIn(snake(p["name"]), params, f"{fqn}({p['name']})")
            checked += 1
        self.assertGreater(checked, 0)


class SecureTradingApiFromPython(unittest.TestCase):
    def test_every_prop_reaches_the_manifests(self):
        app, c = chart()
        api = lib.SecureTradingApi(
            c, "order-gateway",
            image="ghcr.io/example/order-gateway:1.4.2",
            allow_unpinned_image=True,
            name="gateway",
            namespace="trading-eu",
            port=8443,
            readiness_path="/ready",
            liveness_path="/alive",
            startup_timeout_seconds=90,
            resources=lib.ResourceRequirements(
                cpu_request="200m", cpu_limit="1", memory_request="256Mi", memory_limit="512Mi",
                ephemeral_storage_request="128Mi", ephemeral_storage_limit="512Mi"),
            tmp_size_limit="128Mi",
            replicas=3,
            run_as_user=10002,
            host="eu.trading.example.com",
            tls=lib.TlsCertificate.from_secret("gateway-tls"),
            ingress_controller=lib.IngressController.ingress_nginx(
                class_name="nginx-internal", namespace="ingress", pod_labels={"app": "controller"}),
            edge_protection=lib.EdgeProtection(
                requests_per_second=5, burst_multiplier=2, client_ip_allow_list=["198.51.100.0/24"],
                max_request_body_size="64Ki", read_timeout_seconds=30, send_timeout_seconds=30,
                connect_timeout_seconds=3),
            ingress_annotations={"example.com/owner": "trading"},
            unsafe_ingress_annotations=lib.UnsafeIngressAnnotations(
                reason="gRPC backend, reviewed by platform security (SEC-1)",
                annotations={"nginx.ingress.kubernetes.io/backend-protocol": "GRPC"}),
            credentials=[
                lib.ExchangeCredentials.from_secret("exchange-a"),
                lib.ExchangeCredentials.from_secret("exchange-b", keys=["api-key"]),
            ],
            exchange_endpoints=[
                lib.ExchangeEndpoint(cidr="198.51.100.0/24"),
                lib.ExchangeEndpoint(cidr="2001:db8::/48", port=8443),
            ],
            allow_unrestricted_egress=False,
            operator_users=["oncall@example.com"],
            operator_groups=["trading-oncall"],
        )
        deployment = objects(c, "Deployment")[0]
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        self.assertEqual(deployment["metadata"]["name"], "gateway")
        self.assertEqual(deployment["metadata"]["namespace"], "trading-eu")
        self.assertEqual(deployment["spec"]["replicas"], 3)
        self.assertEqual(container["image"], "ghcr.io/example/order-gateway:1.4.2")
        self.assertEqual(container["ports"][0]["containerPort"], 8443)
        self.assertEqual(container["readinessProbe"]["httpGet"]["path"], "/ready")
        self.assertEqual(container["livenessProbe"]["httpGet"]["path"], "/alive")
        self.assertEqual(container["resources"]["limits"]["cpu"], "1")
        self.assertEqual(pod["securityContext"]["runAsUser"], 10002)
        secrets = [v["secret"] for v in pod["volumes"] if "secret" in v]
        self.assertEqual([s["secretName"] for s in secrets], ["exchange-a", "exchange-b"])
        self.assertEqual([i["key"] for i in secrets[1]["items"]], ["api-key"])
        ingress = objects(c, "Ingress")[0]
        self.assertEqual(ingress["spec"]["tls"][0], {"hosts": ["eu.trading.example.com"], "secretName": "gateway-tls"})
        annotations = ingress["metadata"]["annotations"]
        self.assertEqual(ingress["spec"]["ingressClassName"], "nginx-internal")
        self.assertEqual(annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"], "true")
        self.assertEqual(annotations["nginx.ingress.kubernetes.io/limit-rps"], "5")
        self.assertEqual(annotations["nginx.ingress.kubernetes.io/allowlist-source-range"], "198.51.100.0/24")
        self.assertEqual(annotations["nginx.ingress.kubernetes.io/proxy-body-size"], "64k")
        self.assertEqual(annotations["nginx.ingress.kubernetes.io/backend-protocol"], "GRPC")
        self.assertEqual(annotations["example.com/owner"], "trading")
        allow = next(o for o in objects(c, "NetworkPolicy") if o["metadata"]["name"] == "gateway-allow")
        cidrs = [to["ipBlock"]["cidr"] for rule in allow["spec"]["egress"] for to in rule.get("to", []) if "ipBlock" in to]
        self.assertEqual(sorted(cidrs), ["198.51.100.0/24", "2001:db8::/48"])
        subjects = objects(c, "RoleBinding")[0]["subjects"]
        self.assertEqual(sorted(s["name"] for s in subjects), ["oncall@example.com", "trading-oncall"])

        # Every public property, with its Python type.
        self.assertEqual(api.name, "gateway")
        self.assertEqual(api.namespace, "trading-eu")
        self.assertEqual(api.selector_labels["app.kubernetes.io/instance"], "gateway")
        self.assertEqual(api.credentials_path, "/var/run/secrets/trading")
        for prop, cls in [
            ("service_account", k8s.KubeServiceAccount), ("operator_role", k8s.KubeRole),
            ("operator_role_binding", k8s.KubeRoleBinding), ("deployment", k8s.KubeDeployment),
            ("service", k8s.KubeService), ("pod_disruption_budget", k8s.KubePodDisruptionBudget),
            ("default_deny_policy", k8s.KubeNetworkPolicy), ("allow_policy", k8s.KubeNetworkPolicy),
            ("ingress", k8s.KubeIngress), ("audit_policy", lib.AuditPolicy),
        ]:
            self.assertIsInstance(getattr(api, prop), cls, prop)
        self.assertEqual(api.audit_policy.namespaces, ["trading-eu"])

    def test_structs_as_dicts(self):
        _, c = chart()
        lib.SecureTradingApi(c, "gw", **minimal(
            exchange_endpoints=[{"cidr": "203.0.113.0/24", "port": 443}],
            resources={"cpu_request": "50m"}))
        container = objects(c, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(container["resources"]["requests"]["cpu"], "50m")

    def test_without_operators_there_is_no_role_binding(self):
        _, c = chart()
        api = lib.SecureTradingApi(c, "gw", **minimal())
        self.assertIsNone(api.operator_role_binding)
        self.assertEqual(objects(c, "RoleBinding"), [])
        self.assertEqual(len(objects(c, "Role")), 1)

    def test_escape_hatch_from_the_readme(self):
        _, c = chart()
        api = lib.SecureTradingApi(c, "gw", **minimal())
        cdk8s.ApiObject.of(api.workload).add_json_patch(
            cdk8s.JsonPatch.add("/spec/template/metadata/annotations", {"example.com/patched": "yes"}))
        deployment = objects(c, "Deployment")[0]
        self.assertEqual(deployment["spec"]["template"]["metadata"]["annotations"], {"example.com/patched": "yes"})

    def test_invalid_props_raise_one_error_and_emit_nothing(self):
        _, c = chart()
        with self.assertRaises(Exception) as raised:
            lib.SecureTradingApi(c, "gw", **minimal(image="ghcr.io/example/order-gateway:latest", port=80))
        message = str(raised.exception)
        self.assertIn("image", message)
        self.assertIn("port", message)
        self.assertIn("Fix:", message)
        self.assertEqual(c.to_json(), [])

    def test_two_instances_share_one_audit_policy_file(self):
        app, c = chart()
        lib.SecureTradingApi(c, "a", **minimal())
        other = cdk8s.Chart(app, "other", namespace="trading-us")
        # Each service has a host of its own: two on one host are refused.
        lib.SecureTradingApi(other, "b", **minimal(host="us.trading.example.com"))
        app.synth()
        path = os.path.join(app.outdir, lib.AuditPolicy.FILE_PATH)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("trading-us", text)
        self.assertEqual(lib.AuditPolicy.of(c).namespaces, ["trading", "trading-us"])


class ChoicesFromPython(unittest.TestCase):
    def test_tls_certificate_factories(self):
        cases = [
            (lib.TlsCertificate.from_secret("s"), lib.TlsCertificateSource.EXISTING_SECRET),
            (lib.TlsCertificate.from_cert_manager_issuer("i"), lib.TlsCertificateSource.CERT_MANAGER_ISSUER),
            (lib.TlsCertificate.from_cert_manager_cluster_issuer("c"), lib.TlsCertificateSource.CERT_MANAGER_CLUSTER_ISSUER),
        ]
        for cert, source in cases:
            self.assertEqual(cert.source, source)
        self.assertEqual([c.name for c, _ in cases], ["s", "i", "c"])
        timed = lib.TlsCertificate.from_cert_manager_issuer("i", duration="720h", renew_before="240h")
        self.assertEqual((timed.duration, timed.renew_before), ("720h", "240h"))

    def test_ingress_controller_factories(self):
        nginx = lib.IngressController.ingress_nginx()
        self.assertEqual((nginx.kind, nginx.class_name, nginx.namespace, nginx.pod_labels),
                         (lib.IngressControllerKind.INGRESS_NGINX, "nginx", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"}))
        self.assertEqual(lib.IngressController.traefik().kind, lib.IngressControllerKind.TRAEFIK)
        other = lib.IngressController.other(class_name="haproxy", namespace="haproxy", pod_labels={"app": "haproxy"})
        self.assertEqual((other.kind, other.class_name), (lib.IngressControllerKind.OTHER, "haproxy"))

    def test_edge_protection_refused_where_it_cannot_be_enforced(self):
        _, c = chart()
        with self.assertRaises(Exception) as raised:
            lib.SecureTradingApi(c, "gw", **minimal(
                ingress_controller=lib.IngressController.traefik(),
                edge_protection=lib.EdgeProtection(requests_per_second=10)))
        self.assertIn("edgeProtection.requestsPerSecond: cannot be enforced with Traefik", str(raised.exception))
        self.assertEqual(c.to_json(), [])

    def test_exchange_credentials(self):
        every_key = lib.ExchangeCredentials.from_secret("a")
        some_keys = lib.ExchangeCredentials.from_secret("b", keys=["api-key", "api-secret"])
        self.assertEqual((every_key.secret_name, every_key.keys), ("a", None))
        self.assertEqual((some_keys.secret_name, some_keys.keys), ("b", ["api-key", "api-secret"]))
        self.assertEqual(lib.SecretCredentialsOptions(keys=["k"]).keys, ["k"])

    def test_audit_policy(self):
        _, c = chart()
        policy = lib.AuditPolicy.of(c)
        policy.add_namespace("trading")
        self.assertEqual(policy.namespaces, ["trading"])
        as_json = policy.to_json()
        self.assertEqual((as_json["apiVersion"], as_json["kind"]), ("audit.k8s.io/v1", "Policy"))
        self.assertIn("kind: Policy", policy.to_yaml())
        self.assertEqual(lib.AuditPolicy.FILE_PATH, "audit/audit-policy.yaml")


if __name__ == "__main__":
    unittest.main(verbosity=2)
