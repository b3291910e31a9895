//! Hostile inputs against what the tool writes: report files at paths a
//! pull request prepared (a symlink, a FIFO, a directory, a file with odd
//! mode bits), and output lines a CI runner would read as workflow
//! commands.

use super::*;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-hostile-output-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary in `dir` and kills it after `seconds`: a report written
/// into a FIFO would wait forever for a reader. Its output is read while it
/// runs, so a report larger than a pipe's buffer never stalls it.
fn run_in(dir: &Path, args: &[&str], seconds: u64) -> Output {
    let child = isolated()
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    output_within(
        child,
        seconds,
        &format!("cname-preflight {}", args.join(" ")),
    )
}

/// Hostile class: report files. `-o` and `--report` never write through a
/// symlink (the link is replaced by a regular file, its target untouched),
/// never keep the mode bits of the file they replace, and refuse a FIFO or
/// a directory at once, naming the file; a symlinked directory inside the
/// working directory is not written through either.
#[test]
fn hostile_report_paths_are_replaced_never_followed() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = scratch("files");
    let plan = std::fs::canonicalize("fixtures/plans/certificates.json").unwrap();
    let plan = plan.to_str().unwrap();
    let outside = dir.join("outside");
    std::fs::write(&outside, "precious").unwrap();
    let work = dir.join("work");
    std::fs::create_dir(&work).unwrap();
    std::os::unix::fs::symlink(&outside, work.join("report.json")).unwrap();
    std::fs::write(work.join("report.sarif"), "old").unwrap();
    std::fs::set_permissions(
        work.join("report.sarif"),
        std::fs::Permissions::from_mode(0o4777),
    )
    .unwrap();
    let out = run_in(
        &work,
        &[
            "check",
            "--offline",
            "-o",
            "report.json",
            "-f",
            "json",
            "--report",
            "sarif=report.sarif",
            plan,
        ],
        30,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(&outside).unwrap() == "precious",
        "the symlink's target was written"
    );
    let report = std::fs::symlink_metadata(work.join("report.json")).unwrap();
    assert!(report.is_file(), "the symlink is replaced by a file");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(work.join("report.json")).unwrap()).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 3);
    let mode = std::fs::metadata(work.join("report.sarif")).unwrap().mode() & 0o7777;
    assert_eq!(mode & !0o644, 0, "no mode bit of the old file: {mode:o}");
    let names: Vec<String> = std::fs::read_dir(&work)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");

    // A FIFO, a directory, and a directory that is a symlink: refused,
    // each named, and nothing waits or lands elsewhere.
    assert!(
        Command::new("mkfifo")
            .arg(work.join("fifo.json"))
            .status()
            .unwrap()
            .success()
    );
    std::fs::create_dir(work.join("dir.json")).unwrap();
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, work.join("reports")).unwrap();
    for (target, says) in [
        ("fifo.json", "not a regular file"),
        ("dir.json", "a directory"),
        ("reports/r.json", "`reports` is a symlink"),
    ] {
        let out = run_in(
            &work,
            &[
                "check",
                "--offline",
                "--report",
                &format!("json={target}"),
                plan,
            ],
            20,
        );
        assert_eq!(out.status.code(), Some(1), "{target}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("error: cannot write `{target}`")) && stderr.contains(says),
            "{target}: {stderr}"
        );
    }
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The lines a runner would take as a workflow command: `::` after leading
/// white space, or `##[` anywhere (actions/runner's ActionCommand.cs).
fn commands(text: &str) -> Vec<&str> {
    text.split(['\n', '\r'])
        .filter(|l| l.trim_start().starts_with("::") || l.contains("##["))
        .collect()
}

/// Hostile class: workflow commands in the log. A file named like a
/// command, in a directory named like one, with an alias that wraps so
/// that a command starts a continuation line: no line of the human or
/// compact output, of any other format on standard output, nor of
/// standard error, reads as a workflow command; the github format's lines
/// are its own annotations only, the values escaped inside them; JSON
/// keeps the exact value.
#[test]
fn hostile_values_never_start_a_workflow_command() {
    let dir = scratch("commands");
    let nested = dir.join("::set-env name=X::");
    std::fs::create_dir(&nested).unwrap();
    let alias = format!("X{}` ::error::pwned `b.example.com", "a".repeat(80));
    std::fs::write(
        dir.join("::warning file=x::pwned.tf"),
        format!(
            "resource \"aws_cloudfront_distribution\" \"a\" {{\n  aliases = [\"bad_alias!.example.com\", \"{alias}\", \"x##[add-mask]y.example.com\"]\n}}\n\
             module \"m\" {{\n  source = \"git::https://x.example.com/a.git?ref=v1\\n::error::pwned\"\n}}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        nested.join("::error::broken.tf"),
        "resource \"aws_cloudfront_distribution\" \"b\" {\n  aliases = [\"ok.example.com\"\n",
    )
    .unwrap();
    for format in [
        "human",
        "compact",
        "github",
        "json",
        "sarif",
        "gitlab",
        "junit",
        "checkstyle",
        "markdown",
    ] {
        let out = run_in(
            &dir,
            &["check", "--offline", "-f", format, "--recursive", "."],
            30,
        );
        assert!(matches!(out.status.code(), Some(1 | 2)), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stdout.contains("pwned"), "{format}: {stdout}");
        // A line break in a value of a warning on standard error.
        assert!(stderr.contains("error::pwned"), "{format}: {stderr}");
        assert_eq!(commands(&stderr), Vec::<&str>::new(), "{format}: {stderr}");
        if format == "github" {
            for line in commands(&stdout) {
                assert!(
                    line.starts_with("::error file=") || line.starts_with("::warning title="),
                    "{line}"
                );
            }
            assert!(stdout.contains("file=%3A%3Awarning file=x%3A%3Apwned.tf,"));
        } else {
            assert_eq!(commands(&stdout), Vec::<&str>::new(), "{format}: {stdout}");
        }
        if format == "json" {
            // JSON escapes what it must in its own way: the value is exact.
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(
                doc["claims"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["alias"] == "x##[add-mask]y.example.com"),
                "{stdout}"
            );
        }
        if format == "compact" {
            assert!(
                stdout.starts_with("./::warning file=x::pwned.tf:2:"),
                "{stdout}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
