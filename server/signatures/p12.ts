import forge from 'node-forge';
import { forgeCertToDer } from './keys';
import { pemKeySigner, type CmsSigner } from './cms-sign';

// PKCS#12 bag types (RFC 7292 4.2).
const OIDS = { key: '1.2.840.113549.1.12.10.1.1', shrouded: '1.2.840.113549.1.12.10.1.2', cert: '1.2.840.113549.1.12.10.1.3' };

/**
 * Opens a PKCS#12 (the CLI operator's key, or what `cert issue` delivers to the desktop vault) and
 * returns a CmsSigner: the key is re-encoded as PKCS#8 PEM for node:crypto (fast RSA), the certificate
 * that matches the key goes first, the others follow as the chain.
 */
export function signerFromPkcs12(p12: Uint8Array, password: string): CmsSigner & { readonly keyPem: string } {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(p12).toString('binary')), password);
  } catch {
    throw new Error('Cannot open the PKCS#12 file: wrong password or not a PKCS#12 file');
  }
  const bags = (type: string): forge.pkcs12.Bag[] => parsed.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bags(OIDS.shrouded), ...bags(OIDS.key)];
  const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) {
    throw new Error('The PKCS#12 file holds no private key');
  }
  const certs = bags(OIDS.cert)
    .map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  const own = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.compareTo(key.n) === 0);
  if (!own) {
    throw new Error('The PKCS#12 file holds no certificate for its key');
  }
  const keyPem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
  const ders = [own, ...certs.filter((c) => c !== own)].map(forgeCertToDer);
  return { ...pemKeySigner(keyPem, ders), keyPem };
}
