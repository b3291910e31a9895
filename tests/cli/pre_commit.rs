//! The pre-commit hook, run by the real pre-commit.

use super::*;

/// Runs `pre-commit try-repo` of this repository's hooks in a scratch
/// repository that has `committed` files in its first commit and `files`
/// staged on top: the hook sees only the staged ones.
fn pre_commit_try(name: &str, committed: &[(&str, &str)], files: &[(&str, &str)]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-hook-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    if !committed.is_empty() {
        for (path, text) in committed {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        git(&["add", "."]);
        git(&[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "base",
        ]);
    }
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    git(&["add", "."]);
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("pre-commit")
        .args([
            "try-repo",
            root.to_str().unwrap(),
            "cname-preflight-system",
            "--color",
            "never",
        ])
        .current_dir(&dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", dir.join(".pre-commit-home"))
        .env("HOME", "/nonexistent/home")
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit is installed (scripts/test installs it)")
}

const HOOK_CONFLICT: &str = r#"
resource "aws_cloudfront_distribution" "old" {
  aliases = ["www.example.com"]
  viewer_certificate {
    iam_certificate_id = "ASCACKCEVSQ6C2EXAMPLE"
  }
}

resource "aws_cloudfront_distribution" "new" {
  aliases = var.aliases
  viewer_certificate {
    iam_certificate_id = "ASCACKCEVSQ6C2EXAMPLE"
  }
}
"#;

#[test]
fn pre_commit_hook_fails_on_a_conflict_and_passes_a_clean_change() {
    let vars = "variable \"aliases\" {\n  default = [\"www.example.com\"]\n}\n";
    let out = pre_commit_try(
        "conflict",
        &[],
        &[
            ("infra/main.tf", HOOK_CONFLICT),
            ("infra/variables.tf", vars),
            ("README.md", "x\n"),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the hook must fail:\n{stdout}");
    assert!(stdout.contains("duplicate-in-change"), "{stdout}");
    // Repository-relative paths, pointing at the .tf line.
    assert!(stdout.contains("infra/main.tf:3:"), "{stdout}");
    assert!(stdout.contains("infra/main.tf:10:"), "{stdout}");
    assert!(stdout.contains("AWS was not asked"), "{stdout}");

    let clean = HOOK_CONFLICT.replace("[\"www.example.com\"]", "[\"old.example.com\"]");
    let out = pre_commit_try(
        "clean",
        &[],
        &[("infra/main.tf", &clean), ("infra/variables.tf", vars)],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the hook must pass:\n{stdout}");
    assert!(stdout.contains("Passed"), "{stdout}");
}

/// Hostile class: file names read as flags. The hooks' entry ends with
/// `--`, so staged files named `--output=main.tf` and `-o.tf` are checked
/// as files: no report overwrites `main.tf` or lands in `.tf`.
#[test]
fn pre_commit_hook_reads_file_names_that_look_like_flags_as_files() {
    let vars = "variable \"aliases\" {\n  default = [\"www.example.com\"]\n}\n";
    let out = pre_commit_try(
        "flags",
        &[],
        &[
            ("--output=main.tf", HOOK_CONFLICT),
            ("main.tf", vars),
            ("-o.tf", "# a file named like a flag\n"),
        ],
    );
    let dir =
        std::env::temp_dir().join(format!("cname-preflight-hook-flags-{}", std::process::id()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the hook must fail:\n{stdout}");
    assert!(stdout.contains("duplicate-in-change"), "{stdout}");
    assert!(stdout.contains("[--output=main.tf:3:14]"), "{stdout}");
    assert_eq!(std::fs::read_to_string(dir.join("main.tf")).unwrap(), vars);
    assert!(!dir.join(".tf").exists(), "a report was written to `.tf`");
    let manifest = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    assert_eq!(
        manifest
            .matches("entry: cname-preflight check --pre-commit --\n")
            .count(),
        2
    );
}

/// The monorepo fixture, as files of a scratch repository.
fn monorepo() -> Vec<(String, String)> {
    let root = Path::new("fixtures/tf/monorepo");
    [
        "modules/cdn/main.tf",
        "stacks/prod/main.tf",
        "stacks/staging/main.tf",
        "stacks/legacy/main.tf",
    ]
    .iter()
    .map(|p| {
        (
            p.to_string(),
            std::fs::read_to_string(root.join(p)).unwrap(),
        )
    })
    .collect()
}

/// The hook judges a change against the whole repository: a change to one
/// stack finds the duplicate with another stack; a change to the shared
/// module is evaluated through the stacks that call it (no `alias-unknown`
/// for its variables); a change elsewhere does not report what it did not
/// touch.
#[test]
fn pre_commit_hook_reads_the_whole_repository_and_reports_what_a_change_involves() {
    let base = monorepo();
    let committed: Vec<(&str, &str)> = base.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let text = |p: &str| base.iter().find(|(q, _)| q == p).unwrap().1.clone();

    // Only stacks/prod changes (a comment): the duplicate with legacy is found.
    let prod = format!("# the production site\n{}", text("stacks/prod/main.tf"));
    let out = pre_commit_try("prod", &committed, &[("stacks/prod/main.tf", &prod)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the hook must fail:\n{stdout}");
    assert!(stdout.contains("duplicate-in-change"), "{stdout}");
    assert!(stdout.contains("www.example.com"), "{stdout}");
    assert!(stdout.contains("stacks/legacy/main.tf"), "{stdout}");
    assert!(!stdout.contains("alias-unknown"), "{stdout}");

    // Only the shared module changes: evaluated through prod and staging, so
    // its variables have values, and prod's duplicate is found through it.
    let module = format!("{}\n# shared by every stack\n", text("modules/cdn/main.tf"));
    let out = pre_commit_try("module", &committed, &[("modules/cdn/main.tf", &module)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the hook must fail:\n{stdout}");
    assert!(stdout.contains("duplicate-in-change"), "{stdout}");
    assert!(!stdout.contains("alias-unknown"), "{stdout}");

    // Only staging changes: prod's duplicate with legacy is not its doing.
    let staging = format!("# staging\n{}", text("stacks/staging/main.tf"));
    let out = pre_commit_try(
        "staging",
        &committed,
        &[("stacks/staging/main.tf", &staging)],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the hook must pass:\n{stdout}");

    // The same change, while another stack cannot be parsed: the change could
    // not be judged against the whole repository, so the hook does not pass,
    // and says which file it could not read.
    let mut broken = committed.clone();
    broken.retain(|(p, _)| *p != "stacks/legacy/main.tf");
    broken.push((
        "stacks/legacy/main.tf",
        "resource \"aws_cloudfront_distribution\" \"x\" {\n",
    ));
    let out = pre_commit_try(
        "unreadable",
        &broken,
        &[("stacks/staging/main.tf", &staging)],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the hook must fail:\n{stdout}");
    assert!(stdout.contains("stacks/legacy/main.tf"), "{stdout}");
    assert!(!stdout.contains("duplicate-in-change"), "{stdout}");

    // Staging now claims legacy's name: its own finding fails the hook.
    let taken = text("stacks/staging/main.tf").replace("staging.example.com", "www.example.com");
    let out = pre_commit_try(
        "staging-taken",
        &committed,
        &[("stacks/staging/main.tf", &taken)],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the hook must fail:\n{stdout}");
    assert!(stdout.contains("duplicate-in-change"), "{stdout}");
}

#[test]
fn pre_commit_manifest_is_valid() {
    let out = Command::new("pre-commit")
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("pre-commit is installed (scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_hcl_mode_tells_own_distributions_from_holders_with_a_state() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    let (id, _) = moto
        .create_distribution(&conf, &["www.example.com"], None)
        .await;
    let dir =
        std::env::temp_dir().join(format!("cname-preflight-hcl-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_cloudfront_distribution\" \"site\" {\n  aliases = [\"www.example.com\"]\n  viewer_certificate {\n    acm_certificate_arn = \"arn:aws:acm:us-east-1:123456789012:certificate/x\"\n  }\n}\n",
    )
    .unwrap();
    let config = dir.to_str().unwrap();
    let code_of = |out: &Output| {
        findings(out)
            .iter()
            .filter(|f| f["code"] == "alias-taken")
            .map(|f| {
                (
                    f["severity"].as_str().unwrap().to_string(),
                    f["holder"]["distribution_id"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };

    // No state: the holder in this account could be this resource itself.
    let out = check_against(&moto, &["-f", "json", "--on-api-error", "warn", config]);
    assert_eq!(
        code_of(&out),
        vec![("note".to_string(), serde_json::json!(id))]
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A local terraform.tfstate says the holder is this resource: no finding.
    let state = format!(
        r#"{{"version":4,"resources":[{{"mode":"managed","type":"aws_cloudfront_distribution","name":"site","instances":[{{"attributes":{{"id":"{id}","aliases":["www.example.com"]}}}}]}}]}}"#
    );
    std::fs::write(dir.join("terraform.tfstate"), state).unwrap();
    let out = check_against(&moto, &["-f", "json", "--on-api-error", "warn", config]);
    assert_eq!(code_of(&out), vec![]);

    // `--state` naming another distribution: the holder is someone else.
    let other = dir.join("other.json");
    std::fs::write(
        &other,
        r#"{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_cloudfront_distribution.site","mode":"managed","type":"aws_cloudfront_distribution","name":"site","values":{"id":"EOTHER0000001","aliases":[]}}]}}}"#,
    )
    .unwrap();
    let out = check_against(
        &moto,
        &[
            "-f",
            "json",
            "--on-api-error",
            "warn",
            "--state",
            other.to_str().unwrap(),
            config,
        ],
    );
    assert_eq!(
        code_of(&out),
        vec![("error".to_string(), serde_json::json!(id))]
    );
    assert_eq!(out.status.code(), Some(2));
}

/// Run by hand from a subdirectory, the hook still reads the whole
/// repository (`../..` from there, two levels up and not none), and the
/// changed file is placed against the working directory.
#[test]
fn pre_commit_from_a_subdirectory_reads_the_repository() {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-hook-subdir-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in monorepo() {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    let prod = dir.join("stacks/prod");
    let out = isolated()
        .args(["check", "--pre-commit", "-f", "json", "main.tf"])
        .current_dir(&prod)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = doc(&out);
    let roots: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        roots,
        [
            "../../stacks/legacy",
            "../../stacks/prod",
            "../../stacks/staging"
        ]
    );
    assert_eq!(report["findings"][0]["code"], "duplicate-in-change");
    // A change elsewhere, named from here, does not report prod's duplicate.
    let out = isolated()
        .args(["check", "--pre-commit", "../staging/main.tf"])
        .current_dir(&prod)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
