//! Criterion benchmarks of the data-transform service's hot paths, on ~2.4 MB of records made
//! here (the shape bench/data-http.sh uses at 100 MB): reading JSON into jq values, the three
//! filters of issue 5's speed task, writing the outputs, and CSV to JSON records. The `jq`
//! binary's and Miller's figures for the same work over 100 MB are in docs/data-transform.md
//! (bench/data-http.sh).

#![allow(missing_docs)] // criterion_group! generates an undocumented function
#![allow(clippy::unwrap_used)] // fixed, valid inputs

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

// The allocator the service runs with (src/main.rs), so allocation costs are the service's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use flowforge_data::convert::{self, CsvLimits, CsvOptions};
use flowforge_data::jq::{self, RunLimits};

const FILTERS: [(&str, &str); 3] = [
    ("select-project", "map(select(.age > 30) | {name, city})"),
    (
        "group-avg",
        "group_by(.city) | map({city: .[0].city, n: length, avg: (map(.score) | add / length)})",
    ),
    (
        "median",
        "[.[] | select(.active and (.tags | index(\"a\"))) | .score] | sort | .[length / 2 | floor]",
    ),
];

fn records(n: usize) -> (Vec<u8>, Vec<u8>) {
    let cities = [
        "Berlin", "Paris", "Lisbon", "Oslo", "Rome", "Madrid", "Vienna", "Prague",
    ];
    let tags = ["a", "b", "c", "d", "e"];
    let mut x = 1u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut json = String::from("[");
    let mut csv = String::from("id,name,age,city,score,active\n");
    for i in 0..n {
        let (age, city) = (18 + next() % 73, cities[(next() % 8) as usize]);
        let score = (next() % 100_000) as f64 / 1000.0;
        let active = next() % 2 == 0;
        let (t1, t2) = (tags[(next() % 5) as usize], tags[(next() % 5) as usize]);
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!(
            r#"{{"id":{i},"name":"user{i}","age":{age},"city":"{city}","score":{score},"tags":["{t1}","{t2}"],"active":{active}}}"#
        ));
        csv.push_str(&format!("{i},user{i},{age},{city},{score},{active}\n"));
    }
    json.push(']');
    (json.into_bytes(), csv.into_bytes())
}

fn paths(c: &mut Criterion) {
    let (json, csv) = records(20_000);
    let lim = || RunLimits {
        max_outputs: usize::MAX,
        deadline: Instant::now() + Duration::from_secs(600),
    };
    let mut g = c.benchmark_group("data");
    g.sample_size(20);
    g.bench_function("jq: read 2.4 MB of JSON", |b| {
        b.iter(|| jq::parse_json(&json).unwrap())
    });
    let input = jq::parse_json(&json).unwrap();
    for (name, code) in FILTERS {
        let program = jq::compile(code).unwrap();
        g.bench_function(format!("jq: run {name}"), |b| {
            b.iter(|| {
                let mut out = Vec::new();
                program.run(input.clone(), &lim(), &mut out).unwrap();
                out
            })
        });
    }
    let program = jq::compile(FILTERS[0].1).unwrap();
    let mut out = Vec::new();
    program.run(input.clone(), &lim(), &mut out).unwrap();
    g.bench_function("jq: write the select-project output", |b| {
        b.iter(|| {
            let mut buf = Vec::new();
            for v in &out {
                jq::write_json(v, &mut buf).unwrap();
            }
            buf
        })
    });
    g.bench_function("convert: 1 MB of CSV to JSON records", |b| {
        b.iter(|| {
            let mut buf = Vec::new();
            let opt = CsvOptions {
                delimiter: b',',
                header: true,
                infer_types: true,
            };
            let lim = CsvLimits {
                max_rows: usize::MAX,
                max_columns: 1000,
            };
            convert::csv_to_json(&csv, opt, lim, false, &mut buf).unwrap();
            buf
        })
    });
    g.finish();
}

criterion_group!(benches, paths);
criterion_main!(benches);
