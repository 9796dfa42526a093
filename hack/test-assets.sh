#!/usr/bin/env bash
# Provides the envtest-style assets (kube-apiserver, kube-controller-manager, kubectl, etcd) from Debian's own
# packages and prints the directory that holds them. The Kubernetes binaries are built once from
# Debian's `kubernetes` source package and cached; nothing is downloaded from outside Debian.
#
#   hack/test-assets.sh            # build if needed, print the assets directory
#   KUBEBUILDER_ASSETS=/dir ...    # honoured as is: nothing is built
set -euo pipefail

cache="${SSO_ASSETS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ssooperator/k8s-assets}"
binaries=(kube-apiserver kube-controller-manager kubectl)

log() { echo "test-assets: $*" >&2; }

if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  echo "$KUBEBUILDER_ASSETS"
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

ensure_deb_src() {
  if grep -rqsE '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qsE '^deb-src ' /etc/apt/sources.list; then
    return 0
  fi
  log "adding a deb-src line for bookworm main"
  as_root tee /etc/apt/sources.list.d/ssooperator-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt_updated=""
}

build_kubernetes() {
  ensure_deb_src
  apt_install golang-go rsync jq dpkg-dev make golang-github-modern-go-reflect2-dev
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi

  local work
  work=$(mktemp -d)
  log "fetching Debian's kubernetes source package into $work"
  (cd "$work" && apt-get source -qq kubernetes >&2)
  local tree
  tree=$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -n 1)

  # The vendored reflect2 1.0.1 crashes (SIGSEGV in map iteration) when built with Go 1.18 or later,
  # which is all bookworm has; Debian's own reflect2 1.0.2 package is the fixed, API-compatible release.
  local reflect2="$tree/vendor/github.com/modern-go/reflect2"
  rm -rf "$reflect2" && mkdir -p "$reflect2"
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go /usr/share/gocode/src/github.com/modern-go/reflect2/*.s \
    "$reflect2/" 2>/dev/null || cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go "$reflect2/"

  for b in "$@"; do
    log "building $b (several minutes on two cores)"
    (cd "$tree" && CGO_ENABLED=0 GOFLAGS=-mod=vendor GO111MODULE=on make WHAT="cmd/$b" >&2)
  done
  mkdir -p "$cache"
  for b in "$@"; do
    install -m 0755 "$(find "$tree/_output" -type f -name "$b" -perm -u+x | head -n 1)" "$cache/$b"
  done
  rm -rf "$work"
}

ensure_etcd() {
  apt_install etcd-server
  ln -sf "$(command -v etcd || echo /usr/bin/etcd)" "$cache/etcd"
}

mkdir -p "$cache"
missing=()
for b in "${binaries[@]}"; do
  [ -x "$cache/$b" ] || missing+=("$b")
done
[ ${#missing[@]} -eq 0 ] || build_kubernetes "${missing[@]}"
ensure_etcd
echo "$cache"
