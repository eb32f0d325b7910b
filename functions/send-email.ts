import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { KmsFieldCipher } from "../adapters/kms-field-cipher.ts";
import { ENV } from "./shared/env-names.ts";
import { requireEnv } from "./shared/env.ts";
import { emailDelivery } from "./notify/email-delivery.ts";
import { tracer } from "./shared/telemetry.ts";
import { kmsClient } from "../adapters/aws-clients.ts";

/** E-mail delivery is simulated: the address is decrypted, the e-mail is one structured log line without it. */
const lambdaHandler = emailDelivery(new KmsFieldCipher(requireEnv(ENV.PERSONAL_DATA_KEY_ARN), kmsClient));

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer));
