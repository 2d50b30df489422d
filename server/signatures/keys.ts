import { constants, createPrivateKey, generateKeyPairSync, privateEncrypt, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { derNull, octets, oid, seq } from './der';
import { OID } from './oids';

/**
 * RSA keys come from node:crypto (native, ~50 ms for 2048 bits) and are handed to forge as PEM:
 * forge's pure-JS key generation takes seconds (docs/architecture.md "Facts learned the hard way").
 */
export function generateRsaKey(bits = 2048, existingPem?: string): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privateKeyPem: string } {
  const privateKey =
    existingPem ??
    generateKeyPairSync('rsa', {
      modulusLength: bits,
      publicExponent: 0x10001,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
  const priv = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e), privateKeyPem: privateKey };
}

export function forgeCertToDer(cert: forge.pki.Certificate): Uint8Array {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

export function derToForgeCert(der: Uint8Array): forge.pki.Certificate {
  return forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der).toString('binary')));
}

/**
 * A stand-in for a forge private key whose `sign(md)` runs in node:crypto: forge builds the
 * certificate (names, extensions) and hashes the TBS part, then asks the key to sign the digest.
 * PKCS#1 v1.5 = RSA private operation over DigestInfo(sha256, digest); forge's pure-JS RSA-3072
 * takes ~0.3 s per certificate, node ~2 ms.
 */
export function nodeRsaSigner(keyPem: string): forge.pki.rsa.PrivateKey {
  const key: KeyObject = createPrivateKey(keyPem);
  const signer = {
    sign(md: forge.md.MessageDigest): string {
      if (md.algorithm !== 'sha256') {
        throw new Error('only SHA-256 certificate signatures are supported');
      }
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const digestInfo = seq(seq(oid(OID.sha256), derNull()), octets(digest));
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  };
  return signer as unknown as forge.pki.rsa.PrivateKey;
}
