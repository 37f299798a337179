#!/usr/bin/env bash
# Tests the Docker image end to end, on a machine without a container registry:
#
#   - installs Debian's docker.io if no Docker daemon can be had (as root), and starts dockerd in
#     the background if none runs (and stops it again at the end);
#   - builds the jars if they are missing, then the image with docker/build.sh (local bases);
#   - starts containers on 127.0.0.1 ports Docker picks, waits until the image's HEALTHCHECK
#     says healthy, and checks them:
#       demo      started as docs/curl.md's <!-- serve --> block says (serve --demo and its
#                 --config options): every "live" recipe, the hgrpc CLI
#       fixture   the conformance fixture (repo-fixture.tar.gz) in a directory of repositories,
#                 chosen with HGRPC_REPOSITORY, settings from HGRPC_CONFIG, read-only root file
#                 system: every "recorded" recipe, the hgrpc CLI, pushkey writing as uid 10001,
#                 SIGTERM giving exit code 143
#       tls       HTTPS (--certificate) and basic authentication (--users), serving a repository
#                 Mercurial made with zstd compression when hg is installed
#       several   a directory of two repositories and no choice: refused, with the reason
#   - runs docs/curl.md's recipes as written with curl and the hgrpc CLI, compares what they
#     print with the doc, and the frame files they make with the committed docs/examples/;
#   - removes every container and image it made, whatever happens.
#
# Usage: bash docker/test.sh     (from anywhere; exit code 0 when everything passed)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
START=$(date +%s)
ID="t$$-$(date +%s)"
IMAGE="hgrpc-test:$ID"
BASE="hgrpc-test-base:$ID"
JDK_IMAGE="hgrpc-test-jdk:$ID"
HEALTH_TIMEOUT=${HGRPC_TEST_HEALTH_TIMEOUT:-120}
PASSED=0
FAILED=0
CONTAINERS=()
STARTED_DOCKERD=

say() { echo "docker/test.sh: $*"; }
die() { echo "docker/test.sh: FAILED: $*" >&2; exit 1; }
ok() { PASSED=$((PASSED + 1)); say "ok: $*"; }
bad() { FAILED=$((FAILED + 1)); echo "docker/test.sh: FAILED: $*" >&2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hgrpc-docker-test.XXXXXX")

cleanup() {
  local code=$?
  set +e
  for c in "${CONTAINERS[@]}"; do
    docker rm -f "$c" >/dev/null 2>&1
  done
  if docker info >/dev/null 2>&1; then
    docker rmi -f "$IMAGE" "$BASE" "$JDK_IMAGE" >/dev/null 2>&1
    for i in $(docker images -q -f "label=org.hgrpc.build=$ID" 2>/dev/null | sort -u); do
      docker rmi -f "$i" >/dev/null 2>&1
    done
  fi
  if [ -n "$STARTED_DOCKERD" ]; then
    kill "$STARTED_DOCKERD" 2>/dev/null
    for _ in $(seq 30); do kill -0 "$STARTED_DOCKERD" 2>/dev/null || break; sleep 1; done
  fi
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- Docker
if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "no Docker daemon runs and dockerd is not installed; as root: apt-get install docker.io"
    say "installing Debian's docker.io"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io; } >"$WORK/apt.log" 2>&1 \
      || { tail -30 "$WORK/apt.log" >&2; die "apt-get install docker.io failed"; }
  fi
  if ! docker info >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "no Docker daemon runs; start one (dockerd needs root)"
    say "starting dockerd (log: $WORK/dockerd.log, kept only while this runs)"
    dockerd >"$WORK/dockerd.log" 2>&1 &
    STARTED_DOCKERD=$!
    for _ in $(seq 60); do
      docker info >/dev/null 2>&1 && break
      kill -0 "$STARTED_DOCKERD" 2>/dev/null || { tail -30 "$WORK/dockerd.log" >&2; die "dockerd exited"; }
      sleep 1
    done
    docker info >/dev/null 2>&1 || { tail -30 "$WORK/dockerd.log" >&2; die "dockerd did not answer within 60 s"; }
  fi
fi
command -v curl >/dev/null || die "curl is not installed (apt-get install curl)"
say "docker: server $(docker version -f '{{.Server.Version}}' 2>/dev/null)"

# ---------------------------------------------------------------- jars and jlink's jmods
HGRPC_JAR=$ROOT/http-client/target/hgrpc.jar
# The server distribution: every built-in command, the repository's included.
SERVER_JAR=$ROOT/server/target/hgrpc-server.jar
if [ ! -f "$HGRPC_JAR" ] || [ ! -f "$SERVER_JAR" ]; then
  say "building the jars (mvn -B -q -DskipTests package)"
  (cd "$ROOT" && mvn -B -q -DskipTests package) || die "mvn package failed"
fi
[ -f "$HGRPC_JAR" ] && [ -f "$SERVER_JAR" ] || die "the build made no $HGRPC_JAR or $SERVER_JAR"

JDK=${JAVA_HOME:-}
if [ -z "$JDK" ] || [ ! -x "$JDK/bin/jlink" ]; then
  JDK=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
fi
if [ ! -d "$JDK/jmods" ]; then
  VERSION=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
    || die "$JDK has no jmods (jlink needs them): apt-get install openjdk-$VERSION-jmods"
  say "installing openjdk-$VERSION-jmods for jlink"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "openjdk-$VERSION-jmods"; } \
    >"$WORK/apt-jmods.log" 2>&1 || { tail -30 "$WORK/apt-jmods.log" >&2; die "apt-get install openjdk-$VERSION-jmods failed"; }
fi

# ---------------------------------------------------------------- the image
say "building $IMAGE with docker/build.sh"
BUILD_START=$(date +%s)
HGRPC_BASE_TAG=$BASE HGRPC_JDK_TAG=$JDK_IMAGE HGRPC_BUILD_ID=$ID JAVA_HOME=$JDK \
  bash "$ROOT/docker/build.sh" -t "$IMAGE" --server-jar "$SERVER_JAR" || die "docker/build.sh failed"
SIZE=$(docker image inspect -f '{{.Size}}' "$IMAGE")
say "built in $(($(date +%s) - BUILD_START)) s; image size $((SIZE / 1000000)) MB ($SIZE bytes)"

cfg() { docker image inspect -f "$1" "$IMAGE"; }
[ "$(cfg '{{.Config.User}}')" = "10001:10001" ] && ok "image runs as 10001:10001" || bad "image user is '$(cfg '{{.Config.User}}')'"
# (Outputs are captured before grep reads them: with pipefail, grep -q ending a pipe early
# could fail the writer with SIGPIPE.)
has() { grep -q -- "$2" <<<"$1"; }
has "$(cfg '{{json .Config.ExposedPorts}}')" '"8000/tcp"' && ok "image exposes 8000" || bad "image does not expose 8000"
has "$(cfg '{{json .Config.Volumes}}')" '"/repos"' && ok "image declares the volume /repos" || bad "no volume /repos"
has "$(cfg '{{json .Config.Healthcheck}}')" 'org.hgrpc.docker.HealthCheck' && ok "image has the HEALTHCHECK" \
  || bad "no HEALTHCHECK: $(cfg '{{json .Config.Healthcheck}}')"

# ---------------------------------------------------------------- repositories to serve
mkdir -p "$WORK/repos" "$WORK/several" "$WORK/certs"
FIXTURE_TAR=$(find "$ROOT/repository/src/test/resources" -name repo-fixture.tar.gz -print -quit 2>/dev/null || true)
if [ -n "$FIXTURE_TAR" ]; then
  tar -xzf "$FIXTURE_TAR" -C "$WORK/repos"
  FIXTURE=$(dirname "$(find "$WORK/repos" -maxdepth 3 -type d -name .hg -print -quit)")
  say "fixture: $FIXTURE_TAR"
elif command -v hg >/dev/null; then
  hg init "$WORK/repos/server"
  FIXTURE=$WORK/repos/server
  say "fixture: no repo-fixture.tar.gz; an empty repository made by hg init (recorded recipes skipped)"
else
  mkdir -p "$WORK/repos/server/.hg/store"
  printf 'dotencode\nfncache\ngeneraldelta\nrevlogv1\nstore\n' > "$WORK/repos/server/.hg/requires"
  FIXTURE=$WORK/repos/server
  say "fixture: no repo-fixture.tar.gz and no hg; an empty repository (recorded recipes skipped)"
fi
FIXTURE_NAME=$(basename "$FIXTURE")

# The TLS container's repository: zstd-compressed, made by Mercurial, when it can.
ZSTD_HEADS=
if command -v hg >/dev/null && hg init --config format.revlog-compression=zstd "$WORK/zstd" >/dev/null 2>&1 \
    && grep -qs 'revlog-compression-zstd' "$WORK/zstd/.hg/requires" "$WORK/zstd/.hg/store/requires"; then
  (cd "$WORK/zstd" && echo one > a && hg add -q a && hg commit -q -u test -m one \
    && echo two >> a && hg commit -q -u test -m two) || die "hg commit failed"
  ZSTD_HEADS="[\"$(hg -R "$WORK/zstd" log -r tip -T '{node}')\"]"
  TLS_REPO=$WORK/zstd
  say "tls container: a zstd repository made by $(hg --version | sed -n 1p)"
else
  cp -a "$FIXTURE" "$WORK/zstd"
  TLS_REPO=$WORK/zstd
  say "tls container: a copy of the fixture (no hg with zstd here, so zstd-jni is not exercised)"
fi
cp -a "$FIXTURE" "$WORK/several/one"
cp -a "$FIXTURE" "$WORK/several/two"

USER_ARGS=()
if [ "$(id -u)" = 0 ]; then
  chown -R 10001:10001 "$WORK/repos" "$WORK/zstd" "$WORK/several"
else
  USER_ARGS=(--user "$(id -u):$(id -g)")   # the image's uid could not write our files
fi

# ---------------------------------------------------------------- starting the containers
run() { # NAME DOCKER-RUN-ARGS... -- CONTAINER-ARGS...; sets STARTED to the container's name
  local name="hgrpc-test-$1-$ID"
  shift
  local opts=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  CONTAINERS+=("$name")
  docker run -d --name "$name" -p 127.0.0.1::8000 --health-interval 1s --health-start-period 60s \
    "${USER_ARGS[@]}" "${opts[@]}" "$IMAGE" "$@" >/dev/null || die "docker run $name failed"
  STARTED=$name
}

url() { # CONTAINER SCHEME
  local hostport
  hostport=$(docker port "$1" 8000/tcp | awk '/^127\.0\.0\.1:/ && !found { print; found = 1 }')
  [ -n "$hostport" ] || die "no port published for $1 on 127.0.0.1"
  echo "$2://$hostport/"
}

wait_healthy() { # CONTAINER
  local deadline=$(($(date +%s) + HEALTH_TIMEOUT)) state
  while :; do
    state=$(docker inspect -f '{{.State.Status}} {{.State.Health.Status}}' "$1")
    case "$state" in
      "running healthy") return 0 ;;
      exited*|dead*|*unhealthy)
        docker logs "$1" >&2 || true
        docker inspect -f '{{json .State.Health}}' "$1" >&2 || true
        die "$1 did not become healthy ($state)" ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      docker logs "$1" >&2 || true
      docker inspect -f '{{json .State.Health}}' "$1" >&2 || true
      die "$1 was not healthy within $HEALTH_TIMEOUT s ($state)"
    fi
    sleep 1
  done
}

# The demo server, started as docs/curl.md's <!-- serve --> block says: its serve options less
# -p and -a (the container listens on 0.0.0.0:8000, published on a port Docker picks).
SERVE_LINE=$(awk '/<!-- serve -->/ { s = 1; next } s && /^java / { print; exit }' "$ROOT/docs/curl.md")
[ -n "$SERVE_LINE" ] || die "docs/curl.md has no <!-- serve --> block"
mapfile -t SERVE_WORDS < <(xargs -n1 printf '%s\n' <<<"$SERVE_LINE")
[ "${SERVE_WORDS[*]:0:4}" = "java -jar server/target/hgrpc-server.jar serve" ] \
  || die "docs/curl.md's <!-- serve --> block is not 'java -jar server/target/hgrpc-server.jar serve ...': $SERVE_LINE"
DEMO_ARGS=()
for ((i = 4; i < ${#SERVE_WORDS[@]}; i++)); do
  case "${SERVE_WORDS[$i]}" in
    -p|-a) i=$((i + 1)) ;;
    *) DEMO_ARGS+=("${SERVE_WORDS[$i]}") ;;
  esac
done
has " ${DEMO_ARGS[*]} " ' --demo ' || die "docs/curl.md's server is expected to serve --demo: $SERVE_LINE"
run demo -- "${DEMO_ARGS[@]}"
DEMO=$STARTED

run fixture -v "$WORK/repos:/repos" -e "HGRPC_REPOSITORY=$FIXTURE_NAME" \
  -e 'HGRPC_CONFIG=web.push_ssl=false; web.allow-push=*' --read-only --tmpfs /tmp \
  -- --config web.name=fixture
FIX=$STARTED

HAVE_TLS=false
TLS=
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout "$WORK/certs/key.pem" \
    -out "$WORK/certs/cert.pem" >/dev/null 2>&1 || die "openssl could not make a certificate"
  cat "$WORK/certs/key.pem" "$WORK/certs/cert.pem" > "$WORK/certs/server.pem"
  printf 'alice: s3cret\n' > "$WORK/certs/users"
  chmod 644 "$WORK/certs/"*
  "$JDK/bin/keytool" -importcert -noprompt -alias hgrpc -file "$WORK/certs/cert.pem" -keystore "$WORK/certs/trust.p12" \
    -storetype PKCS12 -storepass changeit >/dev/null 2>&1 || die "keytool could not make a trust store"
  run tls -v "$TLS_REPO:/repos" -v "$WORK/certs:/certs:ro" -e HGRPC_CERTIFICATE=/certs/server.pem \
    -e HGRPC_USERS=/certs/users -e 'HGRPC_CONFIG=web.allow_read=alice
web.allow-push=alice'
  TLS=$STARTED
  HAVE_TLS=true
else
  say "no openssl: the TLS container is skipped"
fi

# ---------------------------------------------------------------- refused set-ups (no server starts)
out=$(docker run --rm "${USER_ARGS[@]}" -v "$WORK/several:/repos" "$IMAGE" 2>&1) && code=0 || code=$?
if [ "$code" = 255 ] && grep -q 'holds 2 (one, two): a container serves one repository' <<<"$out"; then
  ok "a directory of two repositories is refused with the reason (exit 255)"
else
  bad "a directory of two repositories: exit $code, output: $out"
fi

for c in "$DEMO" "$FIX" ${TLS:+"$TLS"}; do
  wait_healthy "$c"
  ok "$c is healthy"
done
DEMO_URL=$(url "$DEMO" http)
FIX_URL=$(url "$FIX" http)

# ---------------------------------------------------------------- the curl recipes of docs/curl.md
RECIPES=$WORK/recipes
mkdir -p "$RECIPES"
awk -v dir="$RECIPES" '
  /^<!-- recipe: / { n++; kind = $3; print kind > (dir "/" n ".kind"); print NR > (dir "/" n ".line");
                     print ($4 == "exit" ? $5 : 0) > (dir "/" n ".exit"); state = "sh"; next }
  state == "sh" && /^```sh$/ { state = "in-sh"; printf "" > (dir "/" n ".sh"); next }
  state == "in-sh" && /^```$/ { state = "text"; next }
  state == "in-sh" { print > (dir "/" n ".sh"); next }
  state == "text" && /^```text$/ { state = "in-text"; printf "" > (dir "/" n ".expected"); next }
  state == "in-text" && /^```$/ { state = ""; next }
  state == "in-text" { print > (dir "/" n ".expected"); next }
' "$ROOT/docs/curl.md"
COUNT=$(find "$RECIPES" -name '*.kind' | wc -l)
[ "$COUNT" -ge 10 ] || die "docs/curl.md has only $COUNT recipes"

RUN=$WORK/run
mkdir -p "$RUN/docs"
cp -R "$ROOT/docs/examples" "$RUN/docs/examples"
REPO_RECIPES=true
if [ -z "$FIXTURE_TAR" ]; then REPO_RECIPES=false; fi
FIX_CAPS=$(java -jar "$HGRPC_JAR" capabilities --compact "$FIX_URL" 2>&1) || die "hgrpc capabilities failed: $FIX_CAPS"
grep -q '"heads"' <<<"$FIX_CAPS" || die "the image's server has no repository commands (heads): $FIX_CAPS"

for n in $(seq "$COUNT"); do
  kind=$(cat "$RECIPES/$n.kind")
  line=$(cat "$RECIPES/$n.line")
  case "$kind" in
    live) base=$DEMO_URL ;;
    recorded) base=$FIX_URL; [ "$REPO_RECIPES" = true ] || { say "skipped: curl.md line $line ($kind)"; continue; } ;;
    local) base= ;;
    *) die "curl.md line $line: unknown recipe kind '$kind'" ;;
  esac
  {
    echo 'set -euo pipefail'
    echo "hgrpc() { java -jar '$HGRPC_JAR' \"\$@\"; }"
    if [ -n "$base" ]; then sed "s#http://127\.0\.0\.1:8000/#$base#g" "$RECIPES/$n.sh"; else cat "$RECIPES/$n.sh"; fi
  } > "$RECIPES/$n.run"
  # A recipe marked "exit N" fails on purpose: its last pipeline exits with N, prints nothing on
  # standard output, and the doc shows what it prints on standard error (curl's line and
  # hgrpc's, compared sorted: the two processes write them concurrently).
  want_exit=$(cat "$RECIPES/$n.exit")
  (cd "$RUN" && bash "$RECIPES/$n.run") > "$RECIPES/$n.actual" 2> "$RECIPES/$n.stderr" && code=0 || code=$?
  if [ "$want_exit" = 0 ]; then
    if [ "$code" = 0 ] && cmp -s "$RECIPES/$n.expected" "$RECIPES/$n.actual"; then
      ok "curl.md line $line ($kind) prints what the doc shows"
    else
      bad "curl.md line $line ($kind): exit $code"
      diff -u "$RECIPES/$n.expected" "$RECIPES/$n.actual" >&2 || true
      cat "$RECIPES/$n.stderr" >&2
    fi
  elif [ "$code" = "$want_exit" ] && [ ! -s "$RECIPES/$n.actual" ] \
      && cmp -s <(sort "$RECIPES/$n.expected") <(sort "$RECIPES/$n.stderr"); then
    ok "curl.md line $line ($kind) fails with exit $want_exit and the standard error the doc shows"
  else
    bad "curl.md line $line ($kind): expected exit $want_exit and the doc's standard error; got exit $code"
    diff -u "$RECIPES/$n.expected" "$RECIPES/$n.stderr" >&2 || true
    cat "$RECIPES/$n.actual" >&2
  fi
done
for f in "$ROOT"/docs/examples/*.frames; do
  made=$RUN/docs/examples/$(basename "$f")
  if [ "$REPO_RECIPES" = false ] && ! grep -rqs "docs/examples/$(basename "$f")" "$RECIPES"/*.run; then continue; fi
  cmp -s "$f" "$made" && ok "the recipes make docs/examples/$(basename "$f") byte for byte" \
    || bad "docs/examples/$(basename "$f") differs from what its recipe makes"
done

# ---------------------------------------------------------------- the hgrpc CLI
hgrpc() { java -jar "$HGRPC_JAR" "$@"; }
expect() { # WHAT EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
expect "hgrpc capabilities (demo)" \
  '{"commands":{"branchmap":{"args":{},"permissions":["pull"]},"capabilities":{"args":{},"permissions":["pull"]},"heads":{"args":{"publiconly":false},"permissions":["pull"]},"known":{"args":{"nodes":["deadbeef"]},"permissions":["pull"]},"listkeys":{"args":{"namespace":"ns"},"permissions":["pull"]},"lookup":{"args":{"key":"foo"},"permissions":["pull"]},"pushkey":{"args":{"key":"key","namespace":"ns","new":"new","old":"old"},"permissions":["push"]}},"compression":[{"name":"zlib"}],"framingmediatypes":["application/mercurial-exp-framing-0005"],"rawrepoformats":["generaldelta","revlogv1"]}' \
  "$(hgrpc capabilities --api 0001 --compact "$DEMO_URL" 2>&1)"
if [ "$REPO_RECIPES" = true ]; then
  expect "hgrpc call heads" '["ddf943f5d05b0fa97ff16fa5f809e64d343f21c6","29c9ad264e2de94dd2d47f45c908b40707b95994"]' \
    "$(hgrpc call --compact "$FIX_URL" heads 2>&1)"
  expect "hgrpc call listkeys namespace=bookmarks (after the recipes' pushkey)" \
    '{"feature":"ddf943f5d05b0fa97ff16fa5f809e64d343f21c6","newbm":"0000000000000000000000000000000000000000","release":"29c9ad264e2de94dd2d47f45c908b40707b95994"}' \
    "$(hgrpc call --compact "$FIX_URL" listkeys namespace=bookmarks 2>&1)"
  set +e; out=$(hgrpc call "$FIX_URL" lookup key=doesnotexist 2>&1); code=$?; set -e
  expect "hgrpc call lookup of an unknown key: exit 1 and the server's message" \
    "1 hgrpc: lookup: server error: unknown revision 'doesnotexist'" "$code $out"
  if grep -qs '^0\{40\} newbm$' "$FIXTURE/.hg/bookmarks"; then
    ok "pushkey wrote .hg/bookmarks in the volume"
  else
    bad "pushkey did not write the bookmark: $(cat "$FIXTURE/.hg/bookmarks" 2>&1)"
  fi
fi
PID=$(docker inspect -f '{{.State.Pid}}' "$FIX")
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$PID/status" 2>/dev/null || echo "?")
expected_uid=10001
[ ${#USER_ARGS[@]} -eq 0 ] || expected_uid=$(id -u)
expect "the server process runs as uid $expected_uid" "$expected_uid" "$uid"
FIX_LOGS=$(docker logs "$FIX" 2>&1)
if has "$FIX_LOGS" '^hgrpc-docker: serve -R /repos/'"$FIXTURE_NAME"' -a 0.0.0.0 --config web.push_ssl=false --config web.allow-push=\* --config web.name=fixture$'; then
  ok "HGRPC_REPOSITORY, HGRPC_CONFIG and the arguments make the serve command"
else
  bad "the serve command: $(grep '^hgrpc-docker:' <<<"$FIX_LOGS" || true)"
fi

# ---------------------------------------------------------------- HTTPS and basic authentication
if [ "$HAVE_TLS" = true ]; then
  TLS_URL=$(url "$TLS" https)
  code=$(curl -sS -k -o /dev/null -w '%{http_code}' --data-binary @"$ROOT/docs/examples/heads.frames" \
    -H 'Content-Type: application/mercurial-exp-framing-0005' -H 'Accept: application/mercurial-exp-framing-0005' \
    "${TLS_URL}api/exp-http-v2-0001/ro/heads")
  expect "an anonymous command over HTTPS is refused (web.allow_read=alice)" 401 "$code"
  code=$(curl -sS -o /dev/null -w '%{http_code}' "${TLS_URL/https/http}?cmd=capabilities" 2>/dev/null || true)
  [ "$code" != 200 ] && ok "plain HTTP on the HTTPS port gets no answer ($code)" || bad "plain HTTP on the HTTPS port answered 200"
  TRUST=(-Djavax.net.ssl.trustStore="$WORK/certs/trust.p12" -Djavax.net.ssl.trustStorePassword=changeit)
  heads=$(HGRPC_PASSWORD=s3cret java "${TRUST[@]}" -jar "$HGRPC_JAR" call --compact --user alice "$TLS_URL" heads 2>&1)
  if [ -n "$ZSTD_HEADS" ]; then
    expect "heads of the zstd repository over HTTPS with basic authentication (hg's tip)" "$ZSTD_HEADS" "$heads"
  else
    expect "heads over HTTPS with basic authentication" \
      '["ddf943f5d05b0fa97ff16fa5f809e64d343f21c6","29c9ad264e2de94dd2d47f45c908b40707b95994"]' "$heads"
  fi
  out=$(curl -sS -k -u alice:s3cret --data-binary @"$ROOT/docs/examples/heads.frames" \
    -H 'Content-Type: application/mercurial-exp-framing-0005' -H 'Accept: application/mercurial-exp-framing-0005' \
    "${TLS_URL}api/exp-http-v2-0001/rw/heads" | hgrpc frames decode --no-frames --compact | sed -n 2p)
  expect "alice may use the rw URL over HTTPS (web.allow-push=alice, web.push_ssl on)" '{"status":"ok"}' "$out"
fi

# ---------------------------------------------------------------- SIGTERM
STOP_START=$(date +%s)
docker stop -t 30 "$FIX" >/dev/null
took=$(($(date +%s) - STOP_START))
code=$(docker inspect -f '{{.State.ExitCode}}' "$FIX")
expect "docker stop (SIGTERM): the server exits 143 by itself (in ${took} s)" 143 "$code"
has "$(docker logs "$FIX" 2>&1)" '^hgrpc-docker:' || bad "no launcher line in the logs"
has "$(docker logs "$FIX" 2>&1)" '\] stopped (SIGTERM)$' && ok "the error log says the server stopped on SIGTERM" \
  || bad "no stop line in the logs"

# ---------------------------------------------------------------- result
echo "docker/test.sh: image $((SIZE / 1000000)) MB, $(($(date +%s) - START)) s"
echo "docker: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
