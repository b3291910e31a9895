//! Outbound HTTP: fetching the plan JSON and sending the result. One
//! reqwest client on the tool's own stack (hyper 1, rustls with aws-lc),
//! with redirects off, so every hop is checked against [`hosts`] here;
//! a timeout on every request; bodies read up to a bound; retries with
//! backoff, each loop bounded by attempts and by the run's deadline.
//!
//! Rules from "Run tasks integration API" and "Plans API" (HCP Terraform):
//! - https://developer.hashicorp.com/terraform/cloud-docs/api-docs/run-tasks/run-tasks-integration
//!   the callback is `PATCH :callback_url` with the request's
//!   `access_token` as the bearer token;
//! - https://developer.hashicorp.com/terraform/cloud-docs/api-docs/plans#retrieve-the-json-execution-plan
//!   `GET /plans/:id/json-output` answers 204 while the plan is not ready
//!   and 307 with a `Location` that serves the file (a short-lived signed
//!   URL on the archivist: `archivist.terraform.io` for HCP Terraform, the
//!   instance itself for Terraform Enterprise). The signed URL needs no
//!   token, so the token is never sent to the redirect.

use std::time::Duration;

use tokio::time::Instant;

use super::hosts::{self, Host};
use super::protocol::{CALLBACK_CONTENT_TYPE, TaskResult};

/// How the service reaches HCP Terraform.
pub struct Client {
    http: reqwest::Client,
    tfc: Host,
    archivists: Vec<Host>,
    max_plan_bytes: u64,
    backoff: Duration,
}

/// Attempts at the plan (204 "not ready" answers and failed requests).
const PLAN_ATTEMPTS: u32 = 8;
/// Attempts at the callback.
const CALLBACK_ATTEMPTS: u32 = 6;
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// One request may take this long, from connecting to the last byte.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl Client {
    pub fn new(
        tfc: Host,
        archivists: Vec<Host>,
        max_plan_bytes: u64,
        backoff: Duration,
    ) -> Result<Client, String> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("cname-preflight/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Client {
            http,
            tfc,
            archivists,
            max_plan_bytes,
            backoff,
        })
    }

    /// The URL if it is on the HCP Terraform host (a callback, a plan).
    pub fn on_tfc(&self, url: &str) -> Result<url::Url, String> {
        hosts::allowed(url, &[&self.tfc])
    }

    /// The wait before attempt `n` (1-based, after the first).
    fn backoff(&self, n: u32) -> Duration {
        self.backoff
            .saturating_mul(1 << n.saturating_sub(1).min(16))
            .min(MAX_BACKOFF)
    }

    /// The plan JSON: asks `url` with the token; while it answers 204 or
    /// fails, waits and asks again, up to [`PLAN_ATTEMPTS`] and `deadline`;
    /// follows one redirect to the tfc host or an archivist without the
    /// token; reads at most the configured size.
    pub async fn plan(
        &self,
        url: &url::Url,
        token: &str,
        deadline: Instant,
    ) -> Result<Vec<u8>, String> {
        let mut last = String::new();
        for attempt in 1..=PLAN_ATTEMPTS {
            if attempt > 1 {
                let wait = self.backoff(attempt - 1);
                if Instant::now() + wait >= deadline {
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            let response = match self.http.get(url.clone()).bearer_auth(token).send().await {
                Ok(r) => r,
                Err(e) => {
                    last = format!("cannot fetch the plan: {}", without_url(e));
                    continue;
                }
            };
            let status = response.status();
            if status == reqwest::StatusCode::NO_CONTENT {
                last = "the plan JSON was still not ready (HTTP 204)".into();
                continue;
            }
            if status.is_redirection() {
                let target = self.redirect(url, &response)?;
                match self.http.get(target).send().await {
                    Ok(r) if r.status().is_success() => return self.body(r).await,
                    Ok(r) if r.status().is_server_error() => {
                        last = format!("the plan's redirect answered HTTP {}", r.status().as_u16());
                        continue;
                    }
                    Ok(r) => {
                        return Err(format!(
                            "the plan's redirect answered HTTP {}",
                            r.status().as_u16()
                        ));
                    }
                    Err(e) => {
                        last = format!("cannot fetch the plan's redirect: {}", without_url(e));
                        continue;
                    }
                }
            }
            if status.is_success() {
                return self.body(response).await;
            }
            if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                last = format!("the plan JSON URL answered HTTP {}", status.as_u16());
                continue;
            }
            return Err(format!(
                "the plan JSON URL answered HTTP {}",
                status.as_u16()
            ));
        }
        Err(if last.is_empty() {
            "no time was left to fetch the plan".into()
        } else {
            last
        })
    }

    /// Where a redirect goes, if it may go there.
    fn redirect(&self, from: &url::Url, response: &reqwest::Response) -> Result<url::Url, String> {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .ok_or("the plan JSON URL redirected without a `Location`")?;
        let target = from
            .join(location)
            .map_err(|e| format!("the plan's redirect is not a URL ({e})"))?;
        let mut allowed: Vec<&Host> = vec![&self.tfc];
        allowed.extend(self.archivists.iter());
        hosts::allowed(target.as_str(), &allowed)
            .map_err(|why| format!("the plan's redirect was refused: {why}"))
    }

    /// A response body, at most the configured plan size.
    async fn body(&self, mut response: reqwest::Response) -> Result<Vec<u8>, String> {
        let too_large = || {
            format!(
                "the plan JSON is larger than the limit of {} MiB (`--max-plan-mib`)",
                self.max_plan_bytes / (1024 * 1024)
            )
        };
        if response
            .content_length()
            .is_some_and(|n| n > self.max_plan_bytes)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("the plan JSON download failed: {}", without_url(e)))?
        {
            if (body.len() + chunk.len()) as u64 > self.max_plan_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Sends the result; a failed attempt (no answer, 429, 5xx) is retried
    /// with backoff up to [`CALLBACK_ATTEMPTS`] and `deadline`. Returns the
    /// number of attempts made, or why it gave up.
    pub async fn report(
        &self,
        url: &url::Url,
        token: &str,
        result: &TaskResult,
        deadline: Instant,
    ) -> Result<u32, String> {
        let body =
            serde_json::to_vec(result).map_err(|e| format!("cannot encode the result: {e}"))?;
        let mut last = String::new();
        for attempt in 1..=CALLBACK_ATTEMPTS {
            if attempt > 1 {
                let wait = self.backoff(attempt - 1);
                if Instant::now() + wait >= deadline {
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            let sent = self
                .http
                .patch(url.clone())
                .bearer_auth(token)
                .header(reqwest::header::CONTENT_TYPE, CALLBACK_CONTENT_TYPE)
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => return Ok(attempt),
                Ok(r) if r.status().is_server_error() || r.status().as_u16() == 429 => {
                    last = format!("the callback answered HTTP {}", r.status().as_u16());
                }
                Ok(r) => {
                    return Err(format!(
                        "the callback answered HTTP {}",
                        r.status().as_u16()
                    ));
                }
                Err(e) => last = format!("cannot send the callback: {}", without_url(e)),
            }
        }
        Err(format!("{last}; gave up"))
    }
}

/// A request error without its URL (which may hold a signed query).
fn without_url(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    // The cause chain says what failed (refused, timed out, TLS).
    for _ in 0..4 {
        let Some(s) = source else { break };
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    cname_preflight::display::shown(&text)
}
