import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * A local stand-in for the Bot Framework's token service: OpenID metadata and a JWKS with
 * one signing key (endorsed for the channels), and RS256 tokens signed with it, or with a
 * key it does not publish.
 */
export class JwksServer {
  readonly issuer = 'https://api.botframework.com';
  private readonly published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openidconfiguration') {
      res.end(
        JSON.stringify({
          issuer: this.issuer,
          jwks_uri: `${this.url}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/keys') {
      const jwk = this.published.publicKey.export({ format: 'jwk' });
      res.end(
        JSON.stringify({
          keys: [
            { ...jwk, kid: 'published-key', use: 'sig', alg: 'RS256', endorsements: ['msteams', 'webchat'] },
          ],
        }),
      );
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  url = '';

  get metadataUrl(): string {
    return `${this.url}/.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** A channel token as the Bot Framework issues it; `overrides` change any claim. */
  token(claims: Record<string, unknown>, opts: { unknownKey?: boolean } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: this.issuer, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims };
    const header = { alg: 'RS256', typ: 'JWT', kid: opts.unknownKey ? 'unpublished-key' : 'published-key' };
    const key: KeyObject = opts.unknownKey ? this.unpublished.privateKey : this.published.privateKey;
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signingInput = `${part(header)}.${part(payload)}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key).toString('base64url');
    return `${signingInput}.${signature}`;
  }
}
