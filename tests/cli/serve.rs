//! `cname-preflight serve` driven as HCP Terraform drives a run task: the
//! real binary on a loopback port, the stand-in (tests/support/tfc_standin.rs)
//! signing requests, serving plans behind a token and a 307, and recording
//! callbacks. Every wait is on an event, with a bound.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::tfc_standin::{Event, Plan, StandIn, TOKEN, sign};

const KEY: &str = "run-task-hmac-key";

/// The service, its address and its log lines.
pub(super) struct Service {
    child: Child,
    address: String,
    lines: mpsc::Receiver<String>,
    log: Vec<String>,
}

impl Service {
    /// Starts `serve` for the stand-in, offline, with fast retries, and
    /// waits (with a bound) for the line that says where it listens.
    pub(super) fn start(standin: &StandIn, extra: &[&str]) -> Service {
        let mut args = vec!["--offline"];
        args.extend(extra);
        Service::start_with(standin, &args, &[])
    }

    /// As `start`, with exactly these flags and environment added (not
    /// offline unless they say so).
    pub(super) fn start_with(standin: &StandIn, extra: &[&str], env: &[(&str, &str)]) -> Service {
        let mut command = super::isolated();
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(["--tfc-host", &standin.host])
            .args(["--archivist-host", &standin.archivist])
            .args(["--retry-backoff-ms", "20"])
            .args(extra)
            .envs(env.iter().copied())
            .env("CNAME_PREFLIGHT_HMAC_KEY", KEY)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the binary runs");
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut service = Service {
            child,
            address: String::new(),
            lines,
            log: Vec::new(),
        };
        let listening = service.wait_for("serve.listening");
        service.address = listening["address"].as_str().unwrap().to_string();
        service
    }

    /// The next log event named `name`, waiting at most a minute.
    pub(super) fn wait_for(&mut self, name: &str) -> serde_json::Value {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no `{name}` log line within a minute: {:?}", self.log));
            self.log.push(line.clone());
            let event: serde_json::Value = serde_json::from_str(&line)
                .unwrap_or_else(|_| panic!("a log line that is not JSON: {line}"));
            if event["event"] == name {
                return event;
            }
        }
    }

    /// POSTs `body` to the service, signed with `key` (or with the given
    /// header value); the response's status.
    fn post(&self, body: &str, signature: Option<&str>) -> u16 {
        post_to(&self.address, body, signature)
    }

    pub(super) fn post_signed(&self, body: &str) -> u16 {
        self.post(body, Some(&sign(KEY, body)))
    }

    fn request(&self, method: &str, path: &str, headers: &str, body: &str) -> u16 {
        request(&self.address, method, path, headers, body)
    }

    /// Stops the service with SIGTERM and waits (bounded) for it to exit;
    /// its exit status must be success and its log must hold neither the
    /// access token nor the given plan text.
    pub(super) fn stop(mut self, plan_text: &[&str]) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.wait_for("serve.stopped");
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(60)) {
            self.log.push(line);
        }
        let code = self.child.wait().unwrap();
        assert!(code.success(), "serve exited with {code}: {:?}", self.log);
        let log = self.log.join("\n");
        assert!(
            !log.contains(TOKEN),
            "the access token is in the log: {log}"
        );
        assert!(!log.contains(KEY), "the HMAC key is in the log: {log}");
        for text in plan_text {
            assert!(
                !log.contains(text),
                "plan content `{text}` is in the log: {log}"
            );
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POSTs `body` to the service at `address` with the given
/// `X-TFC-Task-Signature` value (none: no header); the response's status.
fn post_to(address: &str, body: &str, signature: Option<&str>) -> u16 {
    let mut headers = String::from("Content-Type: application/json\r\n");
    if let Some(s) = signature {
        headers.push_str(&format!("X-TFC-Task-Signature: {s}\r\n"));
    }
    request(address, "POST", "/", &headers, body)
}

/// One HTTP/1.1 request to `address`; the response's status.
fn request(address: &str, method: &str, path: &str, headers: &str, body: &str) -> u16 {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nUser-Agent: TFC/1.0 (+https://app.terraform.io; TFC)\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) before it has read a large body.
    let _ = stream.write_all(body.as_bytes());
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {response:?}"))
}

pub(super) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("fixtures/plans/{name}")).unwrap()
}

pub(super) fn status(result: &serde_json::Value) -> &str {
    result["data"]["attributes"]["status"].as_str().unwrap()
}

pub(super) fn message(result: &serde_json::Value) -> &str {
    result["data"]["attributes"]["message"].as_str().unwrap()
}

pub(super) fn outcomes(result: &serde_json::Value) -> &Vec<serde_json::Value> {
    result["data"]["relationships"]["outcomes"]["data"]
        .as_array()
        .unwrap()
}

#[test]
fn a_clean_plan_passes_fetched_with_the_token_and_from_the_archivist_without_it() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    standin.serve_plan(
        "clean",
        Plan {
            body: fixture("clean-create.json"),
            not_ready: 0,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("clean", "post_plan", None)),
        200
    );
    let mut seen = Vec::new();
    let result = standin.result_of("clean", &mut seen);
    assert_eq!(status(&result), "passed", "{result}");
    assert!(outcomes(&result).is_empty(), "{result}");
    assert_eq!(result["data"]["type"], "task-results");
    assert!(seen.iter().any(|e| matches!(
        e,
        Event::PlanAsked {
            authorized: true,
            ..
        }
    )));
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::ArchivistAsked { id, had_token: false } if id == "clean"))
    );
    assert!(!seen.iter().any(|e| matches!(
        e,
        Event::ArchivistAsked {
            had_token: true,
            ..
        }
    )));
    service.stop(&["cloudfront"]);
}

#[test]
fn a_conflicting_plan_fails_with_one_outcome_per_finding() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    standin.serve_plan(
        "move",
        Plan {
            body: fixture("move-within-change.json"),
            not_ready: 0,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("move", "pre_apply", None)),
        200
    );
    let result = standin.result_of("move", &mut Vec::new());
    assert_eq!(status(&result), "failed", "{result}");
    assert!(message(&result).contains("2 errors"), "{result}");
    let outcomes = outcomes(&result);
    let ids: Vec<&str> = outcomes
        .iter()
        .map(|o| o["attributes"]["outcome-id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "move-within-change:app.example.com",
            "move-within-change:media.example.com"
        ]
    );
    for o in outcomes {
        assert_eq!(o["type"], "task-result-outcomes");
        let a = &o["attributes"];
        assert_eq!(a["tags"]["Severity"][0]["level"], "error");
        assert_eq!(a["tags"]["Severity"][0]["label"], "Error");
        let description = a["description"].as_str().unwrap();
        assert!(!description.contains('\n') && description.contains("moves from"));
        let body = a["body"].as_str().unwrap();
        assert!(
            body.starts_with("**`"),
            "the body starts with the message: {body}"
        );
        assert!(body.contains("cname-preflight explain move-within-change"));
    }
    let first = outcomes[0]["attributes"]["body"].as_str().unwrap();
    assert!(
        first.contains("depends_on"),
        "the body holds the fix: {first}"
    );
    {}
    service.stop(&["aws_cloudfront_distribution.legacy"]);
}

#[test]
fn the_verification_request_passes_and_fetches_nothing() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    let payload = standin
        .payload("verify", "test", None)
        .replace(TOKEN, "verification");
    assert_eq!(service.post_signed(&payload), 200);
    let mut seen = Vec::new();
    let result = standin.result_of("verify", &mut seen);
    assert_eq!(status(&result), "passed", "{result}");
    assert!(
        !seen.iter().any(|e| matches!(e, Event::PlanAsked { .. })),
        "{seen:?}"
    );
    service.stop(&[]);
}

#[test]
fn a_bad_or_missing_signature_is_401_and_nothing_is_fetched() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    standin.serve_plan(
        "forged",
        Plan {
            body: fixture("clean-create.json"),
            not_ready: 0,
        },
    );
    let payload = standin.payload("forged", "post_plan", None);
    assert_eq!(
        service.post(&payload, Some(&sign("another-key", &payload))),
        401
    );
    assert_eq!(service.post(&payload, Some("")), 401);
    assert_eq!(service.post(&payload, None), 401);
    let tampered = payload.replace("Triggered via UI", "Triggered via API");
    assert_eq!(service.post(&tampered, Some(&sign(KEY, &payload))), 401);
    // A signed run after them is the first thing the stand-in sees.
    standin.serve_plan(
        "after",
        Plan {
            body: fixture("clean-create.json"),
            not_ready: 0,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("after", "post_plan", None)),
        200
    );
    match standin.next() {
        Event::PlanAsked { id, .. } => assert_eq!(id, "after"),
        other => panic!("expected the signed run's plan request first, got {other:?}"),
    }
    standin.result_of("after", &mut Vec::new());
    service.stop(&[]);
}

#[test]
fn a_plan_url_on_another_host_is_refused_and_never_asked() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    let evil = format!("http://{}/steal", standin.other);
    let payload = standin.payload("elsewhere", "post_plan", Some(&evil));
    assert_eq!(service.post_signed(&payload), 200);
    let mut seen = Vec::new();
    let result = standin.result_of("elsewhere", &mut seen);
    assert_eq!(status(&result), "failed", "{result}");
    assert!(message(&result).contains("refused"), "{result}");
    for e in &seen {
        if let Event::OtherHost { path } = e {
            panic!("the other host was asked for {path}");
        }
    }
    service.stop(&[]);
}

#[test]
fn a_callback_url_on_another_host_is_refused_with_400() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    let payload = standin.payload("cb", "post_plan", None).replace(
        &format!("http://{}/api/v2/task-results", standin.host),
        &format!("http://{}/api/v2/task-results", standin.other),
    );
    assert_eq!(service.post_signed(&payload), 400);
    // Not even the plan is asked: the next event is the next run's.
    let payload = standin.payload("next", "test", None);
    assert_eq!(service.post_signed(&payload), 200);
    match standin.next() {
        Event::Callback { id, .. } => assert_eq!(id, "next"),
        other => panic!("expected the next run's callback, got {other:?}"),
    }
    service.stop(&[]);
}

#[test]
fn a_plan_not_ready_is_asked_again_until_it_is() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    standin.serve_plan(
        "late",
        Plan {
            body: fixture("clean-create.json"),
            not_ready: 2,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("late", "post_plan", None)),
        200
    );
    let mut seen = Vec::new();
    let result = standin.result_of("late", &mut seen);
    assert_eq!(status(&result), "passed", "{result}");
    let asked = seen
        .iter()
        .filter(|e| matches!(e, Event::PlanAsked { .. }))
        .count();
    assert_eq!(asked, 3, "two 204 answers, then the 307: {seen:?}");
    service.stop(&[]);
}

#[test]
fn a_plan_never_ready_fails_the_run() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    standin.serve_plan(
        "never",
        Plan {
            body: Vec::new(),
            not_ready: u32::MAX,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("never", "post_plan", None)),
        200
    );
    let result = standin.result_of("never", &mut Vec::new());
    assert_eq!(status(&result), "failed", "{result}");
    assert!(message(&result).contains("not ready"), "{result}");
    service.stop(&[]);
}

#[test]
fn a_callback_that_fails_twice_is_retried_until_it_succeeds() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    standin.serve_plan(
        "flaky",
        Plan {
            body: fixture("clean-create.json"),
            not_ready: 0,
        },
    );
    standin.fail_callback("flaky", 2);
    assert_eq!(
        service.post_signed(&standin.payload("flaky", "post_plan", None)),
        200
    );
    let mut seen = Vec::new();
    let result = standin.result_of("flaky", &mut seen);
    assert_eq!(status(&result), "passed");
    let failed = seen
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Callback {
                    failed_on_purpose: true,
                    ..
                }
            )
        })
        .count();
    assert_eq!(failed, 2, "{seen:?}");
    let mut service = service;
    let reported = service.wait_for("run.reported");
    assert_eq!(reported["attempts"], "3");
    service.stop(&[]);
}

#[test]
fn sigterm_lets_an_accepted_run_finish_and_report() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    // Five 204 answers keep the run busy for a while (20, 40, 80, 160,
    // 320 ms of backoff); the service is told to stop meanwhile.
    standin.serve_plan(
        "draining",
        Plan {
            body: fixture("clean-create.json"),
            not_ready: 5,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("draining", "post_plan", None)),
        200
    );
    assert!(matches!(standin.next(), Event::PlanAsked { .. }));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &service.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let result = standin.result_of("draining", &mut Vec::new());
    assert_eq!(status(&result), "passed", "{result}");
    service.stop(&[]);
}

#[test]
fn fifty_concurrent_runs_each_get_their_result() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &["--max-concurrent-runs", "4"]);
    let mut expected = HashMap::new();
    for i in 0..50 {
        let (fixture_name, want) = if i % 2 == 0 {
            ("clean-create.json", "passed")
        } else {
            ("move-within-change.json", "failed")
        };
        let id = format!("many-{i}");
        standin.serve_plan(
            &id,
            Plan {
                body: fixture(fixture_name),
                not_ready: 0,
            },
        );
        expected.insert(id, want);
    }
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = expected
            .keys()
            .map(|id| {
                let payload = standin.payload(id, "post_plan", None);
                let address = service.address.clone();
                scope.spawn(move || post_to(&address, &payload, Some(&sign(KEY, &payload))))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    let mut got = HashMap::new();
    while got.len() < expected.len() {
        if let Event::Callback {
            id,
            failed_on_purpose: false,
            body,
        } = standin.next()
        {
            assert!(
                got.insert(id, status(&body).to_string()).is_none(),
                "one result per run"
            );
        }
    }
    for (id, want) in &expected {
        assert_eq!(got[id], *want, "{id}");
    }
    service.stop(&[]);
}

#[test]
fn a_plan_over_the_size_limit_fails_the_run() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &["--max-plan-mib", "1"]);
    let mut big = fixture("clean-create.json");
    big.extend(std::iter::repeat_n(b' ', 2 * 1024 * 1024));
    standin.serve_plan(
        "big",
        Plan {
            body: big,
            not_ready: 0,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("big", "post_plan", None)),
        200
    );
    let result = standin.result_of("big", &mut Vec::new());
    assert_eq!(status(&result), "failed", "{result}");
    assert!(
        message(&result).contains("larger than the limit of 1 MiB"),
        "{result}"
    );
    service.stop(&[]);
}

#[test]
fn a_plan_that_cannot_be_read_fails_the_run_with_the_reason() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    standin.serve_plan(
        "garbage",
        Plan {
            body: b"{\"format_version\": ".to_vec(),
            not_ready: 0,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("garbage", "post_plan", None)),
        200
    );
    let result = standin.result_of("garbage", &mut Vec::new());
    assert_eq!(status(&result), "failed", "{result}");
    assert!(message(&result).contains("could not be read"), "{result}");
    service.stop(&[]);
}

#[test]
fn a_stage_without_a_plan_fails_the_run_and_says_where_to_attach_it() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    assert_eq!(
        service.post_signed(&standin.payload("pre", "pre_plan", None)),
        200
    );
    let result = standin.result_of("pre", &mut Vec::new());
    assert_eq!(status(&result), "failed", "{result}");
    assert!(
        message(&result).contains("post-plan or pre-apply"),
        "{result}"
    );
    service.stop(&[]);
}

#[test]
fn oversized_bodies_bad_payloads_and_health() {
    let standin = StandIn::start();
    let service = Service::start(&standin, &[]);
    let huge = "x".repeat(1024 * 1024);
    assert_eq!(service.post_signed(&huge), 413);
    assert_eq!(service.post_signed("{\"payload_version\": 1}"), 400);
    let v2 = standin
        .payload("v2", "post_plan", None)
        .replace("\"payload_version\":1", "\"payload_version\":2");
    assert_eq!(service.post_signed(&v2), 400);
    assert_eq!(service.request("GET", "/healthz", "", ""), 200);
    service.stop(&[]);
}

#[test]
fn serve_refuses_to_start_without_a_key() {
    let out = super::isolated()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("CNAME_PREFLIGHT_HMAC_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("an HMAC key is required"), "{stderr}");
    let out = super::isolated()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tfc-host",
            "a/b",
            "--insecure-no-hmac",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tfc-host"));
}
