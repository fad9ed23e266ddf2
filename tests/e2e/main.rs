//! End-to-end tests: start the real `flowforge` binary and call it over HTTP.
