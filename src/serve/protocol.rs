//! The run task protocol's messages, as HCP Terraform and Terraform
//! Enterprise send and accept them: the request a run sends to the task,
//! and the result the task sends back to the callback URL. Types and their
//! documented limits only; no I/O.
//!
//! Source for every rule here: "Run tasks integration API",
//! https://developer.hashicorp.com/terraform/cloud-docs/api-docs/run-tasks/run-tasks-integration

use serde::{Deserialize, Serialize};

/// The request header that carries the HMAC-SHA512 of the body, hex
/// encoded; an empty string when the task has no HMAC key ("Request
/// Headers" on the page above).
pub const SIGNATURE_HEADER: &str = "x-tfc-task-signature";

/// The media type of the callback (JSON:API; the page's "Request Headers"
/// of the callback link the API's authentication and content rules).
pub const CALLBACK_CONTENT_TYPE: &str = "application/vnd.api+json";

/// The request body is small (a few kilobytes of fields); anything larger
/// is refused before it is parsed.
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;

/// An outcome's `body`: "We recommend limiting messages to under 1MB with a
/// maximum allowable limit of 5MB" ("Outcomes Payload Body"). The fix of
/// one finding is a few kilobytes; this bound leaves the whole callback far
/// under the limit even with every outcome at it.
pub const MAX_OUTCOME_BODY_BYTES: usize = 16 * 1024;

/// How many outcomes one result carries; the rest are counted in the
/// message. The page sets no number; this keeps a result readable and the
/// callback under a megabyte.
pub const MAX_OUTCOMES: usize = 50;

/// `description` is "a one-line description of the result".
pub const MAX_DESCRIPTION_CHARS: usize = 200;

/// `message`: "a short message describing the status of the task".
pub const MAX_MESSAGE_CHARS: usize = 300;

/// The run's access token: deserialized as the string it is, shown by
/// `Debug` as `Token(..)`, so no debug print of a request carries it.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Token(String);

impl Token {
    /// The token itself, for the bearer header only.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

/// The run task request ("Request Body", "Common Properties" and
/// "Post-Plan, Pre-Apply, and Post-Apply Properties"). Only the fields the
/// service uses are read; the rest are ignored.
#[derive(Debug, Deserialize)]
pub struct TaskRequest {
    /// "Schema version of the payload. Only `1` is supported."
    pub payload_version: u32,
    /// `pre_plan`, `post_plan`, `pre_apply`, `post_apply`; `test` for the
    /// verification request sent when the task is created.
    pub stage: String,
    /// "Bearer token to use when calling back to HCP Terraform": a secret,
    /// never logged, sent only to the `--tfc-host` host.
    pub access_token: Token,
    /// "URL that should called back with the result of this task."
    pub task_result_callback_url: String,
    /// "The URL to retrieve the JSON Terraform plan for this run" (only
    /// for `post_plan`, `pre_apply` and `post_apply`).
    #[serde(default)]
    pub plan_json_api_url: Option<String>,
    #[serde(default)]
    pub task_result_id: Option<String>,
    #[serde(default)]
    pub run_id: Option<String>,
    #[serde(default)]
    pub workspace_name: Option<String>,
    #[serde(default)]
    pub organization_name: Option<String>,
}

/// The access tokens that mark the request HCP Terraform sends to verify
/// the URL (and HMAC key) when a run task is created or changed: a
/// placeholder that is never a valid token. HashiCorp's run task
/// scaffolding recognises `test-token`
/// (https://github.com/hashicorp/terraform-run-task-scaffolding-go,
/// `api/task_request.go`, `IsEndpointValidation`); `verification` is
/// taken too, and so is the `test` stage.
const VERIFICATION_TOKENS: [&str; 2] = ["verification", "test-token"];

impl TaskRequest {
    /// Whether this is the verification request (no run, no plan): it is
    /// answered `passed` without asking anything.
    pub fn is_verification(&self) -> bool {
        self.stage == "test" || VERIFICATION_TOKENS.contains(&self.access_token.secret())
    }

    /// Whether the stage has a plan to check.
    pub fn has_plan(&self) -> bool {
        matches!(self.stage.as_str(), "post_plan" | "pre_apply")
    }
}

/// The overall result ("Run Task Callback", "Request Body"): "Only
/// `passed`, `failed` or `running` are allowed."
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
}

/// The callback body: `{"data": {"type": "task-results", "attributes":
/// {...}, "relationships": {"outcomes": {"data": [...]}}}}`.
#[derive(Debug, Serialize)]
pub struct TaskResult {
    pub data: ResultData,
}

#[derive(Debug, Serialize)]
pub struct ResultData {
    /// "Must be `task-results`."
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub attributes: ResultAttributes,
    pub relationships: Relationships,
}

#[derive(Debug, Serialize)]
pub struct ResultAttributes {
    pub status: Status,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct Relationships {
    pub outcomes: Outcomes,
}

#[derive(Debug, Serialize)]
pub struct Outcomes {
    pub data: Vec<Outcome>,
}

/// One detailed outcome ("Outcomes Payload Body").
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// "Must be `task-result-outcomes`" (the page's examples).
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub attributes: OutcomeAttributes,
}

#[derive(Debug, Serialize)]
pub struct OutcomeAttributes {
    /// "A partner supplied identifier for this outcome."
    #[serde(rename = "outcome-id")]
    pub outcome_id: String,
    /// "A one-line description of the result."
    pub description: String,
    /// "A detailed message for the result in markdown format."
    pub body: String,
    /// "Special handling is given to `severity` and `status` keys": the
    /// finding's level goes under `Severity`.
    pub tags: Tags,
}

#[derive(Debug, Serialize)]
pub struct Tags {
    #[serde(rename = "Severity")]
    pub severity: Vec<Tag>,
}

/// `tags.key[].level`: "`none`, `info`, `warning`, or `error`".
#[derive(Debug, Serialize)]
pub struct Tag {
    pub label: String,
    pub level: &'static str,
}

impl TaskResult {
    pub fn new(status: Status, message: String, outcomes: Vec<Outcome>) -> TaskResult {
        TaskResult {
            data: ResultData {
                kind: "task-results",
                attributes: ResultAttributes { status, message },
                relationships: Relationships {
                    outcomes: Outcomes { data: outcomes },
                },
            },
        }
    }

    pub fn status(&self) -> Status {
        self.data.attributes.status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_sample_payload_parses() {
        let body = r#"{"payload_version":1,"stage":"post_plan","access_token":"t",
            "capabilities":{"outcomes":true},"is_speculative":false,
            "plan_json_api_url":"https://app.terraform.io/api/v2/plans/plan-1/json-output",
            "task_result_callback_url":"https://app.terraform.io/api/v2/task-results/x/callback",
            "task_result_id":"taskrs-1","run_id":"run-1","vcs_pull_request_url":null}"#;
        let r: TaskRequest = serde_json::from_str(body).unwrap();
        assert!(r.has_plan() && !r.is_verification());
        assert_eq!(r.access_token.secret(), "t");
    }

    #[test]
    fn a_debug_print_of_a_request_carries_no_token() {
        let body = r#"{"payload_version":1,"stage":"post_plan","access_token":"4v1/s3cr3t",
            "task_result_callback_url":"https://app.terraform.io/cb"}"#;
        let r: TaskRequest = serde_json::from_str(body).unwrap();
        let printed = format!("{r:?}");
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert!(printed.contains("Token(..)"), "{printed}");
    }

    #[test]
    fn the_callback_has_the_documented_shape() {
        let result = TaskResult::new(Status::Failed, "1 finding".into(), Vec::new());
        let v = serde_json::to_value(&result).unwrap();
        assert_eq!(v["data"]["type"], "task-results");
        assert_eq!(v["data"]["attributes"]["status"], "failed");
        assert!(v["data"]["relationships"]["outcomes"]["data"].is_array());
    }
}
