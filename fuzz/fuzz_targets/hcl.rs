//! The HCL reader and evaluator on arbitrary text as a root module's
//! `main.tf`: never a panic, and the evaluation limits hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("cname-preflight-fuzz-hcl-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    if std::fs::write(dir.join("main.tf"), data).is_err() {
        return;
    }
    let options = cname_preflight::CheckOptions {
        inputs: vec![dir.display().to_string()],
        ..cname_preflight::CheckOptions::offline()
    };
    let outcome = cname_preflight::check(&options, &mut std::io::empty());
    cname_preflight::report::render_all(&outcome);
});
