import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

// Authenticator data flags (WebAuthn §6.1): user present, user verified, backup eligible, backed up, attested credential data.
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

export interface AnswerOptions {
  /** The origin the "browser" reports in clientDataJSON. */
  origin?: string;
  /** Sets the sign counter before answering, instead of stepping it by one. */
  counter?: number;
}

/**
 * A WebAuthn authenticator in software (ES256 over P-256, attestation `none`), answering as a browser
 * would: what the server checks (challenge, origin, RP id hash, flags, counter, signature) is built
 * by the same rules, so tests can craft a wrong origin, a cloned key or a replay on purpose.
 */
export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(32);
  counter = 0;
  userHandle: string | undefined;

  constructor(
    readonly rpId: string,
    readonly origin: string,
    private readonly keys: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    /** A synced passkey (backup eligible and backed up), as platform passkeys are; false for a security key. */
    readonly synced = true,
  ) {}

  get id(): string {
    return b64url(this.credentialId);
  }

  /** Another authenticator holding the same key and counter: what copying a credential would make. */
  clone(): SoftwareAuthenticator {
    const copy = new SoftwareAuthenticator(this.rpId, this.origin, this.keys, this.synced);
    copy.credentialId.set(this.credentialId);
    copy.counter = this.counter;
    copy.userHandle = this.userHandle;
    return copy;
  }

  /** The answer to `navigator.credentials.create()` with these options. */
  register(options: { challenge: string; user?: { id?: unknown } }, answer: AnswerOptions = {}): RegistrationResponseJSON {
    this.userHandle = typeof options.user?.id === 'string' ? options.user.id : undefined;
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, cose]);
    const authData = Buffer.concat([this.authData(AT, answer), attested]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, answer),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'hybrid'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** The answer to `navigator.credentials.get()` with these options. */
  authenticate(options: { challenge: string }, answer: AnswerOptions = {}): AuthenticationResponseJSON {
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, answer);
    const authData = this.authData(0, answer);
    const signature = sign('sha256', Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), this.keys.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private clientData(type: string, challenge: string, answer: AnswerOptions): string {
    return b64url(Buffer.from(JSON.stringify({ type, challenge, origin: answer.origin ?? this.origin, crossOrigin: false })));
  }

  private authData(extraFlags: number, answer: AnswerOptions): Buffer {
    this.counter = answer.counter ?? this.counter + 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const flags = UP | UV | extraFlags | (this.synced ? BE | BS : 0);
    return Buffer.concat([sha256(this.rpId), Buffer.from([flags]), counter]);
  }
}
