//! The command line itself: inputs and encodings, exit codes, locations,
//! what offline runs say, and `explain`.

use super::*;

#[test]
fn sensitive_aliases_are_never_printed() {
    let plan = "fixtures/plans/unknown-and-sensitive.json";
    for format in ["human", "json"] {
        let out = run(&["check", "-f", format, plan]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !text.contains("partner-secret"),
            "{format} output leaks: {text}"
        );
        assert!(text.contains("(sensitive value)") || format == "json");
    }
    // The sensitive name is still checked: claimed twice, it is a duplicate.
    let doc = json(&["check", "-f", "json", plan]);
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"duplicate-in-change"), "{codes:?}");
}

/// Claims without their locations, which differ between encodings.
fn claims(path: &str) -> Vec<serde_json::Value> {
    let doc = json(&["check", "-f", "json", path]);
    doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.as_object_mut().unwrap().remove("location");
            c
        })
        .collect()
}

#[test]
fn encodings_give_the_same_claims() {
    let reference = claims("fixtures/plans/format-0.1.json");
    assert_eq!(reference.len(), 1);
    for variant in ["utf8-bom", "utf16le-powershell", "minified"] {
        let path = format!("fixtures/plans/encodings/{variant}.json");
        assert_eq!(claims(&path), reference, "{variant}");
    }
}

#[test]
fn utf16_locations_are_lines_of_the_decoded_text() {
    let pretty = json(&["check", "-f", "json", "fixtures/plans/format-0.1.json"]);
    let utf16 = json(&[
        "check",
        "-f",
        "json",
        "fixtures/plans/encodings/utf16le-powershell.json",
    ]);
    let line = |d: &serde_json::Value| d["claims"][0]["location"]["line"].clone();
    assert_eq!(line(&pretty), line(&utf16));
}

#[test]
fn exit_codes_follow_the_threshold() {
    let plan = "fixtures/plans/too-many-aliases.json";
    let code = |args: &[&str]| run(args).status.code().unwrap();
    assert_eq!(
        code(&["check", plan]),
        0,
        "a warning does not fail by default"
    );
    assert_eq!(
        code(&["check", "--minimum-failure-severity", "warning", plan]),
        2
    );
    assert_eq!(
        code(&["check", "--minimum-failure-severity", "note", plan]),
        2
    );
    assert_eq!(code(&["check", "fixtures/plans/invalid-alias.json"]), 2);
    // Could not do the job beats findings.
    assert_eq!(
        code(&[
            "check",
            "fixtures/plans/invalid-alias.json",
            "fixtures/broken/empty.json"
        ]),
        1
    );
}

#[test]
fn offline_runs_say_aws_was_not_asked() {
    for format in ["human", "json"] {
        let out = run(&[
            "check",
            "--offline",
            "-f",
            format,
            "fixtures/plans/two-accounts.json",
        ]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("AWS was not asked") || text.contains("\"asked\": false"),
            "{text}"
        );
    }
    let doc = json(&[
        "check",
        "-f",
        "json",
        "--offline",
        "fixtures/plans/two-accounts.json",
    ]);
    assert_eq!(doc["summary"]["aws"]["asked"], false);
    assert_eq!(doc["summary"]["aws"]["reason"], "--offline");
    assert_eq!(doc["claims"][0]["alias"], "a.foo.com");
}

#[test]
fn json_locations_point_at_the_alias() {
    let path = "fixtures/plans/encodings/minified.json";
    let doc = json(&["check", "-f", "json", path]);
    let loc = &doc["claims"][0]["location"];
    let text = std::fs::read_to_string(path).unwrap();
    let offset = loc["offset"].as_u64().unwrap() as usize;
    let length = loc["length"].as_u64().unwrap() as usize;
    assert_eq!(&text[offset..offset + length], "\"www.example.com\"");
    assert_eq!(loc["line"], 1);
    assert_eq!(loc["column"].as_u64().unwrap() as usize, offset + 1);
}

/// A minified plan of many megabytes, the alias far into its one line: the
/// report must show a window of that line, not the whole of it.
#[test]
fn huge_minified_plan_shows_a_window() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let template = std::fs::read_to_string("fixtures/plans/invalid-alias.json").unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&template).unwrap();
    let filler: Vec<serde_json::Value> = (0..20_000)
        .map(|i| {
            serde_json::json!({
                "address": format!("aws_s3_object.asset[{i}]"),
                "mode": "managed", "type": "aws_s3_object", "name": "asset", "index": i,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["no-op"], "before": {"key": format!("assets/{i}.js")},
                           "after": {"key": format!("assets/{i}.js")}, "after_unknown": {},
                           "before_sensitive": {}, "after_sensitive": {}}
            })
        })
        .collect();
    let changes = doc["resource_changes"].as_array_mut().unwrap();
    let ours = changes.remove(0);
    changes.extend(filler);
    changes.push(ours);
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("invalid-alias"), "{text}");
    assert!(text.contains("\"WWW.Example.com\""), "{text}");
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters was printed");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `explain CODE` prints the code's page for every code there is, and the
/// page says what it means, why CloudFront refuses it, how to fix it, with
/// an example.
#[test]
fn explain_prints_every_codes_page() {
    let out = run(&["explain", "--list"]);
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    let codes: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(codes.len() >= 12, "{list}");
    for code in codes {
        let out = run(&["explain", code]);
        assert_eq!(out.status.code(), Some(0), "{code}");
        let page = std::fs::read_to_string(format!("docs/codes/{code}.md")).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), page, "{code}");
    }
}

/// Completion scripts for bash, zsh and fish parse in the real shells and
/// know the subcommands and flags.
#[test]
fn completions_parse_in_their_shells() {
    for (shell, check) in [
        ("bash", vec!["bash", "-n"]),
        ("zsh", vec!["zsh", "-n"]),
        ("fish", vec!["fish", "--no-execute"]),
    ] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in [
            "check",
            "explain",
            "minimum-failure-severity",
            "on-api-error",
        ] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
        let file = std::env::temp_dir().join(format!(
            "cname-preflight-completions-{}.{shell}",
            std::process::id()
        ));
        std::fs::write(&file, &script).unwrap();
        let parsed = Command::new(check[0])
            .args(&check[1..])
            .arg(&file)
            .output()
            .unwrap_or_else(|e| panic!("{shell} runs (scripts/test installs it): {e}"));
        std::fs::remove_file(&file).unwrap();
        assert!(
            parsed.status.success(),
            "{shell} cannot parse its completions: {}",
            String::from_utf8_lossy(&parsed.stderr)
        );
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: bash"));
}

/// Manual pages: the tool's lists the subcommands, `man check` has every
/// flag of `check`; an unknown subcommand is an error naming the known ones.
#[test]
fn man_pages_list_subcommands_and_flags() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH cname-preflight 1"), "{page}");
    for word in ["check", "explain", "completions"] {
        assert!(page.contains(word), "the manual page lacks {word}");
    }
    let out = run(&["man", "check"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH cname-preflight-check 1"), "{page}");
    for flag in [
        "minimum\\-failure\\-severity",
        "on\\-api\\-error",
        "dns\\-server",
        "recursive",
    ] {
        assert!(page.contains(flag), "`man check` lacks {flag}");
    }
    let out = run(&["man", "deploy"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("one of: check, move, explain, completions, man")
    );
}

/// `terragrunt run-all show -json` writes one plan document per module, one
/// after the other: each is read as a plan (findings across them too), on
/// standard input or in a file; a document that is not a plan is an error
/// of its own and a cut-off one ends the stream, both with exit 1.
#[test]
fn a_stream_of_plan_documents_is_several_plans() {
    use std::io::Write as _;
    let plan = std::fs::read_to_string("fixtures/plans/clean-create.json").unwrap();
    let stream = format!("{plan}\n{}", plan.trim());
    let mut child = isolated()
        .args(["check", "--offline", "-f", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = doc(&out);
    let inputs = report["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2, "{report}");
    assert_eq!(inputs[0]["document"], 1);
    assert_eq!(inputs[1]["document"], 2);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["code"] == "duplicate-in-change"),
        "{report}"
    );
    // Locations in the second document are lines of the whole stream.
    let lines = plan.lines().count() as u64;
    let mut places = Vec::new();
    for f in findings {
        places.push(f["location"]["line"].as_u64().unwrap());
        for r in f["related"].as_array().unwrap() {
            places.push(r["location"]["line"].as_u64().unwrap());
        }
    }
    assert!(places.iter().any(|&l| l > lines), "{places:?}");
    assert!(places.iter().any(|&l| l <= lines), "{places:?}");

    // A state among the plans, and a stream cut off in its second document.
    let dir = std::env::temp_dir().join(format!("cname-preflight-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state =
        r#"{"format_version":"1.0","terraform_version":"1.9.0","values":{"root_module":{}}}"#;
    std::fs::write(dir.join("mixed.json"), format!("{plan}{state}")).unwrap();
    std::fs::write(
        dir.join("cut.json"),
        format!("{plan}{}", &plan[..plan.len() / 2]),
    )
    .unwrap();
    // Cut off at its last byte, with no line break after it, the error
    // still points at where the file ends.
    let cut = run(&["check", dir.join("cut.json").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&cut.stderr);
    assert!(stderr.contains("the file ends here"), "{stderr}");
    assert!(!stderr.contains("OutOfBounds"), "{stderr}");
    for (file, error) in [
        ("mixed.json", "input::not-a-plan"),
        ("cut.json", "input::json"),
    ] {
        let path = dir.join(file);
        let out = run(&["check", "-f", "json", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let doc = doc(&out);
        assert_eq!(doc["inputs"].as_array().unwrap().len(), 1, "{file}: {doc}");
        assert_eq!(doc["errors"][0]["code"], error, "{file}: {doc}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// tflint's and trivy's habits: `notice` is `note`, `--no-color`, `-q`
/// prints the findings only, and `check` with no path checks `.`.
#[test]
fn cli_habits_of_peer_tools() {
    let plan = "fixtures/plans/too-many-aliases.json";
    let out = run(&["check", "--minimum-failure-severity", "notice", plan]);
    assert_eq!(out.status.code(), Some(2), "a warning reaches `notice`");
    let out = run(&["check", "--no-color", "-q", plan]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("too-many-aliases"), "{stdout}");
    assert!(!stdout.contains("cname-preflight:"), "no summary: {stdout}");
    assert!(!stdout.contains("AWS was not asked"), "{stdout}");
    let out = run(&["check", "--no-color", "--color", "always", plan]);
    assert_eq!(out.status.code(), Some(1), "the two colour flags conflict");
    let out = isolated()
        .args(["check", "--offline"])
        .current_dir("fixtures/tf/sample")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("in module . "), "{stdout}");
    let out = run(&["check", "--minimum-failure-severity", "fatal", plan]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("[possible values: note, warning, error]"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Without `$COLUMNS`, human output wraps at the terminal's own width (a
/// real pseudo-terminal from `script`, sized with `stty`).
#[test]
fn human_output_wraps_at_the_terminal_width() {
    let first_message = |cols: u16| {
        let out = Command::new("script")
            .args([
                "-qec",
                &format!(
                    "stty cols {cols} rows 40; {BIN} check --offline --no-color fixtures/plans/move-within-change.json"
                ),
                "/dev/null",
            ])
            .env_remove("COLUMNS")
            .env("HOME", "/nonexistent/home")
            .output()
            .expect("script (util-linux) runs");
        let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
        let start = text.find('×').expect("a finding");
        text[start..]
            .lines()
            .take_while(|l| !l.contains('╭'))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let narrow = first_message(70);
    assert!(narrow.len() > 1, "{narrow:#?}");
    assert!(
        narrow.iter().all(|l| l.chars().count() <= 70),
        "{narrow:#?}"
    );
    let wide = first_message(200);
    assert_eq!(wide.len(), 1, "{wide:#?}");
}

/// A `duplicate-in-change` is as much one resource's as the other's: an
/// inline ignore at either alias suppresses it.
#[test]
fn an_inline_ignore_of_a_duplicate_works_at_either_alias() {
    let dir =
        std::env::temp_dir().join(format!("cname-preflight-dup-ignore-{}", std::process::id()));
    let resource = |name: &str, comment: bool| {
        format!(
            "resource \"aws_cloudfront_distribution\" \"{name}\" {{\n  aliases = [\n{}    \"www.example.com\",\n  ]\n  viewer_certificate {{\n    iam_certificate_id = \"ASCACKCEVSQ6C2EXAMPLE\"\n  }}\n}}\n",
            if comment {
                "    # cname-preflight:ignore duplicate-in-change the old stack goes in the same release\n"
            } else {
                ""
            }
        )
    };
    for (first, second) in [(true, false), (false, true)] {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("main.tf"),
            resource("a", first) + &resource("b", second),
        )
        .unwrap();
        let out = run(&["check", "-f", "json", dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "comment on a: {first}");
        let findings = findings(&out);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0]["suppressed"]["kind"], "inline",
            "comment on a: {first}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--recursive` skips what `.gitignore` ignores (and hidden directories
/// and `node_modules`), as ripgrep and tflint users expect.
#[test]
fn recursive_honours_gitignore() {
    let dir =
        std::env::temp_dir().join(format!("cname-preflight-gitignore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let stack = "resource \"aws_cloudfront_distribution\" \"site\" {\n  aliases = [\"www.example.com\"]\n  viewer_certificate {\n    iam_certificate_id = \"ASCACKCEVSQ6C2EXAMPLE\"\n  }\n}\n";
    for sub in ["live", "generated/copy", "node_modules/pkg", ".cache/x"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("main.tf"), stack).unwrap();
    }
    let roots = |gitignore: Option<&str>| {
        match gitignore {
            Some(text) => std::fs::write(dir.join(".gitignore"), text).unwrap(),
            None => {
                let _ = std::fs::remove_file(dir.join(".gitignore"));
            }
        }
        let report = json(&["check", "-f", "json", "--recursive", dir.to_str().unwrap()]);
        report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                i["file"]
                    .as_str()
                    .unwrap()
                    .rsplit(std::path::MAIN_SEPARATOR)
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(roots(None), ["copy", "live"]);
    assert_eq!(roots(Some("generated/\n")), ["live"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// While AWS is asked, a progress line (indicatif) shows the step on a
/// terminal's standard error and is cleared before the report; off a
/// terminal, and with `-q`, there is none.
#[test]
fn progress_line_only_on_a_terminal() {
    let command = |extra: &str| {
        format!(
            "{BIN} check --no-dns --endpoint-url http://127.0.0.1:9 --timeout 1 --on-api-error warn {extra} fixtures/plans/clean-create.json"
        )
    };
    let on_terminal = |extra: &str| {
        let out = Command::new("script")
            .args([
                "-qec",
                &format!("stty cols 100 rows 40; {}", command(extra)),
                "/dev/null",
            ])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", "/nonexistent/cname-preflight/config")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/cname-preflight/credentials",
            )
            .env("HOME", "/nonexistent/home")
            .output()
            .expect("script (util-linux) runs");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let shown = on_terminal("");
    let at = shown
        .find("asking AWS")
        .expect("a progress line on the terminal");
    let report = shown.find("cname-preflight:").unwrap();
    assert!(at < report, "{shown}");
    assert!(
        shown[at..report].contains("\u{1b}[2K"),
        "the line is cleared: {shown:?}"
    );
    assert!(!on_terminal("-q").contains("asking AWS"));
    let out = isolated()
        .args(command("").split(' ').skip(1))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("asking AWS"));
}
