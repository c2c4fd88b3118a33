import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors';

const algorithm = 'aes-256-gcm';
const ivLength = 12;
const version = 'v1';

/** Encrypts and decrypts integration secrets; every ciphertext is bound to its associated data. */
export interface SecretBox {
  encrypt(plaintext: string, associatedData: string): string;
  decrypt(ciphertext: string, associatedData: string): string;
}

/** The associated data that binds a secret to one integration of one workspace. */
export function bindSecret(workspaceId: string, integrationId: string): string {
  return `${workspaceId}:${integrationId}`;
}

/**
 * AES-256-GCM with a random 96-bit IV per message. The associated data is
 * authenticated but not stored, so a ciphertext copied to another workspace or
 * integration row fails to decrypt instead of lending its credentials there.
 */
export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) {
    throw new AppError('INTERNAL', `The secret key must be 32 bytes, got ${key.length}`);
  }
  const keyBuffer = Buffer.from(key);
  return {
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(ivLength);
      const cipher = createCipheriv(algorithm, keyBuffer, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [version, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(ciphertext, associatedData) {
      const [prefix, ivText, tagText, bodyText] = ciphertext.split('.');
      if (prefix !== version || ivText === undefined || tagText === undefined || bodyText === undefined) {
        throw new AppError('INTERNAL', 'Stored secret has an unknown format');
      }
      try {
        const decipher = createDecipheriv(algorithm, keyBuffer, Buffer.from(ivText, 'base64url'));
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(Buffer.from(tagText, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        // Never echo the ciphertext or the key; the binding mismatch is the usual cause.
        throw new AppError('FORBIDDEN', 'Stored secret does not belong to this workspace integration', { cause: error });
      }
    },
  };
}
