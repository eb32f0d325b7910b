#!/usr/bin/env bash
# Deploys the stack to LocalStack (or the local cloud, which serves the same API) with the plain
# cdk CLI (no cdklocal), then seeds the demo users. --with-fixtures also deploys the failure-path
# fixture stack. Endpoint from AWS_ENDPOINT_URL (default http://localhost:4566).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/timed-steps.sh

export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:4566}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="$AWS_REGION"
export CDK_DISABLE_CLI_TELEMETRY=true
health_timeout="${HEALTH_TIMEOUT_SECONDS:-120}"
# Where the synthesized assembly and the stack outputs go (the end-to-end test points both elsewhere).
export CDK_OUTPUTS_FILE="${CDK_OUTPUTS_FILE:-cdk-outputs.json}"
outdir="${CDK_OUTDIR:-cdk.out}"
tsx=node_modules/.bin/tsx
cdk="${CDK_CLI:-node_modules/.bin/cdk}"  # CDK_CLI: another cdk binary, e.g. a global one

step "wait for ${AWS_ENDPOINT_URL}/_localstack/health (up to ${health_timeout} s)" "$tsx" scripts/wait-for-health.ts "$health_timeout"

# Asset uploads go path-style to the endpoint's IP: the S3 SDK addresses buckets by path when the
# host is an IP, so no <bucket>.s3.localhost.localstack.cloud name needs public DNS.
if [[ -z "${AWS_ENDPOINT_URL_S3:-}" ]]; then
  AWS_ENDPOINT_URL_S3="$("$tsx" scripts/s3-endpoint.ts "$AWS_ENDPOINT_URL")"
fi
export AWS_ENDPOINT_URL_S3
echo "S3 endpoint: ${AWS_ENDPOINT_URL_S3}"

account=000000000000
# One synth for both: given the app, cdk bootstrap synthesizes it too, even for a named environment.
step "cdk synth" "$cdk" synth --quiet --no-notices --output "$outdir"
step "cdk bootstrap aws://${account}/${AWS_REGION}" "$cdk" bootstrap "aws://${account}/${AWS_REGION}" --no-notices --app "$outdir"
step "cdk deploy Brokerage" "$cdk" deploy Brokerage --require-approval never --no-notices --app "$outdir" --outputs-file "$CDK_OUTPUTS_FILE"
# The rendered ApiUrl needs DNS and port 443; the endpoint serves the same API under /_aws/execute-api/.
step "ApiUrl on the endpoint" "$tsx" scripts/local-api-url.ts "$CDK_OUTPUTS_FILE"
step "seed the demo users" "$tsx" scripts/seed-users.ts

merge_fixture_outputs() {
  node -e "const fs=require('fs');const f=process.env.CDK_OUTPUTS_FILE;const a=JSON.parse(fs.readFileSync(f));Object.assign(a,JSON.parse(fs.readFileSync('cdk-outputs.fixture.json')));fs.writeFileSync(f,JSON.stringify(a,null,2)+'\n')"
}
if [[ "${1:-}" == "--with-fixtures" ]]; then
  step "cdk deploy FailureFixture" "$cdk" deploy FailureFixture --app "$tsx test/e2e/fixtures/failure-app.ts" --require-approval never \
    --no-notices --output cdk.out.fixture --outputs-file cdk-outputs.fixture.json
  step "merge the fixture's outputs into cdk-outputs.json" merge_fixture_outputs
fi
steps_done
echo "Deployed. Outputs in ${CDK_OUTPUTS_FILE}; run the end-to-end suite with: E2E_TARGET=localstack npm run test:e2e"
