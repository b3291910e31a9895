#!/usr/bin/env python3
"""The emulator (`moto_server.py` and `cloudfront_emu/`) checked with boto3:
botocore's own parser reads every answer against the service model, so a
wrong XML shape, status or error code fails here. `scripts/test` runs it:

    python3 tests/support/test_moto_server.py
"""

import os
import socket
import subprocess
import sys
import time
import unittest
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


class Emulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.process, cls.url = start("--lenient-certificates")
        cls.ours, cls.other, credentials = clients(cls.url)
        create = cls.ours.create_distribution
        cert = certificate(cls.url, "example.com", "*.example.com")
        cls.probe = create(DistributionConfig=config("probe", ["probe.example.com"], cert))[
            "Distribution"
        ]["Id"]
        cls.uncovered = create(DistributionConfig=config("uncovered", ["x.example.net"]))[
            "Distribution"
        ]["Id"]
        other_cert = certificate(cls.url, "pay.example.com", credentials=credentials)
        cls.wildcard = cls.other.create_distribution(
            DistributionConfig=config("wild", ["*.example.com"])
        )["Distribution"]["Id"]
        cls.parent = cls.other.create_distribution(
            DistributionConfig=config("parent", cert=other_cert, ConnectionMode="tenant-only")
        )["Distribution"]["Id"]
        cls.group = cls.other.create_connection_group(Name="edge")
        created = cls.other.create_distribution_tenant(
            DistributionId=cls.parent,
            Name="shop",
            Domains=[{"Domain": "shop.example.com"}, {"Domain": "pay.example.com"}],
            ConnectionGroupId=cls.group["ConnectionGroup"]["Id"],
        )
        cls.tenant, cls.tenant_etag = created["DistributionTenant"], created["ETag"]

    @classmethod
    def tearDownClass(cls):
        cls.process.terminate()
        cls.process.wait(timeout=10)

    def error(self, call, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        response = caught.exception.response
        return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]

    def conflicts(self, client, domain, resource, max_items=100):
        found, marker = [], None
        for _ in range(20):
            extra = {"Marker": marker} if marker else {}
            page = client.list_domain_conflicts(
                Domain=domain,
                DomainControlValidationResource=resource,
                MaxItems=max_items,
                **extra,
            )
            self.assertLessEqual(len(page["DomainConflicts"]), max_items)
            found += page["DomainConflicts"]
            marker = page.get("NextMarker")
            if not marker:
                return found
        self.fail("ListDomainConflicts did not end within 20 pages")

    def test_domain_conflicts_list_every_account_masked(self):
        found = self.conflicts(self.ours, "shop.example.com", {"DistributionId": self.probe})
        self.assertEqual(
            found,
            [
                {
                    "Domain": "*.example.com",
                    "ResourceType": "distribution",
                    "ResourceId": masked(self.wildcard),
                    "AccountId": masked(OTHER),
                },
                {
                    "Domain": "shop.example.com",
                    "ResourceType": "distribution-tenant",
                    "ResourceId": masked(self.tenant["Id"]),
                    "AccountId": masked(OTHER),
                },
            ],
        )

    def test_a_wildcard_query_lists_the_names_it_covers_page_by_page(self):
        found = self.conflicts(
            self.ours, "*.example.com", {"DistributionId": self.probe}, max_items=1
        )
        self.assertEqual(
            [c["Domain"] for c in found],
            ["*.example.com", "pay.example.com", "probe.example.com", "shop.example.com"],
        )
        self.assertEqual(
            self.conflicts(self.ours, "example.com", {"DistributionId": self.probe}),
            [],
        )

    def test_the_validation_resource_must_be_in_the_callers_account(self):
        call = self.ours.list_domain_conflicts
        for resource in ({"DistributionId": self.parent}, {"DistributionTenantId": self.tenant["Id"]}):
            self.assertEqual(
                self.error(call, Domain="a.example.com", DomainControlValidationResource=resource),
                ("EntityNotFound", 404),
            )
        self.assertEqual(
            self.error(call, Domain="a.example.com", DomainControlValidationResource={}),
            ("InvalidArgument", 400),
        )
        own = self.conflicts(
            self.other, "pay.example.com", {"DistributionTenantId": self.tenant["Id"]}
        )
        self.assertEqual(len(own), 2)

    def test_the_validation_resource_certificate_must_cover_the_domain(self):
        for resource, domain in (
            ({"DistributionId": self.uncovered}, "shop.example.com"),
            ({"DistributionId": self.probe}, "a.b.example.com"),
            ({"DistributionTenantId": self.tenant["Id"]}, "shop.example.com"),
        ):
            self.assertEqual(
                self.error(self.ours.list_domain_conflicts if "DistributionId" in resource
                           else self.other.list_domain_conflicts,
                           Domain=domain, DomainControlValidationResource=resource),
                ("InvalidArgument", 400),
                (resource, domain),
            )
        self.assertEqual(
            self.error(self.ours.list_conflicting_aliases, DistributionId=self.uncovered,
                       Alias="shop.example.com"),
            ("InvalidArgument", 400),
        )
        # A tenant whose certificate CloudFront manages covers its domains.
        managed = self.other.create_distribution_tenant(
            DistributionId=self.parent, Name="managed", Domains=[{"Domain": "m.example.org"}],
            ManagedCertificateRequest={"ValidationTokenHost": "cloudfront"},
        )["DistributionTenant"]
        found = self.conflicts(
            self.other, "m.example.org", {"DistributionTenantId": managed["Id"]}
        )
        self.assertEqual([c["Domain"] for c in found], ["m.example.org"])

    def test_conflicting_aliases_list_standard_distributions_only(self):
        listed = self.ours.list_conflicting_aliases(
            DistributionId=self.probe, Alias="shop.example.com"
        )["ConflictingAliasesList"]
        self.assertEqual(
            listed["Items"],
            [
                {
                    "Alias": "*.example.com",
                    "DistributionId": masked(self.wildcard),
                    "AccountId": masked(OTHER),
                }
            ],
        )
        self.assertEqual(
            self.error(
                self.ours.list_conflicting_aliases, DistributionId="NOPE", Alias="a.example.com"
            ),
            ("NoSuchDistribution", 404),
        )

    def test_tenants_read_back_by_id_name_domain_and_filters(self):
        for identifier in (self.tenant["Id"], "shop", self.tenant["Arn"]):
            got = self.other.get_distribution_tenant(Identifier=identifier)
            self.assertEqual(got["DistributionTenant"]["Id"], self.tenant["Id"])
        t = self.tenant
        self.assertEqual(t["DistributionId"], self.parent)
        self.assertEqual(t["ConnectionGroupId"], self.group["ConnectionGroup"]["Id"])
        self.assertEqual([d["Domain"] for d in t["Domains"]], ["shop.example.com", "pay.example.com"])
        self.assertEqual({d["Status"] for d in t["Domains"]}, {"active"})
        self.assertTrue(t["Enabled"])
        self.assertEqual(t["Arn"], f"arn:aws:cloudfront::{OTHER}:distribution-tenant/{t['Id']}")
        by_domain = self.other.get_distribution_tenant_by_domain(Domain="pay.example.com")
        self.assertEqual(by_domain["DistributionTenant"]["Id"], t["Id"])
        listed = self.other.list_distribution_tenants(
            AssociationFilter={"DistributionId": self.parent}
        )["DistributionTenantList"]
        self.assertIn(t["Id"], [s["Id"] for s in listed])
        self.assertEqual(self.ours.list_distribution_tenants().get("DistributionTenantList", []), [])
        self.assertEqual(
            self.error(self.ours.get_distribution_tenant, Identifier=t["Id"]),
            ("EntityNotFound", 404),
        )

    def test_a_tenant_needs_a_multi_tenant_parent_in_the_callers_account(self):
        domains = [{"Domain": "new.example.net"}]
        create = self.other.create_distribution_tenant
        self.assertEqual(
            self.error(create, DistributionId=self.wildcard, Name="x", Domains=domains),
            ("InvalidArgument", 400),
        )
        self.assertEqual(
            self.error(self.ours.create_distribution_tenant, DistributionId=self.parent,
                       Name="x", Domains=domains),
            ("EntityNotFound", 404),
        )
        self.assertEqual(
            self.error(create, DistributionId=self.parent, Name="shop", Domains=domains),
            ("EntityAlreadyExists", 409),
        )
        self.assertEqual(
            self.error(create, DistributionId=self.parent, Name="x", Domains=domains,
                       ConnectionGroupId="cg_missing"),
            ("EntityNotFound", 404),
        )

    def test_update_tenant_needs_the_current_etag(self):
        created = self.other.create_distribution_tenant(
            DistributionId=self.parent, Name="upd", Domains=[{"Domain": "upd.example.net"}]
        )
        tenant_id, etag = created["DistributionTenant"]["Id"], created["ETag"]
        update = self.other.update_distribution_tenant
        self.assertEqual(
            self.error(update, Id=tenant_id, IfMatch="stale", Enabled=False),
            ("PreconditionFailed", 412),
        )
        updated = update(Id=tenant_id, IfMatch=etag, Enabled=False,
                         Domains=[{"Domain": "upd2.example.net"}])
        self.assertNotEqual(updated["ETag"], etag)
        self.assertFalse(updated["DistributionTenant"]["Enabled"])
        self.assertEqual(updated["DistributionTenant"]["Domains"][0]["Domain"], "upd2.example.net")
        self.assertEqual(
            self.error(update, Id=tenant_id, IfMatch=updated["ETag"],
                       Domains=[{"Domain": "probe.example.com"}]),
            ("CNAMEAlreadyExists", 409),
        )

    def test_connection_groups(self):
        group = self.group["ConnectionGroup"]
        self.assertFalse(group["IsDefault"])
        self.assertRegex(group["RoutingEndpoint"], r"^d[a-z0-9]{13}\.cloudfront\.net$")
        self.assertRegex(group["Id"], r"^cg_[A-Za-z0-9]{27}$")
        self.assertTrue(self.group["ETag"])
        found = self.other.get_connection_group_by_routing_endpoint(
            RoutingEndpoint=group["RoutingEndpoint"]
        )
        self.assertEqual(found["ConnectionGroup"]["Id"], group["Id"])
        for identifier in ("edge", group["Arn"]):
            got = self.other.get_connection_group(Identifier=identifier)
            self.assertEqual(got["ConnectionGroup"]["Id"], group["Id"])
        self.assertEqual(
            self.error(self.ours.get_connection_group_by_routing_endpoint,
                       RoutingEndpoint=group["RoutingEndpoint"]),
            ("EntityNotFound", 404),
        )
        # The default group appears with the account's first tenant without one.
        self.other.create_distribution_tenant(
            DistributionId=self.parent, Name="plain", Domains=[{"Domain": "plain.example.net"}]
        )
        groups = self.other.list_connection_groups()["ConnectionGroups"]
        defaults = [g for g in groups if g["IsDefault"]]
        self.assertEqual(len(defaults), 1)
        plain = self.other.get_distribution_tenant(Identifier="plain")["DistributionTenant"]
        self.assertEqual(plain["ConnectionGroupId"], defaults[0]["Id"])

    def test_names_are_refused_as_cloudfront_refuses_them(self):
        create = self.ours.create_distribution
        self.assertEqual(
            self.error(create, DistributionConfig=config("dup", ["shop.example.com"])),
            ("CNAMEAlreadyExists", 409),
        )
        self.assertEqual(
            self.error(create, DistributionConfig=config("stage", ["s.example.org"], Staging=True)),
            ("InvalidArgument", 400),
        )
        self.assertEqual(
            self.error(create, DistributionConfig=config(
                "mt", ["m.example.org"], ConnectionMode="tenant-only")),
            ("InvalidArgument", 400),
        )
        self.assertEqual(
            self.error(create, DistributionConfig=config(
                "mts", Staging=True, ConnectionMode="tenant-only")),
            ("InvalidArgument", 400),
        )
        # Cross-account wildcard overlap: allowed.
        create(DistributionConfig=config("overlap", ["c.example.com"]))

    def test_distributions_keep_and_list_their_kind(self):
        staged = self.ours.create_distribution(DistributionConfig=config("staged", Staging=True))
        staged_id = staged["Distribution"]["Id"]
        got = self.ours.get_distribution(Id=staged_id)["Distribution"]["DistributionConfig"]
        self.assertEqual((got["Staging"], got["ConnectionMode"]), (True, "direct"))
        summaries = {
            d["Id"]: d for d in self.other.list_distributions()["DistributionList"]["Items"]
        }
        self.assertEqual(summaries[self.parent]["ConnectionMode"], "tenant-only")
        self.assertFalse(summaries[self.parent]["Staging"])
        mine = {d["Id"]: d for d in self.ours.list_distributions()["DistributionList"]["Items"]}
        self.assertTrue(mine[staged_id]["Staging"])

    def test_the_added_operations_are_recorded(self):
        urllib.request.urlopen(
            urllib.request.Request(f"{self.url}/moto-api/recorder/start-recording", method="POST")
        ).read()
        self.ours.list_domain_conflicts(
            Domain="a.example.com", DomainControlValidationResource={"DistributionId": self.probe}
        )
        self.other.get_distribution_tenant(Identifier="shop")
        urllib.request.urlopen(
            urllib.request.Request(f"{self.url}/moto-api/recorder/stop-recording", method="POST")
        ).read()
        log = urllib.request.urlopen(f"{self.url}/moto-api/recorder/download-recording").read()
        self.assertIn(b"/2020-05-31/domain-conflicts", log)
        self.assertIn(b"/2020-05-31/distribution-tenant/shop", log)


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


class Moves(unittest.TestCase):
    """AssociateAlias and UpdateDomainAssociation under the move pages'
    rules, with the TXT records read from dnsmasq."""

    @classmethod
    def setUpClass(cls):
        cls.process, cls.url = start("--lenient-certificates")
        cls.ours, cls.other, cls.credentials = clients(cls.url)
        cls.cert = certificate(cls.url, "move.example.com", "*.move.example.com")
        cls.dns = None

    @classmethod
    def tearDownClass(cls):
        if cls.dns:
            cls.dns.terminate()
            cls.dns.wait(timeout=10)
        cls.process.terminate()
        cls.process.wait(timeout=10)

    def resolver(self, *flags):
        if self.dns:
            self.dns.terminate()
            self.dns.wait(timeout=10)
        type(self).dns, address = dnsmasq(*flags)
        post(f"{self.url}/moto-wrapper/dns-server?address={address}")

    def distribution(self, client, reference, aliases=(), cert=None, enabled=True):
        made = client.create_distribution(
            DistributionConfig=config(reference, aliases, cert, Enabled=enabled)
        )
        return made["Distribution"]["Id"], made["Distribution"]["DomainName"], made["ETag"]

    def aliases(self, client, distribution_id):
        got = client.get_distribution(Id=distribution_id)
        return got["Distribution"]["DistributionConfig"]["Aliases"].get("Items", []), got["ETag"]

    def error(self, call, **kwargs):
        return Emulator.error(self, call, **kwargs)

    def test_same_account_moves_without_txt_or_disabling(self):
        source, _, source_etag = self.distribution(self.ours, "sa-src", ["a.move.example.com"])
        target, _, target_etag = self.distribution(self.ours, "sa-dst", cert=self.cert)
        self.ours.associate_alias(TargetDistributionId=target, Alias="a.move.example.com")
        self.assertEqual(self.aliases(self.ours, source)[0], [])
        items, etag = self.aliases(self.ours, target)
        self.assertEqual(items, ["a.move.example.com"])
        self.assertNotEqual(etag, target_etag)
        self.assertNotEqual(self.aliases(self.ours, source)[1], source_etag)
        # And back with UpdateDomainAssociation, If-Match the target's ETag.
        back = self.ours.get_distribution(Id=source)["ETag"]
        self.assertEqual(
            self.error(self.ours.update_domain_association, Domain="a.move.example.com",
                       TargetResource={"DistributionId": source}),
            ("InvalidIfMatchVersion", 400),
        )
        self.assertEqual(
            self.error(self.ours.update_domain_association, Domain="a.move.example.com",
                       TargetResource={"DistributionId": source}, IfMatch="stale"),
            ("PreconditionFailed", 412),
        )
        # The source has no certificate: it cannot take the name back.
        self.assertEqual(
            self.error(self.ours.update_domain_association, Domain="a.move.example.com",
                       TargetResource={"DistributionId": source}, IfMatch=back),
            ("InvalidArgument", 400),
        )

    def test_the_target_must_be_ours_and_covered(self):
        self.distribution(self.ours, "cv-src", ["b.move.example.com"])
        bare, _, etag = self.distribution(self.ours, "cv-bare")
        theirs, _, _ = self.distribution(self.other, "cv-theirs")
        self.assertEqual(
            self.error(self.ours.associate_alias, TargetDistributionId=bare,
                       Alias="b.move.example.com"),
            ("InvalidArgument", 400),
        )
        self.assertEqual(
            self.error(self.ours.associate_alias, TargetDistributionId=theirs,
                       Alias="b.move.example.com"),
            ("NoSuchDistribution", 404),
        )
        self.assertEqual(
            self.error(self.ours.update_domain_association, Domain="b.move.example.com",
                       TargetResource={"DistributionId": theirs}, IfMatch=etag),
            ("EntityNotFound", 404),
        )

    def test_another_account_needs_a_disabled_source_and_the_txt_record(self):
        enabled, _, _ = self.distribution(self.other, "xa-on", ["c.move.example.com"])
        disabled, _, _ = self.distribution(
            self.other, "xa-off", ["d.move.example.com"], enabled=False)
        target, domain, _ = self.distribution(self.ours, "xa-dst", cert=self.cert)
        self.resolver(f"--txt-record=_c.move.example.com,{domain}",
                      "--txt-record=_d.move.example.com,d0wrong00000.cloudfront.net")
        associate = self.ours.associate_alias
        self.assertEqual(
            self.error(associate, TargetDistributionId=target, Alias="c.move.example.com"),
            ("IllegalUpdate", 400),
        )
        self.assertEqual(
            self.error(associate, TargetDistributionId=target, Alias="d.move.example.com"),
            ("InvalidArgument", 400),
        )
        self.resolver(f"--txt-record=_d.move.example.com,{domain}")
        associate(TargetDistributionId=target, Alias="d.move.example.com")
        self.assertEqual(self.aliases(self.other, disabled)[0], [])
        self.assertEqual(self.aliases(self.ours, target)[0], ["d.move.example.com"])
        self.assertEqual(self.aliases(self.other, enabled)[0], ["c.move.example.com"])

    def test_a_tenant_moves_with_update_domain_association_only(self):
        made = self.ours.create_distribution(DistributionConfig=config(
            "tn-parent", cert=self.cert, ConnectionMode="tenant-only"))
        parent = made["Distribution"]["Id"]
        tenant = self.ours.create_distribution_tenant(
            DistributionId=parent, Name="tn", Domains=[{"Domain": "t.move.example.com"}]
        )["DistributionTenant"]
        target, _, etag = self.distribution(self.ours, "tn-dst", cert=self.cert)
        self.assertEqual(
            self.error(self.ours.associate_alias, TargetDistributionId=target,
                       Alias="t.move.example.com"),
            ("InvalidArgument", 400),
        )
        moved = self.ours.update_domain_association(
            Domain="t.move.example.com", TargetResource={"DistributionId": target}, IfMatch=etag
        )
        self.assertEqual(moved["ResourceId"], target)
        self.assertNotEqual(moved["ETag"], etag)
        got = self.ours.get_distribution_tenant(Identifier=tenant["Id"])
        self.assertEqual(got["DistributionTenant"]["Domains"], [])
        self.assertNotEqual(got["ETag"], tenant.get("ETag"))
        # Back onto the tenant, whose parent's certificate covers it.
        back = self.ours.update_domain_association(
            Domain="t.move.example.com", TargetResource={"DistributionTenantId": tenant["Id"]},
            IfMatch=got["ETag"],
        )
        self.assertEqual(back["ResourceId"], tenant["Id"])
        self.assertEqual(self.aliases(self.ours, target)[0], [])


class Flags(unittest.TestCase):
    def test_without_domain_conflicts_and_with_complete_listings(self):
        process, url = start("--without-domain-conflicts", "--complete-listings")
        try:
            ours, _, _ = clients(url)
            cert = certificate(url, "a.example.com")
            probe = ours.create_distribution(
                DistributionConfig=config("p", ["a.example.com"], cert, Staging=False)
            )["Distribution"]["Id"]
            with self.assertRaises(ClientError) as caught:
                ours.list_domain_conflicts(
                    Domain="a.example.com", DomainControlValidationResource={"DistributionId": probe}
                )
            self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)
            listed = ours.list_conflicting_aliases(DistributionId=probe, Alias="a.example.com")
            self.assertEqual(listed["ConflictingAliasesList"]["Quantity"], 1)
            summary = ours.list_distributions()["DistributionList"]["Items"][0]
            self.assertEqual(summary["Aliases"]["Items"], ["a.example.com"])
            self.assertEqual((summary["Staging"], summary["ConnectionMode"]), (False, "direct"))
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    unittest.main()
