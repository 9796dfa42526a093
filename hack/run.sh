#!/usr/bin/env bash
# `make run`: the whole stack on loopback with the quickstart configuration.
#
#   PostgreSQL ─┐
#   etcd ── kube-apiserver (+ kube-controller-manager) ── operator ──▶ PostgreSQL ◀── IdP
#
# Everything lives under .run/ (git-ignored) and survives restarts: the database, etcd's data, the
# generated client secrets. Ctrl-C stops every process this script started. `make clean` wipes .run/.
#
# Ports (override with the variables): SSO_IDP_PORT=9000, SSO_OPERATOR_PORT=9090, SSO_PG_PORT=55432,
# SSO_APISERVER_PORT=56443, SSO_ETCD_PORT=52379 (and +1 for etcd's peer port).
# SSO_MFA_POLICY=Everyone (or PerApplication) is the IdP's Idp:Mfa:Policy.
set -euo pipefail
# Started in the background (`make run &`, a script), bash inherits SIGINT ignored and cannot trap it:
# Ctrl-C (SIGINT to the process group) would stop the children but not this script. Start again with
# SIGINT's default action, so that the INT trap below works.
if [ -z "${SSO_RUN_SIGINT:-}" ] && (( 0x$(awk '/^SigIgn:/ {print $2}' /proc/$$/status) & 2 )); then
  SSO_RUN_SIGINT=default exec env --default-signal=INT "$0" "$@"
fi
cd "$(dirname "$0")/.."
root=$PWD
run="$root/.run"
logs="$run/logs"
assets="${KUBEBUILDER_ASSETS:-$(hack/test-assets.sh)}"
# kubectl built beside the API server, so client and server match (and none needs to be installed).
export PATH="$assets:$PATH"

idp_port=${SSO_IDP_PORT:-9000}
operator_port=${SSO_OPERATOR_PORT:-9090}
pg_port=${SSO_PG_PORT:-55432}
api_port=${SSO_APISERVER_PORT:-56443}
etcd_port=${SSO_ETCD_PORT:-52379}
# The quickstart asks every user, the first administrator included, for a second factor (docs/mfa.md).
mfa_policy=${SSO_MFA_POLICY:-Everyone}
issuer="http://127.0.0.1:$idp_port/"
kubeconfig="$run/kubeconfig"
connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=postgres;Database=idp"

say() { echo "run: $*" >&2 || true; }
fail() { say "$*"; exit 1; }

pids=()
names=()
pg_bin=""
stop_all() {
  trap - EXIT INT TERM
  # A closed terminal or pipe must not cut the clean-up short.
  trap '' PIPE
  say "stopping"
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$pg_bin" ] && as_postgres "$pg_bin/pg_ctl" stop -D "$run/postgres" -m fast -w >/dev/null 2>&1 || true
  say "stopped"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# start NAME COMMAND...: runs a process in the background with its output in .run/logs/NAME.log.
start() {
  local name=$1; shift
  "$@" >>"$logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

# watch: ends only by exiting: through the INT trap on Ctrl-C, or naming the process that exited by
# itself, with its status and log. It polls, rather than `wait -n`, to know which one that was.
watch() {
  while :; do
    sleep 1
    for i in "${!pids[@]}"; do
      kill -0 "${pids[i]}" 2>/dev/null && continue
      local status=0
      wait "${pids[i]}" || status=$?
      fail "${names[i]} exited (status $status); its log is $logs/${names[i]}.log"
    done
  done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until SECONDS WHAT COMMAND...: polls the command until it succeeds.
wait_until() {
  local seconds=$1 what=$2; shift 2
  for ((i = 0; i < seconds * 4; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  fail "$what did not come up within ${seconds}s; see $logs/"
}

# http_ok URL: true when a GET on a loopback http URL answers 200 (no curl needed).
http_ok() {
  local rest=${1#http://127.0.0.1:} port path
  port=${rest%%/*}; path=/${rest#*/}
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
  local status; read -r _ status _ <&3; exec 3<&-
  [ "$status" = 200 ]
}

as_postgres() {
  # PostgreSQL refuses to run as root; Debian's package brings the `postgres` user for that.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

check_ports() {
  for port in "$idp_port" "$operator_port" "$pg_port" "$api_port" "$etcd_port" "$((etcd_port + 1))"; do
    port_free "$port" || fail "port $port on 127.0.0.1 is in use (another make run?); set the SSO_*_PORT variables"
  done
  for tool in kube-apiserver kube-controller-manager kubectl etcd; do
    [ -x "$assets/$tool" ] || fail "$tool is missing from $assets; run make test-assets"
  done
}

start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$pg_bin/initdb" ] || fail "PostgreSQL is not installed; run make setup"
  if [ ! -f "$run/postgres/PG_VERSION" ]; then
    say "creating the database cluster in .run/postgres"
    mkdir -p "$run/postgres"
    echo postgres >"$run/pwfile"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$run/postgres" "$run/pwfile"
    as_postgres "$pg_bin/initdb" -D "$run/postgres" -U postgres --pwfile "$run/pwfile" -A scram-sha-256 \
      -E UTF8 >>"$logs/postgres.log" 2>&1
  fi
  [ "$(id -u)" = 0 ] && touch "$logs/postgres.log" && chown postgres:postgres "$logs/postgres.log"
  as_postgres "$pg_bin/pg_ctl" start -D "$run/postgres" -w -t 60 -l "$logs/postgres.log" \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=''" >/dev/null
  PGPASSWORD=postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres idp 2>/dev/null || true
}

write_kube_files() {
  mkdir -p "$run/kube"
  [ -f "$run/kube/sa.key" ] || openssl genrsa -out "$run/kube/sa.key" 2048 2>/dev/null
  [ -f "$run/kube/token" ] || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$run/kube/token"
  local token; token=$(cat "$run/kube/token")
  echo "$token,admin,admin-uid,\"system:masters\"" >"$run/kube/tokens.csv"
  cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: sso
  cluster: {server: "https://127.0.0.1:$api_port", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: "$token"}
contexts:
- name: sso
  context: {cluster: sso, user: admin, namespace: default}
current-context: sso
EOF
}

start_kubernetes() {
  write_kube_files
  local etcd_url="http://127.0.0.1:$etcd_port" peer="http://127.0.0.1:$((etcd_port + 1))"
  start etcd "$assets/etcd" --name sso --data-dir "$run/etcd" --listen-client-urls "$etcd_url" \
    --advertise-client-urls "$etcd_url" --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "sso=$peer" --log-level warn
  start kube-apiserver "$assets/kube-apiserver" --etcd-servers "$etcd_url" --bind-address 127.0.0.1 \
    --advertise-address 127.0.0.1 --secure-port "$api_port" --cert-dir "$run/kube/certs" \
    --token-auth-file "$run/kube/tokens.csv" --authorization-mode RBAC --service-cluster-ip-range 10.0.0.0/24 \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$run/kube/sa.key" --service-account-signing-key-file "$run/kube/sa.key" \
    --disable-admission-plugins ServiceAccount --allow-privileged=true
  wait_until 90 kube-apiserver kubectl --kubeconfig "$kubeconfig" get --raw /readyz
  # The garbage collector removes a deleted Provider's generated Secret (it owns it).
  start kube-controller-manager "$assets/kube-controller-manager" --kubeconfig "$kubeconfig" \
    --leader-elect=false --port=0 --secure-port=0 --controllers garbagecollector,namespace \
    --use-service-account-credentials=false
}

install_crds() {
  kubectl --kubeconfig "$kubeconfig" apply -f config/crd/ >/dev/null 2>&1 ||
    for crd in config/crd/ssooperator.dev_*.yaml; do kubectl --kubeconfig "$kubeconfig" apply -f "$crd" >/dev/null; done
  kubectl --kubeconfig "$kubeconfig" wait --for=condition=Established --timeout=60s \
    crd/providers.ssooperator.dev crd/applications.ssooperator.dev >/dev/null
}

start_idp_and_operator() {
  say "building the IdP and the operator"
  for project in src/IdP/SsoOperator.IdP.csproj src/Operator/SsoOperator.Operator.csproj; do
    dotnet build "$project" -nologo -v:q -clp:ErrorsOnly >"$logs/build.log" 2>&1 ||
      { cat "$logs/build.log" >&2; fail "building $project failed"; }
  done
  rm -f "$run/setup-link.txt"
  start idp dotnet run --no-build --project src/IdP/SsoOperator.IdP.csproj -- \
    --urls "http://127.0.0.1:$idp_port" "--ConnectionStrings:Idp=$connection" "--Idp:Issuer=$issuer" \
    "--Idp:SetupLinkFile=$run/setup-link.txt" "--Idp:Mfa:Policy=$mfa_policy"
  wait_until 120 "the IdP" http_ok "http://127.0.0.1:$idp_port/readyz"
  start operator dotnet run --no-build --project src/Operator/SsoOperator.Operator.csproj -- \
    --urls "http://127.0.0.1:$operator_port" "--Kubeconfig=$kubeconfig" "--ConnectionStrings:Idp=$connection" \
    "--Idp:Issuer=$issuer" --LeaderElection:Namespace=default --LeaderElection:Identity=make-run
  wait_until 120 "the operator" http_ok "http://127.0.0.1:$operator_port/readyz"
}

apply_quickstart() {
  # The manifests name the default ports; a run on other ports (the SSO_*_PORT variables) gets its own.
  kubectl --kubeconfig "$kubeconfig" kustomize deploy/examples/quickstart/ |
    sed -e "s|127.0.0.1:9000|127.0.0.1:$idp_port|g" \
        -e "s|127.0.0.1:9400|127.0.0.1:${SSO_OUTPOST_PORT:-9400}|g" \
        -e "s|127.0.0.1:9401|127.0.0.1:${SSO_ECHO_PORT:-9401}|g" |
    kubectl --kubeconfig "$kubeconfig" apply -f - >&2
  # Note: if the previous run was killed rather than stopped, its lease expires first (15 s).
  kubectl --kubeconfig "$kubeconfig" wait --for=condition=Ready --timeout=120s \
    provider/quickstart application/quickstart >&2 ||
    fail "the quickstart did not become Ready; see $logs/operator.log and kubectl describe provider quickstart"
}

print_summary() {
  local link="(an administrator exists already: sign in at ${issuer}account/login)"
  for ((i = 0; i < 40; i++)); do
    [ -s "$run/setup-link.txt" ] && { link=$(cat "$run/setup-link.txt"); break; }
    sleep 0.25
  done
  cat <<EOF

  SsoOperator is running on loopback.

  IdP (issuer)        $issuer
  Admin setup link    $link
  kubeconfig          export KUBECONFIG=$kubeconfig
  kubectl             export PATH=$assets:\$PATH   # a kubectl that matches the API server
  Operator            http://127.0.0.1:$operator_port/metrics  (/healthz, /readyz)
  Logs                $logs/

  Try next (sign in with the setup link first: it creates the admin, who enrolls a TOTP app):
    kubectl get sso                                   # every SSO object (five kinds): Ready, Reason
    kubectl describe provider quickstart              # conditions and Events
    kubectl get secret quickstart-oidc -o jsonpath='{.data.clientSecret}' | base64 -d; echo
    curl ${issuer}.well-known/openid-configuration
    kubectl edit provider quickstart                  # change a redirect URI; the IdP follows in seconds

  Ctrl-C stops everything; the data stays in .run/ for the next make run (make clean wipes it).

EOF
}

mkdir -p "$logs"
check_ports
say "starting PostgreSQL on 127.0.0.1:$pg_port"
start_postgres
say "starting etcd and kube-apiserver on 127.0.0.1:$api_port"
start_kubernetes
install_crds
start_idp_and_operator
apply_quickstart
# The quickstart outpost (issue 6): one outpost process in front of an echo app; see hack/run-outpost.sh.
source hack/run-outpost.sh
start_quickstart_outpost
print_summary
watch
