#!/usr/bin/env python3
"""A DNS server that misbehaves on purpose, for the tests (dnslib).

    python3 tests/support/lying_dns.py MODE PORT [--delay-ms N] [--log FILE]

Listens on 127.0.0.1:PORT over UDP and TCP and answers every query the way
MODE says:

  other-owner  a CNAME to d0lie0000001.cloudfront.net owned by another name
               (`evil.example.net`) than the one asked
  two-cnames   two CNAMEs for the name asked, to two distributions
  servfail     SERVFAIL
  refused      REFUSED
  notimp       NOTIMP
  rcode12      a CNAME to d0lie0000001.cloudfront.net for the name asked,
               with the unassigned response code 12
  silent       never answers (UDP is read and dropped; TCP connections
               are accepted and left open)
  zone         a zone for the benchmark: `aN.bench.example.com` has a CNAME
               to `dN.cloudfront.net` for even N, addresses for odd N; TXT
               `_aN.bench.example.com` holds `dN.cloudfront.net`; every
               other name is NXDOMAIN

`--delay-ms` delays every answer (the benchmark's 50 ms resolver). With
`--log`, each query is appended as `TYPE name` (the benchmark counts them).
Prints `ready` on standard output once both sockets listen.
"""

import argparse
import re
import socket
import socketserver
import sys
import threading
import time

from dnslib import CNAME, QTYPE, RCODE, RR, TXT, A, DNSRecord

ZONE_NAME = re.compile(r"^(_?)a(\d+)\.bench\.example\.com\.$")

LOG_LOCK = threading.Lock()


def answer(mode, request):
    reply = request.reply()
    qname = request.q.qname
    qtype = request.q.qtype
    if mode == "other-owner":
        reply.add_answer(RR("evil.example.net", QTYPE.CNAME, rdata=CNAME("d0lie0000001.cloudfront.net"), ttl=60))
    elif mode == "two-cnames":
        for target in ("d0lie0000001.cloudfront.net", "d0lie0000002.cloudfront.net"):
            reply.add_answer(RR(qname, QTYPE.CNAME, rdata=CNAME(target), ttl=60))
    elif mode == "servfail":
        reply.header.rcode = RCODE.SERVFAIL
    elif mode == "refused":
        reply.header.rcode = RCODE.REFUSED
    elif mode == "notimp":
        reply.header.rcode = RCODE.NOTIMP
    elif mode == "rcode12":
        reply.add_answer(RR(qname, QTYPE.CNAME, rdata=CNAME("d0lie0000001.cloudfront.net"), ttl=60))
        reply.header.rcode = 12
    elif mode == "zone":
        match = ZONE_NAME.match(str(qname).lower())
        if not match:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        txt, n = match.group(1), int(match.group(2))
        target = f"d{n}.cloudfront.net"
        if txt:
            if qtype == QTYPE.TXT:
                reply.add_answer(RR(qname, QTYPE.TXT, rdata=TXT(target), ttl=60))
        elif n % 2 == 0:
            if qtype in (QTYPE.CNAME, QTYPE.A, QTYPE.AAAA):
                reply.add_answer(RR(qname, QTYPE.CNAME, rdata=CNAME(target), ttl=60))
        elif qtype == QTYPE.A:
            reply.add_answer(RR(qname, QTYPE.A, rdata=A(f"192.0.2.{n % 250 + 1}"), ttl=60))
    else:
        raise SystemExit(f"unknown mode {mode}")
    return reply


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        tcp = isinstance(self.request, socket.socket)
        if tcp:
            if server.mode == "silent":
                # Hold the connection open without a word until the client goes.
                while self.request.recv(4096):
                    pass
                return
            head = self.request.recv(2)
            if len(head) < 2:
                return
            size = int.from_bytes(head, "big")
            data = b""
            while len(data) < size:
                chunk = self.request.recv(size - len(data))
                if not chunk:
                    return
                data += chunk
        else:
            data, sock = self.request
            if server.mode == "silent":
                return
        request = DNSRecord.parse(data)
        if server.log:
            with LOG_LOCK, open(server.log, "a") as f:
                f.write(f"{QTYPE[request.q.qtype]} {str(request.q.qname).rstrip('.')}\n")
        if server.delay:
            time.sleep(server.delay)
        packed = answer(server.mode, request).pack()
        if tcp:
            self.request.sendall(len(packed).to_bytes(2, "big") + packed)
        else:
            sock.sendto(packed, self.client_address)


class UDP(socketserver.ThreadingMixIn, socketserver.UDPServer):
    daemon_threads = True


class TCP(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode")
    parser.add_argument("port", type=int)
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--log")
    args = parser.parse_args()
    servers = [UDP(("127.0.0.1", args.port), Handler), TCP(("127.0.0.1", args.port), Handler)]
    for server in servers:
        server.mode = args.mode
        server.delay = args.delay_ms / 1000
        server.log = args.log
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    # Runs until the test kills it.
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
