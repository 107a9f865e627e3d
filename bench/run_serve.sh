#!/usr/bin/env bash
# bench/run_serve.sh BUILD_DIR: sitrep serve under load.  A store of 10,000
# reports (bench/make_reports.py: many stories, dyads and outlets); wrk
# (Debian) from one core against sitrep serve on the other (one worker
# thread), for the story list, a brief, a dyad timeline and a search.  The
# reference, in the same run on the same core: nginx (Debian, one worker)
# serving the very same responses saved as static files - the ceiling of
# this machine for answers of that size.  Then the same two routes with
# sitrep's answer cache off (every request runs its SQL), and a soak of
# $BENCH_SERVE_SOAK seconds (default 60) over many URLs sampling sitrep's
# resident memory.  Target: >= 50% of nginx's rate on the story list and
# briefs, p99 < 10 ms, memory flat.
set -euo pipefail
build=${1:?usage: bench/run_serve.sh BUILD_DIR}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
sitrep=$build/sitrep
secs=${BENCH_SERVE_SECS:-10}
conns=${BENCH_SERVE_CONNS:-8}
soak=${BENCH_SERVE_SOAK:-60}
for t in wrk nginx curl python3 taskset; do
  command -v $t >/dev/null || [ -x /usr/sbin/$t ] || { echo "serve bench: skipped: $t not installed (scripts/install-deps.sh)"; exit 0; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
server_cpu=0 client_cpu=1
[ "$(nproc)" -ge 2 ] || client_cpu=0

python3 "$src/bench/make_reports.py" 10000 "$work/reports.jsonl"
t0=$(date +%s.%N)
"$sitrep" ingest -q --db "$work/s.db" "$work/reports.jsonl" 2>/dev/null
t1=$(date +%s.%N)
read -r docs stories < <(sqlite3 "$work/s.db" "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM stories WHERE merged_into IS NULL)" | tr '|' ' ')
echo "serve bench: store of $docs documents, $stories stories (ingested in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s)"

start_sitrep() {   # ARGS...: one worker thread on the server core; sets $url, $spid
  # the previous server's address must not be read for this one's (the
  # redirection below happens in the child, after this shell goes on)
  rm -f "$work/url"
  "$sitrep" serve --db "$work/s.db" --listen 127.0.0.1:0 --threads 1 "$@" > "$work/url" 2> "$work/serve.err" &
  spid=$!
  pids+=("$spid")
  for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.05; done
  taskset -a -p -c $server_cpu "$spid" > /dev/null
  url=$(head -1 "$work/url")
  url=${url%/}
  for _ in $(seq 100); do curl -sf "$url/api/health" > /dev/null && break; sleep 0.05; done
}
start_sitrep

# the routes: the story list, the brief of a story of median size, the
# busiest dyad by week, a search
story=$(curl -s "$url/api/stories?limit=1000" | python3 -c 'import json,sys; s=sorted(json.load(sys.stdin)["items"], key=lambda x: x["documents"]); print(s[len(s)//2]["id"])')
dyad=$(curl -s "$url/api/network" | python3 -c 'import json,sys; e=json.load(sys.stdin)["edges"][0]; print(e["source"] + "/" + e["target"])')
declare -A path=(
  [stories]="/api/stories"
  [brief]="/api/stories/$story/brief"
  [dyad]="/api/dyads/$dyad/timeline?bucket=week"
  [search]="/api/search?q=submarine"
)
order=(stories brief dyad search)

# nginx: the same bytes as static files, one worker on the same core
mkdir -p "$work/static" "$work/nginx/tmp"
for n in "${order[@]}"; do curl -sf "$url${path[$n]}" -o "$work/static/$n.json"; done
chmod -R o+rX "$work/static"
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  # the tuned static-file server: descriptors and sizes kept open, not
  # reopened per request
  open_file_cache max=64 inactive=600s;
  open_file_cache_valid 600s;
  keepalive_requests 10000000;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  types { }
  default_type application/json;
  server { listen 127.0.0.1:$nport; root $work/static; }
}
EOF
taskset -c $server_cpu "$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/stories.json" && break; sleep 0.05; done
nworkers=$(pgrep -P "$(cat "$work/nginx/nginx.pid")" | tr '\n' ' ')

# cpu PID...: user+system CPU seconds the processes have used so far
cpu() {
  local t=0 p
  for p in "$@"; do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  awk -v t="$t" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}
# load TARGET_URL PID...: "requests/s p50_ms p99_ms non-2xx requests-per-CPU-second";
# the last is the server's throughput per core whatever else the machine runs
load() {
  local target=$1; shift
  local c0 c1
  c0=$(cpu "$@")
  taskset -c $client_cpu wrk -t1 -c"$conns" -d"${secs}s" --latency "$target" > "$work/wrk.out" 2>&1
  c1=$(cpu "$@")
  awk -v cpu="$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /requests in/ { n = $1 }
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.3f %.3f %d %.0f\n", rps, p50, p99, bad, (cpu > 0 ? n / cpu : 0) }' "$work/wrk.out"
}
line() {   # NAME sitrep-figures nginx-figures LABEL
  read -r sr s50 s99 sbad scpu <<< "$2"
  read -r nr n50 n99 _ ncpu <<< "$3"
  awk -v n="$1" -v sr="$sr" -v s50="$s50" -v s99="$s99" -v scpu="$scpu" -v nr="$nr" -v n50="$n50" -v n99="$n99" \
      -v ncpu="$ncpu" -v bad="$sbad" -v b="$4" 'BEGIN {
    printf "serve bench: %-8s %-9s sitrep %6.0f req/CPU-s, %6.0f req/s (p50 %.2f ms, p99 %.2f ms) = %.2f x nginx %6.0f req/CPU-s, %6.0f req/s (p50 %.2f ms, p99 %.2f ms)%s\n",
      n, b, scpu, sr, s50, s99, ncpu ? scpu / ncpu : 0, ncpu, nr, n50, n99, bad ? "  NON-2XX: " bad : "" }'
}
echo "serve bench: wrk -t1 -c$conns ${secs}s each; sitrep serve --threads 1 and nginx (1 worker) on CPU $server_cpu, wrk on CPU $client_cpu; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "serve bench: req/CPU-s = requests answered per second of the server's own CPU time (per core, whatever else runs); req/s and latency are wall-clock"
for n in "${order[@]}"; do
  bytes=$(stat -c %s "$work/static/$n.json")
  s=$(load "$url${path[$n]}" "$spid")
  g=$(load "http://127.0.0.1:$nport/$n.json" $nworkers)
  line "$n" "$s" "$g" "${bytes}B"
done

# the same with the answer cache off: every request runs its queries
kill "$spid" || true; wait "$spid" 2>/dev/null || true
start_sitrep --cache-mb 0
for n in stories brief dyad search; do
  s=$(load "$url${path[$n]}" "$spid")
  g=$(load "http://127.0.0.1:$nport/$n.json" $nworkers)
  line "$n" "$s" "$g" "uncached"
done
kill "$spid" || true; wait "$spid" 2>/dev/null || true

# soak: many URLs (every route, 200 briefs and timelines), memory sampled
start_sitrep
curl -s "$url/api/stories?limit=200" | python3 -c '
import json, sys
ids = [s["id"] for s in json.load(sys.stdin)["items"]]
paths = ["/api/stories", "/api/health", "/api/network", "/api/search?q=radar", "/api/events?limit=100"]
paths += ["/api/stories/%d/brief" % i for i in ids] + ["/api/stories/%d" % i for i in ids[:50]]
cs = ["TUR", "JPN", "IND", "FRA", "EGY", "BRA", "DEU", "ITA", "ESP", "POL", "GRC", "CAN", "MEX", "CHL", "PER"]
paths += ["/api/dyads/%s/%s/timeline?bucket=%s" % (a, b, k) for a in cs for b in cs if a != b for k in ("week",)][:200]
print("local paths = {" + ",".join(json.dumps(p) for p in paths) + "}")
print("local i = 0")
print("request = function() i = i % #paths + 1; return wrk.format(\"GET\", paths[i]) end")
' > "$work/soak.lua"
rss() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$spid/status"; }
samples=("$(rss)")
taskset -c $client_cpu wrk -t1 -c"$conns" -d"${soak}s" -s "$work/soak.lua" "$url/" > "$work/soak.out" 2>&1 &
wpid=$!
for _ in $(seq $((soak / 5))); do sleep 5; samples+=("$(rss)"); done
wait "$wpid" || true
rps=$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$work/soak.out")
echo "serve bench: soak ${soak}s over $(grep -o '"/api' "$work/soak.lua" | wc -l) URLs: $rps req/s; resident memory (MiB) every 5 s: ${samples[*]}"
awk -v s="${samples[*]}" 'BEGIN { n = split(s, a, " "); min = a[2]; max = a[2];
  for (i = 2; i <= n; i++) { if (a[i] < min) min = a[i]; if (a[i] > max) max = a[i] }
  printf "serve bench: memory after warm-up %.1f .. %.1f MiB (%+.1f MiB from 5 s to the end)\n", min, max, a[n] - a[2] }'
