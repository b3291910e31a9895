#!/usr/bin/env python3
"""The emulator (`moto_server.py` and `cloudfront_emu/`) checked with boto3:
botocore's own parser reads every answer against the service model, so a
wrong XML shape, status or error code fails here. `scripts/test` runs it:

    python3 tests/support/test_moto_server.py
"""

import unittest
import urllib.request

from botocore.exceptions import ClientError
from emulator_boto import OTHER, certificate, clients, config, masked, start
from test_moto_rules import Moves, Rules  # noqa: F401 (run with these tests)


class Emulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.process, cls.url = start()
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

