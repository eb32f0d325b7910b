#!/usr/bin/env bash
# Deploys the stack to the AWS account and region of your current credentials, then seeds the demo users.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/timed-steps.sh
export CDK_DISABLE_CLI_TELEMETRY=true
# An emulator's endpoint left in the shell (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, ...) must not
# send this deploy, or part of it, there.
for name in $(compgen -e); do
  if [[ "$name" == AWS_ENDPOINT_URL || "$name" == AWS_ENDPOINT_URL_* ]]; then unset "$name"; fi
done
cdk="${CDK_CLI:-node_modules/.bin/cdk}"  # CDK_CLI: another cdk binary, e.g. a global one

step "cdk bootstrap" "$cdk" bootstrap --no-notices
step "cdk deploy Brokerage" "$cdk" deploy Brokerage --require-approval broadening --no-notices --outputs-file cdk-outputs.json
step "seed the demo users" node_modules/.bin/tsx scripts/seed-users.ts
steps_done
echo "Deployed. Outputs in cdk-outputs.json. Remove everything with: npx cdk destroy Brokerage"
