//! The GitHub Action's `config-from` input (`action/config-from.sh`), in a
//! real git repository with a base branch and a pull-request branch, the
//! pull request checked out as actions/checkout does (one commit, depth 1).

use super::*;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn commit(dir: &Path, files: &[(&str, &str)], message: &str) -> String {
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

const STACK: &str = "resource \"aws_cloudfront_distribution\" \"a\" {\n  aliases = [\"bad_alias!.example.com\"]\n}\n";

/// A pull request that edits `.cname-preflight.hcl` to turn its own
/// finding into a note is checked with the base branch's file (found from
/// the working directory up, the base commit fetched into the shallow
/// clone); `head` takes the pull request's file, `none` none; a push is
/// checked with the checkout's; `base` with no config file in the base
/// uses the defaults, and a base that cannot be fetched or named stops the
/// step.
#[test]
fn github_action_reads_the_config_file_of_the_base_commit() {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-config-from-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let (origin, work) = (dir.join("origin"), dir.join("work"));
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    let bare = commit(&origin, &[("infra/main.tf", STACK)], "no config yet");
    let base = commit(
        &origin,
        &[(".cname-preflight.hcl", "format = \"compact\"\n")],
        "config",
    );
    git(&origin, &["checkout", "-q", "-b", "pr"]);
    commit(
        &origin,
        &[(
            ".cname-preflight.hcl",
            "severity {\n  invalid-alias = \"note\"\n}\n",
        )],
        "switch the check off",
    );
    // actions/checkout: one commit of the pull request, nothing else.
    std::fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "-q"]);
    let url = format!("file://{}", origin.display());
    git(&work, &["remote", "add", "origin", &url]);
    git(&work, &["fetch", "-q", "--depth=1", "origin", "pr"]);
    git(&work, &["checkout", "-q", "FETCH_HEAD"]);
    assert!(
        Command::new("git")
            .args(["cat-file", "-e", &format!("{base}^{{commit}}")])
            .current_dir(&work)
            .status()
            .unwrap()
            .code()
            != Some(0),
        "the shallow clone lacks the base commit"
    );
    let event = |sha: &str| {
        let path = dir.join(format!("event-{sha}.json"));
        std::fs::write(
            &path,
            serde_json::json!({"pull_request": {"number": 1, "base": {"sha": sha, "ref": "main"}}})
                .to_string(),
        )
        .unwrap();
        path
    };
    let run_sh = std::fs::canonicalize("action/run.sh").unwrap();
    let plain = dir.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::write(plain.join("main.tf"), STACK).unwrap();
    let step_in = |cwd: &Path, from: &str, event_name: &str, base_sha: &str, base_ref: &str| {
        Command::new("bash")
            .arg(&run_sh)
            .current_dir(cwd)
            .env("CNAME_PREFLIGHT_BIN", BIN)
            .env("HOME", "/nonexistent/home")
            .env("NO_COLOR", "1")
            .env_remove("CNAME_PREFLIGHT_CONFIG")
            .env_remove("GITHUB_OUTPUT")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("INPUT_FORMAT")
            .env_remove("INPUT_CONFIG")
            .env("INPUT_ARGS", "--offline")
            .env("INPUT_CONFIG_FROM", from)
            .env("GITHUB_EVENT_NAME", event_name)
            .env("GITHUB_EVENT_PATH", event(base_sha))
            .env("GITHUB_BASE_REF", base_ref)
            .output()
            .unwrap()
    };
    let step = |from: &str, event_name: &str, base_sha: &str, base_ref: &str| {
        step_in(&work.join("infra"), from, event_name, base_sha, base_ref)
    };
    let log = |out: &Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };

    // Unset on a pull request: the base commit's file, compact and failing.
    let out = step("", "pull_request", &base, "main");
    assert_eq!(out.status.code(), Some(2), "{}", log(&out));
    let text = log(&out);
    assert!(
        text.contains("config-from: base: using .cname-preflight.hcl of the base commit"),
        "{text}"
    );
    assert!(
        text.contains("main.tf:2:14: Error - `bad_alias!.example.com`"),
        "{text}"
    );
    // `base` says the same on pull_request_target.
    let out = step("base", "pull_request_target", &base, "main");
    assert_eq!(out.status.code(), Some(2), "{}", log(&out));

    // head: the pull request's own file (the finding is a note).
    let out = step("head", "pull_request", &base, "main");
    assert_eq!(out.status.code(), Some(0), "{}", log(&out));
    // A push has no base: the checkout's file.
    let out = step("", "push", "", "");
    assert_eq!(out.status.code(), Some(0), "{}", log(&out));
    // none: the defaults, human and failing.
    let out = step("none", "pull_request", &base, "main");
    assert_eq!(out.status.code(), Some(2), "{}", log(&out));
    assert!(
        log(&out).contains("× `bad_alias!.example.com`"),
        "{}",
        log(&out)
    );

    // A base with no config file: `base` checks with the defaults, unset
    // takes the pull request's (a new file is a change to review).
    let out = step("base", "pull_request", &bare, "main");
    assert_eq!(out.status.code(), Some(2), "{}", log(&out));
    assert!(
        log(&out).contains("the base commit has no .cname-preflight.hcl"),
        "{}",
        log(&out)
    );
    let out = step("", "pull_request", &bare, "main");
    assert_eq!(out.status.code(), Some(0), "{}", log(&out));

    // No base to read: the step stops, it never falls back to the head's.
    let out = step("base", "push", "", "");
    assert_eq!(out.status.code(), Some(1), "{}", log(&out));
    assert!(
        log(&out).contains("::error title=cname-preflight::config-from: base needs a pull request"),
        "{}",
        log(&out)
    );
    let out = step("", "pull_request", &"0".repeat(40), "main");
    assert_eq!(out.status.code(), Some(1), "{}", log(&out));
    assert!(
        log(&out).contains("cannot fetch the base commit"),
        "{}",
        log(&out)
    );
    // Outside a git checkout (a plan from an artifact) there is no file of
    // the pull request's: unset runs as usual, `base` stops.
    let out = step_in(&plain, "", "pull_request", &base, "main");
    assert_eq!(out.status.code(), Some(2), "{}", log(&out));
    let out = step_in(&plain, "base", "pull_request", &base, "main");
    assert_eq!(out.status.code(), Some(1), "{}", log(&out));
    let out = step("other", "pull_request", &base, "main");
    assert_eq!(out.status.code(), Some(1), "{}", log(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}
