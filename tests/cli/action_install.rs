//! The GitHub Action's installer (`action/install.sh`): it picks the
//! runner's archive from a release served over loopback, checks its digest
//! and unpacks the binary, or builds what has no release.

use super::*;

/// A release served over loopback HTTP, as GitHub serves one: one
/// archive per runner and a `sha256sums.txt`.
struct ReleaseSite {
    url: String,
    server: std::process::Child,
}

impl ReleaseSite {
    fn start(dir: &Path) -> ReleaseSite {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::fs::create_dir_all(dir).unwrap();
        let server = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        ReleaseSite {
            url: format!("http://127.0.0.1:{port}"),
            server,
        }
    }
}

impl Drop for ReleaseSite {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split(' ')
        .next()
        .unwrap()
        .to_string()
}

/// `key=value` lines the installer wrote to `$GITHUB_OUTPUT`.
fn outputs(path: &Path) -> std::collections::HashMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The action's installer as the action runs it (resolve, then install on a
/// cache miss), for each GitHub runner: it picks that runner's archive from
/// a release served over loopback, checks its SHA-256, unpacks the binary
/// and names a cache key of version and target. A tampered archive, a
/// pinned digest that differs, and a version without a release are handled
/// as the README says.
#[test]
fn github_action_installs_the_release_archive_of_each_runner() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (release, action, fakebin, stage) = (
        dir.join("site/v9.9.9"),
        dir.join("action-checkout"),
        dir.join("fakebin"),
        dir.join("stage"),
    );
    for d in [
        &release,
        &action.join("action"),
        &action.join("src"),
        &fakebin,
        &stage,
    ] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::copy("action/install.sh", action.join("action/install.sh")).unwrap();
    std::fs::write(action.join("action/checksums.txt"), "# no pins\n").unwrap();
    std::fs::write(
        action.join("Cargo.toml"),
        "[package]\nname = \"cname-preflight\"\nversion = \"9.9.9\"\n",
    )
    .unwrap();
    std::fs::write(action.join("Cargo.lock"), "").unwrap();
    std::fs::write(action.join("src/main.rs"), "fn main() {}\n").unwrap();
    // A stand-in for cargo that records how it was asked to build.
    std::fs::write(
        fakebin.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$@\" >> {}\n",
            dir.join("cargo-args").display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .args(["+x", fakebin.join("cargo").to_str().unwrap()])
        .status()
        .unwrap();

    let runners = [
        ("Linux", "X64", "x86_64-unknown-linux-musl", "tar.gz"),
        ("Linux", "ARM64", "aarch64-unknown-linux-musl", "tar.gz"),
        ("macOS", "X64", "x86_64-apple-darwin", "tar.gz"),
        ("macOS", "ARM64", "aarch64-apple-darwin", "tar.gz"),
        ("Windows", "X64", "x86_64-pc-windows-msvc", "zip"),
    ];
    // Each archive holds a binary that says which target it was made for.
    let mut sums = String::new();
    for (_, _, target, ext) in runners {
        let exe = if ext == "zip" {
            "cname-preflight.exe"
        } else {
            "cname-preflight"
        };
        std::fs::write(stage.join(exe), format!("#!/bin/sh\necho {target}\n")).unwrap();
        let asset = release.join(format!("cname-preflight-{target}.{ext}"));
        let ok = if ext == "zip" {
            Command::new("zip")
                .arg("-q")
                .arg(&asset)
                .arg(exe)
                .current_dir(&stage)
                .status()
        } else {
            Command::new("tar")
                .arg("-czf")
                .arg(&asset)
                .arg(exe)
                .current_dir(&stage)
                .status()
        };
        assert!(ok.unwrap().success());
        sums.push_str(&format!(
            "{}  cname-preflight-{target}.{ext}\n",
            sha256(&asset)
        ));
    }
    std::fs::write(release.join("sha256sums.txt"), &sums).unwrap();
    let site = ReleaseSite::start(&dir.join("site"));

    let step = |step: &str, runner: (&str, &str), env: &[(&str, &str)], root: &str| {
        let temp = dir.join(format!("{root}-temp"));
        std::fs::create_dir_all(&temp).unwrap();
        let mut command = Command::new("bash");
        command
            .arg(action.join("action/install.sh"))
            .arg(step)
            .env("INSTALL_ROOT", dir.join(root))
            .env("ACTION_PATH", &action)
            .env("RUNNER_OS", runner.0)
            .env("RUNNER_ARCH", runner.1)
            .env("RUNNER_TEMP", &temp)
            .env("GITHUB_OUTPUT", dir.join(format!("{root}-output")))
            .env("RELEASE_BASE_URL", &site.url)
            .env("PATH", format!("{}:/usr/bin:/bin", fakebin.display()))
            .env_remove("INPUT_VERSION");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().unwrap()
    };
    // resolve, then install with what resolve said, as action.yml does.
    let both = |runner: (&str, &str), version: &str, root: &str| {
        let resolved = step("resolve", runner, &[("INPUT_VERSION", version)], root);
        assert!(
            resolved.status.success(),
            "{}",
            String::from_utf8_lossy(&resolved.stdout)
        );
        let said = outputs(&dir.join(format!("{root}-output")));
        let installed = step(
            "install",
            runner,
            &[
                ("VERSION", &said["version"]),
                ("ASSET", &said["asset"]),
                ("MODE", &said["mode"]),
            ],
            root,
        );
        (said, installed)
    };

    for (i, (os, arch, target, ext)) in runners.into_iter().enumerate() {
        // The action's own version (its Cargo.toml) when none is asked for.
        let version = if i % 2 == 0 { "" } else { "v9.9.9" };
        let root = format!("runner-{i}");
        let (said, installed) = both((os, arch), version, &root);
        assert!(
            installed.status.success(),
            "{os}/{arch}: {}{}",
            String::from_utf8_lossy(&installed.stdout),
            String::from_utf8_lossy(&installed.stderr)
        );
        assert_eq!(said["mode"], "release", "{os}/{arch}");
        assert_eq!(said["asset"], format!("cname-preflight-{target}.{ext}"));
        assert_eq!(said["key"], format!("cname-preflight-v9.9.9-{target}"));
        let exe = if ext == "zip" {
            "cname-preflight.exe"
        } else {
            "cname-preflight"
        };
        let binary = dir.join(&root).join("bin").join(exe);
        let ran = Command::new("sh").arg(&binary).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ran.stdout),
            format!("{target}\n"),
            "{os}/{arch}"
        );
        assert!(
            String::from_utf8_lossy(&installed.stdout)
                .contains("checked against the release's sha256sums.txt"),
            "{}",
            String::from_utf8_lossy(&installed.stdout)
        );
    }
    assert!(
        !dir.join("cargo-args").exists(),
        "a released version must not be built"
    );

    // A pin in action/checksums.txt wins over the release's list.
    let linux = ("Linux", "X64");
    std::fs::write(
        action.join("action/checksums.txt"),
        format!(
            "{}  v9.9.9/cname-preflight-x86_64-unknown-linux-musl.tar.gz\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    let (_, pinned) = both(linux, "9.9.9", "pinned");
    assert_eq!(pinned.status.code(), Some(1));
    let log = String::from_utf8_lossy(&pinned.stdout);
    assert!(
        log.contains("::error title=cname-preflight::checksum mismatch"),
        "{log}"
    );
    assert!(log.contains("action/checksums.txt"), "{log}");
    assert!(!dir.join("pinned/bin/cname-preflight").exists());
    std::fs::write(action.join("action/checksums.txt"), "# no pins\n").unwrap();

    // A tampered archive: its digest is no longer the listed one.
    let asset = release.join("cname-preflight-aarch64-apple-darwin.tar.gz");
    std::fs::write(&asset, b"not the archive that was released").unwrap();
    let (_, tampered) = both(("macOS", "ARM64"), "9.9.9", "tampered");
    assert_eq!(tampered.status.code(), Some(1));
    let log = String::from_utf8_lossy(&tampered.stdout);
    assert!(
        log.contains("checksum mismatch for cname-preflight-aarch64-apple-darwin.tar.gz"),
        "{log}"
    );
    assert!(!dir.join("tampered/bin/cname-preflight").exists());

    // An unknown runner, and a version with no release, are built by cargo:
    // the version asked for from crates.io, the action's own from its checkout
    // (keyed by its sources, so a new commit is not served an old build).
    let (said, built) = both(linux, "1.2.3", "crates");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    assert_eq!(said["mode"], "cargo");
    std::fs::write(
        action.join("Cargo.toml"),
        "[package]\nname = \"cname-preflight\"\nversion = \"9.9.10\"\n",
    )
    .unwrap();
    let (said, built) = both(linux, "", "source");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    assert_eq!(said["mode"], "source");
    assert!(
        said["key"].starts_with("cname-preflight-v9.9.10-"),
        "{}",
        said["key"]
    );
    std::fs::write(action.join("src/main.rs"), "fn main() { println!(); }\n").unwrap();
    let (changed, _) = both(linux, "", "source-changed");
    assert_ne!(said["key"], changed["key"], "the key follows the sources");
    let args = std::fs::read_to_string(dir.join("cargo-args")).unwrap();
    let lines: Vec<&str> = args.lines().collect();
    assert!(
        lines[0].contains("install --locked")
            && lines[0].contains("cname-preflight --version 1.2.3"),
        "{args}"
    );
    assert!(
        lines[1].contains(&format!("--path {}", action.display())),
        "{args}"
    );

    // A version that is not a version number is refused before any request.
    let bad = step(
        "resolve",
        linux,
        &[("INPUT_VERSION", "1.0;rm -rf /")],
        "bad",
    );
    assert_eq!(bad.status.code(), Some(1));
    // Nor can one start a workflow command of its own in the error it gets.
    let injected = step(
        "resolve",
        linux,
        &[("INPUT_VERSION", "1.0\n::add-mask::x\r\n::warning::100%")],
        "injected",
    );
    assert_eq!(injected.status.code(), Some(1));
    let log = String::from_utf8_lossy(&injected.stdout);
    let commands: Vec<&str> = log.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), 1, "{log}");
    assert!(
        commands[0].contains("1.0%0A::add-mask::x%0D%0A::warning::100%25"),
        "{log}"
    );
    drop(site);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Hostile class: an archive whose `cname-preflight` is not a regular
/// file. A symlink (here to a file of the runner's) or a directory by that
/// name, even with the archive's digest listed, is refused with a message
/// and installs nothing.
#[test]
fn github_action_installs_only_a_regular_file_from_the_archive() {
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-install-kinds-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let action = dir.join("action-checkout");
    std::fs::create_dir_all(action.join("action")).unwrap();
    std::fs::copy("action/install.sh", action.join("action/install.sh")).unwrap();
    std::fs::write(action.join("action/checksums.txt"), "# no pins\n").unwrap();
    let secret = dir.join("runner-secret");
    std::fs::write(&secret, "the runner's own file\n").unwrap();
    // One release per kind of member named `cname-preflight`.
    let kinds = ["symlink", "directory", "regular"];
    for (i, kind) in kinds.iter().enumerate() {
        let stage = dir.join(format!("stage-{kind}"));
        std::fs::create_dir_all(&stage).unwrap();
        let member = stage.join("cname-preflight");
        match *kind {
            "symlink" => std::os::unix::fs::symlink(&secret, &member).unwrap(),
            "directory" => {
                std::fs::create_dir(&member).unwrap();
                std::fs::write(member.join("x"), "x").unwrap();
            }
            _ => std::fs::write(&member, "#!/bin/sh\necho regular\n").unwrap(),
        }
        let release = dir.join(format!("site/v1.0.{i}"));
        std::fs::create_dir_all(&release).unwrap();
        let asset = release.join("cname-preflight-x86_64-unknown-linux-musl.tar.gz");
        assert!(
            Command::new("tar")
                .arg("-czf")
                .arg(&asset)
                .arg("cname-preflight")
                .current_dir(&stage)
                .status()
                .unwrap()
                .success()
        );
        std::fs::write(
            release.join("sha256sums.txt"),
            format!(
                "{}  cname-preflight-x86_64-unknown-linux-musl.tar.gz\n",
                sha256(&asset)
            ),
        )
        .unwrap();
    }
    let site = ReleaseSite::start(&dir.join("site"));
    for (i, kind) in kinds.iter().enumerate() {
        let root = dir.join(format!("root-{kind}"));
        let out = Command::new("bash")
            .arg(action.join("action/install.sh"))
            .arg("install")
            .env("INSTALL_ROOT", &root)
            .env("ACTION_PATH", &action)
            .env("RUNNER_TEMP", dir.join(format!("temp-{kind}")))
            .env("RELEASE_BASE_URL", &site.url)
            .env("VERSION", format!("1.0.{i}"))
            .env("ASSET", "cname-preflight-x86_64-unknown-linux-musl.tar.gz")
            .env("MODE", "release")
            .output()
            .unwrap();
        let log = String::from_utf8_lossy(&out.stdout);
        let installed = root.join("bin/cname-preflight");
        if *kind == "regular" {
            assert!(out.status.success(), "{log}");
            assert!(std::fs::symlink_metadata(&installed).unwrap().is_file());
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{kind}: {log}");
        assert!(
            log.contains("::error title=cname-preflight::cname-preflight in cname-preflight-x86_64-unknown-linux-musl.tar.gz")
                && log.contains("is not a regular file"),
            "{kind}: {log}"
        );
        assert!(
            std::fs::symlink_metadata(&installed).is_err(),
            "{kind}: something was installed"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "the runner's own file\n"
    );
    drop(site);
    std::fs::remove_dir_all(&dir).unwrap();
}
