//! jq's own test suite (`../shared/testdata/jq/jq.test` and `man.test`) through the service's jq
//! layer. Each case is a filter, an input and the expected outputs; `%%FAIL` cases expect the
//! filter not to compile. The pass counts are recorded in docs/data-transform.md (a line
//! `<file>: N of M cases pass`); this test fails when fewer pass than recorded there.
//! `JQ_SUITE_WRITE=1` rewrites docs/data-transform-jq-failures.md, the list of failing cases
//! with the reason for each.

#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use flowforge_data::jq::{self, RunLimits};

#[derive(Clone)]
struct Case {
    line: usize,
    filter: String,
    input: String,
    expected: Vec<String>,
    fail: bool,
}

fn parse(text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases = Vec::new();
    let mut i = 0;
    let skip = |l: &str| l.trim().is_empty() || l.starts_with('#');
    while i < lines.len() {
        if skip(lines[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut block = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            if !lines[i].starts_with('#') {
                block.push(lines[i]);
            }
            i += 1;
        }
        if block.first().is_some_and(|l| l.starts_with("%%FAIL")) {
            if block.len() >= 2 {
                cases.push(Case {
                    line: start + 2,
                    filter: block[1].to_string(),
                    input: String::new(),
                    expected: Vec::new(),
                    fail: true,
                });
            }
            continue;
        }
        if block.len() >= 2 {
            cases.push(Case {
                line: start + 1,
                filter: block[0].to_string(),
                input: block[1].trim_start_matches('\u{feff}').to_string(),
                expected: block[2..].iter().map(|s| s.to_string()).collect(),
                fail: false,
            });
        }
    }
    cases
}

fn check(case: &Case) -> Result<(), String> {
    let compiled = jq::compile(&case.filter);
    if case.fail {
        return match compiled {
            Err(_) => Ok(()),
            Ok(_) => Err("compiled, but jq refuses this filter".into()),
        };
    }
    let program =
        compiled.map_err(|e| format!("does not compile: {}", e.describe(&case.filter)))?;
    let input =
        jq::parse_json(case.input.as_bytes()).map_err(|e| format!("input does not parse: {e}"))?;
    let lim = RunLimits {
        max_outputs: 10_000,
        deadline: Instant::now() + Duration::from_secs(2),
    };
    let mut out = Vec::new();
    // As jq's own runner (src/jq_test.c) judges: an error raised once every expected output has
    // been given passes (those tests note "Runtime error"); one raised earlier fails, as
    // "insufficient results".
    let ran = program.run(input, &lim, &mut out);
    let want: Vec<_> = case
        .expected
        .iter()
        .map(|s| jq::parse_json(s.as_bytes()))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("expected output does not parse: {e}"))?;
    let show = |vs: &[jaq_json::Val]| {
        vs.iter()
            .map(|v| {
                let mut b = Vec::new();
                jq::write_json(v, &mut b);
                String::from_utf8_lossy(&b).into_owned()
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match ran {
        Err(jq::RunError::Raised(e)) if out.len() < want.len() => {
            return Err(format!("run: Raised({e:?}) after [{}]", show(&out)));
        }
        Err(e @ (jq::RunError::Timeout | jq::RunError::TooManyOutputs(_))) => {
            return Err(format!("run: {e:?}"));
        }
        _ => {}
    }
    if out != want {
        return Err(format!("got [{}], want [{}]", show(&out), show(&want)));
    }
    Ok(())
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Run one file; (passed, total, failures as markdown lines).
fn run_file(name: &str) -> (usize, usize, String) {
    let path = root().join("../shared/testdata/jq").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the suite lives in ../shared)", path.display()));
    let cases = parse(&text);
    let mut passed = 0;
    let mut failures = String::new();
    for c in &cases {
        // Each case on its own big-stacked thread: a runaway recursion fails that case only.
        let c2 = c.clone();
        let r = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || check(&c2))
            .unwrap()
            .join()
            .unwrap_or_else(|_| Err("panicked".into()));
        match r {
            Ok(()) => passed += 1,
            Err(why) => {
                let mut why = why.replace('|', "\\|").replace('\n', " ");
                if why.len() > 300 {
                    let cut = (0..=300).rev().find(|&i| why.is_char_boundary(i)).unwrap();
                    why.truncate(cut);
                    why.push('…');
                }
                let _ = writeln!(
                    failures,
                    "| {name}:{} | `{}` | {} |",
                    c.line,
                    c.filter.replace('|', "\\|").replace('`', "'"),
                    why
                );
            }
        }
    }
    (passed, cases.len(), failures)
}

/// The figure recorded in docs/data-transform.md for `name`.
fn recorded(name: &str) -> usize {
    let doc = std::fs::read_to_string(root().join("docs/data-transform.md")).unwrap();
    let key = format!("{name}: ");
    let line = doc
        .lines()
        .find_map(|l| l.split_once(&key).map(|(_, rest)| rest.to_string()))
        .unwrap_or_else(|| panic!("docs/data-transform.md records no `{key}N of M cases pass`"));
    line.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn jq_test_suites_pass_at_least_the_recorded_rate() {
    let mut report = String::from(
        "# jq test suite: failing cases\n\nGenerated by `JQ_SUITE_WRITE=1 cargo nextest run -p flowforge-data jq_test_suites`.\n\n| case | filter | reason |\n| --- | --- | --- |\n",
    );
    let mut summary = Vec::new();
    for name in ["jq.test", "man.test"] {
        let (passed, total, failures) = run_file(name);
        println!(
            "{name}: {passed} of {total} cases pass ({:.1} %)",
            100.0 * passed as f64 / total as f64
        );
        summary.push((name, passed, total));
        report.push_str(&failures);
    }
    if std::env::var("JQ_SUITE_WRITE").is_ok() {
        std::fs::write(root().join("docs/data-transform-jq-failures.md"), report).unwrap();
    }
    for (name, passed, total) in summary {
        let want = recorded(name);
        assert!(
            passed >= want,
            "{name}: {passed} of {total} pass, fewer than the {want} recorded in docs/data-transform.md"
        );
    }
}
