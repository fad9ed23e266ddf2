//! ONNX Runtime for the services that run models (OCR now, embeddings next): the shared library
//! loaded once per process, from `ORT_DYLIB_PATH` when set or else the models directory, where it
//! is fetched on first need (`flowforge models fetch --only onnx`) and used only once its sha256
//! matches; and sessions with a chosen number of threads (one per session and two sessions at
//! once beat two threads per session on two cores).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use ort;
use ort::environment::Environment;
use ort::session::Session;

/// Why the runtime or a model cannot be used: said so that an operator knows what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeError(pub String);

impl std::fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RuntimeError {}

/// The one environment of this process (ONNX Runtime can be loaded once).
static ENVIRONMENT: Mutex<Option<(PathBuf, Environment)>> = Mutex::new(None);

/// Where the runtime library comes from: `ORT_DYLIB_PATH` as given, else the verified
/// `libonnxruntime.so` in `models_dir` (fetched with pip when `fetch` and it is missing).
pub fn library(
    models_dir: &Path,
    dylib_path: Option<&str>,
    fetch: bool,
) -> Result<PathBuf, RuntimeError> {
    if let Some(p) = dylib_path.filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(RuntimeError(format!(
                "ORT_DYLIB_PATH names {}, which is not a file",
                p.display()
            )))
        };
    }
    let artifact = flowforge_models::artifact("libonnxruntime.so")
        .ok_or_else(|| RuntimeError("libonnxruntime.so is not in the model list".into()))?;
    match flowforge_models::verified(models_dir, artifact) {
        Ok(p) => Ok(p),
        Err(e) if !fetch => Err(RuntimeError(e.to_string())),
        Err(_) => {
            flowforge_models::fetch(models_dir, &["onnx"], &mut |line| {
                eprintln!("{line}");
            })
            .map_err(|e| RuntimeError(e.to_string()))?;
            flowforge_models::verified(models_dir, artifact)
                .map_err(|e| RuntimeError(e.to_string()))
        }
    }
}

/// The process's ONNX Runtime environment, loading the library at `lib` the first time. Later
/// calls get the same environment whatever path they name (the library cannot be swapped).
pub fn environment(lib: &Path) -> Result<Environment, RuntimeError> {
    let mut env = ENVIRONMENT
        .lock()
        .map_err(|_| RuntimeError("the ONNX Runtime lock is poisoned".into()))?;
    if let Some((_, e)) = env.as_ref() {
        return Ok(e.clone());
    }
    let e = ort::init_from(lib)
        .map_err(|e| {
            RuntimeError(format!(
                "ONNX Runtime could not be loaded from {}: {e}",
                lib.display()
            ))
        })?
        .with_name("flowforge")
        .with_telemetry(false)
        .build()
        .map_err(|e| RuntimeError(format!("ONNX Runtime would not start: {e}")))?;
    *env = Some((lib.to_path_buf(), e.clone()));
    Ok(e)
}

/// A session for the model at `model` (a verified path), with `threads` threads for one run.
pub fn session(env: &Environment, model: &Path, threads: usize) -> Result<Session, RuntimeError> {
    let fail = |e: ort::Error| {
        RuntimeError(format!(
            "the model {} could not be loaded: {e}",
            model.display()
        ))
    };
    Session::builder(env)
        .map_err(fail)?
        .with_intra_threads(threads.max(1))
        .map_err(|e| fail(e.into()))?
        .with_inter_threads(1)
        .map_err(|e| fail(e.into()))?
        .commit_from_file(model)
        .map_err(fail)
}

/// The verified path of the model file `name` in `models_dir`, fetching its group with pip when
/// `fetch` and it is missing.
pub fn model(models_dir: &Path, name: &str, fetch: bool) -> Result<PathBuf, RuntimeError> {
    let artifact = flowforge_models::artifact(name)
        .ok_or_else(|| RuntimeError(format!("{name} is not in the model list")))?;
    match flowforge_models::verified(models_dir, artifact) {
        Ok(p) => Ok(p),
        Err(e) if !fetch => Err(RuntimeError(e.to_string())),
        Err(_) => {
            flowforge_models::fetch(models_dir, &[artifact.group], &mut |line| {
                eprintln!("{line}");
            })
            .map_err(|e| RuntimeError(e.to_string()))?;
            flowforge_models::verified(models_dir, artifact)
                .map_err(|e| RuntimeError(e.to_string()))
        }
    }
}
