//! Route 53 records the plan creates or changes, and what their value
//! refers to.

use serde::Deserialize;

use crate::error::InputError;
use crate::input::address;
use crate::model::{Action, DnsRecord, SourceId};
use crate::source::Source;

use super::config::*;
use super::document::*;

/// A Route 53 record the plan creates or changes, with what its value
/// refers to; None for other actions or a name not known until apply.
pub(super) fn read_record(
    source: &Source,
    id: SourceId,
    rc: &RawChange,
    config: &Config,
) -> Result<Option<DnsRecord>, InputError> {
    #[derive(Deserialize, Default)]
    struct RecordState {
        #[serde(default)]
        name: Option<String>,
    }
    let change: Change = parse(source, rc.change)?;
    let action = read_actions(source, change.actions)?;
    if !matches!(action, Action::Create | Action::Update | Action::Replace(_)) {
        return Ok(None);
    }
    let after: RecordState = parse_or_default(source, change.after)?;
    let Some(name) = after.name else {
        return Ok(None);
    };
    let address = string_of(source, rc.address)?;
    let module_address = rc.module_address.as_deref().unwrap_or("");
    let config_address = format!("{}.{}", rc.kind, resource_name(&address));
    let refers_to = config
        .resources
        .get(&(address::strip_keys(module_address), config_address))
        .map(|refs| {
            refs.record_value
                .iter()
                .filter_map(|r| resource_ref(r))
                .map(|target| address::join(module_address, &target))
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(DnsRecord {
        address,
        span: source.span_of(id, rc.address.get()),
        name,
        refers_to,
    }))
}
