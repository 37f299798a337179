#!/usr/bin/env bash
# Builds the hgrpc image (docker/Dockerfile) without any container registry:
#
#   1. two local base images FROM scratch, each a jlinked Java runtime at /opt/java/openjdk plus
#      the shared libraries ldd lists for it, the dynamic loader, and /etc/passwd, /etc/group,
#      /etc/nsswitch.conf, /tmp and /home/hgrpc for the user 10001:
#        hgrpc-base:local  the runtime: the modules jdeps finds in the server jar, and jdk.crypto.ec;
#        hgrpc-jdk:local   javac, only to compile the launcher and the health check;
#   2. the image, with --build-arg BASE_IMAGE=hgrpc-base:local JDK_IMAGE=hgrpc-jdk:local.
#
# Usage (from anywhere; after `mvn -B -DskipTests package`):
#
#   docker/build.sh [-t TAG] [--registry] [--server-jar PATH]
#
#   -t TAG            the image's tag (default hgrpc:latest)
#   --registry        use the Dockerfile's default bases (eclipse-temurin) instead of local ones
#   --server-jar PATH the server jar (default server/target/hgrpc-server.jar, the server
#                     distribution with every built-in command)
#
# Environment: JAVA_HOME a JDK 17 with jmods (default: the one of `javac` on the PATH; Debian:
# apt-get install openjdk-17-jmods), HGRPC_BASE_TAG and HGRPC_JDK_TAG the local bases' tags,
# HGRPC_BUILD_ID a label value put on the build's intermediate stage (for removing it), and
# HGRPC_JLINK_MODULES to replace the computed module list.
#
# Nothing is pulled: every FROM names an image this script has just made (or, with --registry,
# one your Docker can pull). Only the files the Dockerfile copies are sent as build context.
set -euo pipefail

die() { echo "docker/build.sh: $*" >&2; exit 1; }
say() { echo "docker/build.sh: $*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAG=hgrpc:latest
REGISTRY=false
SERVER_JAR=
while [ $# -gt 0 ]; do
  case "$1" in
    -t|--tag) [ $# -ge 2 ] || die "$1 needs a value"; TAG=$2; shift 2 ;;
    --registry) REGISTRY=true; shift ;;
    --server-jar) [ $# -ge 2 ] || die "$1 needs a value"; SERVER_JAR=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
BASE_TAG=${HGRPC_BASE_TAG:-hgrpc-base:local}
JDK_TAG=${HGRPC_JDK_TAG:-hgrpc-jdk:local}
BUILD_ID=${HGRPC_BUILD_ID:-none}

command -v docker >/dev/null || die "docker is not installed (Debian: apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "no Docker daemon answers (start dockerd, or check DOCKER_HOST and your permissions)"

# --- the server jar, as a path relative to the repository root (the Dockerfile's context) ---
if [ -z "$SERVER_JAR" ]; then
  SERVER_JAR=server/target/hgrpc-server.jar
  [ -f "$ROOT/$SERVER_JAR" ] || die "no $SERVER_JAR: run 'mvn -B -DskipTests package' in $ROOT first"
fi
case "$SERVER_JAR" in
  /*) JAR_ABS=$SERVER_JAR; SERVER_JAR=server/hgrpc-server.jar ;;
  *) JAR_ABS=$ROOT/$SERVER_JAR ;;
esac
[ -f "$JAR_ABS" ] || die "server jar $JAR_ABS does not exist"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hgrpc-docker-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- the build context: only what the Dockerfile copies ---
CONTEXT=$WORK/context
mkdir -p "$CONTEXT/docker" "$(dirname "$CONTEXT/$SERVER_JAR")"
cp -R "$ROOT/docker/launcher" "$CONTEXT/docker/launcher"
cp "$ROOT/docker/hgrpc-server.classlist" "$CONTEXT/docker/hgrpc-server.classlist"
cp "$JAR_ABS" "$CONTEXT/$SERVER_JAR"

BUILD_ARGS=(--build-arg "SERVER_JAR=$SERVER_JAR" --build-arg "BUILD_ID=$BUILD_ID")

if [ "$REGISTRY" = false ]; then
  # --- a JDK 17 with jmods for jlink ---
  JDK=${JAVA_HOME:-}
  if [ -z "$JDK" ] || [ ! -x "$JDK/bin/jlink" ]; then
    command -v javac >/dev/null || die "no JDK found: set JAVA_HOME to a JDK 17"
    JDK=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  fi
  [ -x "$JDK/bin/jlink" ] || die "$JDK has no bin/jlink: set JAVA_HOME to a JDK 17"
  [ -d "$JDK/jmods" ] || die "$JDK has no jmods directory, which jlink needs (Debian: apt-get install openjdk-17-jmods)"
  JAVA_VERSION=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "$JAVA_VERSION" -ge 17 ] 2>/dev/null || die "$JDK is Java '$JAVA_VERSION'; Java 17 or newer is needed"

  # --- the modules: what jdeps finds, less what only unused Jetty features need ---
  # java.desktop (Jetty's IntrospectorCleaner), java.sql and java.security.jgss (Jetty's JDBC and
  # SPNEGO login services) are referenced by classes serve never loads. (java.naming stays: Jetty's
  # TLS reads certificate names with javax.naming.ldap.LdapName.)
  if [ -n "${HGRPC_JLINK_MODULES:-}" ]; then
    MODULES=$HGRPC_JLINK_MODULES
  else
    FOUND=$("$JDK/bin/jdeps" --multi-release "$JAVA_VERSION" --ignore-missing-deps --print-module-deps "$JAR_ABS") \
      || die "jdeps failed on $JAR_ABS"
    MODULES=$(echo "$FOUND,jdk.crypto.ec" | tr ',' '\n' \
      | grep -vxE 'java\.desktop|java\.sql|java\.security\.jgss' | sort -u | paste -sd, -)
    say "jdeps: $FOUND; linking $MODULES"
  fi

  link() { # OUTPUT MODULES
    "$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$2" --strip-debug --no-man-pages \
      --no-header-files --compress=2 --output "$1" >/dev/null || die "jlink of $2 failed"
  }
  link "$WORK/runtime" "$MODULES"
  link "$WORK/jdk" "jdk.compiler,jdk.zipfs"

  # --- the shared libraries the runtimes (and zstd-jni's native library) load ---
  ELVES=$WORK/elves
  mkdir -p "$ELVES"
  find "$WORK/runtime" "$WORK/jdk" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \) \
    > "$ELVES/list"
  ARCH=$(uname -m)
  case "$ARCH" in x86_64) ZARCH=amd64 ;; *) ZARCH=$ARCH ;; esac
  if (cd "$ELVES" && "$JDK/bin/jar" xf "$JAR_ABS" "linux/$ZARCH/") 2>/dev/null; then
    find "$ELVES/linux" -name '*.so' >> "$ELVES/list" 2>/dev/null || true
  fi
  : > "$ELVES/libs"
  while read -r elf; do
    file_type=$(head -c 4 "$elf" | od -An -c | tr -d ' ')
    [ "$file_type" = '177ELF' ] || continue
    # "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
    LD_LIBRARY_PATH="$(dirname "$elf"):$WORK/runtime/lib:$WORK/runtime/lib/server" ldd "$elf" 2>/dev/null \
      | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' >> "$ELVES/libs" || true
  done < "$ELVES/list"
  LIBS=$(grep -v "^$WORK/" "$ELVES/libs" | sort -u)
  grep -q 'libc\.so' <<<"$LIBS" || die "ldd found no libc for the runtime (is ldd installed?)"
  grep -q 'ld-linux' <<<"$LIBS" || die "ldd found no dynamic loader for the runtime"

  # --- the common root file system ---
  SKEL=$WORK/skel
  mkdir -p "$SKEL/etc" "$SKEL/tmp" "$SKEL/home/hgrpc" "$SKEL/opt/java"
  chmod 1777 "$SKEL/tmp"
  for lib in $LIBS; do
    mkdir -p "$SKEL$(dirname "$lib")"
    cp -L "$lib" "$SKEL$lib"
  done
  cat > "$SKEL/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
hgrpc:x:10001:10001:hgrpc:/home/hgrpc:/sbin/nologin
EOF
  cat > "$SKEL/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
hgrpc:x:10001:
EOF
  # LANG=C.UTF-8 (set by the Dockerfile) needs glibc's C.utf8 locale, else Java's encodings are ASCII.
  if [ -d /usr/lib/locale/C.utf8 ]; then
    mkdir -p "$SKEL/usr/lib/locale"
    cp -R /usr/lib/locale/C.utf8 "$SKEL/usr/lib/locale/"
  else
    say "warning: /usr/lib/locale/C.utf8 is missing here: the image's Java will use ASCII file names"
  fi
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$SKEL/etc/nsswitch.conf"

  make_base() { # RUNTIME TAG
    local fs=$WORK/rootfs-$(basename "$1")
    cp -a "$SKEL" "$fs"
    cp -a "$1" "$fs/opt/java/openjdk"
    # Owned by root, but /home/hgrpc by the image's user.
    tar --numeric-owner --owner=0 --group=0 --exclude=./home/hgrpc -C "$fs" -cf "$fs.tar" .
    tar --numeric-owner --owner=10001 --group=10001 -C "$fs" -rf "$fs.tar" ./home/hgrpc
    docker import \
      --change 'ENV JAVA_HOME=/opt/java/openjdk' \
      --change 'ENV PATH=/opt/java/openjdk/bin' \
      --change 'CMD ["/opt/java/openjdk/bin/java", "-version"]' \
      "$fs.tar" "$2" >/dev/null || die "docker import of $2 failed"
    say "base image $2: $(docker image inspect -f '{{.Size}}' "$2" | awk '{ printf "%.1f MB", $1 / 1e6 }')"
  }
  make_base "$WORK/runtime" "$BASE_TAG"
  make_base "$WORK/jdk" "$JDK_TAG"
  BUILD_ARGS+=(--build-arg "BASE_IMAGE=$BASE_TAG" --build-arg "JDK_IMAGE=$JDK_TAG")
fi

# Without the buildx plugin, Docker's CLI falls back to the legacy builder by itself; say so once.
if [ -z "${DOCKER_BUILDKIT:-}" ] && ! docker buildx version >/dev/null 2>&1; then
  export DOCKER_BUILDKIT=0
fi
docker build -f "$ROOT/docker/Dockerfile" -t "$TAG" "${BUILD_ARGS[@]}" "$CONTEXT" >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; die "docker build failed"; }
say "image $TAG: $(docker image inspect -f '{{.Size}}' "$TAG" | awk '{ printf "%.1f MB", $1 / 1e6 }')"
