# Functions shared by the scripts that run our server beside the 4.8 reference server and
# clone from both with the 4.8 client (interop/clone-pull.sh, bench/clone-vs-reference.sh).
# Source it; it sets nothing but the functions and, when unset, these variables:
#   REFHG48_CMD       the reference's launcher (default ../shared/tools/refhg48 beside the project)
#   HGRPC_SERVER_JAR  our server (default server/target/hgrpc-server.jar)
#   HGRPC_JAVA_OPTS   JVM options for our server (default none)
# and exports what the reference needs: Debian's python3 first (it has python3-zstandard, for
# the zstd-8mb encoder), REFHG48_ZSTD=1, no user configuration.
interop_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REFHG48_CMD=${REFHG48_CMD:-$interop_top/../shared/tools/refhg48}
HGRPC_SERVER_JAR=${HGRPC_SERVER_JAR:-$interop_top/server/target/hgrpc-server.jar}
HGRPC_JAVA_OPTS=${HGRPC_JAVA_OPTS:-}
export PATH=/usr/bin:$PATH REFHG48_ZSTD=1 HGRCPATH=/dev/null HGUSER=${HGUSER:-interop}

# Fails unless the reference launcher and (with "jar") our server's jar are there.
interop_require() { # [jar]
  [ -x "$REFHG48_CMD" ] || [ -f "$REFHG48_CMD" ] \
    || { echo "no refhg48 at $REFHG48_CMD (set REFHG48_CMD)" >&2; return 2; }
  [ "${1:-}" != jar ] || [ -f "$HGRPC_SERVER_JAR" ] \
    || { echo "no server jar at $HGRPC_SERVER_JAR: run mvn -B -q -DskipTests package first" >&2; return 2; }
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits up to 10 s for a server to answer; else prints its log and fails.
wait_listening() { # URL LOG
  for _ in $(seq 100); do
    curl -s -o /dev/null "$1?cmd=capabilities" && return 0
    sleep 0.1
  done
  echo "server at $1 did not start:" >&2; cat "$2" >&2; return 1
}

# The 4.8 reference server with its HTTP API v2 on, push allowed. Start it in the background
# ("serve_ref48 REPO PORT >LOG 2>&1 &"): it execs, so $! is the server's own process (the
# launcher execs python too), whose /proc entry gives its CPU time.
serve_ref48() { # REPO PORT
  exec "$REFHG48_CMD" -R "$1" serve -a 127.0.0.1 -p "$2" \
    --config experimental.web.apiserver=true --config experimental.web.api.http-v2=true \
    --config web.push_ssl=false --config 'web.allow-push=*'
}

# Our server on the same terms; in the background as serve_ref48 ($! is the JVM).
serve_ours() { # REPO PORT
  # shellcheck disable=SC2086
  exec java $HGRPC_JAVA_OPTS -jar "$HGRPC_SERVER_JAR" serve -R "$1" -a 127.0.0.1 -p "$2" \
    --config web.push_ssl=false --config 'web.allow-push=*'
}

# The 4.8 client's clone over API exp-http-v2-0003 offering only ENCODER (the server must
# pick it): the clone-pull and clone-benchmark way of cloning.
clone48() { # ENCODER URL DEST
  "$REFHG48_CMD" clone -q -U --config experimental.httppeer.advertise-v2=true \
    --config "experimental.httppeer.v2-encoder-order=$1" "$2" "$3"
}

# The same for a pull into an existing clone.
pull48() { # ENCODER URL CLONE
  "$REFHG48_CMD" -R "$3" pull -q --config experimental.httppeer.advertise-v2=true \
    --config "experimental.httppeer.v2-encoder-order=$1" "$2"
}
