//! Report formats read by other tools: JUnit and Checkstyle XML, SARIF,
//! and the warnings every format carries.

use super::*;

#[test]
fn xml_reports_are_well_formed_and_complete() {
    let out = run(&["check", "-f", "junit", "fixtures/plans/certificates.json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("JUnit XML parses");
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 3);
    assert_eq!(suites.attribute("failures"), Some("3"));
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(suites.attribute("tests"), Some(cases.to_string().as_str()));

    let out = run(&[
        "check",
        "-f",
        "checkstyle",
        "fixtures/plans/move-within-change.json",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("Checkstyle XML parses");
    let errors: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0].attribute("source"),
        Some("cname-preflight.move-within-change")
    );
    assert!(
        errors[0]
            .attribute("message")
            .unwrap()
            .contains("depends_on")
    );
}

fn sarif(path: &str) -> serde_json::Value {
    let out = run(&["check", "-f", "sarif", path]);
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

/// SARIF output validates against the SARIF 2.1.0 schema (tests/schemas,
/// from the @microsoft/jest-sarif package), uses repository-relative URIs,
/// and keeps its fingerprints when lines move.
#[test]
fn sarif_is_valid_relative_and_stable() {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/schemas/sarif-2.1.0-rtm.5.json").unwrap(),
    )
    .unwrap();
    // The published rtm.5 schema has a malformed regex (a stray `]`) on the
    // `language` properties of `run` and `toolComponent`, which this tool
    // never writes. Correct it in memory so the schema compiles; every other
    // rule applies unchanged.
    fn fix_language_patterns(value: &mut serde_json::Value) -> usize {
        const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match value {
            serde_json::Value::String(s) if s == BROKEN => {
                *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".to_string();
                1
            }
            serde_json::Value::Object(map) => map.values_mut().map(fix_language_patterns).sum(),
            serde_json::Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
            _ => 0,
        }
    }
    assert_eq!(fix_language_patterns(&mut schema), 2);
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    for plan in [
        "fixtures/plans/duplicate-in-change.json",
        "fixtures/plans/unknown-and-sensitive.json",
        "fixtures/plans/move-within-change.json",
        "fixtures/plans/clean-create.json",
    ] {
        let doc = sarif(plan);
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{plan}: {errors:#?}");
    }
    let doc = sarif("fixtures/plans/move-within-change.json");
    // The validator does reject what the schema forbids.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
    let run = &doc["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "move-within-change");
    let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(uri, "fixtures/plans/move-within-change.json");

    // The same plan, pretty and then minified, at the same path: every line
    // moves, the fingerprints do not.
    let dir = std::env::temp_dir().join(format!("cname-preflight-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.json");
    let text = std::fs::read_to_string("fixtures/plans/duplicate-in-change.json").unwrap();
    let fingerprints = |doc: &serde_json::Value| -> Vec<(String, u64)> {
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["cnamePreflight/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    std::fs::write(&path, &text).unwrap();
    let pretty = fingerprints(&sarif(path.to_str().unwrap()));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
    let minified = fingerprints(&sarif(path.to_str().unwrap()));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(pretty.len(), 3);
    for (p, m) in pretty.iter().zip(&minified) {
        assert_eq!(p.0, m.0, "fingerprint changed");
        assert_ne!(p.1, m.1, "the lines should have moved");
    }
}

/// What was not checked reaches every report meant for people and code
/// scanning, not only standard error and JSON.
#[test]
fn warnings_reach_markdown_and_sarif() {
    let dir = "tests/hostile/mutual-modules";
    let out = run(&["check", "--recursive", "-f", "markdown", dir]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("### Not checked"), "{text}");
    assert!(text.contains("the module calls itself"), "{text}");
    let out = run(&["check", "--recursive", "-f", "sarif", dir]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes.iter().any(|n| n["level"] == "warning"
            && n["message"]["text"]
                .as_str()
                .unwrap()
                .contains("calls itself")),
        "{notes:#?}"
    );
}

/// docs/schema.json is the schema generated from the JSON report's types
/// (`UPDATE_SCHEMA=1 cargo test --test cli json_reports_validate` rewrites it), and
/// every JSON report the tests snapshot, and the sample in docs/formats.md,
/// validates against it.
#[test]
fn json_reports_validate_against_the_published_schema() {
    let generated =
        serde_json::to_string_pretty(&cname_preflight::report::json_schema()).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write("docs/schema.json", &generated).unwrap();
    }
    let published = std::fs::read_to_string("docs/schema.json").unwrap();
    assert!(
        published == generated,
        "docs/schema.json is not the schema of the report types; run UPDATE_SCHEMA=1 cargo test --test cli json_reports_validate"
    );
    let schema: serde_json::Value = serde_json::from_str(&published).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    // Each snapshot case that prints JSON, run again (the snapshots hold
    // trycmd's normalised text, not the bytes).
    let mut checked = 0;
    for entry in std::fs::read_dir("tests/cmd").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let case = std::fs::read_to_string(&path).unwrap();
        let args: Vec<String> = case
            .lines()
            .find_map(|l| l.strip_prefix("args = "))
            .map(|a| serde_json::from_str(a).expect("args is a list of strings"))
            .unwrap_or_default();
        let json = args
            .windows(2)
            .any(|w| (w[0] == "-f" || w[0] == "--format") && w[1] == "json")
            || args.iter().any(|a| a == "--format=json");
        if !json {
            continue;
        }
        let mut command = isolated();
        command.args(&args);
        let stdin = path.with_extension("stdin");
        if stdin.exists() {
            command.stdin(std::fs::File::open(stdin).unwrap());
        }
        let out = command.output().unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} JSON cases found");
    // With AWS and DNS asked (moto would be needed for a real run): the
    // shapes the schema allows for those summaries.
    let mut doc = json(&[
        "check",
        "-f",
        "json",
        "fixtures/plans/duplicate-in-change.json",
    ]);
    doc["summary"]["aws"] = serde_json::json!({
        "asked": true,
        "accounts": [{"account_id": "111111111111", "provider_keys": ["aws"], "distributions": 3, "error": null}],
        "aliases_looked_up": 1, "aliases_not_verified": 0, "other_accounts_checked": true,
        "lookups": [{"alias": "www.example.com", "account_id": "111111111111",
                     "probe_distribution_id": "E1", "query": "*.example.com", "conflicts": 0, "error": null}],
    });
    doc["summary"]["dns"] =
        serde_json::json!({"asked": false, "reason": "failed", "error": "timed out"});
    assert!(validator.is_valid(&doc));
    // And the validator does reject what the schema forbids.
    doc["findings"][0]["severity"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&doc));
}

/// The annotated JSON example in docs/formats.md, without its comments, is
/// a report the published schema accepts.
#[test]
fn json_example_in_the_docs_matches_the_schema() {
    let docs = std::fs::read_to_string("docs/formats.md").unwrap();
    let start = docs.find("```jsonc\n").expect("an annotated example") + 9;
    let end = start + docs[start..].find("\n```").unwrap();
    // Drop `//` comments outside strings.
    let mut text = String::new();
    for line in docs[start..end].lines() {
        let (mut in_string, mut escaped) = (false, false);
        let mut cut = line.len();
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '/' if !in_string && line[i..].starts_with("//") => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        text.push_str(&line[..cut]);
        text.push('\n');
    }
    let example: serde_json::Value = serde_json::from_str(&text).expect("the example is JSON");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/schema.json").unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&example)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// GitLab Code Quality: an array of issues with the fields the
/// merge-request widget reads, severities on GitLab's scale, paths relative
/// to the repository root, and fingerprints that survive moved lines.
#[test]
fn gitlab_code_quality_has_the_fields_gitlab_reads() {
    let out = run(&["check", "-f", "gitlab", "fixtures/plans/certificates.json"]);
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 3);
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                issue[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key}: {issue}"
            );
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap()),
            "{issue}"
        );
        assert_eq!(
            issue["location"]["path"],
            "fixtures/plans/certificates.json"
        );
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() > 1);
    }
    let fingerprints: std::collections::HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), 3, "one fingerprint per finding");
    // The same findings, lines moved: the same fingerprints.
    let plan = std::fs::read_to_string("fixtures/plans/certificates.json").unwrap();
    let dir = std::env::temp_dir().join(format!("cname-preflight-gitlab-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let issues_of = |text: &str| -> Vec<(String, u64)> {
        std::fs::write(dir.join("plan.json"), text).unwrap();
        let out = isolated()
            .args(["check", "--offline", "-f", "gitlab", "plan.json"])
            .current_dir(&dir)
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc.as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["fingerprint"].as_str().unwrap().to_string(),
                    i["location"]["lines"]["begin"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let before = issues_of(&plan);
    let after = issues_of(&format!("\n\n\n{plan}"));
    assert_eq!(before.len(), 3);
    for ((f1, l1), (f2, l2)) in before.iter().zip(&after) {
        assert_eq!(f1, f2);
        assert_eq!(l1 + 3, *l2);
    }
    std::fs::remove_dir_all(&dir).unwrap();
    // A clean plan is an empty array, which GitLab reads as no issues.
    let out = run(&["check", "-f", "gitlab", "fixtures/plans/clean-create.json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

/// A finding keeps its fingerprint whichever directory the tool runs in:
/// SARIF and GitLab both take the file by its path in the repository, so a
/// job with `working-directory` and one at the root agree, and so do the
/// two formats.
#[test]
fn fingerprints_do_not_depend_on_the_working_directory() {
    let fingerprints = |dir: &str, plan: &str| -> (Vec<String>, Vec<String>) {
        let run_in = |format: &str| -> serde_json::Value {
            let out = isolated()
                .args(["check", "--offline", "-f", format, plan])
                .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
                .output()
                .unwrap();
            serde_json::from_slice(&out.stdout).unwrap()
        };
        let sarif = run_in("sarif")["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["cnamePreflight/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let gitlab = run_in("gitlab")
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect();
        (sarif, gitlab)
    };
    let at_root = fingerprints(".", "fixtures/plans/certificates.json");
    let below = fingerprints("fixtures/plans", "./certificates.json");
    assert_eq!(at_root.0.len(), 3);
    assert_eq!(at_root, below);
    assert_eq!(at_root.0, at_root.1, "SARIF and GitLab agree");
}
