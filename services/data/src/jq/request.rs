//! One jq request, from its inputs to its answer: the inputs read (a raw body as one JSON value
//! or a stream of them, or the `input` or `inputs` field), the filter compiled and run over each
//! input under the limits, and every output written as `{"outputs":[…]}`.

use std::time::{Duration, Instant};

use jaq_json::Val;

use super::{MAX_WRITE_DEPTH, MIN_SPLIT_BYTES, RunLimits};
use crate::error::DataError;

/// What bounds one request (from the service's configuration).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of an input (DATA_MAX_DEPTH).
    pub max_depth: usize,
    /// Longest run (DATA_JQ_TIMEOUT_MS).
    pub timeout: Duration,
    /// Most outputs in all.
    pub max_outputs: usize,
    /// Threads a large input array may be split over.
    pub threads: usize,
}

/// Where a request's inputs are.
#[derive(Debug, Clone, Copy)]
pub enum Inputs<'a> {
    /// The raw body: one JSON value or a stream of them (empty: `null`).
    Body(&'a [u8]),
    /// The JSON form's `input` (one value) or `inputs` (an array of values), as JSON text.
    Fields {
        /// `input`.
        input: Option<&'a str>,
        /// `inputs`.
        inputs: Option<&'a str>,
    },
}

impl Inputs<'_> {
    fn len(&self) -> usize {
        match self {
            Inputs::Body(b) => b.len(),
            Inputs::Fields { input, inputs } => {
                input.map_or(0, str::len) + inputs.map_or(0, str::len)
            }
        }
    }

    fn read(self, lim: &Limits) -> Result<Vec<Val>, DataError> {
        match self {
            Inputs::Body(bytes) => {
                // One pass checks the depth and finds where a large array can be cut, so its
                // parts are read in parallel.
                let scan = super::scan(bytes, lim.max_depth, lim.threads);
                if scan.too_deep {
                    return Err(DataError::too_deep("body", lim.max_depth));
                }
                if bytes.trim_ascii().is_empty() {
                    return Ok(vec![Val::Null]);
                }
                super::parse_json_stream_split(bytes, scan.parts.as_deref())
                    .map_err(|e| DataError::invalid("body", format!("is not JSON: {e}")))
            }
            Inputs::Fields { input, inputs } => {
                let (field, text) = match (input, inputs) {
                    (Some(_), Some(_)) => {
                        return Err(DataError::invalid(
                            "inputs",
                            "give either `input` or `inputs`, not both",
                        ));
                    }
                    (_, Some(i)) => ("inputs", i),
                    (i, None) => ("input", i.unwrap_or("null")),
                };
                if super::depth_over(text.as_bytes(), lim.max_depth) {
                    return Err(DataError::too_deep(field, lim.max_depth));
                }
                let v = super::parse_json(text.as_bytes())
                    .map_err(|e| DataError::invalid(field, format!("is not JSON: {e}")))?;
                if field == "input" {
                    return Ok(vec![v]);
                }
                match v {
                    Val::Arr(a) => Ok(a.iter().cloned().collect()),
                    _ => Err(DataError::invalid(
                        "inputs",
                        "must be an array of input values",
                    )),
                }
            }
        }
    }
}

/// Run `filter` over every input; the answer's body, `{"outputs":[…]}`. The deadline counts
/// from `started`, when the request began.
pub fn answer(
    filter: &str,
    inputs: Inputs<'_>,
    lim: &Limits,
    started: Instant,
) -> Result<Vec<u8>, DataError> {
    let deadline = started + lim.timeout;
    let large = inputs.len() >= MIN_SPLIT_BYTES;
    let inputs = inputs.read(lim)?;
    let program =
        super::compile(filter).map_err(|e| DataError::invalid("filter", e.describe(filter)))?;
    let run = RunLimits {
        max_outputs: lim.max_outputs,
        deadline,
    };
    let mut outputs = Vec::new();
    // Inputs a program maps element by element (`map(f)`, `.[] | f`) are only borrowed, so
    // their memory is given back after the answer is written.
    let mut kept = Vec::new();
    for input in inputs {
        match program.run_split(&input, lim.threads, &run, &mut outputs) {
            Some(r) => {
                r.map_err(|e| e.into_error(lim.timeout))?;
                kept.push(input);
            }
            None => program
                .run(input, &run, &mut outputs)
                .map_err(|e| e.into_error(lim.timeout))?,
        }
    }
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"{\"outputs\":[");
    super::write_outputs(&outputs, lim.threads, &mut out).ok_or_else(|| {
        DataError::failed(
            "filter",
            format!("an output nests deeper than {MAX_WRITE_DEPTH} levels and cannot be written"),
        )
    })?;
    out.extend_from_slice(b"]}");
    // Freeing a large input's values takes a good part of a second: done beside the answer
    // rather than before it.
    if large {
        // Where no thread can be made, they are freed here when the closure is dropped.
        let _ = std::thread::Builder::new()
            .name("jq-free".into())
            .spawn(move || drop((kept, outputs)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use flowforge_kit::DomainError;

    use super::*;

    const LIM: Limits = Limits {
        max_depth: 8,
        timeout: Duration::from_secs(5),
        max_outputs: 100,
        threads: 2,
    };

    fn run(filter: &str, inputs: Inputs<'_>) -> Result<String, DataError> {
        answer(filter, inputs, &LIM, Instant::now()).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn body_is_a_stream_and_fields_are_one_or_many() {
        assert_eq!(
            run(".a", Inputs::Body(b"{\"a\":1} {\"a\":2}")).unwrap(),
            r#"{"outputs":[1,2]}"#
        );
        assert_eq!(
            run(".", Inputs::Body(b"  ")).unwrap(),
            r#"{"outputs":[null]}"#
        );
        let one = Inputs::Fields {
            input: Some("[1,2]"),
            inputs: None,
        };
        assert_eq!(run("length", one).unwrap(), r#"{"outputs":[2]}"#);
        let many = Inputs::Fields {
            input: None,
            inputs: Some("[[1],[1,2]]"),
        };
        assert_eq!(run("length", many).unwrap(), r#"{"outputs":[1,2]}"#);
        let none = Inputs::Fields {
            input: None,
            inputs: None,
        };
        assert_eq!(run(".", none).unwrap(), r#"{"outputs":[null]}"#);
    }

    #[test]
    fn each_failure_names_its_field() {
        let both = Inputs::Fields {
            input: Some("1"),
            inputs: Some("[1]"),
        };
        assert_eq!(run(".", both).unwrap_err().field(), "inputs");
        let not_array = Inputs::Fields {
            input: None,
            inputs: Some("{}"),
        };
        assert_eq!(run(".", not_array).unwrap_err().field(), "inputs");
        assert_eq!(
            run(".", Inputs::Body(b"[[[[[[[[[[1]]]]]]]]]]"))
                .unwrap_err()
                .field(),
            "body"
        );
        assert_eq!(run(".", Inputs::Body(b"{")).unwrap_err().field(), "body");
        assert_eq!(run(".[", Inputs::Body(b"1")).unwrap_err().field(), "filter");
        assert_eq!(
            run("error(\"x\")", Inputs::Body(b"1")).unwrap_err().field(),
            "filter"
        );
    }
}
