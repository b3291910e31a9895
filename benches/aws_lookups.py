#!/usr/bin/env python3
"""AWS at scale: grouped conflict lookups against one query per alias.

The workload of a platform team: 600 aliases over 30 parent domains in one
root module, 340 distributions in two accounts (each parent has a probe
distribution whose certificate covers `*.parent`; the other account holds
one alias in ten), and an emulator answering every request after a fixed
latency (moto plus ListDomainConflicts from moto's own state, the
wrapper the tests use).

Both ways run against the same emulator state in the same run: the default
(grouped) and `--no-grouped-lookups`. The script reports the requests per
operation and the wall time of each, their ratio, and whether the findings
are identical (the JSON report without `summary.aws.lookups`).

    python3 benches/aws_lookups.py [--latency-ms 50] [--runs 3] [--bin PATH]

Needs moto[server] and boto3 (`pip install 'moto[server]'`) and a built
binary (`cargo build --release`; the default is target/release).
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARENTS = 30
PER_PARENT = 20  # 600 aliases
OURS = "123456789012"  # moto's default account
OTHER = "222222222222"
DISTRIBUTIONS_PER_ACCOUNT = 170


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, method="GET"):
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def counts(url):
    out = {}
    for line in http(f"{url}/moto-wrapper/requests").splitlines():
        key, n = line.rsplit("\t", 1)
        # One line per operation, not per distribution read.
        key = re.sub(r"/distribution/[A-Z0-9]+$", "/distribution/{Id}", key)
        out[key] = out.get(key, 0) + int(n)
    return out


def clients(url, account):
    session = dict(region_name="us-east-1", endpoint_url=url,
                   aws_access_key_id="testing", aws_secret_access_key="testing")
    if account != OURS:
        sts = boto3.client("sts", **session)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/seed",
                                RoleSessionName="seed")["Credentials"]
        session.update(aws_access_key_id=creds["AccessKeyId"],
                       aws_secret_access_key=creds["SecretAccessKey"],
                       aws_session_token=creds["SessionToken"])
    return boto3.client("cloudfront", **session), boto3.client("acm", **session)


def distribution(cloudfront, ref, aliases, cert=None):
    config = {
        "CallerReference": ref,
        "Aliases": {"Quantity": len(aliases), "Items": aliases},
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "origin", "DomainName": "origin.example.com",
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                   "OriginProtocolPolicy": "https-only"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "origin",
                                 "ViewerProtocolPolicy": "redirect-to-https",
                                 "MinTTL": 0,
                                 "ForwardedValues": {"QueryString": False,
                                                     "Cookies": {"Forward": "none"}},
                                 "TrustedSigners": {"Enabled": False, "Quantity": 0}},
        "Comment": "", "Enabled": True,
    }
    if cert:
        config["ViewerCertificate"] = {"ACMCertificateArn": cert, "SSLSupportMethod": "sni-only"}
    cloudfront.create_distribution(DistributionConfig=config)


def seed(url):
    """340 distributions: ours has a probe per parent (certificate for
    `*.parent`) and fillers; the other account holds one alias in ten."""
    parents = [f"p{i:02d}.example.com" for i in range(PARENTS)]
    cloudfront, acm = clients(url, OURS)
    certs = {}
    for p in parents:
        certs[p] = acm.request_certificate(DomainName=p, SubjectAlternativeNames=[p, f"*.{p}"],
                                           ValidationMethod="DNS")["CertificateArn"]
        distribution(cloudfront, f"probe-{p}", [f"probe.{p}"], certs[p])
    for i in range(DISTRIBUTIONS_PER_ACCOUNT - PARENTS):
        distribution(cloudfront, f"ours-{i}", [f"site{i}.example.net"])
    other, _ = clients(url, OTHER)
    held = [f"n{j:02d}.{p}" for p in parents for j in range(0, PER_PARENT, 10)]
    for i in range(DISTRIBUTIONS_PER_ACCOUNT):
        aliases = [held[i]] if i < len(held) else [f"other{i}.example.org"]
        distribution(other, f"other-{i}", aliases)
    return parents, certs


def configuration(directory, parents, certs):
    with open(os.path.join(directory, "main.tf"), "w") as f:
        for p in parents:
            aliases = ", ".join(f'"n{j:02d}.{p}"' for j in range(PER_PARENT))
            name = p.split(".")[0]
            f.write(f'resource "aws_cloudfront_distribution" "{name}" {{\n'
                    f"  aliases = [{aliases}]\n"
                    f'  viewer_certificate {{\n    acm_certificate_arn = "{certs[p]}"\n  }}\n}}\n\n')


def run(binary, url, directory, extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_EC2_METADATA_DISABLED="true", HOME="/nonexistent/home",
               AWS_CONFIG_FILE="/nonexistent/config",
               AWS_SHARED_CREDENTIALS_FILE="/nonexistent/credentials")
    before = counts(url)
    start = time.monotonic()
    out = subprocess.run([binary, "check", "--endpoint-url", url, "--no-dns", "-f", "json",
                          *extra, directory],
                         capture_output=True, env=env, check=False)
    elapsed = time.monotonic() - start
    after = counts(url)
    if out.returncode not in (0, 2):
        sys.exit(f"cname-preflight failed ({out.returncode}): {out.stderr.decode()}")
    report = json.loads(out.stdout)
    requests = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    return elapsed, requests, report


def comparable(report):
    report = json.loads(json.dumps(report))
    report["summary"]["aws"].pop("lookups", None)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "cname-preflight"))
    args = parser.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} is missing: run `cargo build --release` first")

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tests", "support", "moto_server.py"),
         "-p", str(port), "--complete-listings"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http(f"{url}/moto-api/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("moto's server did not start (is moto[server] installed?)")
                time.sleep(0.1)
        parents, certs = seed(url)
        http(f"{url}/moto-wrapper/latency?ms={args.latency_ms}", method="POST")
        with tempfile.TemporaryDirectory() as directory:
            configuration(directory, parents, certs)
            results = {}
            # Alternate the two ways, so that a noisy moment hits both.
            for _ in range(args.runs):
                for name, extra in (("grouped", []), ("per-alias", ["--no-grouped-lookups"])):
                    elapsed, requests, report = run(args.bin, url, directory, extra)
                    r = results.setdefault(name, {"times": [], "requests": requests,
                                                  "report": comparable(report)})
                    r["times"].append(elapsed)
        grouped, per_alias = results["grouped"], results["per-alias"]
        identical = grouped["report"] == per_alias["report"]
        findings = len(grouped["report"]["findings"])
        print(f"workload: {PARENTS * PER_PARENT} aliases under {PARENTS} parents, "
              f"{2 * DISTRIBUTIONS_PER_ACCOUNT} distributions in 2 accounts, "
              f"{args.latency_ms:g} ms per request, {args.runs} runs each, "
              f"{findings} findings")
        operations = sorted(set(grouped["requests"]) | set(per_alias["requests"]))
        print(f"\n{'requests per run':<48} {'grouped':>9} {'per-alias':>10}")
        for op in operations:
            g, p = grouped["requests"].get(op, 0), per_alias["requests"].get(op, 0)
            if g or p:
                print(f"{op:<48} {g:>9} {p:>10}")
        g_time = statistics.median(grouped["times"])
        p_time = statistics.median(per_alias["times"])
        print(f"\n{'median wall time (s)':<48} {g_time:>9.2f} {p_time:>10.2f}")
        print(f"grouped / per-alias time: {g_time / p_time:.2f}")
        lookups = sum(v for k, v in grouped["requests"].items()
                      if "conflicting-alias" in k or "domain-conflicts" in k)
        print(f"conflict lookups per parent domain (grouped): {lookups / PARENTS:.2f}")
        print(f"findings identical: {'yes' if identical else 'NO'}")
        if not identical:
            sys.exit(1)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
