#!/usr/bin/env bash
# Regenerates tests/hostile/base/ and tests/hostile/corpus/ (see README.md beside this file).
# Deterministic: running it again gives the same bytes. The expectations, expected.tsv, are
# written by hand: review `cargo test --test reliability` after regenerating.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo run --release --quiet --example make_hostile_corpus -- tests/hostile
