//! The service's log: one JSON object per line on standard error, with the
//! time, the level, the event and its fields. Field values that come from
//! a request are escaped and shortened; the access token, the HMAC key and
//! the plan's contents are never passed here.

use std::io::Write;

/// Writes one event. `fields` are name/value pairs; values are shown as
/// [`display::shown`](cname_preflight::display::shown) prints them.
pub fn event(level: &str, event: &str, fields: &[(&str, &str)]) {
    let mut object = serde_json::Map::new();
    object.insert("time".into(), jiff::Timestamp::now().to_string().into());
    object.insert("level".into(), level.into());
    object.insert("event".into(), event.into());
    for (name, value) in fields {
        object.insert(
            (*name).into(),
            cname_preflight::display::shown(value).into(),
        );
    }
    let line = serde_json::Value::Object(object).to_string();
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

pub fn info(name: &str, fields: &[(&str, &str)]) {
    event("info", name, fields);
}

pub fn warn(name: &str, fields: &[(&str, &str)]) {
    event("warn", name, fields);
}
