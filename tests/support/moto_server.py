#!/usr/bin/env python3
"""moto's server, with CloudFront as it is today.

moto implements STS, CloudFront's distributions, ACM and Route 53; the
`cloudfront_emu` package beside this file adds what CloudFront has and
moto 5.2.1 lacks (ListConflictingAliases, ListDomainConflicts, distribution
tenants, connection groups, the rules on names), answered from moto's state
across every account moto knows. Everything else goes to moto unchanged.

    python3 moto_server.py -p PORT [--latency-ms N] [--complete-listings]
                           [--without-domain-conflicts] [--dns-server HOST:PORT]
                           [--strict-certificates] [--deploy-ms N]

--latency-ms adds that much delay to every request, for benchmarks;
POST /moto-wrapper/latency?ms=N changes it while the server runs, and
GET /moto-wrapper/requests counts the requests per operation.
--without-domain-conflicts answers ListDomainConflicts with a 404, as an
endpoint without the operation does (moto alone answers every unknown
CloudFront path so), to test a client's fallback to ListConflictingAliases.
--dns-server names the resolver CloudFront's DNS rules read (the test's
dnsmasq): the CNAME chain of a new alias, the `_name` TXT record of a move
across accounts; POST /moto-wrapper/dns-server?address=HOST:PORT changes it
while the server runs (a test seeds first, then starts its resolver with
the seeded domains). Without one, no DNS rule applies and a move across
accounts finds no TXT record.
--strict-certificates refuses a distribution's or tenant's alias its
certificate does not cover, as CloudFront does (without it, seeds may
hold names with no certificate).
--deploy-ms N keeps a changed distribution or tenant `InProgress` for N ms
(default 0: `Deployed` at once); POST /moto-wrapper/deploy-ms?ms=N changes
it while the server runs. POST /moto-api/reset also forgets the
emulator's tenants, connection groups, pending deployments and resolver.
"""

import argparse
import threading
import time
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import cloudfront_emu
from cloudfront_emu import deploy, dns, store
from moto.core.responses import BaseResponse
from moto.iam.models import get_account_id_from
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.exceptions import NotFound
from werkzeug.serving import run_simple

NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"


def caller_account(environ):
    header = environ.get("HTTP_AUTHORIZATION", "")
    match = BaseResponse.access_key_regex.search(header)
    return get_account_id_from(match.group(1) if match else "AKIAEXAMPLE")


def distribution_list(environ, start_response):
    """ListDistributions with complete summaries, as AWS sends them (moto's
    summaries lack the aliases, origins and certificate, so a client has to
    read each distribution again): for benchmarks, where those extra reads
    would measure the emulator, not the client."""
    query = parse_qs(environ.get("QUERY_STRING", ""))
    marker = int(query.get("Marker", ["0"])[0] or 0)
    max_items = max(1, min(int(query.get("MaxItems", ["100"])[0] or 100), 100))
    own = store.distributions(caller_account(environ))
    everything = sorted(own.values(), key=lambda d: d.distribution_id)
    page = everything[marker : marker + max_items]
    truncated = marker + max_items < len(everything)
    items = []
    for d in page:
        config = d.distribution_config
        aliases = "".join(f"<CNAME>{escape(a)}</CNAME>" for a in store.aliases_of(d))
        arn = getattr(config.ViewerCertificate, "acm_certificate_arn", "") or ""
        certificate = (f"<ACMCertificateArn>{escape(arn)}</ACMCertificateArn>"
                       "<SSLSupportMethod>sni-only</SSLSupportMethod>" if arn
                       else "<CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>")
        items.append(
            f"<DistributionSummary><Id>{d.distribution_id}</Id><ARN>{escape(d.arn)}</ARN>"
            f"<Status>{d.status}</Status><LastModifiedTime>{d.last_modified_time}</LastModifiedTime>"
            f"<DomainName>{d.domain_name}</DomainName>"
            f"<Aliases><Quantity>{len(store.aliases_of(d))}</Quantity>"
            + (f"<Items>{aliases}</Items>" if aliases else "") + "</Aliases>"
            "<Origins><Quantity>1</Quantity><Items><Origin><Id>origin</Id>"
            "<DomainName>origin.example.com</DomainName></Origin></Items></Origins>"
            f"<Enabled>{'true' if config.Enabled else 'false'}</Enabled>"
            f"<ViewerCertificate>{certificate}</ViewerCertificate>"
            f"<Staging>{'true' if getattr(config, 'Staging', False) else 'false'}</Staging>"
            f"<ConnectionMode>{escape(getattr(config, 'ConnectionMode', None) or 'direct')}"
            "</ConnectionMode>"
            "</DistributionSummary>"
        )
    body = (
        f'<?xml version="1.0"?><DistributionList xmlns="{NS}"><Marker>{marker}</Marker>'
        + (f"<NextMarker>{marker + max_items}</NextMarker>" if truncated else "")
        + f"<MaxItems>{max_items}</MaxItems><IsTruncated>{'true' if truncated else 'false'}"
        f"</IsTruncated><Quantity>{len(page)}</Quantity>"
        + (f"<Items>{''.join(items)}</Items>" if items else "")
        + "</DistributionList>"
    )
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [body.encode()]


class Counter:
    """Requests per operation, served at GET /moto-wrapper/requests."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1

    def report(self):
        with self.lock:
            return "".join(f"{k}\t{v}\n" for k, v in sorted(self.counts.items()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--complete-listings", action="store_true",
                        help="answer ListDistributions with complete summaries, as AWS does")
    parser.add_argument("--without-domain-conflicts", action="store_true",
                        help="answer ListDomainConflicts with a 404, as an endpoint without it")
    parser.add_argument("--dns-server", default=None,
                        help="HOST:PORT of the resolver the DNS rules read")
    parser.add_argument("--strict-certificates", action="store_true",
                        help="refuse aliases the certificate does not cover")
    parser.add_argument("--deploy-ms", type=float, default=0.0,
                        help="milliseconds a changed resource stays InProgress")
    args = parser.parse_args()
    dns.configure(args.dns_server)
    store.RULES["strict_certificates"] = args.strict_certificates
    deploy.DELAY["ms"] = args.deploy_ms
    cloudfront_emu.install()
    moto = DomainDispatcherApplication(create_backend_app)
    counter = Counter()

    latency = {"ms": args.latency_ms}

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/moto-wrapper/requests":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [counter.report().encode()]
        if path == "/moto-wrapper/latency":
            # POST ?ms=N: seed quickly, then measure with latency.
            query = parse_qs(environ.get("QUERY_STRING", ""))
            latency["ms"] = float(query.get("ms", ["0"])[0] or 0)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [f"{latency['ms']}\n".encode()]
        if path == "/moto-wrapper/dns-server":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            dns.configure(query.get("address", [""])[0])
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        if path == "/moto-wrapper/deploy-ms":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            deploy.DELAY["ms"] = max(0.0, min(float(query.get("ms", ["0"])[0] or 0), 60000.0))
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [f"{deploy.DELAY['ms']}\n".encode()]
        if path == "/moto-api/reset":
            store.reset()
            deploy.reset()
            dns.configure(None)
        if not path.startswith("/moto-api"):
            if latency["ms"]:
                time.sleep(latency["ms"] / 1000)
            counter.add(f"{environ.get('REQUEST_METHOD')} {path.split('?')[0]}")
        if args.without_domain_conflicts and path.rstrip("/").endswith(
            "/2020-05-31/domain-conflicts"
        ):
            return NotFound()(environ, start_response)
        if (args.complete_listings and environ.get("REQUEST_METHOD") == "GET"
                and path.rstrip("/").endswith("/2020-05-31/distribution")):
            return distribution_list(environ, start_response)
        return moto(environ, start_response)

    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
