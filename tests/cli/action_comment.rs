//! The GitHub Action's pull-request comment (`action/comment.sh`) against
//! a stand-in for GitHub's comments API on loopback.

use super::action_step::action_step;
use super::*;

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

/// Hostile class: a report cut short for GitHub's comment limit. The cut
/// is at the end of a line, so no value's code span is left open and read
/// as Markdown: an image in an alias stays out of the comment.
#[test]
fn github_action_cuts_a_long_comment_at_a_line_end() {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-comment-cut-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("seed.json"), r#"{"7": []}"#).unwrap();
    std::fs::write(
        dir.join("pull_request.json"),
        r#"{"pull_request": {"number": 7}}"#,
    )
    .unwrap();
    // 571 lines of 105 bytes, then a line whose code span holds an image
    // and is still open at byte 60,000, where the comment is cut.
    let mut report = String::from("<!-- cname-preflight comment -->\n");
    while report.len() + 105 <= 59_955 {
        report.push_str(&format!("- `{}`\n", "a".repeat(100)));
    }
    report.push_str(&format!(
        "- `bbbbb ![x](http://t.example/p.png){}`\n",
        "c".repeat(80)
    ));
    assert!(report.len() > 60_000 && report[..60_000].ends_with('c'));
    report.push_str(&"- more\n".repeat(100));
    std::fs::write(dir.join("report.md"), &report).unwrap();
    let api = GithubApi::start(&dir.join("seed.json"));
    let out = Command::new("bash")
        .arg("action/comment.sh")
        .arg(dir.join("report.md"))
        .env("GITHUB_TOKEN", "test-token")
        .env("GITHUB_API_URL", &api.url)
        .env("GITHUB_REPOSITORY", "acme/infra")
        .env("GITHUB_EVENT_PATH", dir.join("pull_request.json"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("commented on pull request #7"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let state = api.state();
    let body = state["comments"]["7"][0]["body"].as_str().unwrap();
    assert!(!body.contains("t.example"), "{}", &body[body.len() - 300..]);
    for line in body.lines() {
        assert_eq!(
            line.matches('`').count() % 2,
            0,
            "an open code span: {line}"
        );
    }
    assert!(body.ends_with("_The report is cut short here; the job summary has all of it._\n"));
    drop(api);
    std::fs::remove_dir_all(&dir).unwrap();
}
