import { createPrivateKey, type KeyObject } from 'node:crypto';
import { importPKCS8 } from 'jose';
import type { PrivateKey } from 'openid-client';
import { TokenDeskError } from '../../errors.js';

/** The JWS algorithm a key signs with: RS256 (RSA), ES256/384/512 by curve, EdDSA (Ed25519). */
function algorithmOf(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'ed25519') return 'EdDSA';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const alg = curve === 'prime256v1' ? 'ES256' : curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : undefined;
    if (alg) return alg;
  }
  throw new TokenDeskError('invalid_input', `The private key is of a kind private_key_jwt cannot sign with (${type ?? 'unknown'}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''}): use an RSA, P-256/384/521 or Ed25519 key`);
}

/**
 * The client's private key for private_key_jwt (RFC 7523 §2.2, OIDC Core §9) from the PEM kept in the
 * vault. Node reads every PEM form a developer has at hand (PKCS#8, PKCS#1 "RSA PRIVATE KEY", SEC1
 * "EC PRIVATE KEY"); jose turns its PKCS#8 form into the WebCrypto key openid-client signs with. An
 * encrypted key, a public key or a certificate is refused by name, never quoted.
 */
export async function clientPrivateKey(pem: string): Promise<PrivateKey> {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    const why = /passphrase/i.test(String((e as Error).message)) ? 'it is encrypted with a passphrase: export it without one' : 'it is not a PEM private key';
    throw new TokenDeskError('invalid_input', `The private key cannot be used: ${why}`);
  }
  const alg = algorithmOf(key);
  const pkcs8 = key.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { key: await importPKCS8(pkcs8, alg) };
}
