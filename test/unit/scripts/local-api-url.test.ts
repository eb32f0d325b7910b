import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { localApiUrl, rewriteOutputs } from "../../../scripts/local-api-url.ts";

const ENDPOINT = "http://localhost:4566";

describe("localApiUrl", () => {
  test("LocalStack's rendered URL becomes the path form on the endpoint", () => {
    assert.equal(
      localApiUrl("https://k3x9q2m7ab.execute-api.us-east-1.localhost.localstack.cloud/prod/", ENDPOINT),
      "http://localhost:4566/_aws/execute-api/k3x9q2m7ab/prod/",
    );
  });

  test("an AWS-shaped URL, with a port-bearing LOCALSTACK_HOST variant and a missing trailing slash, too", () => {
    assert.equal(localApiUrl("https://abc123.execute-api.sa-east-1.amazonaws.com/prod", `${ENDPOINT}/`), "http://localhost:4566/_aws/execute-api/abc123/prod/");
    assert.equal(
      localApiUrl("https://abc123.execute-api.us-east-1.localhost.localstack.cloud:4566/prod/", "http://127.0.0.1:4566"),
      "http://127.0.0.1:4566/_aws/execute-api/abc123/prod/",
    );
  });

  test("a URL already in the path form is kept as it is", () => {
    const local = "http://localhost:4566/_aws/execute-api/abc123/prod/";
    assert.equal(localApiUrl(local, "http://elsewhere:4566"), local);
  });

  test("refuses a URL it cannot place and an ApiId that disagrees", () => {
    assert.throws(() => localApiUrl("https://api.example.com/prod/", ENDPOINT), /neither an execute-api URL/);
    assert.throws(() => localApiUrl("https://abc123.execute-api.us-east-1.amazonaws.com/prod/", ENDPOINT, "zzz999"), /ApiId output says zzz999/);
  });
});

describe("rewriteOutputs", () => {
  test("rewrites each stack's ApiUrl and keeps every other output", () => {
    const { outputs, changed } = rewriteOutputs(
      {
        Brokerage: { ApiUrl: "https://abc123.execute-api.us-east-1.localhost.localstack.cloud/prod/", ApiId: "abc123", UsersTableName: "Users" },
        FailureFixture: { AlwaysFailsQueueUrl: "http://sqs/q" },
      },
      ENDPOINT,
    );
    assert.deepEqual(outputs, {
      Brokerage: { ApiUrl: "http://localhost:4566/_aws/execute-api/abc123/prod/", ApiId: "abc123", UsersTableName: "Users" },
      FailureFixture: { AlwaysFailsQueueUrl: "http://sqs/q" },
    });
    assert.equal(changed.length, 1);
  });
});
