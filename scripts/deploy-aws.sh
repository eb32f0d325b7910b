#!/usr/bin/env bash
# Deploys the stack to the AWS account and region of your current credentials, then seeds the demo users.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true
unset AWS_ENDPOINT_URL

npx cdk bootstrap --no-notices
npx cdk deploy Brokerage --require-approval broadening --no-notices --outputs-file cdk-outputs.json
npx tsx scripts/seed-users.ts
echo "Deployed. Outputs in cdk-outputs.json. Remove everything with: npx cdk destroy Brokerage"
