import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { referencedLogicalIds, resolve, type ResolutionScope } from "../../../../localcloud/deployer/intrinsics.ts";
import { dependencyOrder } from "../../../../localcloud/deployer/dependency-order.ts";
import { localUrl } from "../../../../localcloud/cloudformation/stack-operation.ts";

const scope: ResolutionScope = {
  ref: (id) => ({ "AWS::Region": "us-east-1", "AWS::AccountId": "000000000000", Queue: "http://localhost:4566/000000000000/q", Api: "abc123" })[id] ?? `unknown:${id}`,
  getAtt: (id, attribute) => `${id}.${attribute}`,
  condition: (name) => name === "IsUsEast1",
};

describe("intrinsic functions", () => {
  test("Ref, Fn::GetAtt in both forms, and Fn::Join", () => {
    assert.equal(resolve({ Ref: "Queue" }, scope), "http://localhost:4566/000000000000/q");
    assert.equal(resolve({ "Fn::GetAtt": ["Fn", "Arn"] }, scope), "Fn.Arn");
    assert.equal(resolve({ "Fn::GetAtt": "Fn.Arn" }, scope), "Fn.Arn");
    assert.equal(resolve({ "Fn::Join": ["", ["https://", { Ref: "Api" }, ".execute-api.", { Ref: "AWS::Region" }]] }, scope), "https://abc123.execute-api.us-east-1");
  });

  test("Fn::Sub with pseudo parameters, attributes, variables and escapes", () => {
    assert.equal(resolve({ "Fn::Sub": "cdk-assets-${AWS::AccountId}-${AWS::Region}" }, scope), "cdk-assets-000000000000-us-east-1");
    assert.equal(resolve({ "Fn::Sub": "${Fn.Arn}/x" }, scope), "Fn.Arn/x");
    assert.equal(resolve({ "Fn::Sub": ["${Name}-${!Literal}", { Name: { Ref: "Api" } }] }, scope), "abc123-${Literal}");
  });

  test("Fn::Select, Fn::Split, Fn::If, conditions and AWS::NoValue", () => {
    assert.equal(resolve({ "Fn::Select": [1, { "Fn::Split": ["/", "a/b/c"] }] }, scope), "b");
    assert.equal(resolve({ "Fn::If": ["IsUsEast1", "yes", "no"] }, scope), "yes");
    assert.deepEqual(resolve({ A: 1, B: { Ref: "AWS::NoValue" } }, scope), { A: 1 });
    assert.equal(resolve({ "Fn::Or": [{ "Fn::Equals": ["a", "b"] }, { "Fn::Equals": [{ Ref: "AWS::Region" }, "us-east-1"] }] }, scope), true);
    assert.equal(resolve({ "Fn::Not": [{ "Fn::Equals": ["a", "a"] }] }, scope), false);
  });

  test("an unsupported function is an error that names it", () => {
    assert.throws(() => resolve({ "Fn::ImportValue": "x" }, scope), /Fn::ImportValue is not supported/);
  });

  test("references are found in Ref, GetAtt and Sub, ignoring pseudo parameters", () => {
    const ids = referencedLogicalIds({ a: { Ref: "A" }, b: { "Fn::GetAtt": ["B", "Arn"] }, c: { "Fn::Sub": "${C.Arn}-${AWS::Region}" }, d: { Ref: "AWS::StackName" } });
    assert.deepEqual([...ids].sort(), ["A", "B", "C"]);
  });
});

describe("dependency order", () => {
  test("puts every resource after what it refers to or depends on", () => {
    const order = dependencyOrder({
      Mapping: { Type: "M", Properties: { Fn: { Ref: "Fn" }, Queue: { "Fn::GetAtt": ["Queue", "Arn"] } } },
      Fn: { Type: "F", Properties: { Env: { Ref: "Table" } }, DependsOn: ["Role"] },
      Role: { Type: "R" },
      Table: { Type: "T" },
      Queue: { Type: "Q", Properties: { Redrive: { "Fn::GetAtt": ["Dlq", "Arn"] } } },
      Dlq: { Type: "Q" },
    });
    const before = (a: string, b: string): boolean => order.indexOf(a) < order.indexOf(b);
    assert.ok(before("Table", "Fn") && before("Role", "Fn") && before("Fn", "Mapping") && before("Dlq", "Queue") && before("Queue", "Mapping"));
  });

  test("reports a cycle with its path", () => {
    assert.throws(() => dependencyOrder({ A: { Type: "X", Properties: { b: { Ref: "B" } } }, B: { Type: "X", Properties: { a: { Ref: "A" } } } }), /Circular dependency: A → B → A/);
  });
});

describe("stack outputs", () => {
  test("an API's AWS invoke URL becomes the local execute-api URL", () => {
    assert.equal(localUrl("https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/", "http://localhost:4566"), "http://localhost:4566/_aws/execute-api/abc123defg/prod/");
    assert.equal(localUrl("users-table", "http://localhost:4566"), "users-table");
  });
});
