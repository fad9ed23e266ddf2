//! Large inputs on more than one core. jq reads, runs and writes on one thread; here a large
//! JSON array is split between its elements and each part is read on its own thread, a program
//! that maps each element independently (`map(f)`, `[.[] | f]`, `.[] | f`, optionally followed
//! by `| g`) runs `f` over slices of the array in parallel, and many outputs (or one large
//! array) are written in parallel. Results are joined in order, so outputs, errors and limits
//! are those of the one-thread run: the first part's error wins, outputs are counted in order.

use std::ops::Range;

use jaq_core::compile::TermId;
use jaq_core::unwrap_valr;
use jaq_json::Val;

use super::{Program, RunError, RunLimits};

/// Fewest array elements worth a thread of their own.
pub const MIN_SPLIT_ITEMS: usize = 4096;
/// Fewest bytes of JSON text worth reading on more than one thread.
pub const MIN_SPLIT_BYTES: usize = 1 << 20;

/// Stack of each helper thread: as deep as jq's own run may recurse (a worker thread of the
/// server's pool has the same), however deep the values written or read.
const STACK: usize = 16 << 20;

/// Start `f` on a helper thread of `s` with [`STACK`]; an error where no thread can be made,
/// which callers treat as a failed part.
fn spawn<'scope, T: Send + 'scope>(
    s: &'scope std::thread::Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> std::io::Result<std::thread::ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new()
        .name("jq-part".into())
        .stack_size(STACK)
        .spawn_scoped(s, f)
}

/// `f` of each of `parts`, in order: the first on this thread, the others each on a helper
/// thread. `None` for a part whose thread could not be made or panicked.
fn in_parallel<P: Sync, T: Send>(parts: &[P], f: impl Fn(&P) -> T + Sync) -> Vec<Option<T>> {
    let Some((first, rest)) = parts.split_first() else {
        return Vec::new();
    };
    std::thread::scope(|s| {
        let f = &f;
        let rest: Vec<_> = rest.iter().map(|p| spawn(s, move || f(p))).collect();
        let first = f(first);
        std::iter::once(Some(first))
            .chain(rest.into_iter().map(|h| h.ok().and_then(|h| h.join().ok())))
            .collect()
    })
}

/// `items` cut into runs of at least [`MIN_SPLIT_ITEMS`] for up to `threads` threads; `None`
/// when there are too few for more than one.
fn slices(items: &[Val], threads: usize) -> Option<Vec<&[Val]>> {
    if threads < 2 || items.len() < 2 * MIN_SPLIT_ITEMS {
        return None;
    }
    let n = threads.min(items.len() / MIN_SPLIT_ITEMS);
    Some(items.chunks(items.len().div_ceil(n)).collect())
}

/// What one pass over a JSON text found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Whether it nests deeper than the limit given to [`scan`].
    pub too_deep: bool,
    /// When the text is one array (whitespace around it, no comments): the byte ranges of its
    /// parts, each a run of whole elements `v, …, v` without brackets, in order.
    pub parts: Option<Vec<Range<usize>>>,
}

/// One pass over `text`: whether it nests deeper than `max_depth`, and, when it is one large
/// array, where to cut it into `parts` runs of elements of about equal size.
pub fn scan(text: &[u8], max_depth: usize, parts: usize) -> Scan {
    let n = text.len();
    let split = parts >= 2 && n >= MIN_SPLIT_BYTES;
    let mut next_cut = if split { n / parts } else { usize::MAX };
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let (mut open, mut close, mut one_array) = (None, None, true);
    let mut cuts = Vec::new();
    for (i, &b) in text.iter().enumerate() {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => {
                in_str = true;
                one_array &= depth > 0;
            }
            b'[' | b'{' => {
                if depth == 0 {
                    one_array &= b == b'[' && open.is_none();
                    open = Some(i);
                }
                depth += 1;
                if depth > max_depth {
                    return Scan {
                        too_deep: true,
                        parts: None,
                    };
                }
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(i);
                }
            }
            b',' if depth == 1 && i >= next_cut => {
                cuts.push(i);
                next_cut = if cuts.len() + 1 >= parts {
                    usize::MAX
                } else {
                    (cuts.len() + 1) * (n / parts)
                };
            }
            // jaq's reader takes `#` comments, which this scan does not follow.
            b'#' => one_array = false,
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => one_array &= depth > 0,
        }
    }
    let parts = match (open, close) {
        (Some(open), Some(close)) if one_array && !in_str && depth == 0 && !cuts.is_empty() => {
            let mut starts = vec![open + 1];
            starts.extend(cuts.iter().map(|c| c + 1));
            let mut ends = cuts;
            ends.push(close);
            Some(starts.into_iter().zip(ends).map(|(s, e)| s..e).collect())
        }
        _ => None,
    };
    Scan {
        too_deep: false,
        parts,
    }
}

/// Read a stream of JSON values as [`super::parse_json_stream`] does, the parts of one large
/// array (from [`scan`]) each on its own thread. Any error is reported by reading the whole
/// text again on one thread, so messages and offsets are the same either way.
pub fn parse_json_stream_split(
    text: &[u8],
    parts: Option<&[Range<usize>]>,
) -> Result<Vec<Val>, String> {
    let Some(parts) = parts.filter(|p| p.len() >= 2) else {
        return super::parse_json_stream(text);
    };
    let read = |r: &Range<usize>| text.get(r.clone()).map(jaq_json::read::parse_items);
    let results: Vec<_> = in_parallel(parts, read)
        .into_iter()
        .map(Option::flatten)
        .collect();
    let mut items = Vec::with_capacity(
        results
            .iter()
            .map(|r| r.as_ref().map_or(0, |r| r.as_ref().map_or(0, Vec::len)))
            .sum(),
    );
    for r in results {
        match r {
            Some(Ok(part)) => items.extend(part),
            _ => return super::parse_json_stream(text),
        }
    }
    Ok(vec![Val::Arr(items.into())])
}

/// What one thread's share of an element map produced.
struct Share {
    outputs: Vec<Val>,
    /// Why it stopped early, if it did.
    stopped: Option<RunError>,
}

impl Program {
    /// Run over `input` as [`Program::run`] does, on up to `threads` threads when the program
    /// maps each element of a large input array independently (see
    /// [`jaq_core::compile::Filter::element_map`]). `None` when it does not apply; the caller
    /// then runs it on one thread. The input is only borrowed, so the caller decides when its
    /// memory is given back.
    pub fn run_split(
        &self,
        input: &Val,
        threads: usize,
        lim: &RunLimits,
        out: &mut Vec<Val>,
    ) -> Option<Result<(), RunError>> {
        let map = self.filter.element_map()?;
        let Val::Arr(items) = input else { return None };
        let slices = slices(items, threads)?;
        // A streamed part stops one past the outputs still allowed; a collected one is one output.
        let cap = if map.collect {
            usize::MAX
        } else {
            lim.max_outputs.saturating_sub(out.len()).saturating_add(1)
        };
        let shares = in_parallel(&slices, |c| self.share(map.each, c, lim, cap))
            .into_iter()
            .map(|share| {
                share.unwrap_or_else(|| Share {
                    outputs: Vec::new(),
                    stopped: Some(RunError::Raised("internal error while running".into())),
                })
            })
            .collect();
        Some(self.join_shares(shares, map, lim, out))
    }

    /// `each` over `items` on this thread, stopping at the first error or past `cap` outputs.
    fn share(&self, each: TermId, items: &[Val], lim: &RunLimits, cap: usize) -> Share {
        jaq_core::budget::set_deadline(Some(lim.deadline));
        let ctx = self.ctx();
        let mut outputs = Vec::new();
        // The deadline is checked by evaluation itself (vendor/jaq-core/src/budget.rs).
        for x in items {
            for r in each.run((ctx.clone(), x.clone())).map(unwrap_valr) {
                match r {
                    Ok(_) if outputs.len() >= cap => {
                        let stopped = Some(RunError::TooManyOutputs(lim.max_outputs));
                        return Share { outputs, stopped };
                    }
                    Ok(v) => outputs.push(v),
                    Err(e) => {
                        let stopped = Some(super::raised(e, lim));
                        return Share { outputs, stopped };
                    }
                }
            }
        }
        Share {
            outputs,
            stopped: None,
        }
    }

    /// The shares' outputs in order, as one run would have given them.
    fn join_shares(
        &self,
        shares: Vec<Share>,
        map: jaq_core::compile::ElementMap,
        lim: &RunLimits,
        out: &mut Vec<Val>,
    ) -> Result<(), RunError> {
        if !map.collect {
            for share in shares {
                for v in share.outputs {
                    if out.len() >= lim.max_outputs {
                        return Err(RunError::TooManyOutputs(lim.max_outputs));
                    }
                    out.push(v);
                }
                if let Some(e) = share.stopped {
                    return Err(e);
                }
            }
            return Ok(());
        }
        let mut all = Vec::with_capacity(shares.iter().map(|s| s.outputs.len()).sum());
        for share in shares {
            if let Some(e) = share.stopped {
                return Err(e);
            }
            all.extend(share.outputs);
        }
        let all = Val::Arr(all.into());
        match map.then {
            Some(then) => self.run_term(then, all, lim, out),
            None if out.len() >= lim.max_outputs => Err(RunError::TooManyOutputs(lim.max_outputs)),
            None => {
                out.push(all);
                Ok(())
            }
        }
    }
}

/// Write `outputs` as JSON separated by commas, as [`super::write_json`] writes each, on up to
/// `threads` threads when there are many outputs or one large array. `None` when a value nests
/// deeper than [`super::MAX_WRITE_DEPTH`].
pub fn write_outputs(outputs: &[Val], threads: usize, buf: &mut Vec<u8>) -> Option<()> {
    fn write_run(items: &[Val], depth: usize, buf: &mut Vec<u8>) -> Option<()> {
        for (i, v) in items.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            super::write_at(v, buf, depth)?;
        }
        Some(())
    }
    fn owned_run(items: &[Val], depth: usize) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        write_run(items, depth, &mut buf).map(|()| buf)
    }
    fn write_split(slices: &[&[Val]], depth: usize, buf: &mut Vec<u8>) -> Option<()> {
        let parts = in_parallel(slices, |c| owned_run(c, depth));
        for (i, p) in parts.into_iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(&p.flatten()?);
        }
        Some(())
    }
    if let [Val::Arr(items)] = outputs
        && let Some(slices) = slices(items, threads)
    {
        buf.push(b'[');
        write_split(&slices, 1, buf)?;
        buf.push(b']');
        return Some(());
    }
    match slices(outputs, threads) {
        Some(slices) => write_split(&slices, 0, buf),
        None => write_run(outputs, 0, buf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jq::{compile, parse_json_stream, write_json};
    use std::time::{Duration, Instant};

    /// A JSON array of `n` records, over a MiB from 8,192 on.
    fn records(n: usize) -> String {
        let rows: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":{i},"name":"user {i}, \"q\" [x]","age":{},"tags":["a","b"]}}"#,
                    i % 90
                )
            })
            .collect();
        format!(" [{}]\n", rows.join(",\n"))
    }

    fn lim(max_outputs: usize) -> RunLimits {
        RunLimits {
            max_outputs,
            deadline: Instant::now() + Duration::from_secs(30),
        }
    }

    fn write_all(outputs: &[Val], threads: usize) -> String {
        let mut buf = Vec::new();
        write_outputs(outputs, threads, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    /// Outputs (as JSON) or the error, on one thread and on `threads`.
    fn both(code: &str, input: &Val, threads: usize, max: usize) -> [Result<String, RunError>; 2] {
        let p = compile(code).unwrap();
        let mut one = Vec::new();
        let r1 = p.run(input.clone(), &lim(max), &mut one);
        let mut many = Vec::new();
        let r2 = p
            .run_split(input, threads, &lim(max), &mut many)
            .expect("splits");
        [
            r1.map(|()| write_all(&one, 1)),
            r2.map(|()| write_all(&many, threads)),
        ]
    }

    #[test]
    fn scan_cuts_one_large_array_between_elements() {
        let text = records(20_000);
        assert!(text.len() > MIN_SPLIT_BYTES);
        let s = scan(text.as_bytes(), 512, 3);
        assert!(!s.too_deep);
        let parts = s.parts.unwrap();
        assert_eq!(parts.len(), 3);
        let seq = parse_json_stream(text.as_bytes()).unwrap();
        let split = parse_json_stream_split(text.as_bytes(), Some(&parts)).unwrap();
        assert_eq!(seq, split);
        let Val::Arr(items) = &split[0] else { panic!() };
        assert_eq!(items.len(), 20_000);
        // Each part is whole elements, about a third of the bytes (records grow with their id).
        for r in &parts {
            let n = jaq_json::read::parse_items(&text.as_bytes()[r.clone()])
                .unwrap()
                .len();
            assert!((6_000..=7_400).contains(&n), "{n}");
        }
        // Depth is still checked, at its edge.
        assert!(!scan(b"[[[1]]]", 3, 2).too_deep);
        assert!(scan(b"[[[[1]]]]", 3, 2).too_deep);
    }

    #[test]
    fn scan_leaves_other_texts_whole() {
        let big = records(10_000);
        let inner = big.trim().trim_start_matches('[').trim_end_matches(']');
        let pad = " ".repeat(MIN_SPLIT_BYTES);
        for text in [
            format!("{big} {big}"),                  // two values
            format!("{{\"a\": {big}}}"),             // an object
            format!("\"{pad}\""),                    // a string
            format!("[{inner}] # a comment, \"x\""), // comments are jaq's, not followed here
            format!("1 [{inner}]"),                  // a value before
        ] {
            assert_eq!(scan(text.as_bytes(), 512, 2).parts, None, "{}", &text[..40]);
        }
        // Small texts and one thread are not cut.
        assert_eq!(scan(records(100).as_bytes(), 512, 2).parts, None);
        assert_eq!(scan(big.as_bytes(), 512, 1).parts, None);
    }

    #[test]
    fn a_bad_part_reports_what_one_thread_reports() {
        let text = records(20_000).replacen("\"age\":7}", "\"age\":7,}", 1);
        let text = text.replace("\"id\":19000,", "\"id\":19000 ");
        let parts = scan(text.as_bytes(), 512, 2).parts.unwrap();
        assert_eq!(
            parse_json_stream_split(text.as_bytes(), Some(&parts)),
            parse_json_stream(text.as_bytes())
        );
        assert!(parse_json_stream(text.as_bytes()).is_err());
    }

    #[test]
    fn which_programs_map_each_element() {
        let map = |code: &str| compile(code).unwrap().filter.element_map();
        for (code, collect, then) in [
            ("map(.a)", true, false),
            ("[.[] | .a, .b]", true, false),
            (".[] | select(.a > 1)", false, false),
            ("map(.a) | add", true, true),
            ("[.[] | .a] | sort | .[0]", true, true),
            ("def each(f): [.[] | f]; each(.a)", true, false),
        ] {
            let m = map(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!((m.collect, m.then.is_some()), (collect, then), "{code}");
        }
        for code in [
            ".",
            "length",
            ".[]",
            ".[]? | .a",
            "map_values(.a)",
            "def map(f): [f]; map(.a)",
            "[.[] | .a], 1",
            "group_by(.a) | map(length)",
            ". as $x | map($x)",
            "def twice(f): [.[] | f, f]; twice(.a)",
        ] {
            assert_eq!(map(code), None, "{code}");
        }
    }

    #[test]
    fn parallel_runs_give_what_one_thread_gives() {
        let text = records(20_000);
        let input = parse_json_stream(text.as_bytes()).unwrap().remove(0);
        for code in [
            "map(select(.age > 30) | {name, id})",
            "[.[] | .id, .age]",
            ".[] | select(.id % 1000 == 0) | .name",
            "map(.age) | add",
            "[.[] | select(.tags | index(\"a\")) | .age] | sort | .[length / 2 | floor]",
            "map(.id) | length",
        ] {
            for threads in [2, 3, 8] {
                let [a, b] = both(code, &input, threads, usize::MAX);
                assert!(a.is_ok(), "{code}");
                assert_eq!(a, b, "{code} on {threads} threads");
            }
        }
    }

    #[test]
    fn parallel_runs_stop_as_one_thread_stops() {
        let text = records(20_000);
        let input = parse_json_stream(text.as_bytes()).unwrap().remove(0);
        // An error in the second half only, in both halves (the first wins), and in a `then`.
        for code in [
            "map(if .id == 15000 then error(\"at \\(.id)\") else .id end)",
            ".[] | if .id % 9000 == 8999 then error(\"at \\(.id)\") else .id end",
            "map(.id) | error(\"then\")",
        ] {
            let [a, b] = both(code, &input, 2, usize::MAX);
            assert!(matches!(&a, Err(RunError::Raised(_))), "{code}: {a:?}");
            assert_eq!(a, b, "{code}");
        }
        // Outputs are counted in order across the parts: exactly at the limit, and one over.
        let [a, b] = both(".[] | select(.id % 2 == 0) | .id", &input, 2, 10_000);
        assert!(a.is_ok());
        assert_eq!(a, b);
        let [a, b] = both(".[] | select(.id % 2 == 0) | .id", &input, 2, 9_999);
        assert_eq!(a, Err(RunError::TooManyOutputs(9_999)));
        assert_eq!(a, b);
        // The deadline stops every thread.
        let p = compile("map(last(range(1e15)))").unwrap();
        let lim = RunLimits {
            max_outputs: 10,
            deadline: Instant::now() + Duration::from_millis(100),
        };
        let r = p.run_split(&input, 2, &lim, &mut Vec::new());
        assert_eq!(r, Some(Err(RunError::Timeout)));
        // Small inputs, one thread, and inputs that are not arrays are left to `run`.
        let p = compile("map(.)").unwrap();
        let small = parse_json_stream(records(100).as_bytes())
            .unwrap()
            .remove(0);
        assert!(p.run_split(&small, 2, &lim, &mut Vec::new()).is_none());
        assert!(p.run_split(&input, 1, &lim, &mut Vec::new()).is_none());
        assert!(p.run_split(&Val::Null, 2, &lim, &mut Vec::new()).is_none());
    }

    #[test]
    fn parallel_writing_gives_the_same_text() {
        // Values 2,000 levels deep are written on this thread too: in the unoptimised test
        // build that needs more than a test thread's default 2 MiB of stack.
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(writing_in_parallel)
            .unwrap()
            .join()
            .unwrap();
    }

    fn writing_in_parallel() {
        let text = records(20_000);
        let input = parse_json_stream(text.as_bytes()).unwrap();
        let Val::Arr(items) = &input[0] else { panic!() };
        let mut one = Vec::new();
        write_json(&input[0], &mut one).unwrap();
        assert_eq!(write_all(&input, 2), String::from_utf8(one).unwrap());
        let many: Vec<Val> = items.iter().cloned().collect();
        assert_eq!(write_all(&many, 3), write_all(&many, 1));
        // Too deep to write is refused on every path.
        let deep =
            parse_json_stream(format!("{}{}", "[".repeat(1_500), "]".repeat(1_500)).as_bytes())
                .unwrap()
                .remove(0);
        let mut wide: Vec<Val> = vec![Val::Null; 10_000];
        wide[9_000] = Val::Arr(vec![deep.clone(); 1].into());
        let mut buf = Vec::new();
        assert!(write_outputs(&[Val::Arr(vec![deep; 1].into())], 2, &mut buf).is_some());
        let nested = Val::Arr(wide.clone().into());
        assert!(write_outputs(&[Val::Arr(vec![nested; 1].into())], 2, &mut buf).is_some());
        let mut deeper = wide[9_000].clone();
        for _ in 0..600 {
            deeper = Val::Arr(vec![deeper].into());
        }
        wide[9_000] = deeper;
        assert!(write_outputs(&wide, 2, &mut buf).is_none());
        assert!(write_outputs(&[Val::Arr(wide.into())], 2, &mut buf).is_none());
    }
}
