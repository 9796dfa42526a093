# Sourced by hack/run.sh (`make run`) after the quickstart is applied: one outpost process for the
# quickstart Outpost, in front of a tiny echo app, fed from the config Secret the operator wrote.
# Uses run.sh's helpers (start, wait_until, http_ok, say, fail) and variables (run, logs, kubeconfig).
#
#   browser ─▶ outpost 127.0.0.1:$SSO_OUTPOST_PORT (9400) ─▶ echo app 127.0.0.1:$SSO_ECHO_PORT (9401)
#
# Note: the ports must match deploy/examples/quickstart/outpost.yaml (externalHost, internalHost).

outpost_port=${SSO_OUTPOST_PORT:-9400}
echo_port=${SSO_ECHO_PORT:-9401}
outpost_config="$run/outpost/config.json"

# What the kubelet does for a Secret volume: keep the file equal to the Secret's config.json. The
# outpost notices a changed file within a second and swaps the new config in without a restart.
sync_outpost_config() {
  local next="$outpost_config.next"
  while true; do
    if kubectl --kubeconfig "$kubeconfig" get secret quickstart-config -o 'jsonpath={.data.config\.json}' \
      2>/dev/null | base64 -d >"$next" 2>/dev/null && [ -s "$next" ] && ! cmp -s "$next" "$outpost_config"; then
      mv "$next" "$outpost_config"
      echo "config.json updated from Secret quickstart-config"
    fi
    sleep 2
  done
}

start_quickstart_outpost() {
  for port in "$outpost_port" "$echo_port"; do
    port_free "$port" || fail "port $port on 127.0.0.1 is in use; set SSO_OUTPOST_PORT / SSO_ECHO_PORT"
  done
  command -v node >/dev/null || fail "node is missing (the echo app needs it); run make setup"
  kubectl --kubeconfig "$kubeconfig" wait --for=condition=Ready --timeout=120s outpost/quickstart >&2 ||
    fail "the quickstart Outpost did not become Ready; see kubectl describe outpost quickstart"

  mkdir -p "$run/outpost"
  rm -f "$outpost_config"
  start outpost-config sync_outpost_config
  wait_until 30 "the outpost config file" test -s "$outpost_config"

  dotnet build src/Outpost/SsoOperator.Outpost.csproj -nologo -v:q -clp:ErrorsOnly >"$logs/build.log" 2>&1 ||
    { cat "$logs/build.log" >&2; fail "building src/Outpost failed"; }
  start echo-upstream node hack/echo-upstream.mjs "$echo_port"
  start outpost dotnet run --no-build --project src/Outpost/SsoOperator.Outpost.csproj -- \
    --config "$outpost_config" --urls "http://127.0.0.1:$outpost_port" --Outpost:LogFormat=text
  wait_until 60 "the outpost" http_ok "http://127.0.0.1:$outpost_port/ping"
  cat >&2 <<EOT

  Outpost             http://127.0.0.1:$outpost_port/   (sign in; the echo app shows X-Forwarded-User & co.)
                      config: kubectl get secret quickstart-config; logs: $logs/outpost.log

EOT
}
