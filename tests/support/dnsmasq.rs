//! A real DNS resolver for tests: dnsmasq on a free loopback port, serving
//! only the records a test gives it (CNAME, A, TXT, PTR) and answering
//! NXDOMAIN for every other name under `com`, `net`, `org` and the reverse
//! zones; other names are REFUSED, as a resolver with no upstream does.
//! Stopped on drop. A missing dnsmasq fails the test: `scripts/test`
//! installs Debian's `dnsmasq-base`.

use std::net::{TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Dnsmasq {
    child: Child,
    /// `127.0.0.1:PORT`, for `--dns-server`.
    pub server: String,
    log: std::path::PathBuf,
}

/// One record dnsmasq serves, as its flags spell it.
pub enum Record<'a> {
    Cname(&'a str, &'a str),
    A(&'a str, &'a str),
    Txt(&'a str, &'a str),
    /// An address and its reverse name.
    Ptr(&'a str, &'a str),
}

impl Dnsmasq {
    /// Serves `records`, and NXDOMAIN for other names under `com`, `net`,
    /// `org` and `in-addr.arpa`.
    pub fn start(records: &[Record]) -> Dnsmasq {
        Dnsmasq::start_for(&["com", "net", "org", "in-addr.arpa"], records)
    }

    /// Serves `records` for names in `zones`; other names are REFUSED.
    pub fn start_for(zones: &[&str], records: &[Record]) -> Dnsmasq {
        // A port free for UDP may be taken for TCP (or taken between the
        // probe and dnsmasq's bind, by a server another test starts): then
        // dnsmasq exits at once, and another port is tried. Bounded.
        let mut last = String::new();
        for _ in 0..5 {
            match Dnsmasq::try_start(zones, records) {
                Ok(dnsmasq) => return dnsmasq,
                Err(why) => last = why,
            }
        }
        panic!("dnsmasq could not be started on a loopback port: {last}");
    }

    fn try_start(zones: &[&str], records: &[Record]) -> Result<Dnsmasq, String> {
        let port = free_port();
        let log = std::env::temp_dir().join(format!("cname-preflight-dnsmasq-{port}.log"));
        let _ = std::fs::remove_file(&log);
        let mut args = vec![
            "--keep-in-foreground".to_string(),
            "--conf-file=/dev/null".into(),
            format!("--port={port}"),
            "--listen-address=127.0.0.1".into(),
            "--bind-interfaces".into(),
            "--no-resolv".into(),
            "--no-hosts".into(),
            "--no-negcache".into(),
            "--user=root".into(),
            "--pid-file=".into(),
            "--log-queries".into(),
            format!("--log-facility={}", log.display()),
        ];
        for zone in zones {
            args.push(format!("--local=/{zone}/"));
        }
        for record in records {
            args.push(match record {
                Record::Cname(name, target) => format!("--cname={name},{target}"),
                Record::A(name, ip) => format!("--host-record={name},{ip}"),
                Record::Txt(name, text) => format!("--txt-record={name},{text}"),
                Record::Ptr(ip, name) => {
                    let octets: Vec<&str> = ip.split('.').rev().collect();
                    format!("--ptr-record={}.in-addr.arpa,{name}", octets.join("."))
                }
            });
        }
        let program = ["/usr/sbin/dnsmasq", "dnsmasq"]
            .into_iter()
            .find(|p| !p.starts_with('/') || std::path::Path::new(p).exists())
            .unwrap();
        let child = Command::new(program)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start dnsmasq ({e}): install Debian's dnsmasq-base (scripts/test does)"
                )
            });
        let mut dnsmasq = Dnsmasq {
            child,
            server: format!("127.0.0.1:{port}"),
            log,
        };
        // dnsmasq answers on TCP too: it is up once that port accepts.
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = dnsmasq.child.try_wait() {
                let mut said = String::new();
                if let Some(mut stderr) = dnsmasq.child.stderr.take() {
                    use std::io::Read;
                    let _ = stderr.read_to_string(&mut said);
                }
                return Err(format!(
                    "port {port}: dnsmasq exited ({status}): {}",
                    said.trim()
                ));
            }
            assert!(
                Instant::now() < deadline,
                "dnsmasq did not listen on port {port} within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(dnsmasq)
    }

    /// The queries dnsmasq received, as `TYPE name` lines (`A www.example.com`).
    pub fn queries(&self) -> Vec<String> {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines()
            .filter_map(|line| {
                let (_, rest) = line.split_once(": query[")?;
                let (kind, rest) = rest.split_once("] ")?;
                let name = rest.split_whitespace().next()?;
                Some(format!("{kind} {name}"))
            })
            .collect()
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A loopback port that is free for both UDP and TCP right now.
pub fn free_port() -> u16 {
    for _ in 0..100 {
        let udp = UdpSocket::bind("127.0.0.1:0").expect("a free loopback port");
        let port = udp.local_addr().expect("a local address").port();
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no loopback port was free for both UDP and TCP in 100 tries");
}
