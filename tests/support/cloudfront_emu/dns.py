"""The test's DNS, as CloudFront reads it: the CNAME chain of a name and
the values of a TXT record, asked of one resolver (the test's dnsmasq) with
dnslib. No resolver configured means no DNS rule applies.

Every answer is bounded: one UDP query per step, a short timeout, a chain
of at most `MAX_CHAIN` links. A resolver that fails or answers garbage
raises `DnsFailure`, which the rules turn into a refusal, never a pass.
"""

from dnslib import CNAME, DNSRecord, QTYPE, RCODE

# host, port of the resolver; None until `configure` is called.
SERVER = {"address": None}
MAX_CHAIN = 8
TIMEOUT_S = 2.0


class DnsFailure(Exception):
    pass


def configure(address):
    """`HOST:PORT`, or None/empty to stop asking DNS."""
    if not address:
        SERVER["address"] = None
        return
    host, _, port = address.rpartition(":")
    SERVER["address"] = (host or "127.0.0.1", int(port))


def enabled():
    return SERVER["address"] is not None


def ask(name, qtype):
    """The answer records for `name`, or [] for NXDOMAIN/NODATA."""
    host, port = SERVER["address"]
    try:
        raw = DNSRecord.question(name, qtype).send(host, port, timeout=TIMEOUT_S)
        reply = DNSRecord.parse(raw)
    except Exception as e:  # socket timeout, refused, unparsable answer
        raise DnsFailure(f"{qtype} {name}: {e}") from None
    if reply.header.rcode == RCODE.NXDOMAIN:
        return []
    if reply.header.rcode != RCODE.NOERROR:
        raise DnsFailure(f"{qtype} {name}: {RCODE.get(reply.header.rcode)}")
    return reply.rr


def cname_chain(name):
    """The names `name` leads to through CNAME records, in order (without
    `name` itself); stops at a loop or after MAX_CHAIN links."""
    chain, current = [], name.rstrip(".").lower()
    for _ in range(MAX_CHAIN):
        targets = [
            str(r.rdata.label).rstrip(".").lower()
            for r in ask(current, "CNAME")
            if r.rtype == QTYPE.CNAME and isinstance(r.rdata, CNAME)
        ]
        if not targets or targets[0] in chain or targets[0] == name:
            break
        current = targets[0]
        chain.append(current)
    return chain


def txt_values(name):
    """The strings of the TXT records at `name` (each record's strings
    joined, as a TXT value is read)."""
    values = []
    for r in ask(name, "TXT"):
        if r.rtype == QTYPE.TXT:
            values.append(
                b"".join(
                    part if isinstance(part, bytes) else part.encode() for part in r.rdata.data
                ).decode("utf-8", "replace").strip().lower().rstrip(".")
            )
    return values
