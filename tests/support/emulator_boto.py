"""What the emulator's boto3 tests share: starting `moto_server.py` on a
free port, clients for two accounts, certificates, distribution configs,
a dnsmasq serving the records a test gives, and the code of a refusal.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
from botocore.exceptions import ClientError


SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "moto_server.py")
OTHER = "222222222222"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*flags):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, SERVER, "-p", str(port), *flags],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=5).read()
            return process, url
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"{SERVER} did not answer on port {port}")
            time.sleep(0.1)


def certificate(url, domain, *sans, credentials=None):
    """An ACM certificate's ARN; credentials from AssumeRole for OTHER."""
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    if credentials:
        keys = {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }
    acm = boto3.client("acm", endpoint_url=url, region_name="us-east-1", **keys)
    return acm.request_certificate(
        DomainName=domain, SubjectAlternativeNames=[domain, *sans], ValidationMethod="DNS"
    )["CertificateArn"]


def clients(url):
    """CloudFront clients for moto's default account and for OTHER, and
    OTHER's credentials."""
    common = {"endpoint_url": url, "region_name": "us-east-1"}
    ours = boto3.client(
        "cloudfront", aws_access_key_id="testing", aws_secret_access_key="testing", **common
    )
    sts = boto3.client(
        "sts", aws_access_key_id="testing", aws_secret_access_key="testing", **common
    )
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{OTHER}:role/seed", RoleSessionName="seed")[
        "Credentials"
    ]
    other = boto3.client(
        "cloudfront",
        aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"],
        aws_session_token=c["SessionToken"],
        **common,
    )
    return ours, other, c


def config(reference, aliases=(), cert=None, **extra):
    c = {
        "CallerReference": reference,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "o",
                    "DomainName": "o.s3.us-east-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all"},
        "Comment": "",
        "Enabled": True,
        **extra,
    }
    if aliases:
        c["Aliases"] = {"Quantity": len(aliases), "Items": list(aliases)}
    if cert:
        c["ViewerCertificate"] = {"ACMCertificateArn": cert, "SSLSupportMethod": "sni-only"}
    return c


def masked(value):
    half = len(value) // 2
    return "*" * half + value[half:]


def dnsmasq(*flags):
    """dnsmasq on a free loopback port serving only `flags` (`--cname=`,
    `--txt-record=`), NXDOMAIN for the rest of `com` and `net`."""
    port = free_port()
    process = subprocess.Popen(
        ["/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
         f"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces",
         "--no-resolv", "--no-hosts", "--no-negcache", "--user=root", "--pid-file=",
         "--local=/com/", "--local=/net/", *flags],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"127.0.0.1:{port}"
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("dnsmasq did not listen")
            time.sleep(0.05)


def post(url):
    urllib.request.urlopen(urllib.request.Request(url, method="POST")).read()



def error(test, call, **kwargs):
    """The (code, HTTP status) `call` is refused with; fails `test` if it
    succeeds."""
    with test.assertRaises(ClientError) as caught:
        call(**kwargs)
    response = caught.exception.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]
