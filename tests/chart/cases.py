"""The values matrix every chart test renders."""

from __future__ import annotations

from tests.chart.render import Obj, example

EXTERNAL_CONSOLE: Obj = {
    "enabled": False,
    "externalAddress": "console.example.com:10350",
    "tls": True,
    "caBundle": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
}


def cases() -> dict[str, Obj]:
    return {
        "dim-only": {},
        "dar-only": example("dar-postgres-s3-kafka.yaml"),
        "dim-and-dar": {"dar": {"enabled": True}},
        "network-policies": example("proxy-network-policies.yaml"),
        "network-policies-in-cluster": {
            "dar": {"enabled": True},
            "networkPolicy": {"enabled": True},
            "prometheusAgent": {"enabled": True},
        },
        "proxy": {"httpsProxy": "proxy.corp:3128", "httpsProxyNoProxy": "10.0.0.0/8"},
        "external-secrets": {"useExternalSecrets": True, "dar": {"enabled": True}},
        "vault-agent": example("vault-agent.yaml"),
        "vault-native": example("vault-native.yaml"),
        "external-kafka": example("external-kafka.yaml"),
        "external-console": {
            "console": EXTERNAL_CONSOLE,
            "digger": {"token": "dim-token"},
            "crawler": {"token": "dar-token"},
            "dar": {"enabled": True},
        },
        "prometheus-and-persistence": {
            "prometheusAgent": {
                "enabled": True,
                "remoteWrite": [{"url": "https://metrics.example.com/api/v1/write"}],
            },
            "kafka": {"embedded": {"persistence": {"enabled": True}}},
            "dar": {"enabled": True},
            "crawler": {"persistence": {"enabled": True, "storageClass": "fast"}},
        },
    }


CASES = cases()
