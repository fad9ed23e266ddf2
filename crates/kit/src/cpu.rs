//! A bounded pool for CPU-heavy work (key derivation, key generation, large hashes): it runs off
//! the async runtime, at most `threads` jobs at once, at most `queue` more waiting; past that it
//! answers 503 SERVICE_UNAVAILABLE with Retry-After instead of queueing without bound.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use crate::error::ApiError;

/// The pool. Cheap to clone.
#[derive(Clone, Debug)]
pub struct CpuPool {
    admit: Arc<Semaphore>,
    run: Arc<Semaphore>,
    threads: usize,
    queue: usize,
    busy: Arc<AtomicUsize>,
}

impl CpuPool {
    /// A pool running `threads` jobs at once with `queue` more allowed to wait.
    pub fn new(threads: usize, queue: usize) -> Self {
        let threads = threads.max(1);
        CpuPool {
            admit: Arc::new(Semaphore::new(threads + queue)),
            run: Arc::new(Semaphore::new(threads)),
            threads,
            queue,
            busy: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Jobs admitted and not yet finished.
    pub fn in_flight(&self) -> usize {
        self.busy.load(Ordering::Relaxed)
    }

    /// Run `job` on a blocking thread. 503 with Retry-After when the pool and its queue are full;
    /// a panic in the job is an INTERNAL_ERROR, never a crash.
    pub async fn run<T, F>(&self, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let Ok(admitted) = self.admit.clone().try_acquire_owned() else {
            return Err(ApiError::unavailable(
                format!(
                    "the server is busy ({} CPU jobs running, {} waiting); retry in a second",
                    self.threads, self.queue
                ),
                1,
            ));
        };
        self.busy.fetch_add(1, Ordering::Relaxed);
        let _busy = BusyGuard(self.busy.clone());
        let running = self
            .run
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        let handle = tokio::task::spawn_blocking(move || {
            let _keep = (admitted, running);
            job()
        });
        match handle.await {
            Ok(v) => Ok(v),
            Err(e) if e.is_panic() => Err(ApiError::internal("a CPU job panicked")),
            Err(e) => Err(ApiError::internal(e)),
        }
    }
}

struct BusyGuard(Arc<AtomicUsize>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_full_pool_answers_503_with_retry_after() {
        let pool = CpuPool::new(1, 1);
        let slow = || std::thread::sleep(Duration::from_millis(300));
        let a = tokio::spawn({
            let p = pool.clone();
            async move { p.run(slow).await }
        });
        let b = tokio::spawn({
            let p = pool.clone();
            async move { p.run(slow).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let err = pool.run(|| ()).await.unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::ServiceUnavailable);
        assert_eq!(err.retry_after, Some(1));
        assert!(a.await.unwrap().is_ok());
        assert!(b.await.unwrap().is_ok());
        assert!(pool.run(|| 7).await.is_ok_and(|v| v == 7));
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_internal_error() {
        let pool = CpuPool::new(1, 0);
        let err = pool.run(|| -> u8 { panic!("boom") }).await.unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::InternalError);
    }
}
