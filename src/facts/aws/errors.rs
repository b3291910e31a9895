//! What an SDK error means for the user: which operation, which
//! permission, credentials, the network or the service.

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_cloudfront::error::{ProvideErrorMetadata, SdkError};

use crate::error::FetchError;

/// Turns an SDK error into what the user needs to know: which operation,
/// which permission, whether it is credentials, the network or the service.
///
/// `action` names the operation as IAM does (`cloudfront:ListDistributions`),
/// which is also the permission it needs.
pub(crate) fn classify<E>(
    err: SdkError<E, aws_sdk_cloudfront::config::http::HttpResponse>,
    action: &str,
    provider: &str,
) -> FetchError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = chain(&err);
    let (operation, provider) = (action.to_string(), provider.to_string());
    // Credentials fail before a request is sent: the SDK wraps the
    // provider's error, so it is found by walking the sources.
    let credentials = sources(&err).find_map(|e| e.downcast_ref::<CredentialsError>());
    match &err {
        SdkError::TimeoutError(_) => FetchError::Timeout {
            operation,
            provider,
        },
        SdkError::DispatchFailure(d) if d.is_timeout() => FetchError::Timeout {
            operation,
            provider,
        },
        SdkError::DispatchFailure(d) if d.is_io() => FetchError::Unreachable {
            operation,
            provider,
            detail,
        },
        SdkError::ServiceError(s) => {
            let status = s.raw().status().as_u16();
            let code = s.err().code().unwrap_or_default();
            match code {
                "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
                    FetchError::AccessDenied {
                        operation,
                        permission: action.to_string(),
                        provider,
                        detail: s.err().message().unwrap_or(code).to_string(),
                    }
                }
                "InvalidClientTokenId"
                | "ExpiredToken"
                | "ExpiredTokenException"
                | "SignatureDoesNotMatch"
                | "UnrecognizedClientException" => FetchError::Credentials { provider, detail },
                _ if status == 404 && code.is_empty() => FetchError::Unsupported {
                    operation,
                    provider,
                },
                _ => FetchError::Api {
                    operation,
                    provider,
                    detail,
                },
            }
        }
        _ if matches!(credentials, Some(CredentialsError::CredentialsNotLoaded(_))) => {
            FetchError::Credentials {
                provider,
                detail: "none found in the environment, profiles, web identity, container or \
                         instance metadata"
                    .into(),
            }
        }
        _ if credentials.is_some() => FetchError::Credentials { provider, detail },
        _ => FetchError::Api {
            operation,
            provider,
            detail,
        },
    }
}

/// An error and its sources, at most 32 deep.
fn sources<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(err), |e| e.source()).take(32)
}

/// The messages of an error and its sources, without repeats: the SDK's
/// outer layers ("dispatch failure") say little on their own.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    for e in sources(err) {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}
