//! The plan reader on arbitrary bytes: any encoding, any JSON, never a
//! panic; what it reads then goes through the checks and every report.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = cname_preflight::CheckOptions {
        inputs: vec!["-".into()],
        ..cname_preflight::CheckOptions::offline()
    };
    let outcome = cname_preflight::check(&options, &mut &data[..]);
    cname_preflight::report::render_all(&outcome);
});
