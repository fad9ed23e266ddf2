//! jq, on jaq (jaq-core, jaq-std, jaq-json): a filter is compiled once and run over one input or
//! many. Compile errors carry their line and column. Natives that would reach outside the request
//! are replaced: `env` and `$ENV` are empty objects (never the server's environment), `debug` and
//! `stderr` pass values through without logging them, and no module is loaded from disk.
//!
//! Running has limits: the number of outputs, counted as they stream, and a deadline, checked
//! by evaluation itself (vendor/jaq-core/src/budget.rs).

use std::time::Instant;

use jaq_core::load::{Arena, File, Loader, lex, parse};
use jaq_core::{Compiler, Ctx, Vars, data::JustLut, unwrap_valr};
use jaq_json::{Num, Val};

use crate::error::DataError;

mod parallel;
pub mod request;
pub use parallel::{MIN_SPLIT_BYTES, Scan, parse_json_stream_split, scan, write_outputs};

/// Whether a JSON text nests deeper than `limit`, counted without parsing (strings skipped);
/// stops early once past it.
pub fn depth_over(text: &[u8], limit: usize) -> bool {
    scan(text, limit, 1).too_deep
}

type D = JustLut<Val>;

/// Natives that are withheld (see the module docs); defs of the same names replace them.
const WITHHELD: [&str; 3] = ["env", "debug_empty", "stderr_empty"];

/// Definitions that come before the standard library's: the withheld natives' replacements.
const PRELUDE: &str = r#"
def debug_empty: empty;
def stderr_empty: empty;
def env: {};
"#;

/// jq 1.7 builtins that jaq does not define (written from jq's manual), after everything else.
const EXTRA: &str = r#"
def have_decnum: true;
def have_literal_numbers: true;
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row | idx_expr | tostring] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def JOIN($idx; idx_expr): [.[] | [., $idx[idx_expr]]];
def JOIN($idx; stream; idx_expr): stream | [., $idx[idx_expr]];
def JOIN($idx; stream; idx_expr; join_expr): stream | [., $idx[idx_expr]] | join_expr;
def trimstr($x): ltrimstr($x) | rtrimstr($x);
def tostream: path(def r: (.[]? | r), .; r) as $p | getpath($p) | reduce path(.[]?) as $q ([$p, .]; [$p + $q]);
def fromstream(f): { x: null, e: false } as $init
  | foreach f as $i ($init;
      if .e then $init else . end
      | if $i | length == 2
        then setpath(["e"]; $i[0] | length == 0) | setpath(["x"] + $i[0]; $i[1])
        else setpath(["e"]; $i[0] | length == 1) end;
      if .e then .x else empty end);
def input: error("No more inputs");
def builtins: [
  "length/0", "utf8bytelength/0", "not/0", "keys/0", "keys_unsorted/0", "values/0", "has/1",
  "in/1", "map/1", "map_values/1", "path/1", "del/1", "getpath/1", "setpath/2", "delpaths/1",
  "to_entries/0", "from_entries/0", "with_entries/1", "select/1", "empty/0", "error/1", "add/0",
  "any/0", "all/0", "flatten/0", "range/1", "range/2", "floor/0", "sqrt/0", "tostring/0",
  "tonumber/0", "type/0", "infinite/0", "nan/0", "sort/0", "sort_by/1", "group_by/1", "min/0",
  "max/0", "unique/0", "unique_by/1", "reverse/0", "contains/1", "indices/1", "index/1",
  "rindex/1", "inside/1", "startswith/1", "endswith/1", "ltrimstr/1", "rtrimstr/1", "explode/0",
  "implode/0", "split/1", "join/1", "ascii_downcase/0", "ascii_upcase/0", "recurse/0",
  "recurse/1", "tojson/0", "fromjson/0", "test/1", "match/1", "capture/1", "scan/1", "splits/1",
  "sub/2", "gsub/2", "limit/2", "first/1", "last/1", "until/2", "repeat/1", "while/2", "paths/0",
  "todate/0", "fromdate/0", "now/0", "strftime/1", "strptime/1", "mktime/0", "gmtime/0",
  "splits/2", "tostream/0", "fromstream/1", "truncate_stream/1", "input/0", "debug/0", "env/0",
  "builtins/0", "IN/1", "IN/2", "INDEX/1", "INDEX/2", "JOIN/2", "JOIN/3", "JOIN/4", "trimstr/1",
  "abs/0", "pick/1", "have_decnum/0", "significand/0", "@base64d/0", "@csv/0", "@tsv/0"];
def join($x): reduce .[] as $i (null; (if . == null then "" else . + $x end) +
  ($i | if . == null then "" elif type == "number" or type == "boolean" then tojson else . end))
  // "";
def from_entries: reduce .[] as $x ({}; . + { ($x | if .key == null then .k // .name // .Name // .K // .Key
  else .key end | if type == "string" then . else tojson end):
  ($x | if has("value") then .value elif has("v") then .v else .Value end) });
def flatten($d): if $d < 0 then error("flatten depth must not be negative") elif $d > 0
  then map(if type == "array" then flatten($d - 1) else [.] end) | add // [] else . end;
def limit($n; f): if $n > 0 then label $out | foreach f as $item (0; . + 1; $item,
  if . >= $n then break $out else empty end) elif $n == 0 then empty
  else error("limit doesn't support negative count") end;
def skip($n; f): if $n > 0 then foreach f as $item ($n; . - 1; if . < 0 then $item else empty end)
  elif $n == 0 then f else error("skip doesn't support negative count") end;
def nth($n; f): if $n < 0 then error("nth doesn't support negative indices") else first(skip($n; f)) end;
def @csv: if type != "array" then error("\(type) (\(tojson)) cannot be csv-formatted, only an array can be")
  else map(if type == "string" then "\"" + gsub("\""; "\"\"") + "\""
    elif type == "number" or type == "boolean" then tojson elif . == null then ""
    else error("\(type) (\(tojson)) is not valid in a csv row") end) | join(",") end;
def @tsv: if type != "array" then error("\(type) (\(tojson)) cannot be tsv-formatted, only an array can be")
  else map(if type == "string" then [explode[] | if . == 92 then "\\\\" elif . == 9 then "\\t"
      elif . == 10 then "\\n" elif . == 13 then "\\r" else [.] | implode end] | add // ""
    elif type == "number" or type == "boolean" then tojson elif . == null then ""
    else error("\(type) (\(tojson)) is not valid in a tsv row") end) | join("\t") end;
def truncate_stream(stream): . as $n | null | stream | . as $input | if (.[0] | length) > $n then setpath([0]; .[0][$n:]) else empty end;
"#;

/// A compiled filter.
pub struct Program {
    filter: jaq_core::compile::Filter<jaq_core::Native<D>>,
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Program")
    }
}

/// Why a filter did not compile: what, and where (byte offset into the filter).
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    /// What was wrong.
    pub message: String,
    /// Byte offset of the offending text.
    pub offset: usize,
}

impl CompileError {
    /// `message at line L, column C`.
    pub fn describe(&self, code: &str) -> String {
        let before = &code[..self.offset.min(code.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{} at line {line}, column {col}", self.message)
    }
}

/// Why running stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum RunError {
    /// The filter raised an error (`error`, a type error, …).
    Raised(String),
    /// More outputs than allowed.
    TooManyOutputs(usize),
    /// The deadline passed.
    Timeout,
}

impl RunError {
    /// The service's error for this failure: the filter raised it, or a limit (named by its
    /// variable; `timeout` is `DATA_JQ_TIMEOUT_MS`) was reached.
    pub fn into_error(self, timeout: std::time::Duration) -> DataError {
        match self {
            RunError::Raised(m) => DataError::failed("filter", format!("jq error: {m}")),
            RunError::TooManyOutputs(n) => DataError::failed(
                "filter",
                format!("produced more than {n} outputs (DATA_JQ_MAX_OUTPUTS)"),
            ),
            RunError::Timeout => DataError::failed(
                "filter",
                format!(
                    "ran longer than {} ms and was stopped (DATA_JQ_TIMEOUT_MS)",
                    timeout.as_millis()
                ),
            ),
        }
    }
}

/// Limits on one run.
#[derive(Debug, Clone, Copy)]
pub struct RunLimits {
    /// Most outputs in all.
    pub max_outputs: usize,
    /// When to give up.
    pub deadline: Instant,
}

fn offset_in(code: &str, part: &str) -> usize {
    let (c, p) = (code.as_ptr() as usize, part.as_ptr() as usize);
    if p >= c && p <= c + code.len() {
        p - c
    } else {
        code.len()
    }
}

fn parse_defs(code: &'static str) -> Vec<parse::Def<&'static str>> {
    jaq_core::load::parse(code, |p| p.defs()).unwrap_or_default()
}

/// The first `import`/`include` at the top level of `code` (they lead a program), if any.
fn first_import(code: &str) -> Option<&str> {
    let tokens = lex::Lexer::new(code).lex().ok()?;
    tokens
        .iter()
        .find(|t| matches!(t.1, lex::Tok::Word) && (t.0 == "import" || t.0 == "include"))
        .map(|t| t.0)
}

/// Byte offsets of every `$__loc__` in `tokens` (string interpolations included), each with
/// whether it is an object-construction shorthand (`{a, $__loc__}`).
fn loc_vars(
    code: &str,
    tokens: &[lex::Token<&str>],
    in_object: bool,
    out: &mut Vec<(usize, bool)>,
) {
    let sep = |t: Option<&lex::Token<&str>>| match t {
        None => true,
        Some(lex::Token(text, lex::Tok::Sym)) => *text == "," || *text == "}",
        _ => false,
    };
    for (i, lex::Token(text, tok)) in tokens.iter().enumerate() {
        match tok {
            lex::Tok::Var if *text == "$__loc__" => {
                let prev = i.checked_sub(1).and_then(|j| tokens.get(j));
                let short = in_object && sep(prev) && sep(tokens.get(i + 1));
                out.push((offset_in(code, text), short));
            }
            lex::Tok::Block(inner) => loc_vars(code, inner, text.starts_with('{'), out),
            lex::Tok::Str(parts) => {
                for part in parts {
                    if let lex::StrPart::Term(t) = part {
                        loc_vars(code, std::slice::from_ref(t), false, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// jq 1.7's `$__loc__`: `{"file":"<top-level>","line":N}` for the line it is written on.
fn with_locations(code: &str) -> std::borrow::Cow<'_, str> {
    if !code.contains("$__loc__") {
        return std::borrow::Cow::Borrowed(code);
    }
    let Ok(tokens) = lex::Lexer::new(code).lex() else {
        return std::borrow::Cow::Borrowed(code);
    };
    let mut at = Vec::new();
    loc_vars(code, &tokens, false, &mut at);
    at.sort_unstable();
    let mut out = String::with_capacity(code.len() + at.len() * 48);
    let mut last = 0;
    for (off, short) in at {
        let line = code[..off].matches('\n').count() + 1;
        out.push_str(&code[last..off]);
        if short {
            out.push_str("\"__loc__\": ");
        }
        out.push_str(&format!("{{\"file\":\"<top-level>\",\"line\":{line}}}"));
        last = off + "$__loc__".len();
    }
    out.push_str(&code[last..]);
    std::borrow::Cow::Owned(out)
}

/// Compile `code`.
pub fn compile(code: &str) -> Result<Program, CompileError> {
    let located = with_locations(code);
    let code: &str = &located;
    // Modules and data files would be read from the server's disk: not offered.
    if let Some(at) = first_import(code) {
        return Err(CompileError {
            message: format!(
                "`{at}` is not available here (modules and data files are not offered)"
            ),
            offset: offset_in(code, at),
        });
    }
    let defs = jaq_core::defs()
        .chain(parse_defs(PRELUDE))
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
        .chain(parse_defs(EXTRA));
    let funs = jaq_core::funs::<D>()
        .chain(jaq_std::funs::<D>().filter(|(name, _, _)| !WITHHELD.contains(name)))
        .chain(jaq_json::funs::<D>());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let modules = loader
        .load(&arena, File { code, path: () })
        .map_err(|errs| {
            let first = errs.into_iter().next().map(|(_, e)| e);
            match first {
                Some(jaq_core::load::Error::Lex(es)) => {
                    es.into_iter()
                        .next()
                        .map(|(expect, at): lex::Error<&str>| CompileError {
                            message: format!("expected {}", lex_expect(&expect)),
                            offset: offset_in(code, at),
                        })
                }
                Some(jaq_core::load::Error::Parse(es)) => {
                    es.into_iter()
                        .next()
                        .map(|(expect, at): parse::Error<&str>| {
                            let found = if at.is_empty() {
                                "end of filter".to_string()
                            } else {
                                format!("`{}`", at.chars().take(20).collect::<String>())
                            };
                            CompileError {
                                message: format!("expected {}, found {found}", expect.as_str()),
                                offset: offset_in(code, at),
                            }
                        })
                }
                Some(jaq_core::load::Error::Io(es)) => {
                    es.into_iter().next().map(|(at, msg)| CompileError {
                        message: format!("cannot import: {msg}"),
                        offset: offset_in(code, at),
                    })
                }
                None => None,
            }
            .unwrap_or(CompileError {
                message: "does not parse".into(),
                offset: 0,
            })
        })?;
    let filter = Compiler::default()
        .with_funs(funs)
        .with_global_vars(["$ENV"])
        .compile(modules)
        .map_err(|errs| {
            errs.into_iter()
                .flat_map(|(_, es)| es)
                .next()
                .map(|(name, undefined)| CompileError {
                    message: format!("undefined {} `{name}`", undefined.as_str()),
                    offset: offset_in(code, name),
                })
                .unwrap_or(CompileError {
                    message: "does not compile".into(),
                    offset: 0,
                })
        })?;
    Ok(Program { filter })
}

fn lex_expect(e: &lex::Expect<&str>) -> &'static str {
    match e {
        lex::Expect::Delim(d) if !["(", "[", "{", "\""].contains(d) => "closing delimiter",
        other => other.as_str(),
    }
}

/// Parse one JSON value (jaq's reader: arbitrary-precision numbers are kept as written).
pub fn parse_json(text: &[u8]) -> Result<Val, String> {
    jaq_json::read::parse_single(text).map_err(|e| e.to_string())
}

/// Parse a stream of JSON values (whitespace-separated, as jq reads its input).
pub fn parse_json_stream(text: &[u8]) -> Result<Vec<Val>, String> {
    jaq_json::read::parse_many(text)
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

impl Program {
    /// Run over `input`, appending outputs to `out` (counted against `lim` together with what
    /// `out` already holds).
    pub fn run(&self, input: Val, lim: &RunLimits, out: &mut Vec<Val>) -> Result<(), RunError> {
        self.run_term(self.filter.id, input, lim, out)
    }

    /// The context every top-level term runs in: `$ENV` bound to an empty object.
    fn ctx(&self) -> Ctx<'_, D> {
        let env = Val::Obj(Default::default());
        Ctx::<D>::new(&self.filter.lut, Vars::new([env]))
    }

    /// Run the term `id` (the program, or a top-level part of it) as [`Program::run`] does.
    fn run_term(
        &self,
        id: jaq_core::compile::TermId,
        input: Val,
        lim: &RunLimits,
        out: &mut Vec<Val>,
    ) -> Result<(), RunError> {
        // Evaluation checks the deadline itself (vendor/jaq-core/src/budget.rs), between
        // outputs and where there are none to check between (`[repeat(1)]`).
        jaq_core::budget::set_deadline(Some(lim.deadline));
        for r in id.run((self.ctx(), input)).map(unwrap_valr) {
            if out.len() >= lim.max_outputs {
                return Err(RunError::TooManyOutputs(lim.max_outputs));
            }
            match r {
                Ok(v) => out.push(v),
                Err(e) => return Err(raised(e, lim)),
            }
        }
        Ok(())
    }
}

/// The run error for an error the filter raised.
fn raised(e: jaq_core::Error<Val>, lim: &RunLimits) -> RunError {
    // A string error reads as itself (jq prints `error("x")` as x); any other value as its
    // JSON, marked as jq marks it.
    let mut msg = match e.into_val() {
        Val::TStr(b) | Val::BStr(b) => String::from_utf8_lossy(&b).into_owned(),
        other => format!("{other} (not a string)"),
    };
    if msg == jaq_core::budget::MESSAGE && Instant::now() > lim.deadline {
        return RunError::Timeout;
    }
    if msg.len() > 1000 {
        let cut = (0..=1000)
            .rev()
            .find(|&i| msg.is_char_boundary(i))
            .unwrap_or(0);
        msg.truncate(cut);
        msg.push('…');
    }
    RunError::Raised(msg)
}

/// Deepest nesting written; deeper output is an error rather than a stack overflow.
pub const MAX_WRITE_DEPTH: usize = 2_000;

/// Write `v` as JSON. Numbers jq cannot represent in JSON follow jq 1.7: NaN is `null`, ±infinity
/// the largest finite double. `None` when the value nests deeper than [`MAX_WRITE_DEPTH`].
pub fn write_json(v: &Val, buf: &mut Vec<u8>) -> Option<()> {
    write_at(v, buf, 0)
}

fn write_str(bytes: &[u8], buf: &mut Vec<u8>) {
    // serde_json's escaping; writing into a Vec cannot fail. Valid UTF-8 (nearly always) is
    // checked by the fast validator, not walked chunk by chunk as the lossy conversion does.
    let _ = match std::str::from_utf8(bytes) {
        Ok(s) => serde_json::to_writer(&mut *buf, s),
        Err(_) => serde_json::to_writer(&mut *buf, &*String::from_utf8_lossy(bytes)),
    };
}

fn write_at(v: &Val, buf: &mut Vec<u8>, depth: usize) -> Option<()> {
    if depth > MAX_WRITE_DEPTH {
        return None;
    }
    match v {
        Val::Null => buf.extend_from_slice(b"null"),
        Val::Bool(true) => buf.extend_from_slice(b"true"),
        Val::Bool(false) => buf.extend_from_slice(b"false"),
        Val::Num(n) => write_num(n, buf),
        Val::TStr(b) | Val::BStr(b) => write_str(b, buf),
        Val::Arr(a) => {
            buf.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                write_at(x, buf, depth + 1)?;
            }
            buf.push(b']');
        }
        Val::Obj(o) => {
            buf.push(b'{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                match k {
                    Val::TStr(b) | Val::BStr(b) => write_str(b, buf),
                    other => write_str(other.to_string().as_bytes(), buf),
                }
                buf.push(b':');
                write_at(x, buf, depth + 1)?;
            }
            buf.push(b'}');
        }
    }
    Some(())
}

fn write_num(n: &Num, buf: &mut Vec<u8>) {
    use std::io::Write as _;
    // jaq-json writes numbers as jq does (NaN as null, infinities as the largest doubles,
    // whole doubles without a fraction, literals as written); writing into a Vec cannot fail.
    let _ = write!(buf, "{n}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, input: &str) -> Result<String, RunError> {
        let p = compile(code).unwrap();
        let mut out = Vec::new();
        let lim = RunLimits {
            max_outputs: 100,
            deadline: Instant::now() + std::time::Duration::from_secs(5),
        };
        p.run(parse_json(input.as_bytes()).unwrap(), &lim, &mut out)?;
        let mut buf = Vec::new();
        for v in &out {
            write_json(v, &mut buf).unwrap();
            buf.push(b' ');
        }
        Ok(String::from_utf8(buf).unwrap().trim_end().to_string())
    }

    #[test]
    fn runs_and_writes_json() {
        assert_eq!(run(".[] | .a", r#"[{"a":1},{"a":2}]"#).unwrap(), "1 2");
        assert_eq!(
            run(
                "map(select(.age > 30) | {name})",
                r#"[{"name":"x","age":40},{"name":"y","age":3}]"#
            )
            .unwrap(),
            r#"[{"name":"x"}]"#
        );
        assert_eq!(
            run("1.0, 1.5, 2 / 1, nan, infinite", "null").unwrap(),
            "1.0 1.5 2 null 1.7976931348623157e+308"
        );
        assert_eq!(
            run("100000000000000000000000001", "null").unwrap(),
            "100000000000000000000000001"
        );
    }

    #[test]
    fn repeated_object_keys_share_their_bytes() {
        let v = parse_json(br#"[{"name":1,"b":2},{"name":3},{"x\u0041":4}]"#).unwrap();
        let Val::Arr(rows) = v else { panic!("array") };
        let key_ptr = |row: &Val| match row {
            Val::Obj(o) => match o.keys().next() {
                Some(Val::TStr(b)) => (b.as_ptr(), b.to_vec()),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        let (a, b, c) = (key_ptr(&rows[0]), key_ptr(&rows[1]), key_ptr(&rows[2]));
        assert_eq!(a, b, "both `name` keys point at one copy");
        assert_eq!(c.1, b"xA", "escapes in keys are still decoded");
        assert_eq!(
            run(
                ".[0].name, .[1].name, .[2].xA",
                r#"[{"name":1},{"name":3},{"x\u0041":4}]"#
            )
            .unwrap(),
            "1 3 4"
        );
    }

    #[test]
    fn the_added_definitions_parse() {
        assert_eq!(parse_defs(PRELUDE).len(), 3);
        assert_eq!(parse_defs(EXTRA).len(), 23);
        assert_eq!(
            run("[.[] | IN(2, 3)]", "[1,2,3]").unwrap(),
            "[false,true,true]"
        );
        assert_eq!(
            run("INDEX(.id) | keys", r#"[{"id":"b"},{"id":"a"}]"#).unwrap(),
            r#"["a","b"]"#
        );
        assert_eq!(run("[tostream]", "[1]").unwrap(), "[[[0],1],[[0]]]");
    }

    #[test]
    fn every_listed_builtin_exists() {
        let p = compile("builtins").unwrap();
        let mut out = Vec::new();
        let lim = RunLimits {
            max_outputs: 10,
            deadline: Instant::now() + std::time::Duration::from_secs(5),
        };
        p.run(Val::Null, &lim, &mut out).unwrap();
        let Val::Arr(names) = &out[0] else { panic!() };
        let mut missing = Vec::new();
        for n in names.iter() {
            let n = n.to_string().trim_matches('"').to_string();
            let (name, arity) = n.split_once('/').unwrap();
            let args = vec!["."; arity.parse().unwrap()].join("; ");
            let call = if args.is_empty() {
                name.to_string()
            } else {
                format!("{name}({args})")
            };
            if compile(&call).is_err() {
                missing.push(n);
            }
        }
        assert!(missing.is_empty(), "listed but not defined: {missing:?}");
    }

    #[test]
    fn the_server_stays_out_of_reach() {
        assert_eq!(run("env", "null").unwrap(), "{}");
        assert_eq!(run("$ENV", "null").unwrap(), "{}");
        assert_eq!(run("debug | . + 1", "1").unwrap(), "2");
        assert!(compile(r#"import "etc/passwd" as p; ."#).is_err());
        assert_eq!(
            run("[$__loc__, \"\\($__loc__)\"]", "null").unwrap(),
            r#"[{"file":"<top-level>","line":1},"{\"file\":\"<top-level>\",\"line\":1}"]"#
        );
        assert_eq!(run("1 |\n $__loc__.line", "null").unwrap(), "2");
        assert_eq!(
            run("{a: 1, $__loc__}", "null").unwrap(),
            r#"{"a":1,"__loc__":{"file":"<top-level>","line":1}}"#
        );
        assert_eq!(run("[1, $__loc__.line]", "null").unwrap(), "[1,1]");
        assert_eq!(run("\"$__loc__\"", "null").unwrap(), r#""$__loc__""#);
        assert_eq!(
            run("@csv, @tsv", r#"[1,"a,\"b",null,true,"t\tn\n\\"]"#).unwrap(),
            "\"1,\\\"a,\\\"\\\"b\\\",,true,\\\"t\\tn\\n\\\\\\\"\" \"1\\ta,\\\"b\\t\\ttrue\\tt\\\\tn\\\\n\\\\\\\\\""
        );
        assert!(run("@csv", r#"[{"a":1}]"#).is_err());
        // A repeated string is capped (vendor/jaq-json): no gigabyte from a short filter.
        assert!(run(r#""abc" * 1000000000"#, "null").is_err());
        assert_eq!(run(r#""ab" * 3"#, "null").unwrap(), r#""ababab""#);
        let e = compile(r#"import "data" as $a; $a"#).unwrap_err();
        assert!(e.message.contains("not available"), "{e:?}");
        assert_eq!(run(r#""import""#, "null").unwrap(), r#""import""#);
    }

    #[test]
    fn errors_say_where_and_limits_hold() {
        let e = compile(".[").unwrap_err();
        assert!(e.describe(".[").contains("line 1"), "{e:?}");
        let e = compile(".a | nosuchfn").unwrap_err();
        assert_eq!(e.offset, 5, "{e:?}");
        assert!(e.message.contains("nosuchfn"), "{e:?}");
        assert_eq!(run("repeat(1)", "null"), Err(RunError::TooManyOutputs(100)));
        assert!(
            matches!(run("error(\"boom\")", "null"), Err(RunError::Raised(m)) if m.contains("boom"))
        );
    }

    #[test]
    fn loops_that_yield_nothing_stop_at_the_deadline() {
        // Each yields no output while it runs, so only evaluation itself can stop it.
        for code in [
            "[repeat(1)]",
            "last(range(1e15))",
            "reduce repeat(1) as $x (0; . + 1)",
            "[limit(1e15; repeat(1))] | length",
            "try [repeat(1)] catch 0",
            "def f: f; f",
            "[range(1e15)] | length",
        ] {
            let p = compile(code).unwrap();
            let lim = RunLimits {
                max_outputs: 10,
                deadline: Instant::now() + std::time::Duration::from_millis(100),
            };
            let started = Instant::now();
            let mut out = Vec::new();
            assert_eq!(
                p.run(Val::Null, &lim, &mut out),
                Err(RunError::Timeout),
                "{code}"
            );
            // Stopped soon after the deadline (generous: the test machine may be busy).
            assert!(started.elapsed().as_secs() < 5, "{code}");
        }
        // The deadline is per run: the next run on this thread is not stopped by the last one's.
        assert_eq!(run("[limit(3; repeat(1))]", "null").unwrap(), "[1,1,1]");
    }
}
