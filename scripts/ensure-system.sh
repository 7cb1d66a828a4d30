#!/usr/bin/env bash
# What `make test` (and `make run`) need from the machine, beyond Python packages: installs the
# missing Debian packages when it may (root, or sudo without a password), else stops at once
# with the exact command to run; then makes sure PostgreSQL answers on 127.0.0.1:5432.
#
#   scripts/ensure-system.sh test   # everything the whole suite needs
#   scripts/ensure-system.sh run    # what `make run` needs (Python's venv only)
set -euo pipefail
purpose=${1:-test}
export DEBIAN_FRONTEND=noninteractive

need=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ "$purpose" = test ]; then
  command -v gcc >/dev/null || need+=(gcc)
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v pg_ctlcluster >/dev/null || need+=(postgresql)
  # Agreement PDFs embed a CJK font; the tests read them back with pdftotext.
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  # The browser tests drive Debian's Chromium (never a downloaded browser); Noto CJK renders
  # the Chinese pages in their screenshots.
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "Missing system packages: ${need[*]}" >&2
    echo "Install them, then run make again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${need[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${need[@]}"
fi

[ "$purpose" = test ] || exit 0
# The suite starts its own private redis-server; PostgreSQL it expects on 127.0.0.1:5432
# (or TEST_PG_ADMIN_URL, or a Docker engine for testcontainers).
[ -n "${TEST_PG_ADMIN_URL:-}" ] && exit 0
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! pg_up; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  start=(pg_ctlcluster --skip-systemctl-redirect "$version" main start)
  if [ -z "$version" ]; then
    echo "PostgreSQL is installed but has no cluster: create one (pg_createcluster 15 main)." >&2
    exit 1
  elif [ "$(id -u)" = 0 ]; then
    "${start[@]}"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo -n "${start[@]}"
  else
    echo "PostgreSQL does not answer on 127.0.0.1:5432. Start it:" >&2
    echo "  sudo ${start[*]}" >&2
    exit 1
  fi
  for _ in $(seq 50); do pg_up && break; sleep 0.2; done
fi
# The suite creates its own databases; it needs a role that may (trust auth on loopback).
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  echo "PostgreSQL answers, but 'postgres' cannot log in over 127.0.0.1 without a password." >&2
  echo "Allow trust auth on loopback for the tests, or set TEST_PG_ADMIN_URL." >&2
  exit 1
fi
