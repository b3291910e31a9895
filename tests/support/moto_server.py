#!/usr/bin/env python3
"""moto's server, plus the one CloudFront call it lacks.

moto implements STS, CloudFront's distributions, ACM and Route 53, but not
ListConflictingAliases (GET /2020-05-31/conflicting-alias), which answers
with a 404. This wrapper answers that call from moto's own state, across
every account moto knows: the probe distribution must be in the caller's
account, holders are the distributions whose aliases equal the alias or
overlap it through a wildcard, IDs are masked (first half `*`) as AWS does,
and pages follow Marker/MaxItems. Everything else goes to moto unchanged.

    python3 moto_server.py -p PORT [--latency-ms N] [--complete-listings]

--latency-ms adds that much delay to every request, for benchmarks;
POST /moto-wrapper/latency?ms=N changes it while the server runs, and
GET /moto-wrapper/requests counts the requests per operation.
"""

import argparse
import threading
import time
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from moto.cloudfront.models import cloudfront_backends
from moto.core.responses import BaseResponse
from moto.iam.models import get_account_id_from
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"


def mask(value):
    half = len(value) // 2
    return "*" * half + value[half:]


def overlaps(a, b):
    def below(wild, name):
        suffix = wild[1:]
        return wild.startswith("*.") and len(name) > len(suffix) and name.endswith(suffix)

    return a != b and (below(a, b) or below(b, a))


def aliases_of(distribution):
    # DistributionConfig keeps the request's members as attributes.
    aliases = getattr(distribution.distribution_config, "Aliases", None) or {}
    items = aliases.get("Items") or []
    if isinstance(items, dict):
        items = items.get("CNAME", [])
    if isinstance(items, str):
        items = [items]
    return [a.lower().rstrip(".") for a in items]


def caller_account(environ):
    header = environ.get("HTTP_AUTHORIZATION", "")
    match = BaseResponse.access_key_regex.search(header)
    return get_account_id_from(match.group(1) if match else "AKIAEXAMPLE")


def error(start_response, status, code, message):
    body = (
        f'<?xml version="1.0"?><ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type>'
        f"<Code>{code}</Code><Message>{escape(message)}</Message></Error>"
        "<RequestId>moto-wrapper</RequestId></ErrorResponse>"
    )
    start_response(status, [("Content-Type", "text/xml")])
    return [body.encode()]


def conflicting_aliases(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    probe = query.get("DistributionId", [""])[0]
    alias = query.get("Alias", [""])[0].lower().rstrip(".")
    marker = int(query.get("Marker", ["0"])[0] or 0)
    max_items = max(1, min(int(query.get("MaxItems", ["100"])[0] or 100), 100))
    account = caller_account(environ)
    own = cloudfront_backends[account]["aws"].distributions
    if probe not in own:
        return error(
            start_response, "404 Not Found", "NoSuchDistribution",
            "The specified distribution does not exist.",
        )
    found = []
    for account_id, backends in sorted(cloudfront_backends.items()):
        for distribution in backends["aws"].distributions.values():
            for held in aliases_of(distribution):
                if held == alias or overlaps(held, alias):
                    found.append((held, distribution.distribution_id, account_id))
    found.sort()
    page = found[marker : marker + max_items]
    next_marker = str(marker + max_items) if marker + max_items < len(found) else ""
    items = "".join(
        f"<ConflictingAlias><Alias>{escape(a)}</Alias>"
        f"<DistributionId>{mask(d)}</DistributionId><AccountId>{mask(acct)}</AccountId>"
        "</ConflictingAlias>"
        for a, d, acct in page
    )
    body = (
        f'<?xml version="1.0"?><ConflictingAliasesList xmlns="{NS}">'
        + (f"<NextMarker>{next_marker}</NextMarker>" if next_marker else "")
        + f"<MaxItems>{max_items}</MaxItems><Quantity>{len(page)}</Quantity>"
        + (f"<Items>{items}</Items>" if page else "")
        + "</ConflictingAliasesList>"
    )
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [body.encode()]


def distribution_list(environ, start_response):
    """ListDistributions with complete summaries, as AWS sends them (moto's
    summaries lack the aliases, origins and certificate, so a client has to
    read each distribution again): for benchmarks, where those extra reads
    would measure the emulator, not the client."""
    query = parse_qs(environ.get("QUERY_STRING", ""))
    marker = int(query.get("Marker", ["0"])[0] or 0)
    max_items = max(1, min(int(query.get("MaxItems", ["100"])[0] or 100), 100))
    own = cloudfront_backends[caller_account(environ)]["aws"].distributions
    everything = sorted(own.values(), key=lambda d: d.distribution_id)
    page = everything[marker : marker + max_items]
    truncated = marker + max_items < len(everything)
    items = []
    for d in page:
        config = d.distribution_config
        aliases = "".join(f"<CNAME>{escape(a)}</CNAME>" for a in aliases_of(d))
        arn = getattr(config.ViewerCertificate, "acm_certificate_arn", "") or ""
        certificate = (f"<ACMCertificateArn>{escape(arn)}</ACMCertificateArn>"
                       "<SSLSupportMethod>sni-only</SSLSupportMethod>" if arn
                       else "<CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>")
        items.append(
            f"<DistributionSummary><Id>{d.distribution_id}</Id><ARN>{escape(d.arn)}</ARN>"
            f"<Status>Deployed</Status><LastModifiedTime>{d.last_modified_time}</LastModifiedTime>"
            f"<DomainName>{d.domain_name}</DomainName>"
            f"<Aliases><Quantity>{len(aliases_of(d))}</Quantity>"
            + (f"<Items>{aliases}</Items>" if aliases else "") + "</Aliases>"
            "<Origins><Quantity>1</Quantity><Items><Origin><Id>origin</Id>"
            "<DomainName>origin.example.com</DomainName></Origin></Items></Origins>"
            f"<Enabled>{'true' if config.Enabled else 'false'}</Enabled>"
            f"<ViewerCertificate>{certificate}</ViewerCertificate>"
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
    args = parser.parse_args()
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
        if not path.startswith("/moto-api"):
            if latency["ms"]:
                time.sleep(latency["ms"] / 1000)
            counter.add(f"{environ.get('REQUEST_METHOD')} {path.split('?')[0]}")
        if environ.get("REQUEST_METHOD") == "GET" and path.rstrip("/").endswith(
            "/2020-05-31/conflicting-alias"
        ):
            return conflicting_aliases(environ, start_response)
        if (args.complete_listings and environ.get("REQUEST_METHOD") == "GET"
                and path.rstrip("/").endswith("/2020-05-31/distribution")):
            return distribution_list(environ, start_response)
        return moto(environ, start_response)

    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
