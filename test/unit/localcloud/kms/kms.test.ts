/** KMS on the local cloud's endpoint through the AWS SDK: keys, aliases, encryption and its refusals. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisabledException,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyRotationStatusCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
  KMSInvalidStateException,
  ListAliasesCommand,
  ListKeysCommand,
  NotFoundException,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { startLocalCloud, type LocalCloud } from "../../../../localcloud/cloud.ts";

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString("utf8");

describe("KMS through the SDK", () => {
  let cloud: LocalCloud;
  let kms: KMSClient;

  const newKey = async (description = "test key"): Promise<string> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: description }));
    assert.ok(KeyMetadata?.KeyId);
    return KeyMetadata.KeyId;
  };

  before(async () => {
    cloud = await startLocalCloud({ port: 0, dataDir: "unused", inMemory: true });
    kms = new KMSClient({ endpoint: cloud.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });

  after(async () => {
    kms.destroy();
    await cloud.stop();
  });

  test("a new key is an enabled symmetric customer key with a UUID id, found by id, ARN and alias", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "personal data" }));
    assert.match(KeyMetadata?.KeyId ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(KeyMetadata?.Arn, `arn:aws:kms:us-east-1:000000000000:key/${KeyMetadata?.KeyId}`);
    assert.deepEqual([KeyMetadata?.Enabled, KeyMetadata?.KeyState, KeyMetadata?.KeyManager, KeyMetadata?.KeySpec], [true, "Enabled", "CUSTOMER", "SYMMETRIC_DEFAULT"]);
    assert.ok(KeyMetadata?.CreationDate instanceof Date);
    await kms.send(new CreateAliasCommand({ AliasName: "alias/personal-data", TargetKeyId: KeyMetadata?.KeyId }));

    for (const reference of [KeyMetadata?.KeyId, KeyMetadata?.Arn, "alias/personal-data", "arn:aws:kms:us-east-1:000000000000:alias/personal-data"]) {
      const described = await kms.send(new DescribeKeyCommand({ KeyId: reference }));
      assert.equal(described.KeyMetadata?.KeyId, KeyMetadata?.KeyId, reference);
      assert.equal(described.KeyMetadata?.Description, "personal data");
    }
    const { Keys } = await kms.send(new ListKeysCommand({}));
    assert.ok(Keys?.some((key) => key.KeyId === KeyMetadata?.KeyId && key.KeyArn === KeyMetadata?.Arn));
  });

  test("unknown keys and aliases are NotFoundException", async () => {
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: "00000000-0000-4000-8000-000000000000" })), NotFoundException);
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: "alias/nobody" })), NotFoundException);
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: "alias/nobody", Plaintext: Buffer.from("x") })), NotFoundException);
  });

  test("Encrypt then Decrypt gives the plaintext back; Decrypt needs no key id, the blob names its key", async () => {
    const keyId = await newKey();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("ana@example.com"), EncryptionContext: { purpose: "personal-data", userId: "1" } }));
    assert.ok(!text(encrypted.CiphertextBlob).includes("ana@example.com"));
    assert.equal(encrypted.KeyId, `arn:aws:kms:us-east-1:000000000000:key/${keyId}`);

    // The context's keys in another order are the same context.
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { userId: "1", purpose: "personal-data" } }));
    assert.equal(text(decrypted.Plaintext), "ana@example.com");
    assert.equal(decrypted.KeyId, encrypted.KeyId);
  });

  test("Decrypt with another encryption context, or none, is InvalidCiphertextException", async () => {
    const keyId = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("secret"), EncryptionContext: { userId: "1" } }));

    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { userId: "2" } })), InvalidCiphertextException);
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob })), InvalidCiphertextException);
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { userId: "1", extra: "x" } })), InvalidCiphertextException);
  });

  test("a blob from one key does not decrypt with another: named, it is IncorrectKeyException; re-labelled, it fails to authenticate", async () => {
    const first = await newKey();
    const second = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: first, Plaintext: Buffer.from("for the first key") }));

    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, KeyId: second })), IncorrectKeyException);
    // The same bytes with the second key's id written into the header.
    const relabelled = Buffer.from(CiphertextBlob ?? []);
    Buffer.from(second.replace(/-/g, ""), "hex").copy(relabelled, 1);
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: relabelled })), InvalidCiphertextException);
    // A flipped byte of the data.
    const tampered = Buffer.from(CiphertextBlob ?? []);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: tampered })), InvalidCiphertextException);
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from("not a blob at all, just some bytes to decrypt") })), InvalidCiphertextException);
  });

  test("GenerateDataKey gives a data key and its blob, which Decrypt opens to the same key (envelope encryption)", async () => {
    const keyId = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: "alias/envelope", TargetKeyId: keyId }));
    const context = { purpose: "personal-data", userId: "7" };
    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: "alias/envelope", KeySpec: "AES_256", EncryptionContext: context }));
    assert.equal(dataKey.Plaintext?.length, 32);
    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }));
    assert.deepEqual(Buffer.from(opened.Plaintext ?? []), Buffer.from(dataKey.Plaintext ?? []));

    assert.equal((await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_128" }))).Plaintext?.length, 16);
    assert.equal((await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 64 }))).Plaintext?.length, 64);
    const withoutPlaintext = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: "AES_256" }));
    assert.equal("Plaintext" in withoutPlaintext, false);
    assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: withoutPlaintext.CiphertextBlob }))).Plaintext?.length, 32);

    await assert.rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256", NumberOfBytes: 32 })), { name: "ValidationException" });
    await assert.rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId })), { name: "ValidationException" });
  });

  test("ReEncrypt moves a blob to another key and context", async () => {
    const from = await newKey();
    const to = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: from, Plaintext: Buffer.from("moved"), EncryptionContext: { a: "1" } }));
    const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: { a: "1" }, DestinationKeyId: to, DestinationEncryptionContext: { b: "2" } }));
    assert.equal(moved.KeyId, `arn:aws:kms:us-east-1:000000000000:key/${to}`);
    assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { b: "2" } }))).Plaintext), "moved");
  });

  test("aliases: a taken name is AlreadyExistsException; deleted, it is gone", async () => {
    const keyId = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: "alias/taken", TargetKeyId: keyId }));
    await assert.rejects(kms.send(new CreateAliasCommand({ AliasName: "alias/taken", TargetKeyId: keyId })), AlreadyExistsException);
    const { Aliases } = await kms.send(new ListAliasesCommand({ KeyId: keyId }));
    assert.deepEqual(Aliases?.map((alias) => [alias.AliasName, alias.TargetKeyId, alias.AliasArn]), [["alias/taken", keyId, "arn:aws:kms:us-east-1:000000000000:alias/taken"]]);

    await kms.send(new DeleteAliasCommand({ AliasName: "alias/taken" }));
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: "alias/taken" })), NotFoundException);
    await assert.rejects(kms.send(new DeleteAliasCommand({ AliasName: "alias/taken" })), NotFoundException);
  });

  test("key rotation is off until enabled", async () => {
    const keyId = await newKey();
    assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled, false);
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 365);
  });

  test("a disabled key refuses to encrypt; a key scheduled for deletion refuses to decrypt", async () => {
    const disabled = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: disabled }));
    await assert.rejects(kms.send(new EncryptCommand({ KeyId: disabled, Plaintext: Buffer.from("x") })), DisabledException);

    const doomed = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: doomed, Plaintext: Buffer.from("x") }));
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, "PendingDeletion");
    assert.ok((scheduled.DeletionDate?.getTime() ?? 0) > Date.now() + 6 * 86_400_000);
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob })), KMSInvalidStateException);
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: doomed }))).KeyMetadata?.KeyState, "PendingDeletion");
  });
});
