//! A DNS server that misbehaves on purpose (`lying_dns.py`, built on
//! dnslib) on a free loopback port, UDP and TCP: it answers for another
//! name, with two CNAMEs, with SERVFAIL, REFUSED or NOTIMP, or never. Stopped
//! on drop. A missing dnslib fails the test: `scripts/test` installs it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct LyingDns {
    child: Child,
    /// `127.0.0.1:PORT`, for `--dns-server`.
    pub server: String,
}

impl LyingDns {
    /// Starts the server in `mode` (see `lying_dns.py`).
    pub fn start(mode: &str) -> LyingDns {
        let port = crate::dnsmasq::free_port();
        let mut child = Command::new("python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/support/lying_dns.py"
            ))
            .args([mode, &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start lying_dns.py ({e})"));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "ready",
            "lying_dns.py did not start: install dnslib with `pip install dnslib` (scripts/test does)"
        );
        LyingDns {
            child,
            server: format!("127.0.0.1:{port}"),
        }
    }
}

impl Drop for LyingDns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
