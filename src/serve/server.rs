//! The HTTP side: `POST /` takes run task requests, `GET /healthz` says the
//! service is up. A request is checked (size, signature, payload, callback
//! host), answered 200 at once and queued; a fixed number of workers take
//! runs from the bounded queue. A full queue answers 503, so HCP Terraform
//! sends the request again later ("The service receiving the run task
//! request should respond with 200 OK, or HCP Terraform will retry to
//! trigger the run task",
//! https://developer.hashicorp.com/terraform/cloud-docs/api-docs/run-tasks/run-tasks-integration).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use tokio::sync::{Mutex, mpsc};
use tokio::time::Instant;

use super::job::{self, Context, Job};
use super::log;
use super::protocol::{MAX_REQUEST_BYTES, SIGNATURE_HEADER, TaskRequest};
use super::signature::{self, Key};

/// What the request handler needs.
struct Intake {
    key: Option<Key>,
    queue: mpsc::Sender<Job>,
    context: Arc<Context>,
}

/// Serves on `listener` until `shutdown` resolves, then stops taking
/// requests, lets the workers finish the runs already accepted, and
/// returns.
pub async fn serve(
    listener: super::listener::Bounded,
    key: Option<Key>,
    context: Arc<Context>,
    workers: usize,
    queue: usize,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (sender, receiver) = mpsc::channel::<Job>(queue);
    let receiver = Arc::new(Mutex::new(receiver));
    let mut pool = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let receiver = Arc::clone(&receiver);
        let context = Arc::clone(&context);
        pool.spawn(async move {
            loop {
                // One worker waits on the queue at a time; the others wait
                // for the lock. `None`: the queue is closed and empty.
                let next = receiver.lock().await.recv().await;
                let Some(job) = next else { break };
                job::run(job, Arc::clone(&context)).await;
            }
        });
    }
    let intake = Arc::new(Intake {
        key,
        queue: sender,
        context,
    });
    let app = axum::Router::new()
        .route("/", post(accept))
        .route("/healthz", get(|| async { "ok\n" }))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(intake);
    let address = axum::serve::Listener::local_addr(&listener)?.to_string();
    log::info("serve.listening", &[("address", &address)]);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    // The router (and the queue's last sender with it) is gone: the
    // workers drain what was accepted, then stop.
    log::info("serve.draining", &[]);
    while pool.join_next().await.is_some() {}
    log::info("serve.stopped", &[]);
    Ok(())
}

/// `POST /`: 401 for a bad signature (nothing is fetched), 400 for a body
/// that is not a run task request or names a callback on another host, 503
/// when the queue is full, else 200 and the run is queued.
async fn accept(
    State(intake): State<Arc<Intake>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let received = Instant::now();
    if let Some(key) = &intake.key {
        let header = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
        if !signature::verify(key, &body, header) {
            log::warn(
                "request.refused",
                &[("reason", "bad or missing X-TFC-Task-Signature")],
            );
            return (StatusCode::UNAUTHORIZED, "bad signature\n");
        }
    }
    let request: TaskRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            // The position and kind only: serde's message may quote a value.
            let why = format!(
                "not a run task request ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            );
            log::warn("request.refused", &[("reason", &why)]);
            return (StatusCode::BAD_REQUEST, "not a run task request\n");
        }
    };
    let ids = job::ids(&request);
    let fields = |extra: (&'static str, String)| -> Vec<(&'static str, String)> {
        ids.iter().cloned().chain([extra]).collect()
    };
    if request.payload_version != 1 {
        let why = format!(
            "payload_version {} (only 1 is supported)",
            request.payload_version
        );
        log::warn("request.refused", &job::pairs(&fields(("reason", why))));
        return (StatusCode::BAD_REQUEST, "unsupported payload_version\n");
    }
    // A result can only go to the callback URL, so one on another host is
    // refused here: nothing is fetched and nothing is sent.
    let callback = match intake
        .context
        .client
        .on_tfc(&request.task_result_callback_url)
    {
        Ok(url) => url,
        Err(why) => {
            let why = format!("callback URL refused: {why}");
            log::warn("request.refused", &job::pairs(&fields(("reason", why))));
            return (StatusCode::BAD_REQUEST, "callback URL refused\n");
        }
    };
    let job = Job {
        request,
        callback,
        received,
    };
    match intake.queue.try_send(job) {
        Ok(()) => {
            log::info(
                "request.accepted",
                &job::pairs(&fields(("queued", "true".into()))),
            );
            (StatusCode::OK, "")
        }
        Err(_) => {
            log::warn(
                "request.refused",
                &job::pairs(&fields(("reason", "the queue is full".into()))),
            );
            (StatusCode::SERVICE_UNAVAILABLE, "busy, try again\n")
        }
    }
}
