#!/usr/bin/env bash
# Installs the Debian 12 packages sitrep needs to build, test, fuzz and
# benchmark.  Idempotent: does nothing (and needs no root) when all are there.
set -euo pipefail

pkgs=(build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
      libicu-dev libxml2-dev libsqlite3-dev libjansson-dev zlib1g-dev libisal-dev libcmocka-dev
      libcurl4-openssl-dev libssl-dev
      sqlite3 python3 ca-certificates time
      wordnet-base)   # WordNet: the lexicon scripts/train-tagger builds the POS model with
# sitrep serve: libmicrohttpd; its browser test drives Debian's chromium;
# bench/run serve loads it with wrk against nginx
pkgs+=(libmicrohttpd-dev chromium wrk nginx-light)
# the dashboard is built with npm: Debian's nodejs and npm, unless a
# Node.js with npm is installed already (which these would conflict with)
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 3; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
