//! The GitHub Action's check step (`action/run.sh`) as a runner runs it:
//! inputs, outputs, the summary, annotations, SARIF, and what reaches the
//! tool.

use super::*;

/// The action's check step (`action/run.sh`) as the action runs it, with
/// the binary under test, no home directory or config file of this
/// machine's, and no `GITHUB_*` file unless the test gives one.
pub(super) fn action_step() -> Command {
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
/// variables, outputs and summary files given by `GITHUB_*` variables; a
/// symlink at `sarif-file` is replaced by the SARIF, never written through.
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
    // A symlink where the SARIF goes is replaced, its target untouched.
    let _ = std::fs::remove_file(&sarif);
    std::fs::write(dir.join("outside"), "precious").unwrap();
    std::os::unix::fs::symlink(dir.join("outside"), &sarif).unwrap();
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
    assert_eq!(
        std::fs::read_to_string(dir.join("outside")).unwrap(),
        "precious"
    );
    assert!(std::fs::symlink_metadata(&sarif).unwrap().is_file());
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
