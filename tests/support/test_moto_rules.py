#!/usr/bin/env python3
"""The rules the emulator enforces when a name is taken or moved, checked
with boto3 (the rules on names against a server started with
--strict-certificates) and a
dnsmasq for the DNS rules. `test_moto_server.py` runs these with its own
tests; alone:

    python3 tests/support/test_moto_rules.py
"""

import time
import unittest

from emulator_boto import certificate, clients, config, dnsmasq, error, post, start


class Moves(unittest.TestCase):
    """AssociateAlias and UpdateDomainAssociation under the move pages'
    rules, with the TXT records read from dnsmasq."""

    @classmethod
    def setUpClass(cls):
        cls.process, cls.url = start()
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
        return error(self, call, **kwargs)

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

    def test_an_apex_reads_its_txt_record_at_underscore_dot(self):
        self.distribution(self.other, "ap-src", ["moveapex.com"], enabled=False)
        cert = certificate(self.url, "moveapex.com")
        target, domain, _ = self.distribution(self.ours, "ap-dst", cert=cert)
        self.resolver(f"--txt-record=_moveapex.com,{domain}")
        self.assertEqual(
            self.error(self.ours.associate_alias, TargetDistributionId=target,
                       Alias="moveapex.com"),
            ("InvalidArgument", 400),
        )
        self.resolver(f"--txt-record=_.moveapex.com,{domain}")
        self.ours.associate_alias(TargetDistributionId=target, Alias="moveapex.com")
        self.assertEqual(self.aliases(self.ours, target)[0], ["moveapex.com"])

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


class Rules(unittest.TestCase):
    """Create/Update of distributions and tenants on a strict server: the
    certificate covers every alias, nobody else holds it exactly, its DNS
    does not lead to another resource; If-Match and Status."""

    @classmethod
    def setUpClass(cls):
        cls.process, cls.url = start("--strict-certificates")
        cls.dns = None

    @classmethod
    def tearDownClass(cls):
        cls.stop_dns()
        cls.process.terminate()
        cls.process.wait(timeout=10)

    @classmethod
    def stop_dns(cls):
        if cls.dns:
            cls.dns.terminate()
            cls.dns.wait(timeout=10)
            cls.dns = None

    def setUp(self):
        post(f"{self.url}/moto-api/reset")
        post(f"{self.url}/moto-wrapper/dns-server?address=")
        post(f"{self.url}/moto-wrapper/deploy-ms?ms=0")
        self.ours, self.other, self.credentials = clients(self.url)
        self.cert = certificate(self.url, "r.example.com", "*.r.example.com")

    def resolver(self, *flags):
        self.stop_dns()
        type(self).dns, address = dnsmasq(*flags)
        post(f"{self.url}/moto-wrapper/dns-server?address={address}")

    def error(self, call, **kwargs):
        return error(self, call, **kwargs)

    def create(self, client, reference, aliases=(), cert=None, **extra):
        made = client.create_distribution(
            DistributionConfig=config(reference, aliases, cert, **extra))
        return made["Distribution"], made["ETag"]

    def test_the_certificate_must_cover_every_alias(self):
        create = self.ours.create_distribution
        self.assertEqual(
            self.error(create, DistributionConfig=config("none", ["a.r.example.com"])),
            ("InvalidViewerCertificate", 400),
        )
        self.assertEqual(
            self.error(create, DistributionConfig=config(
                "deep", ["a.b.r.example.com"], self.cert)),
            ("InvalidViewerCertificate", 400),
        )
        self.create(self.ours, "ok", ["r.example.com", "a.r.example.com"], self.cert)
        # A wildcard alias needs the wildcard on the certificate.
        self.create(self.ours, "wild", ["*.r.example.com"], self.cert)

    def test_an_exact_name_is_taken_in_every_account_a_wildcard_overlap_is_not(self):
        other_cert = certificate(self.url, "r.example.com", "*.r.example.com",
                                 credentials=self.credentials)
        self.create(self.other, "held", ["a.r.example.com", "*.r.example.com"], other_cert)
        create = self.ours.create_distribution
        for alias in ("a.r.example.com", "*.r.example.com"):
            self.assertEqual(
                self.error(create, DistributionConfig=config(alias, [alias], self.cert)),
                ("CNAMEAlreadyExists", 409),
            )
        # b.r.example.com overlaps the other account's wildcard: allowed.
        self.create(self.ours, "overlap", ["b.r.example.com"], self.cert)

    def test_update_needs_the_current_etag_and_changes_it(self):
        made, etag = self.create(self.ours, "u", cert=self.cert)
        update = self.ours.update_distribution
        body = config("u", ["u.r.example.com"], self.cert)
        self.assertEqual(self.error(update, Id=made["Id"], DistributionConfig=body),
                         ("InvalidIfMatchVersion", 400))
        self.assertEqual(self.error(update, Id=made["Id"], DistributionConfig=body,
                                    IfMatch="stale"), ("PreconditionFailed", 412))
        updated = update(Id=made["Id"], DistributionConfig=body, IfMatch=etag)
        self.assertNotEqual(updated["ETag"], etag)
        self.assertEqual(self.error(update, Id=made["Id"], DistributionConfig=body,
                                    IfMatch=etag), ("PreconditionFailed", 412))

    def test_dns_that_leads_to_another_distribution_is_refused(self):
        holder, _ = self.create(self.other, "elsewhere")
        own, own_etag = self.create(self.ours, "own", cert=self.cert)
        group = self.ours.create_connection_group(Name="g")["ConnectionGroup"]
        self.resolver(
            f"--cname=away.r.example.com,{holder['DomainName']}",
            f"--cname=hop.r.example.com,away.r.example.com",
            f"--cname=grp.r.example.com,{group['RoutingEndpoint']}",
            f"--cname=home.r.example.com,{own['DomainName']}",
            "--cname=gone.r.example.com,d0nobody0000.cloudfront.net",
        )
        create = self.ours.create_distribution
        for alias in ("away.r.example.com", "hop.r.example.com", "grp.r.example.com"):
            self.assertEqual(
                self.error(create, DistributionConfig=config(alias, [alias], self.cert)),
                ("CNAMEAlreadyExists", 409), alias,
            )
        # DNS at the distribution itself, or at no one's CloudFront name.
        self.ours.update_distribution(
            Id=own["Id"], IfMatch=own_etag,
            DistributionConfig=config("own", ["home.r.example.com"], self.cert))
        self.create(self.ours, "gone", ["gone.r.example.com"], self.cert)
        # Without a resolver the DNS rule does not apply.
        post(f"{self.url}/moto-wrapper/dns-server?address=")
        self.create(self.ours, "away", ["away.r.example.com"], self.cert)

    def test_tenants_follow_the_same_rules(self):
        parent, _ = self.create(self.ours, "mt", cert=self.cert, ConnectionMode="tenant-only")
        bare, _ = self.create(self.ours, "mt-bare", ConnectionMode="tenant-only")
        self.create(self.other, "held", ["held.r.example.com"],
                    certificate(self.url, "held.r.example.com", credentials=self.credentials))
        elsewhere, _ = self.create(self.ours, "elsewhere")
        self.resolver(f"--cname=away.r.example.com,{elsewhere['DomainName']}")
        create = self.ours.create_distribution_tenant

        def tenant(name, domain, distribution=parent["Id"], **extra):
            return dict(DistributionId=distribution, Name=name,
                        Domains=[{"Domain": domain}], **extra)

        self.assertEqual(self.error(create, **tenant("t1", "t.r.example.com", bare["Id"])),
                         ("InvalidArgument", 400))
        self.assertEqual(self.error(create, **tenant("t2", "held.r.example.com")),
                         ("CNAMEAlreadyExists", 409))
        self.assertEqual(self.error(create, **tenant("t3", "away.r.example.com")),
                         ("CNAMEAlreadyExists", 409))
        made = create(**tenant("t4", "t.r.example.com"))
        # A certificate CloudFront manages covers the tenant's own domains.
        create(**tenant("t5", "m.example.com", bare["Id"],
                        ManagedCertificateRequest={"ValidationTokenHost": "cloudfront"}))
        update = self.ours.update_distribution_tenant
        self.assertEqual(
            self.error(update, Id=made["DistributionTenant"]["Id"], IfMatch=made["ETag"],
                       Domains=[{"Domain": "held.r.example.com"}]),
            ("CNAMEAlreadyExists", 409),
        )

    def test_a_change_is_in_progress_then_deployed(self):
        post(f"{self.url}/moto-wrapper/deploy-ms?ms=400")
        made, etag = self.create(self.ours, "s", cert=self.cert)
        self.assertEqual(made["Status"], "InProgress")
        self.assertEqual(self.ours.get_distribution(Id=made["Id"])["Distribution"]["Status"],
                         "InProgress")
        time.sleep(0.5)
        self.assertEqual(self.ours.get_distribution(Id=made["Id"])["Distribution"]["Status"],
                         "Deployed")
        updated = self.ours.update_distribution(
            Id=made["Id"], IfMatch=etag, DistributionConfig=config("s", cert=self.cert))
        self.assertEqual(updated["Distribution"]["Status"], "InProgress")
        listed = self.ours.list_distributions()["DistributionList"]["Items"]
        self.assertEqual([d["Status"] for d in listed], ["InProgress"])
        post(f"{self.url}/moto-wrapper/deploy-ms?ms=0")
        other, _ = self.create(self.ours, "s2", cert=self.cert)
        self.assertEqual(other["Status"], "Deployed")

    def test_reset_forgets_tenants_and_groups(self):
        parent, _ = self.create(self.ours, "mt", cert=self.cert, ConnectionMode="tenant-only")
        self.ours.create_distribution_tenant(
            DistributionId=parent["Id"], Name="t", Domains=[{"Domain": "t.r.example.com"}])
        post(f"{self.url}/moto-api/reset")
        self.assertEqual(self.ours.list_distribution_tenants().get("DistributionTenantList", []),
                         [])
        self.assertEqual(
            self.ours.list_connection_groups().get("ConnectionGroups", []), [])


if __name__ == "__main__":
    unittest.main()
