#!/usr/bin/env bash
# Installs what building, testing and `make run` need on a Debian machine, from Debian's packages
# only; already-installed packages are left alone. The Kubernetes test assets come from
# hack/test-assets.sh (called by the Makefile), node packages from npm by the tests that use them.
set -euo pipefail

packages=(
  postgresql            # throwaway database servers for tests and `make run`
  etcd-server           # the API server's store
  chromium              # headless browser for end-to-end tests (driven by Microsoft.Playwright)
  make
)

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "setup: installing ${missing[*]}" >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian starts the packaged services; the tests run their own throwaway servers instead.
as_root systemctl disable --now etcd postgresql >/dev/null 2>&1 || true
