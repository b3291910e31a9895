//! The platform snippets under examples/ (shown in docs/ci.md), each run
//! as its platform runs it: the commands of the Atlantis policy check and
//! post-workflow hook, the Spacelift after_plan hook and its plan policy
//! (evaluated with a Rego engine), the env0 custom flow step and the
//! Terragrunt after_hook, with `terraform` and `gh` replaced by stand-ins
//! that serve a fixture plan and record the comment. The HCP Terraform
//! registration is read for the run task resources it must declare.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use yaml_rust2::{Yaml, YamlLoader};

/// A working directory (a repository whose config file says `offline`)
/// and a `PATH` with the real binary as
/// `cname-preflight`, a `terraform` whose `show -json FILE` prints the
/// fixture in `$STUB_PLAN_JSON`, and a `gh` that records its arguments and
/// the body file in `$GH_LOG`.
struct Platform {
    _dir: tempfile::TempDir,
    work: PathBuf,
    path: String,
    gh_log: PathBuf,
}

impl Platform {
    fn new() -> Platform {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        let work = dir.path().join("work");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(work.join(".git")).unwrap();
        // The snippets run as written; the repository's config file keeps
        // them off the network (AWS and DNS are other tests' subject).
        std::fs::write(work.join(".cname-preflight.hcl"), "offline = true\n").unwrap();
        std::os::unix::fs::symlink(super::BIN, bin.join("cname-preflight")).unwrap();
        script(
            &bin.join("terraform"),
            "#!/bin/sh\n[ \"$1\" = show ] && [ \"$2\" = -json ] && [ -e \"$3\" ] && exec cat \"$STUB_PLAN_JSON\"\necho \"terraform stand-in: unexpected $*\" >&2\nexit 9\n",
        );
        script(
            &bin.join("gh"),
            "#!/bin/sh\necho \"$*\" >> \"$GH_LOG\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --body-file ] && cat \"$2\" >> \"$GH_LOG\"; shift; done\n",
        );
        let path = format!("{}:/usr/bin:/bin", bin.display());
        let gh_log = dir.path().join("gh.log");
        Platform {
            _dir: dir,
            work,
            path,
            gh_log,
        }
    }

    /// Runs `command` with `sh -c` in `dir` (relative to the working
    /// directory), the plan being `fixture`, with `env` added.
    fn sh(&self, dir: &str, command: &str, fixture: &str, env: &[(&str, String)]) -> Output {
        let cwd = self.work.join(dir);
        std::fs::create_dir_all(&cwd).unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/plans")
            .join(fixture);
        let mut shell = Command::new("sh");
        shell
            .env("NO_COLOR", "1")
            .env("HOME", "/nonexistent/home")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_PROFILE")
            .env_remove("CNAME_PREFLIGHT_CONFIG");
        shell
            .arg("-c")
            .arg(command)
            .current_dir(&cwd)
            .env("PATH", &self.path)
            .env("STUB_PLAN_JSON", &fixture)
            .env("GH_LOG", &self.gh_log)
            .env("TMPDIR", self.work.parent().unwrap())
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap()
    }
}

fn script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn example(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(path),
    )
    .unwrap()
}

fn yaml(path: &str) -> Yaml {
    YamlLoader::load_from_str(&example(path)).unwrap().remove(0)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn atlantis_policy_check_fails_approvably_on_findings_and_comments_once() {
    let config = yaml("atlantis/repos.yaml");
    let repo = &config["repos"][0];
    assert_eq!(repo["policy_check"].as_bool(), Some(true));
    assert_eq!(repo["custom_policy_check"].as_bool(), Some(true));
    let workflow = repo["workflow"].as_str().unwrap();
    let steps = config["workflows"][workflow]["policy_check"]["steps"]
        .as_vec()
        .unwrap();
    assert_eq!(
        steps[0].as_str(),
        Some("show"),
        "Atlantis writes $SHOWFILE first"
    );
    let step = steps[1]["run"].as_str().unwrap();
    let hook = repo["post_workflow_hooks"][0]["run"].as_str().unwrap();
    let platform = Platform::new();
    let showfile = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/plans")
            .join(name);
        vec![("SHOWFILE", path.display().to_string())]
    };

    // Atlantis reads the output for "fail"; the step itself succeeds, so
    // the failure is a policy failure an owner can approve.
    let conflicting = platform.sh("sites", step, "", &showfile("move-within-change.json"));
    assert!(conflicting.status.success(), "{}", text(&conflicting));
    assert!(
        text(&conflicting).contains("fail"),
        "{}",
        text(&conflicting)
    );
    assert!(text(&conflicting).contains("move-within-change"));
    let clean = platform.sh("network", step, "", &showfile("clean-create.json"));
    assert!(clean.status.success(), "{}", text(&clean));
    assert!(
        !text(&clean).to_lowercase().contains("fail"),
        "{}",
        text(&clean)
    );
    let broken = platform.sh("broken", step, "", &showfile("../../Cargo.toml"));
    assert!(
        !broken.status.success(),
        "a check that could not run fails the step"
    );

    let pull = [
        ("PULL_NUM", "42".to_string()),
        ("BASE_REPO_OWNER", "acme".to_string()),
        ("BASE_REPO_NAME", "infra".to_string()),
    ];
    let hooked = platform.sh(".", hook, "", &pull);
    assert!(hooked.status.success(), "{}", text(&hooked));
    let comment = std::fs::read_to_string(&platform.gh_log).unwrap();
    assert!(
        comment.starts_with("pr comment 42 --repo acme/infra --body-file"),
        "{comment}"
    );
    // The projects with findings and the one that could not be checked;
    // not the clean one.
    assert_eq!(
        comment.matches("<!-- cname-preflight comment -->").count(),
        2,
        "{comment}"
    );
    assert!(comment.contains("app.example.com"), "{comment}");
    assert!(comment.contains("could not be read"), "{comment}");
}

#[test]
fn spacelift_hook_writes_metadata_that_the_plan_policy_denies_on() {
    let config = yaml("spacelift/config.yml");
    let hooks: Vec<&str> = config["stack_defaults"]["after_plan"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    let platform = Platform::new();
    let run = |dir: &str, fixture: &str| -> serde_json::Value {
        std::fs::create_dir_all(platform.work.join(dir)).unwrap();
        std::fs::write(
            platform.work.join(dir).join("spacelift.plan"),
            "binary plan",
        )
        .unwrap();
        for hook in &hooks {
            let out = platform.sh(dir, hook, fixture, &[]);
            assert!(out.status.success(), "`{hook}`: {}", text(&out));
        }
        let metadata = platform
            .work
            .join(dir)
            .join("cname_preflight.custom.spacelift.json");
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(metadata).unwrap()).unwrap();
        assert!(report.is_object(), "Spacelift takes a JSON object");
        report
    };
    let policy = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/spacelift/plan-policy.rego");
    let evaluate = |metadata: Option<serde_json::Value>| -> serde_json::Value {
        let mut custom = serde_json::Map::new();
        if let Some(m) = metadata {
            custom.insert("cname_preflight".into(), m);
        }
        let input = serde_json::json!({"third_party_metadata": {"custom": custom}});
        rego(&policy, &input)
    };

    let denied = evaluate(Some(run("sites", "move-within-change.json")));
    let deny = denied["deny"].as_array().unwrap();
    assert_eq!(deny.len(), 2, "{denied}");
    assert!(deny.iter().all(|d| {
        d.as_str()
            .unwrap()
            .starts_with("cname-preflight: move-within-change")
    }));
    let passed = evaluate(Some(run("network", "clean-create.json")));
    assert_eq!(passed["deny"], serde_json::json!([]), "{passed}");
    let missing = evaluate(None);
    assert_eq!(missing["deny"].as_array().unwrap().len(), 1, "{missing}");

    // A check that cannot run fails the hook, so the run fails.
    std::fs::create_dir_all(platform.work.join("broken")).unwrap();
    std::fs::write(platform.work.join("broken/spacelift.plan.json"), "not json").unwrap();
    let broken = platform.sh("broken", hooks[1], "", &[]);
    assert!(!broken.status.success(), "{}", text(&broken));
}

/// `deny` and `warn` of the Rego policy at `path` for `input`, as sets
/// (sorted lists), from the Rego engine of `regopy` (PyPI).
fn rego(path: &Path, input: &serde_json::Value) -> serde_json::Value {
    let program = r#"
import json, sys, regopy
rego = regopy.Interpreter()
rego.add_module("policy", open(sys.argv[1]).read())
rego.set_input_term(sys.stdin.read())
out = {}
for rule in ("deny", "warn"):
    result = rego.query("x := data.spacelift." + rule)
    if not result.ok():
        sys.exit("query failed: " + str(result))
    out[rule] = sorted(json.loads(str(result))["bindings"]["x"])
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", program])
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "regopy (scripts/test installs it) evaluated the policy: {}",
        text(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn env0_step_after_terraform_plan_fails_the_deployment_on_findings() {
    let flow = yaml("env0/env0.yml");
    let after = flow["deploy"]["steps"]["terraformPlan"]["after"]
        .as_vec()
        .unwrap();
    let step = after[0]["run"].as_str().unwrap();
    let platform = Platform::new();
    let plan = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/plans")
            .join(name);
        vec![("ENV0_TF_PLAN_JSON", path.display().to_string())]
    };
    let conflicting = platform.sh(".", step, "", &plan("move-within-change.json"));
    assert_eq!(conflicting.status.code(), Some(2), "{}", text(&conflicting));
    assert!(text(&conflicting).contains("app.example.com"));
    let clean = platform.sh(".", step, "", &plan("clean-create.json"));
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
}

#[test]
fn terragrunt_after_hook_on_plan_checks_the_units_plan() {
    let source = example("terragrunt/terragrunt.hcl");
    let body: hcl_edit::structure::Body = source.parse().unwrap();
    let terraform = body.get_blocks("terraform").next().unwrap();
    let hook = terraform
        .body
        .get_blocks("after_hook")
        .next()
        .expect("an after_hook");
    let strings = |name: &str| -> Vec<String> {
        let attr = hook.body.get_attribute(name).unwrap();
        let hcl_edit::expr::Expression::Array(items) = &attr.value else {
            panic!("`{name}` is a list")
        };
        items
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(strings("commands"), ["plan"]);
    let execute = strings("execute");
    assert_eq!(execute[..2], ["sh", "-c"]);
    let platform = Platform::new();
    std::fs::create_dir_all(platform.work.join("unit")).unwrap();
    std::fs::write(platform.work.join("unit/tfplan"), "binary plan").unwrap();
    let conflicting = platform.sh("unit", &execute[2], "move-within-change.json", &[]);
    assert_eq!(conflicting.status.code(), Some(2), "{}", text(&conflicting));
    let clean = platform.sh("unit", &execute[2], "clean-create.json", &[]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
}

#[test]
fn hcp_terraform_example_registers_the_run_task_at_post_plan() {
    let source = example("hcp-terraform/main.tf");
    let body: hcl_edit::structure::Body = source.parse().unwrap();
    let resource = |kind: &str| {
        body.get_blocks("resource")
            .find(|b| b.labels.first().map(|l| l.as_str()) == Some(kind))
            .unwrap_or_else(|| panic!("a `{kind}` resource"))
    };
    let task = resource("tfe_organization_run_task");
    for attr in ["organization", "url", "hmac_key", "enabled"] {
        assert!(task.body.get_attribute(attr).is_some(), "`{attr}`");
    }
    let attachment = resource("tfe_workspace_run_task");
    let value = |name: &str| {
        attachment
            .body
            .get_attribute(name)
            .unwrap()
            .value
            .to_string()
    };
    assert_eq!(value("enforcement_level").trim(), "\"mandatory\"");
    assert_eq!(value("stages").trim(), "[\"post_plan\"]");
    assert!(value("task_id").contains("tfe_organization_run_task.cname_preflight.id"));
}

/// docs/ci.md shows each example as it is, so what users copy is what
/// these tests run.
#[test]
fn docs_show_the_examples_as_tested() {
    let guide = std::fs::read_to_string("docs/ci.md").unwrap();
    for file in [
        "atlantis/repos.yaml",
        "spacelift/config.yml",
        "spacelift/plan-policy.rego",
        "env0/env0.yml",
        "terragrunt/terragrunt.hcl",
        "hcp-terraform/main.tf",
    ] {
        assert!(
            guide.contains(&example(file)),
            "docs/ci.md must show examples/{file} as it is"
        );
    }
}
