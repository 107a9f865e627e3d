# tests/http_fixture/lib.sh: sourced by tests/e2e/watch_*.sh.
#   fixture_start DIR [server options]   starts server.py on 127.0.0.1, sets
#                                        FIXTURE_PID, PORT, BASE; its log is DIR/log
#   fixture_stop                         stops it (also done on exit)
# A test without python3 or the sqlite3 CLI is skipped (exit 77).
command -v python3 >/dev/null || { echo "skipped: python3 not installed (the test HTTP server)"; exit 77; }
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 (the CLI) not installed"; exit 77; }

fixture_start() {
  local dir=$1; shift
  rm -f "$dir/port"
  python3 "$SITREP_SRC/tests/http_fixture/server.py" --reports "$SITREP_SRC/examples/reports.jsonl" \
      --port-file "$dir/port" --log "$dir/log" --lifetime 240 "$@" &
  FIXTURE_PID=$!
  for _ in $(seq 200); do [ -s "$dir/port" ] && break; sleep 0.05; done
  [ -s "$dir/port" ] || { echo "FAIL: the fixture server did not start"; exit 1; }
  PORT=$(cat "$dir/port")
  BASE="http://127.0.0.1:$PORT"
}

fixture_stop() {
  if [ -n "${FIXTURE_PID:-}" ]; then
    kill "$FIXTURE_PID" 2>/dev/null
    wait "$FIXTURE_PID" 2>/dev/null
    FIXTURE_PID=
  fi
}

fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
q()   { sqlite3 "$1" "$2"; }
# requests the server saw for a path (exact match)
hits() { awk -v p="$1" '$4 == p' "$FIXTURE_DIR/log" | wc -l; }
