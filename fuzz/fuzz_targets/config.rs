//! The `.cname-preflight.hcl` parser on arbitrary text: a config or an
//! error with a span, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = cname_preflight::config::parse(".cname-preflight.hcl", text);
    }
});
