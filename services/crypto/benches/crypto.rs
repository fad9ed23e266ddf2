//! Criterion benchmarks of the crypto service's hot paths: digests, MACs, AEAD, key derivation.
//! Run with `cargo bench -p flowforge-crypto`; figures and the OpenSSL comparison are in
//! docs/performance.md.

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use flowforge_crypto::cipher::{self, Argon2Params, CipherAlgorithm, KdfLimits, KeySource};
use flowforge_crypto::hash::{HashAlgorithm, digest};
use flowforge_crypto::mac::{self, MacAlgorithm};

fn digests(c: &mut Criterion) {
    let mut g = c.benchmark_group("hash");
    for size in [100usize, 64 << 10, 1 << 20] {
        let data = vec![0x5au8; size];
        g.throughput(Throughput::Bytes(size as u64));
        for alg in [
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha512,
            HashAlgorithm::Sha3_256,
            HashAlgorithm::Blake3,
            HashAlgorithm::Md5,
        ] {
            g.bench_with_input(BenchmarkId::new(alg.name(), size), &data, |b, d| {
                b.iter(|| digest(alg, d))
            });
        }
    }
    g.finish();
}

fn macs(c: &mut Criterion) {
    let data = vec![1u8; 1024];
    c.bench_function("hmac-sha256/1KiB", |b| {
        b.iter(|| mac::sign(MacAlgorithm::Sha256, b"key", &data, "key"))
    });
}

fn aead(c: &mut Criterion) {
    let mut g = c.benchmark_group("encrypt");
    let key = KeySource::Raw(vec![7u8; 32]);
    let data = vec![3u8; 64 << 10];
    g.throughput(Throughput::Bytes(data.len() as u64));
    for alg in [
        CipherAlgorithm::Aes256Gcm,
        CipherAlgorithm::ChaCha20Poly1305,
        CipherAlgorithm::XChaCha20Poly1305,
    ] {
        g.bench_function(alg.name(), |b| {
            b.iter(|| {
                cipher::encrypt(
                    alg,
                    &key,
                    &Argon2Params::default(),
                    &KdfLimits::default(),
                    &data,
                    b"",
                )
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("kdf");
    g.sample_size(10);
    g.bench_function("argon2id-default", |b| {
        b.iter(|| cipher::derive_key(b"passphrase", b"saltsaltsaltsalt", &Argon2Params::default()))
    });
    g.finish();
}

criterion_group!(benches, digests, macs, aead);
criterion_main!(benches);
