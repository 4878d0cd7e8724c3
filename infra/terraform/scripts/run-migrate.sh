#!/usr/bin/env bash
# Starts the migrate job (python -m jobs.migrate) and waits for its execution to end. Exits 0 only
# when it succeeded, so that a failed migration stops `terraform apply` before any app gets a
# revision of the new image. Needs the Azure CLI, signed in to the subscription.
set -euo pipefail

: "${RESOURCE_GROUP:?set RESOURCE_GROUP}" "${JOB_NAME:?set JOB_NAME}"
timeout_s="${MIGRATE_TIMEOUT_SECONDS:-1200}"

execution="$(az containerapp job start --name "$JOB_NAME" --resource-group "$RESOURCE_GROUP" --query name --output tsv)"
echo "migrate: started execution $execution of $JOB_NAME"

deadline=$((SECONDS + timeout_s))
while true; do
  status="$(az containerapp job execution show --name "$JOB_NAME" --resource-group "$RESOURCE_GROUP" \
    --job-execution-name "$execution" --query properties.status --output tsv)"
  case "$status" in
    Succeeded)
      echo "migrate: $execution succeeded"
      exit 0
      ;;
    Failed | Stopped | Degraded)
      echo "migrate: $execution ended $status; its output (what failed and why) is in the environment's" >&2
      echo "  Log Analytics workspace, or in the portal under the job's execution history" >&2
      exit 1
      ;;
  esac
  if ((SECONDS >= deadline)); then
    echo "migrate: $execution still '$status' after ${timeout_s}s; not rolling the apps" >&2
    exit 1
  fi
  sleep 10
done
