//! Hostile inputs: escaping, masking, bounds on time, memory and reads.

use super::*;

/// Runs `cname-preflight ARGS` under a time limit and an address-space
/// limit, as the hostile-input tests need: a run past either fails the
/// test instead of hanging it or taking the machine down.
fn run_limited(args: &[&str], seconds: u64, memory_mib: u64) -> Output {
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec \"$0\" \"$@\"",
            memory_mib * 1024
        ))
        .arg(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("HOME", "/nonexistent/home")
        .env_remove("CNAME_PREFLIGHT_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sh runs");
    output_within(
        child,
        seconds,
        &format!("cname-preflight {}", args.join(" ")),
    )
}

/// Hostile class: terminal and log injection. Control and bidirectional
/// characters in aliases and addresses (ESC, BEL, CR, NUL, U+202E) reach
/// no text format raw; JSON keeps the exact value, escaped by JSON.
#[test]
fn hostile_control_characters_are_escaped_in_every_text_format() {
    let plan = "tests/hostile/terminal-injection.json";
    for format in [
        "human",
        "compact",
        "github",
        "markdown",
        "junit",
        "checkstyle",
        "sarif",
    ] {
        let out = run_limited(
            &["check", "--offline", "--color", "never", "-f", format, plan],
            30,
            1024,
        );
        assert_eq!(out.status.code(), Some(2), "{format}");
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let raw: Vec<char> = text
                .chars()
                .filter(|&c| c != '\n' && cname_preflight::display::is_unsafe(c))
                .collect();
            assert!(
                raw.is_empty(),
                "{format} {stream} prints {raw:?} raw:\n{text}"
            );
        }
    }
    let out = run_limited(&["check", "--offline", "-f", "json", plan], 30, 1024);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let aliases: Vec<&str> = doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["alias"].as_str())
        .collect();
    assert!(
        aliases.contains(&"evil\u{1b}[2J\u{202e}.example.com"),
        "{aliases:?}"
    );
}

/// Hostile class: output amplification. A 20 MB alias is shown shortened:
/// each format's report of it is at most a few KiB longer than the same
/// report of a short alias (the rules' help SARIF carries is the same in
/// both), and the run stays within time and memory.
#[test]
fn hostile_huge_values_are_shortened() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plan_of = |name: &str, alias: String| {
        let plan = dir.join(name);
        let doc = serde_json::json!({
            "format_version": "1.2",
            "resource_changes": [{
                "address": "aws_cloudfront_distribution.x", "mode": "managed",
                "type": "aws_cloudfront_distribution", "name": "x",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null,
                           "after": {"aliases": [alias]}, "after_unknown": {}}
            }]
        });
        std::fs::write(&plan, serde_json::to_vec(&doc).unwrap()).unwrap();
        plan.to_str().unwrap().to_string()
    };
    // The same finding (invalid-alias: uppercase) for both.
    let huge = plan_of(
        "huge.json",
        format!("A{}.example.com", "a".repeat(20_000_000)),
    );
    let short = plan_of("short.json", "A.example.com".to_string());
    for format in [
        "human",
        "compact",
        "github",
        "markdown",
        "junit",
        "checkstyle",
        "sarif",
    ] {
        let out = run_limited(&["check", "--offline", "-f", format, &huge], 60, 2048);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let baseline = run_limited(&["check", "--offline", "-f", format, &short], 60, 2048);
        assert_eq!(baseline.status.code(), Some(2), "{format}");
        assert!(
            out.stdout.len() < baseline.stdout.len() + 8 * 1024,
            "{format} printed {} bytes for one finding, {} for a short alias",
            out.stdout.len(),
            baseline.stdout.len()
        );
        // 20,000,013 characters, 256 shown.
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("19999757 more"),
            "{format}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile class: unbounded recursion. A certificate validation whose
/// `certificate_arn` names itself (Terraform refuses the cycle; a crafted
/// plan need not) is followed one step, never into a stack overflow.
#[test]
fn hostile_certificate_validation_naming_itself_is_not_followed() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let refs = serde_json::json!({"references": [
        "aws_acm_certificate_validation.v.certificate_arn",
        "aws_acm_certificate_validation.v"
    ]});
    let doc = serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_cloudfront_distribution.x", "mode": "managed",
            "type": "aws_cloudfront_distribution", "name": "x",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null,
                       "after": {"aliases": ["www.example.com"],
                                 "viewer_certificate": [{"acm_certificate_arn": null}]},
                       "after_unknown": {"viewer_certificate": [{"acm_certificate_arn": true}]}}
        }],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_cloudfront_distribution.x", "mode": "managed",
             "type": "aws_cloudfront_distribution", "name": "x", "provider_config_key": "aws",
             "expressions": {"viewer_certificate": [{"acm_certificate_arn": refs}]}},
            {"address": "aws_acm_certificate_validation.v", "mode": "managed",
             "type": "aws_acm_certificate_validation", "name": "v", "provider_config_key": "aws",
             "expressions": {"certificate_arn": refs}}
        ]}}
    });
    let plan = dir.join("plan.json");
    std::fs::write(&plan, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = run_limited(
        &["check", "--offline", "-f", "json", plan.to_str().unwrap()],
        30,
        2048,
    );
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile class: a silent pass. Two modules that call each other were
/// both dropped as "called modules" by `--recursive`, which then checked
/// nothing and passed; now one is a root, the other its child, and the
/// cycle back is named.
#[test]
fn hostile_modules_calling_each_other_are_checked() {
    let out = run_limited(
        &[
            "check",
            "--offline",
            "--recursive",
            "-f",
            "json",
            "tests/hostile/mutual-modules",
        ],
        30,
        1024,
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut aliases: Vec<&str> = doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["alias"].as_str())
        .collect();
    aliases.sort_unstable();
    assert_eq!(aliases, ["a.example.com", "b.example.com"], "{doc:#}");
    let warnings = doc["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("the module calls itself")),
        "{warnings:?}"
    );
}

/// Hostile class: secrets. A sensitive variable (its default, a tfvars
/// file, TF_VAR_, --var), a local and a module output derived from it, and
/// `sensitive()` reach aliases: no format prints them, and JSON marks the
/// claims sensitive.
#[test]
fn hostile_sensitive_values_are_masked_in_every_format() {
    let dir = "tests/hostile/sensitive";
    let runs: [&[&str]; 2] = [&[], &["--var", "secret_domain=topsecret-flag.example.com"]];
    for extra in runs {
        for format in [
            "human",
            "json",
            "compact",
            "github",
            "markdown",
            "junit",
            "checkstyle",
            "sarif",
        ] {
            let mut args = vec!["check", "--offline", "-f", format];
            args.extend_from_slice(extra);
            args.push(dir);
            let out = Command::new(BIN)
                .args(&args)
                .env("NO_COLOR", "1")
                .env("HOME", "/nonexistent/home")
                .env("TF_VAR_secret_domain", "topsecret-env.example.com")
                .env_remove("CNAME_PREFLIGHT_CONFIG")
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !text.contains("topsecret"),
                "{format} {extra:?} leaks:\n{text}"
            );
        }
    }
    let out = Command::new(BIN)
        .args(["check", "--offline", "-f", "json", dir])
        .env("HOME", "/nonexistent/home")
        .env_remove("CNAME_PREFLIGHT_CONFIG")
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for claim in doc["claims"].as_array().unwrap() {
        assert_eq!(claim["sensitive"], true, "{claim}");
        assert_eq!(claim["alias"], serde_json::Value::Null, "{claim}");
    }
}

/// With AWS asked, a sensitive plan alias is not printed in the lookups
/// either, nor in the reason a lookup could not be made.
#[tokio::test(flavor = "multi_thread")]
async fn moto_sensitive_aliases_stay_masked_when_aws_is_asked() {
    let moto = moto::Moto::start();
    let plan = "fixtures/plans/unknown-and-sensitive.json";
    for format in ["json", "human", "markdown"] {
        let out = check_against(&moto, &["--on-api-error", "warn", "-f", format, plan]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("partner-secret"), "{format} leaks:\n{text}");
    }
    let out = check_against(&moto, &["--on-api-error", "warn", "-f", "json", plan]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lookups = doc["summary"]["aws"]["lookups"].as_array().unwrap();
    assert!(
        lookups.iter().any(|l| l["alias"].is_null()),
        "the sensitive alias is looked up, unnamed: {lookups:#?}"
    );
}

/// Hostile class: `file()` reads only the configuration's own files. The
/// system's, the environment's (credentials) and endless devices are
/// refused (input errors, exit 1), the aliases are alias-unknown, and
/// nothing of them is printed.
#[test]
fn hostile_file_reads_stay_inside_the_repository() {
    let out = run_limited(
        &[
            "check",
            "--offline",
            "-f",
            "json",
            "tests/hostile/file-read",
        ],
        30,
        1024,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("root:"), "{text}");
    assert!(!text.contains("PATH="), "{text}");
    // A file the reading rule refuses fails the run, naming the file.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("input::refused").count(), 4, "{stderr}");
    assert!(
        !stderr.contains("root:") && !stderr.contains("PATH="),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 4, "{findings:#?}");
    for f in findings {
        assert_eq!(f["code"], "alias-unknown", "{f}");
        assert!(
            f["help"]
                .as_str()
                .unwrap()
                .contains("outside the repository"),
            "{f}"
        );
    }
}

/// Hostile class: an unbounded evaluator. Huge, negative and fractional
/// counts, doubling strings and lists, a replace() blow-up and a YAML
/// "billion laughs" each end as alias-unknown naming the limit, within
/// seconds and a memory limit, never a panic or an abort. The negative and
/// fractional counts are written out, so Terraform refuses them: they are
/// input errors as well (exit 1).
#[test]
fn hostile_evaluation_is_bounded() {
    let out = run_limited(
        &[
            "check",
            "--offline",
            "-f",
            "json",
            "tests/hostile/eval-limits",
        ],
        60,
        2048,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("invalid `count` argument: -5"), "{stderr}");
    assert!(stderr.contains("invalid `count` argument: 1.5"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let reasons: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["address"].as_str().unwrap(), f["help"].as_str().unwrap()))
        .collect();
    for (address, expected) in [
        ("huge_count", "more than the 10000 instances"),
        ("big_count", "more than the 10000 instances"),
        ("negative_count", "Terraform refuses it"),
        ("fraction_count", "Terraform refuses it"),
        ("doubled_string", "grows past 8 MiB"),
        ("doubled_list", "grows past 8 MiB"),
        ("replace_blowup", "grows past 8 MiB"),
        ("billion_laughs", "grows past 8 MiB"),
    ] {
        assert!(
            reasons
                .iter()
                .any(|(a, h)| a.ends_with(&format!(".{address}")) && h.contains(expected)),
            "{address}: {reasons:#?}"
        );
    }
}

/// Hostile class: deep recursion and work that grows faster than the
/// input: 10,000 chained locals, a module called twice per level 18 levels
/// deep, and 9,000 distributions sharing one alias or adding 27,000 aliases.
#[test]
fn hostile_deep_and_wide_configurations_stay_fast() {
    let base = std::env::temp_dir().join(format!("cname-preflight-wide-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    // A repository: the modules in sibling directories are inside it.
    std::fs::create_dir_all(base.join(".git")).unwrap();
    let write = |dir: &str, text: String| {
        let d = base.join(dir);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("main.tf"), text).unwrap();
        d.to_str().unwrap().to_string()
    };
    let mut chain = String::from("locals {\n  l0 = \"a.example.com\"\n");
    for i in 1..10_000 {
        chain.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    chain.push_str(
        "}\nresource \"aws_cloudfront_distribution\" \"x\" {\n  aliases = [local.l9999]\n}\n",
    );
    let chain = write("chain", chain);
    for i in 0..19 {
        let mut text = String::new();
        if i < 18 {
            text.push_str(&format!(
                "module \"a\" {{\n  source = \"../m{}\"\n}}\nmodule \"b\" {{\n  source = \"../m{}\"\n}}\n",
                i + 1,
                i + 1
            ));
        }
        text.push_str(&format!(
            "resource \"aws_cloudfront_distribution\" \"d\" {{\n  aliases = [\"l{i}.example.com\"]\n}}\n"
        ));
        write(&format!("nest/m{i}"), text);
    }
    let nest = base.join("nest/m0").to_str().unwrap().to_string();
    let shared = write(
        "shared",
        "resource \"aws_cloudfront_distribution\" \"d\" {\n  count   = 9000\n  aliases = [\"shared.example.com\"]\n}\n".into(),
    );
    let distinct = write(
        "distinct",
        "resource \"aws_cloudfront_distribution\" \"d\" {\n  count   = 9000\n  aliases = [\"a${count.index}.example.com\", \"b${count.index}.example.com\", \"c${count.index}.example.com\"]\n}\n".into(),
    );
    for dir in [&chain, &nest, &shared, &distinct] {
        // Each took from 3 s to past a minute (or overflowed the stack).
        let out = run_limited(&["check", "--offline", "-f", "compact", dir], 20, 2048);
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{dir}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.len() < 4096,
            "{dir}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// Hostile class: quadratic time in plan mode. 20,000 distributions that
/// share one alias (52 s before) and 30,000 distinct aliases, in the human
/// format, which names at most a few of the holders.
#[test]
fn hostile_large_plans_are_checked_in_linear_time() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plan = |n: usize, alias: &dyn Fn(usize) -> String| {
        let changes: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                serde_json::json!({
                    "address": format!("aws_cloudfront_distribution.d[{i}]"),
                    "mode": "managed", "type": "aws_cloudfront_distribution", "name": "d",
                    "index": i, "provider_name": "registry.terraform.io/hashicorp/aws",
                    "change": {"actions": ["create"], "before": null,
                               "after": {"aliases": [alias(i)]}, "after_unknown": {}}
                })
            })
            .collect();
        serde_json::json!({"format_version": "1.2", "resource_changes": changes})
    };
    let shared = dir.join("shared.json");
    std::fs::write(
        &shared,
        plan(20_000, &|_| "shared.example.com".into()).to_string(),
    )
    .unwrap();
    let distinct = dir.join("distinct.json");
    std::fs::write(
        &distinct,
        plan(30_000, &|i| format!("a{i}.example.com")).to_string(),
    )
    .unwrap();
    for file in [&shared, &distinct] {
        let out = run_limited(
            &[
                "check",
                "--offline",
                "--color",
                "never",
                file.to_str().unwrap(),
            ],
            20,
            2048,
        );
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.len() < 64 * 1024, "{} bytes", out.stdout.len());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile class: terminal injection through a file name. A `.tf` file
/// whose name holds ESC and U+202E is named escaped in every text format.
#[test]
fn hostile_file_names_are_escaped() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("x\u{1b}[2J\u{202e}.tf"),
        "resource \"aws_cloudfront_distribution\" \"d\" {\n  aliases = [\"WWW.example.com\"]\n}\n",
    )
    .unwrap();
    for format in [
        "human",
        "compact",
        "github",
        "markdown",
        "junit",
        "checkstyle",
        "sarif",
    ] {
        let out = run_limited(
            &[
                "check",
                "--offline",
                "--color",
                "never",
                "-f",
                format,
                dir.to_str().unwrap(),
            ],
            30,
            1024,
        );
        assert_eq!(out.status.code(), Some(2), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && cname_preflight::display::is_unsafe(c)),
            "{format}: {text}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The seed Q&A's wildcard cases against moto, in two accounts: a wildcard
/// alias another account holds gets no wildcard move or keep-serving order
/// (only the disable route and AWS Support), and adding `*.foo.com` while
/// the other account holds `a.foo.com` is the cross-account overlap
/// CloudFront refuses.
#[tokio::test(flavor = "multi_thread")]
async fn moto_wildcards_held_in_another_account() {
    let moto = moto::Moto::start();
    let legacy = moto.config_for_account("222222222222").await;
    let (held_wildcard, _) = moto
        .create_distribution(&legacy, &["*.bar.com", "a.foo.com"], None)
        .await;
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "bar.com", &["*.bar.com", "*.foo.com"])
        .await;
    moto.create_distribution(&ours, &["probe.bar.com"], Some(&cert))
        .await;
    let dir = std::env::temp_dir().join(format!("cname-preflight-wild-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        format!(
            r#"provider "aws" {{
  region = "us-east-1"
}}

provider "aws" {{
  alias  = "legacy"
  region = "us-east-1"
  assume_role {{
    role_arn = "arn:aws:iam::222222222222:role/read"
  }}
}}

resource "aws_cloudfront_distribution" "new" {{
  aliases = ["*.bar.com", "*.foo.com"]
  viewer_certificate {{
    acm_certificate_arn = "{cert}"
    ssl_support_method  = "sni-only"
  }}
}}
"#
        ),
    )
    .unwrap();
    let out = check_against(&moto, &["-f", "json", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    let taken = found
        .iter()
        .find(|f| f["code"] == "alias-taken" && f["alias"] == "*.bar.com")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(taken["holder"]["distribution_id"], held_wildcard.as_str());
    assert_eq!(taken["holder"]["account_id"], "222222222222");
    assert_eq!(taken["fix"]["remedy"], "disable-then-associate");
    let remedies: Vec<&str> = taken["fix"]["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["remedy"].as_str().unwrap())
        .collect();
    assert_eq!(
        remedies,
        ["aws-support"],
        "no wildcard move for a wildcard alias"
    );
    assert!(
        taken["fix"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["command"].as_str())
            .any(|c| c.contains("update-domain-association --domain '*.bar.com'")),
        "{taken}"
    );
    let overlap = found
        .iter()
        .find(|f| f["code"] == "wildcard-overlap" && f["alias"] == "*.foo.com")
        .unwrap_or_else(|| panic!("{found:#?}"));
    // Cross-account wildcard overlaps are allowed since July 2021: a note.
    assert_eq!(overlap["severity"], "note");
    assert_eq!(overlap["holder"]["account_id"], "222222222222");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile class: Markdown injection into the pull-request comment. An
/// alias, a resource address and a file name that each try to close their
/// code span and go on as an image, a link or HTML render as text: parsed
/// as CommonMark with GitHub's tables, the report holds no image, no link
/// and no HTML but its own marker and `<details>`.
#[test]
fn hostile_values_stay_text_in_markdown() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-md-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let payload = "`![p](https://evil.example/p.png)[l](https://evil.example) <img src=x>``";
    let distribution = |name: &str, alias: &str| {
        serde_json::json!({
            "address": format!("aws_cloudfront_distribution.{name}"), "mode": "managed",
            "type": "aws_cloudfront_distribution", "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null,
                       "after": {"aliases": [alias]}, "after_unknown": {}}
        })
    };
    let doc = serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [
            // An invalid alias (its message and help quote it) and the same
            // alias twice (a duplicate names both addresses).
            distribution(&format!("a[\"{payload}\"]"), &format!("x{payload}.example.com")),
            distribution(&format!("b[\"{payload}\"]"), &format!("x{payload}.example.com")),
        ]
    });
    // A file name cannot hold `/`.
    let plan = dir.join("plan`![f](evil.example.png)<img src=x>``.json");
    std::fs::write(&plan, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = run_limited(
        &[
            "check",
            "--offline",
            "-f",
            "markdown",
            plan.to_str().unwrap(),
        ],
        30,
        1024,
    );
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("invalid-alias") && text.contains("duplicate-in-change"),
        "{text}"
    );
    assert!(
        text.contains("evil.example"),
        "the values are shown: {text}"
    );
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let allowed = [
        "<!-- cname-preflight comment -->",
        "<details><summary>How to fix each finding</summary>",
        "</details>",
        "<br>",
    ];
    for event in Parser::new_ext(
        &text,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::Image { .. } | Tag::Link { .. }) => {
                panic!("markup from an input: {event:?}\n{text}")
            }
            Event::Html(html) | Event::InlineHtml(html) => assert!(
                allowed.contains(&html.trim()),
                "HTML from an input: {html:?}\n{text}"
            ),
            _ => {}
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
