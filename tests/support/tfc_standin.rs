//! A stand-in for HCP Terraform on loopback, driven as the real one drives
//! a run task: it signs run task requests with the task's HMAC key, serves
//! the plan JSON at `/api/v2/plans/:id/json-output` behind a bearer token
//! (answering 204 while a plan is "not ready", then 307 to an archivist
//! host of its own that serves the file without a token), and records
//! every callback `PATCH /api/v2/task-results/:id/callback` (answering 500
//! as often as a test asks first). Tests wait on its events with a bound.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use hmac::{KeyInit, Mac};

/// The token the stand-in hands out and expects back.
pub const TOKEN: &str = "at-standin.atlasv1.secret-token-value";

/// What the stand-in saw.
#[derive(Debug, Clone)]
pub enum Event {
    /// The plan URL was asked (with or without the right token).
    PlanAsked { id: String, authorized: bool },
    /// The archivist served a plan; whether a token came along.
    ArchivistAsked { id: String, had_token: bool },
    /// A callback attempt, whether it was answered with an error, its body.
    Callback {
        id: String,
        failed_on_purpose: bool,
        body: serde_json::Value,
    },
    /// Any request to the "other host" listener.
    OtherHost { path: String },
}

/// How one plan is served.
#[derive(Clone, Default)]
pub struct Plan {
    pub body: Vec<u8>,
    /// 204 answers before the plan is ready.
    pub not_ready: u32,
}

#[derive(Default)]
struct Shared {
    plans: HashMap<String, Plan>,
    /// Callback failures still to give, per task result id.
    callback_failures: HashMap<String, u32>,
    archivist: String,
}

struct Ctx {
    shared: Mutex<Shared>,
    events: Mutex<mpsc::Sender<Event>>,
}

impl Ctx {
    fn send(&self, event: Event) {
        let _ = self.events.lock().unwrap().send(event);
    }
}

pub struct StandIn {
    /// `127.0.0.1:PORT` of the HCP Terraform API.
    pub host: String,
    /// `127.0.0.1:PORT` of its archivist.
    pub archivist: String,
    /// `127.0.0.1:PORT` of a host a hostile payload may name.
    pub other: String,
    events: mpsc::Receiver<Event>,
    ctx: Arc<Ctx>,
    _runtime: tokio::runtime::Runtime,
}

impl StandIn {
    pub fn start() -> StandIn {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (sender, events) = mpsc::channel();
        let ctx = Arc::new(Ctx {
            shared: Mutex::new(Shared::default()),
            events: Mutex::new(sender),
        });
        let bind = |app: axum::Router| {
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let address = listener.local_addr().unwrap().to_string();
                tokio::spawn(async move { axum::serve(listener, app).await });
                address
            })
        };
        let api = axum::Router::new()
            .route("/api/v2/plans/{id}/json-output", get(plan))
            .route("/api/v2/task-results/{id}/callback", patch(callback))
            .with_state(Arc::clone(&ctx));
        let host = bind(api);
        let archive = axum::Router::new()
            .route("/_archivist/{id}", get(archivist))
            .with_state(Arc::clone(&ctx));
        let archivist = bind(archive);
        let other_app = axum::Router::new()
            .fallback(other)
            .with_state(Arc::clone(&ctx));
        let other = bind(other_app);
        ctx.shared.lock().unwrap().archivist = archivist.clone();
        StandIn {
            host,
            archivist,
            other,
            events,
            ctx,
            _runtime: runtime,
        }
    }

    pub fn serve_plan(&self, id: &str, plan: Plan) {
        self.ctx
            .shared
            .lock()
            .unwrap()
            .plans
            .insert(id.into(), plan);
    }

    pub fn fail_callback(&self, id: &str, times: u32) {
        self.ctx
            .shared
            .lock()
            .unwrap()
            .callback_failures
            .insert(id.into(), times);
    }

    /// The next event, waiting at most a minute (a bound, not a pause).
    pub fn next(&self) -> Event {
        self.events
            .recv_timeout(Duration::from_secs(60))
            .expect("the stand-in saw no request within a minute")
    }

    /// Events up to and including the accepted callback of `id`; its body.
    pub fn result_of(&self, id: &str, seen: &mut Vec<Event>) -> serde_json::Value {
        loop {
            let event = self.next();
            seen.push(event.clone());
            if let Event::Callback {
                id: got,
                failed_on_purpose: false,
                body,
            } = event
                && got == id
            {
                return body;
            }
        }
    }

    /// A run task request for task result `id`, as HCP Terraform sends it.
    pub fn payload(&self, id: &str, stage: &str, plan_url: Option<&str>) -> String {
        let plan = plan_url
            .map(str::to_string)
            .unwrap_or_else(|| format!("http://{}/api/v2/plans/{id}/json-output", self.host));
        serde_json::json!({
            "payload_version": 1,
            "stage": stage,
            "access_token": TOKEN,
            "capabilities": {"outcomes": true},
            "configuration_version_download_url": null,
            "configuration_version_id": "cv-1",
            "is_speculative": false,
            "organization_name": "acme",
            "plan_json_api_url": plan,
            "run_app_url": format!("http://{}/app/acme/ws/runs/run-{id}", self.host),
            "run_created_at": "2026-12-06T09:00:00.000Z",
            "run_created_by": "someone",
            "run_id": format!("run-{id}"),
            "run_message": "Triggered via UI",
            "task_result_callback_url": format!("http://{}/api/v2/task-results/{id}/callback", self.host),
            "task_result_enforcement_level": "mandatory",
            "task_result_id": id,
            "vcs_branch": null,
            "vcs_commit_url": null,
            "vcs_pull_request_url": null,
            "vcs_repo_url": null,
            "workspace_app_url": format!("http://{}/app/acme/ws", self.host),
            "workspace_id": "ws-1",
            "workspace_name": "ws",
            "workspace_working_directory": ""
        })
        .to_string()
    }
}

/// The `X-TFC-Task-Signature` of `body` under `key`.
pub fn sign(key: &str, body: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha512>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {TOKEN}"))
}

/// The callback of the verification request carries its placeholder
/// token; the stand-in takes it (what HCP Terraform answers is not
/// documented) so that the test sees the result.
fn authorized_callback(headers: &HeaderMap) -> bool {
    authorized(headers)
        || headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            == Some("Bearer verification")
}

async fn plan(State(ctx): State<Arc<Ctx>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let ok = authorized(&headers);
    ctx.send(Event::PlanAsked {
        id: id.clone(),
        authorized: ok,
    });
    if !ok {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let mut shared = ctx.shared.lock().unwrap();
    let archivist = shared.archivist.clone();
    let Some(plan) = shared.plans.get_mut(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if plan.not_ready > 0 {
        plan.not_ready -= 1;
        return StatusCode::NO_CONTENT.into_response();
    }
    (
        StatusCode::TEMPORARY_REDIRECT,
        [(
            header::LOCATION,
            format!("http://{archivist}/_archivist/{id}?signature=s3cr3t"),
        )],
    )
        .into_response()
}

async fn archivist(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    ctx.send(Event::ArchivistAsked {
        id: id.clone(),
        had_token: headers.contains_key(header::AUTHORIZATION),
    });
    let body = ctx
        .shared
        .lock()
        .unwrap()
        .plans
        .get(&id)
        .map(|p| p.body.clone());
    match body {
        Some(body) => (StatusCode::OK, body).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn callback(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    if !authorized_callback(&headers)
        || headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            != Some("application/vnd.api+json")
    {
        return StatusCode::UNAUTHORIZED;
    }
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let fail = {
        let mut shared = ctx.shared.lock().unwrap();
        match shared.callback_failures.get_mut(&id) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    };
    ctx.send(Event::Callback {
        id,
        failed_on_purpose: fail,
        body,
    });
    if fail {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

async fn other(State(ctx): State<Arc<Ctx>>, uri: axum::http::Uri) -> StatusCode {
    ctx.send(Event::OtherHost {
        path: uri.path().to_string(),
    });
    StatusCode::OK
}
