//! Errors that stop the tool from checking an input: unreadable files,
//! input that is not a plan, malformed JSON. Each is a miette diagnostic
//! with a code, a span where there is a source, and a `help` with the fix.
//!
//! Findings about the change itself are not errors; they live in `diag`.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Excerpt;

#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum InputError {
    // The cause is part of the message and not a `source` as well, so a
    // report that prints the chain does not say it twice.
    #[error("cannot read `{path}`: {cause}")]
    #[diagnostic(code("input::unreadable"))]
    Io { path: String, cause: std::io::Error },

    #[error("`{path}` is a binary plan file, not JSON")]
    #[diagnostic(
        code("input::binary-plan"),
        help(
            "convert it first: `terraform show -json {path} > plan.json` \
             (or `tofu show -json ...`), then run `cname-preflight check plan.json`"
        )
    )]
    BinaryPlan { path: String },

    #[error("`{path}` is empty")]
    #[diagnostic(
        code("input::empty"),
        help(
            "write the plan with `terraform show -json tfplan > plan.json`; \
             an empty file usually means that command failed"
        )
    )]
    Empty { path: String },

    #[error("`{path}` is not valid UTF-8")]
    #[diagnostic(
        code("input::encoding"),
        help("save the file as UTF-8 (or UTF-16 with a byte order mark)")
    )]
    Encoding {
        path: String,
        #[source_code]
        src: Excerpt,
        #[label("invalid byte here")]
        span: SourceSpan,
    },

    #[error("`{path}` is not valid UTF-16: {detail}")]
    #[diagnostic(code("input::encoding"))]
    Utf16 { path: String, detail: String },

    #[error("`{path}` is not valid JSON: {detail}")]
    #[diagnostic(code("input::json"), help("{hint}"))]
    Json {
        path: String,
        detail: String,
        hint: String,
        #[source_code]
        src: Excerpt,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
    },

    #[error("`{path}` is not a Terraform plan: {what}")]
    #[diagnostic(code("input::not-a-plan"), help("{help}"))]
    NotAPlan {
        path: String,
        what: String,
        help: String,
        #[source_code]
        src: Excerpt,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
    },

    #[error(
        "`{path}` has plan format version {version}, which this version of cname-preflight does not read"
    )]
    #[diagnostic(
        code("input::format-version"),
        help(
            "cname-preflight reads plan JSON format versions 0.1 to 1.x; \
             upgrade cname-preflight, or produce the plan with a Terraform or OpenTofu \
             release that writes a 1.x format"
        )
    )]
    FormatVersion {
        path: String,
        version: String,
        #[source_code]
        src: Excerpt,
        #[label("format version {version}")]
        span: SourceSpan,
    },

    #[error("`--state {path}` is the state of one root module, and {roots} are checked")]
    #[diagnostic(
        code("input::state"),
        help(
            "check that root module alone with `--state`, or leave `--state` out: each root's own terraform.tfstate is then used"
        )
    )]
    StateForManyRoots { path: String, roots: usize },

    #[error("`{path}` has no Terraform configuration files")]
    #[diagnostic(
        code("input::no-configuration"),
        help(
            "give a module directory with .tf, .tf.json, .tofu or .tofu.json files{recursive_hint}"
        )
    )]
    NoConfiguration {
        path: String,
        recursive_hint: &'static str,
    },

    #[error("`--var {name}=...` sets a variable that no root module checked declares")]
    #[diagnostic(
        code("input::undeclared-variable"),
        help(
            "declare `variable \"{name}\" {{}}` in the root module, or fix the name; Terraform refuses it too"
        )
    )]
    UndeclaredVariable { path: String, name: String },

    #[error("`{path}` was not read: {rule}")]
    #[diagnostic(
        code("input::refused"),
        help(
            "cname-preflight reads only regular files inside the repository being checked \
             (after following symlinks), never under `.git`, so that a change cannot make it \
             print what is outside; keep the file in the repository (a path you name on the \
             command line may be anywhere outside every repository)"
        )
    )]
    Refused { path: String, rule: String },

    #[error("the walk below `{path}` stopped short: {why}")]
    #[diagnostic(
        code("input::walk-bound"),
        help(
            "the directories past the bound were not checked, so the change cannot be judged; \
             run the hook from a smaller directory or move deep trees out of the repository"
        )
    )]
    WalkCut { path: String, why: String },

    #[error("{message}")]
    #[diagnostic(code("input::hcl"))]
    Hcl {
        path: String,
        message: String,
        #[source_code]
        src: Excerpt,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
    },

    #[error("`{path}`: {message}")]
    #[diagnostic(code("input::plan-shape"), help("{help}"))]
    Shape {
        path: String,
        message: String,
        help: String,
        #[source_code]
        src: Excerpt,
        #[label("here")]
        span: SourceSpan,
    },
}

impl InputError {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            InputError::Io { path, .. }
            | InputError::BinaryPlan { path }
            | InputError::Empty { path }
            | InputError::Encoding { path, .. }
            | InputError::Utf16 { path, .. }
            | InputError::Json { path, .. }
            | InputError::NotAPlan { path, .. }
            | InputError::FormatVersion { path, .. }
            | InputError::Shape { path, .. }
            | InputError::Hcl { path, .. }
            | InputError::StateForManyRoots { path, .. }
            | InputError::UndeclaredVariable { path, .. }
            | InputError::Refused { path, .. }
            | InputError::WalkCut { path, .. }
            | InputError::NoConfiguration { path, .. } => path,
        }
    }

    /// The byte offset the error points at, if it has one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            InputError::Encoding { span, .. }
            | InputError::Json { span, .. }
            | InputError::NotAPlan { span, .. }
            | InputError::FormatVersion { span, .. }
            | InputError::Shape { span, .. }
            | InputError::Hcl { span, .. } => Some(span.offset()),
            _ => None,
        }
    }
}

/// Why AWS or DNS could not be asked. Stops the run (exit 1) unless
/// `--on-api-error=warn`, which turns it into `not-verified` findings.
#[derive(Debug, Clone, Error, Diagnostic)]
#[non_exhaustive]
pub enum FetchError {
    #[error("no usable AWS credentials for provider `{provider}`: {detail}")]
    #[diagnostic(
        code("aws::no-credentials"),
        help(
            "provide credentials the standard way (AWS_PROFILE or --profile, AWS_ACCESS_KEY_ID and \
             AWS_SECRET_ACCESS_KEY, SSO, web identity for GitHub OIDC, a container or instance \
             role), or run with --offline to check the plan alone"
        )
    )]
    Credentials { provider: String, detail: String },

    #[error("access denied calling `{operation}` for provider `{provider}`: {detail}")]
    #[diagnostic(
        code("aws::access-denied"),
        help(
            "allow `{permission}` for the identity of provider `{provider}` (the README lists the minimal policy)"
        )
    )]
    AccessDenied {
        operation: String,
        permission: String,
        provider: String,
        detail: String,
    },

    #[error("`{operation}` timed out for provider `{provider}`")]
    #[diagnostic(
        code("aws::timeout"),
        help("raise the limit with --timeout SECONDS, or check the network path to AWS")
    )]
    Timeout { operation: String, provider: String },

    #[error("cannot reach AWS for provider `{provider}` (`{operation}`): {detail}")]
    #[diagnostic(
        code("aws::unreachable"),
        help("check the network, proxies and --endpoint-url")
    )]
    Unreachable {
        operation: String,
        provider: String,
        detail: String,
    },

    #[error("the endpoint does not implement `{operation}` (provider `{provider}`)")]
    #[diagnostic(
        code("aws::unsupported"),
        help("an emulator given with --endpoint-url may lack this operation; real AWS has it")
    )]
    Unsupported { operation: String, provider: String },

    #[error("`{operation}` failed for provider `{provider}`: {detail}")]
    #[diagnostic(code("aws::api"))]
    Api {
        operation: String,
        provider: String,
        detail: String,
    },

    #[error("DNS could not be asked about `{name}`: {resolver}: {detail}")]
    #[diagnostic(
        code("dns::failure"),
        help(
            "check that the resolver answers (or name another with --dns-server HOST[:PORT]); \
             --on-api-error warn reports the names as not-verified instead, --no-dns skips DNS"
        )
    )]
    Dns {
        resolver: String,
        name: String,
        detail: String,
    },
}

impl FetchError {
    /// The same failure without the DNS name it was about (a sensitive
    /// alias, or a name made from one).
    pub fn without_name(self) -> FetchError {
        match self {
            FetchError::Dns {
                resolver, detail, ..
            } => FetchError::Dns {
                resolver,
                name: "(sensitive value)".into(),
                detail,
            },
            other => other,
        }
    }

    /// One line for a `not-verified` finding: what failed and why.
    pub fn reason(&self) -> String {
        use miette::Diagnostic;
        match self.help() {
            Some(help) => format!("{self}; {help}"),
            None => self.to_string(),
        }
    }
}
