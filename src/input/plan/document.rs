//! What every part of the plan reader shares: the resource types read, the
//! shape of a resource change, and parsing a borrowed slice of the one
//! buffer into a typed value with an error that points at it.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::InputError;
pub(super) use crate::model::types::{
    CERTIFICATE, CERTIFICATE_VALIDATION, CONNECTION_GROUP, DISTRIBUTION, MULTI_TENANT, RECORD,
    TENANT,
};
use crate::model::{Action, ReplaceOrder};
use crate::source::{Excerpt, Source, byte_offset};

#[derive(Deserialize)]
pub(super) struct RawChange<'a> {
    #[serde(borrow)]
    pub(super) address: &'a RawValue,
    #[serde(borrow, default)]
    pub(super) module_address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) mode: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow)]
    pub(super) kind: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(super) provider_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) deposed: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) change: &'a RawValue,
    #[serde(borrow, default)]
    pub(super) action_reason: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub(super) struct Change<'a> {
    #[serde(borrow)]
    pub(super) actions: &'a RawValue,
    #[serde(borrow, default)]
    pub(super) before: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) after_unknown: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) after_sensitive: Option<&'a RawValue>,
}

/// Turns a serde error in `part` (a slice of the source) into a diagnostic
/// pointing at the byte where parsing stopped.
pub(super) fn json_error(source: &Source, part: &str, e: &serde_json::Error) -> InputError {
    let base = source.offset_of(part);
    let local = byte_offset(part, e.line(), e.column());
    let at = base + local;
    let eof = e.is_eof();
    let (label, hint) = if eof {
        (
            "the file ends here".to_string(),
            "the JSON is cut off: was `terraform show -json` interrupted, or its output truncated?"
                .to_string(),
        )
    } else {
        (
            "here".to_string(),
            "expected the unmodified output of `terraform show -json tfplan`".to_string(),
        )
    };
    let at = if eof {
        source.text.trim_end().len()
    } else {
        at
    };
    // Underline the byte at `at`, or for a file cut off at its last byte
    // (nothing after it) the last character.
    let (at, len) = match source.text.get(..at).and_then(|t| t.chars().next_back()) {
        Some(last) if at == source.text.len() => (at - last.len_utf8(), last.len_utf8()),
        _ if at < source.text.len() => (at, 1),
        _ => (at, 0),
    };
    let detail = e.to_string();
    let detail = match detail.find(" at line ") {
        Some(i) => detail[..i].to_string(),
        None => detail,
    };
    InputError::Json {
        path: source.name.clone(),
        detail,
        hint,
        src: Excerpt::at(source, at, len),
        span: (at, len).into(),
        label,
    }
}

/// Deserializes a slice of the source, pointing errors into the source.
pub(super) fn parse<'a, T: Deserialize<'a>>(
    source: &Source,
    raw: &'a RawValue,
) -> Result<T, InputError> {
    serde_json::from_str(raw.get()).map_err(|e| json_error(source, raw.get(), &e))
}

/// Deserializes an optional slice; absent (or JSON `null`) is the default.
pub(super) fn parse_or_default<'a, T: Deserialize<'a> + Default>(
    source: &Source,
    raw: Option<&'a RawValue>,
) -> Result<T, InputError> {
    raw.map_or_else(|| Ok(T::default()), |raw| parse(source, raw))
}

pub(super) fn string_of(source: &Source, raw: &RawValue) -> Result<String, InputError> {
    parse(source, raw)
}

pub(super) fn shape_error(source: &Source, raw: &str, message: String, help: &str) -> InputError {
    let at = source.offset_of(raw);
    let len = raw.len().min(source.text.len() - at);
    let len = if raw.contains('\n') { 1 } else { len };
    InputError::Shape {
        path: source.name.clone(),
        message,
        help: help.to_string(),
        src: Excerpt::at(source, at, len),
        span: (at, len).into(),
    }
}

pub(super) fn read_actions(source: &Source, raw: &RawValue) -> Result<Action, InputError> {
    let actions: Vec<Cow<str>> = parse(source, raw)?;
    let names: Vec<&str> = actions.iter().map(|a| a.as_ref()).collect();
    Ok(match names.as_slice() {
        ["no-op"] => Action::NoOp,
        ["create"] => Action::Create,
        ["read"] => Action::Read,
        ["update"] => Action::Update,
        ["delete", "create"] => Action::Replace(ReplaceOrder::DestroyBeforeCreate),
        ["create", "delete"] => Action::Replace(ReplaceOrder::CreateBeforeDestroy),
        ["delete"] => Action::Delete,
        ["forget"] => Action::Forget,
        ["create", "forget"] => Action::Create,
        _ => {
            return Err(shape_error(
                source,
                raw.get(),
                format!("unknown change actions {}", raw.get()),
                "this plan uses actions this version of cname-preflight does not know; upgrade it",
            ));
        }
    })
}

pub(super) fn is_true(v: &serde_json::Value) -> bool {
    v.as_bool() == Some(true)
}
