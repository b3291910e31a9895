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
