#!/usr/bin/env python3
"""DNS at scale: names asked side by side against one name at a time.

The workload of a platform team: 600 aliases in one root module (30
distributions of 20), and a resolver that answers every query after a
fixed latency (tests/support/lying_dns.py in its `zone` mode, built on
dnslib): half the aliases have a CNAME to a distribution's
`dN.cloudfront.net` (the chain ends there), half have addresses (A and
AAAA asked, then the reverse name of the address).

Both ways run against the same resolver in the same run, alternating: the
default `--dns-concurrency` and `--dns-concurrency 1` (the baseline). The
script reports the queries per type and the wall time of each way, their
ratio, and whether the findings are identical (the JSON report without
the resolver's address). AWS is not asked (`--no-aws`), so no `_alias`
TXT record is asked either: only a holder in another account, which AWS
names, needs one.

    python3 benches/dns_lookups.py [--latency-ms 50] [--runs 1] [--bin PATH]

Needs dnslib (`pip install dnslib`) and a built binary (`cargo build
--release`; the default is target/release).
"""

import argparse
import collections
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISTRIBUTIONS = 30
PER_DISTRIBUTION = 20  # 600 aliases
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/bench"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def configuration(directory):
    with open(os.path.join(directory, "main.tf"), "w") as f:
        for d in range(DISTRIBUTIONS):
            names = range(d * PER_DISTRIBUTION, (d + 1) * PER_DISTRIBUTION)
            aliases = ", ".join(f'"a{n}.bench.example.com"' for n in names)
            f.write(f'resource "aws_cloudfront_distribution" "d{d}" {{\n'
                    f"  aliases = [{aliases}]\n"
                    f'  viewer_certificate {{\n    acm_certificate_arn = "{CERTIFICATE}"\n  }}\n}}\n\n')


def queries(log):
    try:
        with open(log) as f:
            return collections.Counter(line.split(" ", 1)[0] for line in f if line.strip())
    except FileNotFoundError:
        return collections.Counter()


def run(binary, server, log, directory, extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME="/nonexistent/home", NO_COLOR="1")
    env.pop("CNAME_PREFLIGHT_CONFIG", None)
    before = queries(log)
    start = time.monotonic()
    out = subprocess.run([binary, "check", "--no-aws", "--dns-server", server, "-f", "json",
                          *extra, directory],
                         capture_output=True, env=env, check=False)
    elapsed = time.monotonic() - start
    if out.returncode not in (0, 2):
        sys.exit(f"cname-preflight failed ({out.returncode}): {out.stderr.decode()}")
    asked = queries(log)
    asked.subtract(before)
    return elapsed, +asked, json.loads(out.stdout)


def comparable(report):
    report = json.loads(json.dumps(report))
    report["summary"]["dns"].pop("resolvers", None)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "cname-preflight"))
    args = parser.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} is missing: run `cargo build --release` first")

    port = free_port()
    server = f"127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as directory:
        log = os.path.join(directory, "queries.log")
        resolver = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "tests", "support", "lying_dns.py"), "zone",
             str(port), "--delay-ms", str(args.latency_ms), "--log", log],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            if resolver.stdout.readline().strip() != "ready":
                sys.exit("the resolver did not start (is dnslib installed?)")
            configuration(directory)
            results = {}
            # Alternate the two ways, so that a noisy moment hits both.
            for _ in range(args.runs):
                for name, extra in (("default", []), ("one-at-a-time", ["--dns-concurrency", "1"])):
                    elapsed, asked, report = run(args.bin, server, log, directory, extra)
                    r = results.setdefault(name, {"times": [], "queries": asked,
                                                  "report": comparable(report)})
                    r["times"].append(elapsed)
        finally:
            resolver.terminate()
            resolver.wait()
    default, single = results["default"], results["one-at-a-time"]
    identical = default["report"] == single["report"]
    findings = len(default["report"]["findings"])
    print(f"workload: {DISTRIBUTIONS * PER_DISTRIBUTION} aliases, {args.latency_ms} ms per query, "
          f"{args.runs} runs each, {findings} findings")
    print(f"\n{'queries per run':<24} {'default':>9} {'one-at-a-time':>14}")
    for kind in sorted(set(default["queries"]) | set(single["queries"])):
        print(f"{kind:<24} {default['queries'][kind]:>9} {single['queries'][kind]:>14}")
    d_time = statistics.median(default["times"])
    s_time = statistics.median(single["times"])
    print(f"\n{'median wall time (s)':<24} {d_time:>9.2f} {s_time:>14.2f}")
    print(f"default / one-at-a-time time: {d_time / s_time:.3f}")
    print(f"findings identical: {'yes' if identical else 'NO'}")
    if not identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
