#!/usr/bin/env bash
# Installs the pgvector extension into the PostgreSQL server that DATABASE_URL points at,
# so the semantic cache's pgvector backend (and its tests) run against a real HNSW index.
#
# Why it builds from source: Debian bookworm ships PostgreSQL 15 but no postgresql-15-pgvector
# binary package (trixie has pgvector only for PostgreSQL 17). Debian's own pgvector *source*
# package builds cleanly against bookworm's postgresql-server-dev-15, so this script takes that
# source from Debian's archive (checksums verified by apt) and builds it for the running
# server's major version. Where a binary package exists for that version, it is used instead.
#
# Idempotent: does nothing when the server already offers the extension. Needs root (it
# installs into the server's lib/ and share/extension/), and must run on the database host.
set -euo pipefail

DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
export DEBIAN_FRONTEND=noninteractive

offered() {
  [ "$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")" = "1" ]
}

if offered; then
  echo "pgvector: already available on the server"
  exit 0
fi

major="$(psql "$DATABASE_URL" -tAc "SHOW server_version_num")"
major="$((major / 10000))"
pg_config="/usr/lib/postgresql/${major}/bin/pg_config"

if apt-cache show "postgresql-${major}-pgvector" >/dev/null 2>&1; then
  apt-get install -y -qq "postgresql-${major}-pgvector" >/dev/null
else
  echo "pgvector: no postgresql-${major}-pgvector package; building Debian's pgvector source for PostgreSQL ${major}"
  apt-get install -y -qq "postgresql-server-dev-${major}" make gcc >/dev/null
  # A deb-src line for a newer suite, present only while the source is fetched: nothing from
  # that suite is installed, and the machine's package lists are restored afterwards.
  sources=/etc/apt/sources.list.d/switchyard-pgvector-src.sources
  work="$(mktemp -d)"
  cleanup() {
    rm -f "$sources"
    rm -rf "$work"
  }
  trap cleanup EXIT
  cat >"$sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt-get update -qq
  (cd "$work" && apt-get source --download-only -qq pgvector 2>/dev/null)
  rm -f "$sources"
  apt-get update -qq
  tar -xzf "$work"/pgvector_*.orig.tar.gz -C "$work"
  src="$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n1)"
  # OPTFLAGS="" drops -march=native, so the library runs on any CPU of this architecture.
  make -C "$src" -s -j"$(nproc)" PG_CONFIG="$pg_config" OPTFLAGS="" >/dev/null
  make -C "$src" -s install PG_CONFIG="$pg_config" >/dev/null
fi

if offered; then
  echo "pgvector: installed for PostgreSQL ${major}"
else
  echo "pgvector: installation finished but the server does not offer the extension" >&2
  exit 1
fi
