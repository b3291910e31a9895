//! The `cname-preflight` binary: parse arguments, run, print, map the
//! outcome to an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod config;
mod report_file;
mod serve;
mod settings;

use cli::{CheckArgs, Cli, ColorChoice, Command, ExplainArgs, MoveArgs};
use cname_preflight::facts::{AwsFacts, DnsFacts};
use cname_preflight::report::{self, Style};
use cname_preflight::{exit, explain};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(exit::ERROR)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Evaluation is bounded in depth; a large stack keeps deep but bounded
    // recursion (expressions, locals, modules) far from overflowing it.
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || match cli.command {
            Command::Check(args) => run_check(*args),
            Command::Move(args) => run_move(*args),
            Command::Explain(args) => run_explain(args),
            Command::Completions(args) => run_completions(args.shell),
            Command::Man(args) => run_man(args.command.as_deref()),
            Command::Serve(args) => serve::run(*args),
        });
    let code = match worker.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cname-preflight stopped unexpectedly"
            );
            exit::ERROR
        }
    };
    ExitCode::from(code)
}

/// Where output goes, for its colour and width.
enum Stream {
    Stdout,
    Stderr,
    File,
}

/// How human output looks on `stream`: coloured as `--color` says; as wide
/// as `$COLUMNS`, else the terminal, else 100 columns.
fn style(color: ColorChoice, stream: Stream) -> Style {
    let (stream_is_terminal, terminal_width) = match stream {
        Stream::Stdout => (
            std::io::stdout().is_terminal(),
            terminal_size::terminal_size_of(std::io::stdout()),
        ),
        Stream::Stderr => (
            std::io::stderr().is_terminal(),
            terminal_size::terminal_size_of(std::io::stderr()),
        ),
        Stream::File => (false, None),
    };
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .or_else(|| {
            terminal_width
                .map(|(terminal_size::Width(w), _)| usize::from(w))
                .filter(|&w| w >= 40)
        })
        .unwrap_or(100);
    Style {
        color,
        width,
        repo_root: None,
        quiet: false,
        verbose: false,
    }
}

/// The repository: the nearest directory at or above `cwd` that holds
/// `.git`, canonical (as reports compare files with it), and the same
/// directory relative to `cwd` (`.`, `..`, `../..`; the pre-commit hook
/// reads it from there).
fn repository(cwd: &std::path::Path) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let canonical = cwd.canonicalize().ok()?;
    let (up, root) = canonical
        .ancestors()
        .enumerate()
        .find(|(_, dir)| dir.join(".git").exists())?;
    let relative = match up {
        0 => std::path::PathBuf::from("."),
        n => vec![".."; n].join("/").into(),
    };
    Some((root.to_path_buf(), relative))
}

/// A completion script for `shell`, generated from the same definition as
/// `--help`, so it never falls behind the flags.
fn run_completions(shell: clap_complete::Shell) -> u8 {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "cname-preflight", &mut out);
    write_stdout(&out)
}

/// A manual page in roff: the tool's (its subcommands listed), or one
/// subcommand's with all its flags, named as `man` looks them up
/// (`cname-preflight-check(1)`).
fn run_man(subcommand: Option<&str>) -> u8 {
    let command = <Cli as clap::CommandFactory>::command();
    let page = match subcommand {
        None => command,
        Some(name) => match command.find_subcommand(name).filter(|_| name != "help") {
            Some(sub) => sub.clone().name(format!("cname-preflight-{name}")),
            None => {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(|c| c.get_name())
                    .filter(|n| *n != "help")
                    .collect();
                let line = format!(
                    "error: no subcommand `{}`; one of: {}",
                    cname_preflight::display::shown(name),
                    names.join(", ")
                );
                let _ = writeln!(
                    std::io::stderr(),
                    "{}",
                    cname_preflight::display::inert(&line)
                );
                return exit::ERROR;
            }
        },
    };
    let mut out = Vec::new();
    match clap_mangen::Man::new(page).render(&mut out) {
        Ok(()) => write_stdout(&out),
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot render the manual page: {e}"
            );
            exit::ERROR
        }
    }
}

/// Writes generated text to standard output; a closed pipe or full disk is
/// an error, said once.
fn write_stdout(bytes: &[u8]) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => exit::CLEAN,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::CLEAN,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot write to standard output: {e}"
            );
            exit::ERROR
        }
    }
}

/// The progress line on a terminal's standard error (indicatif: a
/// spinner and the step, redrawn in place); an empty message clears it.
fn progress(message: &str) {
    static LINE: std::sync::Mutex<Option<indicatif::ProgressBar>> = std::sync::Mutex::new(None);
    let Ok(mut line) = LINE.lock() else { return };
    if message.is_empty() {
        if let Some(bar) = line.take() {
            bar.finish_and_clear();
        }
        return;
    }
    let bar = line.get_or_insert_with(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let message = cname_preflight::display::clean(message);
    bar.set_message(cname_preflight::display::inert(&message).into_owned());
}

/// The config file, if one is found; an unreadable or invalid one stops
/// the run.
fn load_config(
    args: &CheckArgs,
    cwd: &std::path::Path,
) -> Result<Option<config::Config>, config::ConfigError> {
    let variable = std::env::var_os("CNAME_PREFLIGHT_CONFIG")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from);
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    match config::discover(
        args.config.as_deref(),
        variable.as_deref(),
        cwd,
        home.as_deref(),
    )? {
        Some(path) => config::load(&path).map(Some),
        None => Ok(None),
    }
}

/// The config file as [`load_config`] finds it; an error is printed on
/// standard error with `style`, and the run's exit code returned.
fn config_or_exit(
    args: &CheckArgs,
    cwd: &std::path::Path,
    err_style: &Style,
) -> Result<Option<config::Config>, u8> {
    load_config(args, cwd).map_err(|e| {
        let _ = write!(std::io::stderr(), "{}", report::render_error(&e, err_style));
        exit::ERROR
    })
}

fn run_check(args: CheckArgs) -> u8 {
    let err_style = style(args.color(), Stream::Stderr);
    let cwd = std::env::current_dir().unwrap_or_default();
    let config = match config_or_exit(&args, &cwd, &err_style) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // Reports give paths relative to the repository root where they need
    // it (SARIF, GitLab); the pre-commit hook reads the repository whole.
    let (root, relative_root) = repository(&cwd).unzip();
    let environment = settings::Environment {
        tf_vars: std::env::vars()
            .filter_map(|(k, v)| Some((k.strip_prefix("TF_VAR_")?.to_string(), v)))
            .collect(),
        workspace: std::env::var("TF_WORKSPACE").ok().filter(|w| !w.is_empty()),
        cwd_has_configuration: std::fs::read_dir(".").is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(cname_preflight::input::is_config_file)
            })
        }),
        today: settings::today(),
        progress: (std::io::stderr().is_terminal() && !args.quiet).then_some(progress as fn(&str)),
        repo_root: relative_root,
        cwd,
    };
    let settings::Settings { options, format } =
        settings::resolve(&args, config.as_ref(), &environment);
    let outcome = cname_preflight::check(&options, &mut std::io::stdin().lock());

    let mut stderr = std::io::stderr().lock();
    for e in &outcome.inputs.errors {
        let _ = write!(stderr, "{}", report::render_error(e, &err_style));
    }
    if let AwsFacts::Failed(e) = &outcome.facts.aws {
        let _ = write!(stderr, "{}", report::render_error(e, &err_style));
    }
    if let DnsFacts::Failed(e) = &outcome.facts.dns {
        let _ = write!(stderr, "{}", report::render_error(e, &err_style));
    }
    // A warning, note or error line is one line: a line break in it comes
    // from a value.
    use cname_preflight::display::{escaped, inert};
    if !args.quiet {
        for warning in &outcome.inputs.warnings {
            let _ = writeln!(
                stderr,
                "{}",
                inert(&format!("warning: {}", escaped(warning)))
            );
        }
    }
    if args.verbose {
        for note in &outcome.inputs.notes {
            let _ = writeln!(stderr, "{}", inert(&format!("note: {}", escaped(note))));
        }
    }
    for ignore in &outcome.expired_ignores {
        let line = format!(
            "warning: the ignore rule for `{}` expired on {} and no longer applies ({})",
            escaped(&ignore.alias),
            escaped(ignore.expires.as_deref().unwrap_or_default()),
            escaped(&ignore.reason)
        );
        let _ = writeln!(stderr, "{}", inert(&line));
    }

    // Every report renders the same outcome: AWS is asked once.
    let mut failed = false;
    // Files are written beside the target and renamed into place, never
    // through a symlink or into a FIFO the checkout holds (report_file).
    let inside: Vec<&std::path::Path> = std::iter::once(environment.cwd.as_path())
        .chain(root.as_deref())
        .collect();
    let to_file = |format, path: &std::path::Path| -> std::io::Result<()> {
        let file_style = Style {
            repo_root: root.clone(),
            verbose: args.verbose,
            ..style(ColorChoice::Never, Stream::File)
        };
        report_file::write(path, &inside, |out| {
            out.write_all(&rendered(format, file_style, &outcome)?)
        })
    };
    let mut cannot_write = |path: &std::path::Path, e: std::io::Error| {
        let line = format!(
            "error: cannot write `{}`: {}",
            escaped(&path.to_string_lossy()),
            escaped(&e.to_string())
        );
        let _ = writeln!(stderr, "{}", inert(&line));
    };
    for (format, path) in &args.report {
        if let Err(e) = to_file(*format, path) {
            cannot_write(path, e);
            failed = true;
        }
    }
    match &args.output {
        Some(path) => {
            if let Err(e) = to_file(format, path) {
                cannot_write(path, e);
                failed = true;
            }
        }
        None => {
            let out_style = Style {
                repo_root: root.clone(),
                quiet: args.quiet,
                verbose: args.verbose,
                ..style(args.color(), Stream::Stdout)
            };
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = rendered(format, out_style, &outcome)
                .and_then(|report| stdout.write_all(&report))
                .and_then(|()| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                let _ = writeln!(stderr, "error: cannot write the report: {e}");
                failed = true;
            }
        }
    }
    if failed {
        return exit::ERROR;
    }
    match outcome.exit_code() {
        exit::FINDINGS if args.force => exit::CLEAN,
        code => code,
    }
}

/// `move`: the check's settings from the shared flags, the plan printed as
/// soon as it is made, each call before it is made and after, a progress
/// bar while waiting (on a terminal only), and the outcome.
fn run_move(args: MoveArgs) -> u8 {
    use cname_preflight::display::inert;
    use cname_preflight::mover;
    let cwd = std::env::current_dir().unwrap_or_default();
    let as_check = CheckArgs {
        inputs: args.plans.clone(),
        recursive: false,
        config_args: args.config_args.clone(),
        verbose: false,
        ask: args.ask.clone(),
        pre_commit: false,
        aws: args.aws.clone(),
        format: None,
        output: None,
        report: Vec::new(),
        minimum_failure_severity: None,
        config: args.config.clone(),
        force: false,
        color: args.color,
        no_color: false,
        quiet: false,
    };
    let err_style = style(args.color, Stream::Stderr);
    let config = match config_or_exit(&as_check, &cwd, &err_style) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let terminal = std::io::stderr().is_terminal();
    let environment = settings::Environment {
        tf_vars: std::env::vars()
            .filter_map(|(k, v)| Some((k.strip_prefix("TF_VAR_")?.to_string(), v)))
            .collect(),
        workspace: std::env::var("TF_WORKSPACE").ok().filter(|w| !w.is_empty()),
        cwd_has_configuration: false,
        today: settings::today(),
        progress: terminal.then_some(progress as fn(&str)),
        repo_root: None,
        cwd,
    };
    let settings::Settings { options, .. } =
        settings::resolve(&as_check, config.as_ref(), &environment);
    let json = args.format.as_deref() == Some("json");
    let options = mover::MoveOptions {
        alias: args.alias.clone(),
        to: args.to.clone(),
        check: options,
        yes: args.yes,
        disable_source: args.disable_source,
        wait: std::time::Duration::from_secs(args.wait.max(1)),
    };
    // Human output goes to standard output in the order it happens; with
    // `-f json` the lines go to standard error and the document to
    // standard output.
    let mut say = |line: &str| {
        let line = inert(&cname_preflight::display::clean(line)).into_owned();
        if json {
            let _ = writeln!(std::io::stderr(), "{line}");
        } else {
            let _ = writeln!(std::io::stdout(), "{line}");
        }
    };
    let mut bar: Option<indicatif::ProgressBar> = None;
    let mut waiting = |message: &str, elapsed: std::time::Duration, bound: std::time::Duration| {
        if !terminal {
            return;
        }
        if message.is_empty() {
            if let Some(b) = bar.take() {
                b.finish_and_clear();
            }
            return;
        }
        let b = bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::new(bound.as_secs().max(1));
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} s")
            {
                b.set_style(style);
            }
            b.enable_steady_tick(std::time::Duration::from_millis(200));
            b
        });
        b.set_position(elapsed.as_secs());
        let message = cname_preflight::display::clean(message);
        b.set_message(inert(&message).into_owned());
    };
    let mut on_plan = |plan: &mover::plan::MovePlan| {
        if !json {
            let _ = write!(std::io::stdout(), "{}", inert(&mover::human::plan(plan)));
        }
    };
    let mut sink = mover::execute::Sink {
        say: &mut say,
        progress: &mut waiting,
    };
    let report = mover::run(
        &options,
        &mut std::io::stdin().lock(),
        &mut on_plan,
        &mut sink,
    );
    if json {
        let text =
            serde_json::to_string_pretty(&mover::json::document(&report)).unwrap_or_default();
        let text = cname_preflight::display::inert_as(&text, "\\u003a", "\\u0023");
        let _ = writeln!(std::io::stdout(), "{text}");
    } else {
        let text = mover::human::outcome(&report);
        let text = inert(&text);
        if report.exit_code() == exit::ERROR {
            let _ = write!(std::io::stderr(), "{text}");
        } else {
            let _ = write!(std::io::stdout(), "{text}");
        }
    }
    report.exit_code()
}

/// The report in `format`, with no line a CI runner would read as a
/// workflow command (`display::inert`), each format keeping its own
/// escapes so values stay exact; the `github` format is nothing but such
/// commands, its values escaped inside them.
fn rendered(
    format: report::Format,
    style: Style,
    outcome: &cname_preflight::Outcome,
) -> std::io::Result<Vec<u8>> {
    use report::Format;
    let mut out = Vec::new();
    report::reporter(format, style).report(outcome, &mut out)?;
    let (colon, hash) = match format {
        Format::Github => return Ok(out),
        Format::Json | Format::Sarif | Format::Gitlab => ("\\u003a", "\\u0023"),
        Format::Junit | Format::Checkstyle => ("&#58;", "&#35;"),
        Format::Human | Format::Compact | Format::Markdown => ("\\u{3a}", "\\u{23}"),
    };
    let text = String::from_utf8_lossy(&out);
    match cname_preflight::display::inert_as(&text, colon, hash) {
        std::borrow::Cow::Borrowed(_) => Ok(out),
        std::borrow::Cow::Owned(text) => Ok(text.into_bytes()),
    }
}

fn run_explain(args: ExplainArgs) -> u8 {
    let mut stdout = std::io::stdout().lock();
    if args.list {
        let _ = write!(stdout, "{}", explain::list());
        return exit::CLEAN;
    }
    let name = args.code.unwrap_or_default();
    match explain::explain(&name) {
        Some(text) => {
            let _ = write!(stdout, "{text}");
            exit::CLEAN
        }
        None => {
            let line = format!(
                "error: unknown code `{}`\n\nknown codes:\n{}",
                cname_preflight::display::shown(&name),
                explain::list()
            );
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                cname_preflight::display::inert(&line)
            );
            exit::ERROR
        }
    }
}
