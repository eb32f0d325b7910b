#!/usr/bin/env bash
# Deploys the stack to LocalStack with the plain cdk CLI (no cdklocal), then seeds the demo users.
set -euo pipefail
cd "$(dirname "$0")/.."

export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:4566}"
# Path-style S3 for the asset upload, which LocalStack serves on the same port.
export AWS_ENDPOINT_URL_S3="${AWS_ENDPOINT_URL_S3:-http://s3.localhost.localstack.cloud:4566}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="$AWS_REGION"
export CDK_DISABLE_CLI_TELEMETRY=true

account=000000000000
npx cdk bootstrap "aws://${account}/${AWS_REGION}" --no-notices
npx cdk deploy Brokerage --require-approval never --no-notices --outputs-file cdk-outputs.json
npx tsx scripts/seed-users.ts

# --with-fixtures: also the stack the failure-path tests drive, its outputs merged into cdk-outputs.json.
if [[ "${1:-}" == "--with-fixtures" ]]; then
  npx cdk deploy FailureFixture --app "npx tsx test/e2e/fixtures/failure-app.ts" --require-approval never \
    --no-notices --output cdk.out.fixture --outputs-file cdk-outputs.fixture.json
  node -e "const fs=require('fs');const a=JSON.parse(fs.readFileSync('cdk-outputs.json'));Object.assign(a,JSON.parse(fs.readFileSync('cdk-outputs.fixture.json')));fs.writeFileSync('cdk-outputs.json',JSON.stringify(a,null,2)+'\n')"
fi
echo "Deployed. Outputs in cdk-outputs.json; run the end-to-end suite with: E2E_TARGET=localstack npm run test:e2e"
