//! Hostile inputs, reading side: every file the tool opens follows one
//! rule (a regular file inside the repository, after symlinks, never under
//! `.git`, bounded), values from the environment are secrets, walks say
//! when they stop short, `.tofu` files do not hide `.tf` files silently,
//! and counts Terraform refuses are errors. Each test builds its repository
//! in a fresh temporary directory.

use super::*;

/// The token `actions/checkout` keeps in `.git/config`.
const TOKEN: &str = "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic SECRET\n";

const FORMATS: [&str; 8] = [
    "human",
    "compact",
    "json",
    "markdown",
    "sarif",
    "github",
    "junit",
    "checkstyle",
];

/// A fresh repository (a `.git` directory holding the token) with `files`.
fn repository(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-hostile-files-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/config"), TOKEN).unwrap();
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn symlink(target: &str, link: &std::path::Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Both streams of a run, as one text.
fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `check --offline` in `dir` with `args`, in every format, and
/// asserts that `secret` is printed in none and the run fails (exit 1).
fn never_prints(dir: &std::path::Path, args: &[&str], secret: &str, envs: &[(&str, &str)]) {
    for format in FORMATS {
        let out = isolated()
            .current_dir(dir)
            .args(["check", "--offline", "-f", format])
            .args(args)
            .envs(envs.iter().copied())
            .output()
            .unwrap();
        let text = text(&out);
        assert!(!text.contains(secret), "{format} prints {secret}:\n{text}");
        assert_eq!(out.status.code(), Some(1), "{format}:\n{text}");
    }
}

/// Regression: `aliases = [file(".git/config")]` printed the job's token
/// as an `invalid-alias` finding (and the Action posted it on the pull
/// request). A file under `.git`, directly or through a symlink, is an
/// input error naming the file and the rule, and none of its content.
#[test]
fn hostile_git_config_token_is_never_printed() {
    let dir = repository(
        "git-config",
        &[(
            "main.tf",
            "resource \"aws_cloudfront_distribution\" \"a\" {\n  aliases = [file(\".git/config\")]\n}\n\
             resource \"aws_cloudfront_distribution\" \"b\" {\n  aliases = [file(\"${path.module}/linked\")]\n}\n",
        )],
    );
    symlink(".git/config", &dir.join("linked"));
    never_prints(&dir, &["."], "SECRET", &[]);
    let out = isolated()
        .current_dir(&dir)
        .args(["check", "--offline", "."])
        .output()
        .unwrap();
    let text = text(&out);
    assert!(text.contains("input::refused"), "{text}");
    assert!(text.contains(".git/config"), "{text}");
    assert!(text.contains("inside `.git`"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every reader follows the rule: a `terraform.tfvars`, an `.auto.tfvars`,
/// a `.tf` file, a state, `.terraform/environment` and modules.json that are
/// symlinks into `.git` or out of the repository are refused, not parsed
/// (a parse error would quote the file).
#[test]
fn hostile_symlinked_inputs_into_git_or_outside_are_refused() {
    let outside = std::env::temp_dir().join(format!(
        "cname-preflight-hostile-outside-{}.txt",
        std::process::id()
    ));
    std::fs::write(&outside, "OUTSIDE-SECRET = [\n").unwrap();
    let outside = outside.display().to_string();
    let root =
        "resource \"aws_cloudfront_distribution\" \"a\" {\n  aliases = [\"www.example.com\"]\n}\n";
    let cases: &[(&str, &str)] = &[
        ("terraform.tfvars", ".git/config"),
        ("x.auto.tfvars", ".git/config"),
        ("linked.tf", ".git/config"),
        ("terraform.tfstate", ".git/config"),
        (".terraform/environment", "../.git/config"),
        (".terraform/modules/modules.json", "../../.git/config"),
        ("terraform.tfvars", &outside),
        ("linked.tf", &outside),
    ];
    for (n, (link, target)) in cases.iter().enumerate() {
        let dir = repository(&format!("link-{n}"), &[("main.tf", root)]);
        std::fs::create_dir_all(dir.join(".terraform/modules")).unwrap();
        symlink(target, &dir.join(link));
        never_prints(&dir, &["."], "SECRET", &[]);
        let out = isolated()
            .current_dir(&dir)
            .args(["check", "--offline", "."])
            .output()
            .unwrap();
        let text = text(&out);
        assert!(
            text.contains("input::refused"),
            "{link} -> {target}:\n{text}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let _ = std::fs::remove_file(&outside);
}

/// A module `source` or installed `Dir` outside the repository is refused
/// with a message, not followed.
#[test]
fn hostile_module_directories_outside_the_repository_are_not_followed() {
    let dir = repository(
        "module-dir",
        &[
            (
                "stack/main.tf",
                "module \"up\" {\n  source = \"../../../../../../../../../etc\"\n}\n\
                 module \"remote\" {\n  source = \"example/cdn/aws\"\n}\n\
                 module \"git\" {\n  source = \"../.git\"\n}\n",
            ),
            (
                "stack/.terraform/modules/modules.json",
                r#"{"Modules":[{"Key":"remote","Source":"x","Dir":"/usr/share"}]}"#,
            ),
        ],
    );
    let out = isolated()
        .current_dir(&dir)
        .args(["check", "--offline", "stack"])
        .output()
        .unwrap();
    let text = text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("/etc` was not read"), "{text}");
    assert!(text.contains("/usr/share` was not read"), "{text}");
    assert!(text.contains(".git` was not read"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A `.gitignore` the walk would read through a symlink into `.git` is
/// refused, not read.
#[test]
fn hostile_symlinked_gitignore_is_not_read() {
    let dir = repository(
        "gitignore",
        &[(
            "stack/main.tf",
            "resource \"aws_cloudfront_distribution\" \"a\" {\n  aliases = [\"www.example.com\"]\n}\n",
        )],
    );
    symlink("../.git/config", &dir.join("stack/.gitignore"));
    let out = isolated()
        .current_dir(&dir)
        .args(["check", "--offline", "--recursive", "."])
        .output()
        .unwrap();
    let text = text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("stack/.gitignore` was not read"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Paths the user names on the command line may be anywhere outside the
/// repository (a plan in /tmp); inside it, they follow its rule.
#[test]
fn command_line_paths_outside_the_repository_are_the_users_choice() {
    let dir = repository("named", &[]);
    let plan = std::env::temp_dir().join(format!(
        "cname-preflight-hostile-plan-{}.json",
        std::process::id()
    ));
    std::fs::copy("fixtures/plans/clean-create.json", &plan).unwrap();
    let out = isolated()
        .current_dir(&dir)
        .args(["check", "--offline", "-f", "json"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(1), "{}", text(&out));
    symlink(".git/config", &dir.join("plan.json"));
    let out = isolated()
        .current_dir(&dir)
        .args(["check", "--offline", "plan.json"])
        .output()
        .unwrap();
    let text = text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("inside `.git`"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
    let _ = std::fs::remove_file(&plan);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Regression: a `.cname-preflight.hcl` that is a directory or a symlink
/// loop was taken for no config file, and the checks it sets were off
/// without a word. It stops the run (exit 1).
#[test]
fn an_unreadable_config_file_stops_the_run() {
    let root =
        "resource \"aws_cloudfront_distribution\" \"a\" {\n  aliases = [\"www.example.com\"]\n}\n";
    for loop_link in [false, true] {
        let dir = repository(&format!("config-{loop_link}"), &[("main.tf", root)]);
        let config = dir.join(".cname-preflight.hcl");
        if loop_link {
            symlink(".cname-preflight.hcl", &config);
        } else {
            std::fs::create_dir_all(&config).unwrap();
        }
        let out = isolated()
            .current_dir(&dir)
            .args(["check", "--offline", "."])
            .output()
            .unwrap();
        let text = text(&out);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("cannot read the config file"), "{text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// Regression: a value from the environment (`TF_VAR_*`) was printed when
/// its variable was not declared `sensitive`: CI keeps its secrets in the
/// environment and a pull request chooses which variable becomes an alias.
/// Valid or not as a name, a string or an expression, it is printed in no
/// format.
#[test]
fn hostile_environment_values_are_secrets() {
    let dir = repository(
        "tf-var",
        &[(
            "main.tf",
            "variable \"alias\" {}\nvariable \"names\" {\n  type = list(string)\n}\n\
             resource \"aws_cloudfront_distribution\" \"a\" {\n  aliases = [var.alias, \"www.${var.alias}\"]\n}\n\
             resource \"aws_cloudfront_distribution\" \"b\" {\n  aliases = var.names\n}\n",
        )],
    );
    for (alias, names) in [
        ("SECRET.example.com", "[\"SECRET.example.net\"]"),
        ("AUTHORIZATION: basic SECRET", "[SECRET"),
    ] {
        let envs = [("TF_VAR_alias", alias), ("TF_VAR_names", names)];
        for format in FORMATS {
            let out = isolated()
                .current_dir(&dir)
                .args(["check", "--offline", "-f", format, "."])
                .envs(envs)
                .output()
                .unwrap();
            let text = text(&out);
            assert!(!text.contains("SECRET"), "{format} prints it:\n{text}");
        }
        let out = isolated()
            .current_dir(&dir)
            .args(["check", "--offline", "-f", "json", "."])
            .envs(envs)
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let claims = doc["claims"].as_array().unwrap();
        assert!(!claims.is_empty());
        for claim in claims {
            assert_eq!(claim["sensitive"], true, "{claim}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Regression: a `count` or `for_each` written with a value Terraform
/// refuses (a negative or fractional count, a list written out as
/// `for_each`) was an `alias-unknown` warning and the run passed; Terraform
/// fails the plan, so it is an input error pointing at the value.
#[test]
fn counts_and_for_each_terraform_refuses_are_input_errors() {
    for (argument, value, message) in [
        ("count", "-1", "invalid `count` argument: -1"),
        ("count", "2.5", "invalid `count` argument: 2.5"),
        ("for_each", "[\"a\", \"b\"]", "invalid `for_each` argument"),
    ] {
        let main = format!(
            "resource \"aws_cloudfront_distribution\" \"a\" {{\n  {argument} = {value}\n  aliases = [\"www.example.com\"]\n}}\n"
        );
        let dir = repository("refused-count", &[("main.tf", &main)]);
        let out = isolated()
            .current_dir(&dir)
            .args(["check", "--offline", "."])
            .output()
            .unwrap();
        let text = text(&out);
        assert_eq!(out.status.code(), Some(1), "{value}:\n{text}");
        assert!(text.contains(message), "{value}:\n{text}");
        assert!(text.contains("main.tf:2:"), "a span: {text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
    // From a variable, the value may differ where the plan runs: not an error.
    let dir = repository(
        "count-from-variable",
        &[(
            "main.tf",
            "variable \"n\" {\n  default = -1\n}\nresource \"aws_cloudfront_distribution\" \"a\" {\n  count   = var.n\n  aliases = [\"www.example.com\"]\n}\n",
        )],
    );
    let out = isolated()
        .current_dir(&dir)
        .args(["check", "--offline", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The aliases each run claims, and its warnings, as JSON says them.
fn claims_and_warnings(dir: &std::path::Path, args: &[&str]) -> (Vec<String>, Vec<String>) {
    let out = isolated()
        .current_dir(dir)
        .args(["check", "--offline", "-f", "json"])
        .args(args)
        .output()
        .unwrap();
    let doc = doc(&out);
    let strings = |v: &serde_json::Value, key: Option<&str>| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| match key {
                Some(k) => x[k].as_str().unwrap_or("?").to_string(),
                None => x.as_str().unwrap().to_string(),
            })
            .collect()
    };
    (
        strings(&doc["claims"], Some("alias")),
        strings(&doc["warnings"], None),
    )
}

/// A `.tofu` file beside a `.tf` file of the same name: OpenTofu reads the
/// `.tofu` file, Terraform the `.tf` file. Unless the engine is named, the
/// hidden `.tf` file is named in a warning (a pull request cannot hide a
/// `.tf` file from the check without a trace); named, its files are read.
#[test]
fn a_tofu_file_hiding_a_tf_file_is_said_unless_the_engine_is_named() {
    let block = |alias: &str| {
        format!(
            "resource \"aws_cloudfront_distribution\" \"a\" {{\n  aliases = [\"{alias}\"]\n}}\n"
        )
    };
    let dir = repository(
        "tofu",
        &[
            ("main.tf", &block("tf.example.com")),
            ("main.tofu", &block("tofu.example.com")),
        ],
    );
    let (claims, warnings) = claims_and_warnings(&dir, &["."]);
    assert_eq!(claims, ["tofu.example.com"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("`main.tf` was not read: `main.tofu` replaces it"),
        "{warnings:?}"
    );
    assert_eq!(
        claims_and_warnings(&dir, &["--engine", "terraform", "."]),
        (vec!["tf.example.com".to_string()], vec![])
    );
    assert_eq!(
        claims_and_warnings(&dir, &["--engine", "opentofu", "."]),
        (vec!["tofu.example.com".to_string()], vec![])
    );
    std::fs::write(dir.join(".cname-preflight.hcl"), "engine = \"terraform\"\n").unwrap();
    assert_eq!(
        claims_and_warnings(&dir, &["."]),
        (vec!["tf.example.com".to_string()], vec![])
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Regression: a `--recursive` or pre-commit walk that stopped at its depth
/// bound said nothing, and the configuration past it was not checked. It
/// warns; in pre-commit mode, where a silent cut is an unchecked change,
/// it fails (exit 1).
#[test]
fn a_walk_cut_at_its_depth_bound_says_so() {
    let deep = format!("{}main.tf", "d/".repeat(70));
    let dir = repository(
        "deep-walk",
        &[
            (
                "main.tf",
                "resource \"aws_cloudfront_distribution\" \"a\" {\n  aliases = [\"www.example.com\"]\n}\n",
            ),
            (
                &deep,
                "resource \"aws_cloudfront_distribution\" \"b\" {\n  aliases = [\"deep.example.com\"]\n}\n",
            ),
        ],
    );
    let (_, warnings) = claims_and_warnings(&dir, &["--recursive", "."]);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("stopped short") && w.contains("64 directories deep")),
        "{warnings:?}"
    );
    let out = isolated()
        .current_dir(&dir)
        .args(["check", "--pre-commit", "main.tf"])
        .output()
        .unwrap();
    let text = text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("input::walk-bound"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// In plan mode the configuration read to point findings at `.tf` lines
/// (`--config-dir`, by default the current directory) follows the rule
/// too: a `.tf` file that is a symlink into `.git` fails the run.
#[test]
fn hostile_config_dir_of_a_plan_follows_the_rule() {
    let dir = repository("config-dir", &[]);
    std::fs::copy("fixtures/plans/clean-create.json", dir.join("plan.json")).unwrap();
    symlink(".git/config", &dir.join("main.tf"));
    never_prints(&dir, &["plan.json"], "SECRET", &[]);
    std::fs::remove_dir_all(&dir).unwrap();
}
