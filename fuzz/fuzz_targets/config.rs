//! The `.cname-preflight.hcl` parser on arbitrary text: a config or an
//! error with a span, never a panic.
//!
//! The parser belongs to the binary (the settings side), so the target
//! compiles its file directly.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../src/config.rs"]
mod config;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = config::parse(".cname-preflight.hcl", text);
    }
});
