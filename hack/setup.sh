#!/usr/bin/env bash
# Installs what building, testing and `make run` need on a Debian machine, from Debian's packages
# only; already-installed packages are left alone. The Kubernetes test assets come from
# hack/test-assets.sh (called by the Makefile), node packages from npm by the tests that use them.
set -euo pipefail

packages=(
  postgresql            # throwaway database servers for tests and `make run`
  etcd-server           # the API server's store
  chromium              # headless browser for end-to-end tests (driven by Microsoft.Playwright)
  nginx                 # outpost tests: real nginx auth_request in front of the forward-auth endpoint
  caddy                 # outpost tests: real Caddy forward_auth
  nodejs                # outpost tests: oidc-provider as the IdP (npm ci in tests/Outpost.Tests/idp)
  make
)

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
# Debian ships npm apart from nodejs; other node builds bring their own.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "setup: installing ${missing[*]}" >&2
as_root apt-get update -qq
# nginx and caddy would both start on port 80 at install (and one fail): keep packaged services down.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
  printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
  as_root chmod +x /usr/sbin/policy-rc.d
fi
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian starts the packaged services; the tests run their own throwaway servers instead.
as_root systemctl disable --now etcd postgresql nginx caddy >/dev/null 2>&1 || true
